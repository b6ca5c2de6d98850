"""Small cohort files for the tests: long-format records and persons (CSV), and a
folder in the NHANES layout."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

__all__ = ["PERSONS", "RECORDS", "write_csv", "write_nhanes", "write_small_cohort"]

#: (person_id, day, food, grams); a supplement row has its dose in the text, no grams.
RECORDS: tuple[tuple[object, ...], ...] = (
    (1, 1, "gouda", 30),
    (1, 1, "fndds:58106230", 264),
    (1, 1, "1 capsule MK-7 90 µg", ""),
    (1, 2, "natto", 50),
    (2, 1, "chicken liver", 100),
    (2, 1, "usda:01022", 20.5),
    (2, 2, "cheese", 40),
    (3, 1, "1000 IU vitamin D3", ""),
    (3, 1, "gouda", 10),
)
PERSONS: tuple[tuple[object, ...], ...] = (
    ("person_id", "sex", "age", "survey_weight", "strata", "psu", "region"),
    (1, "female", 34, 1000, 1, 1, "north"),
    (2, "male", 70, 2000, 1, 2, "south"),
    (3, "female", 5, 1500, 2, 1, "north"),
)


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_small_cohort(folder: Path) -> tuple[Path, Path]:
    records = write_csv(folder / "records.csv", [("person_id", "day", "food", "grams"), *RECORDS])
    persons = write_csv(folder / "persons.csv", PERSONS)
    return records, persons


def write_nhanes(
    folder: Path, day1: Sequence[Sequence[object]], day2: Sequence[Sequence[object]]
) -> Path:
    """A cycle's folder: day rows are (SEQN, WTDR2D, food code, grams, status)."""
    folder.mkdir(parents=True, exist_ok=True)
    for day, rows in ((1, day1), (2, day2)):
        head = ("SEQN", "WTDR2D", f"DR{day}IFDCD", f"DR{day}IGRMS", f"DR{day}DRSTZ")
        write_csv(folder / f"Day{day}_99.csv", [head, *rows])
    write_csv(
        folder / "Demo_99.csv",
        [("SEQN", "RIAGENDR", "RIDAGEYR", "SDMVPSU", "SDMVSTRA"),
         (101.0, 1.0, 40.0, 1.0, 91.0), (102.0, 2.0, 8.0, 2.0, 91.0)],
    )  # fmt: skip
    write_csv(
        folder / "Codes_99.csv",
        [("DRXFDCD", "DRXFCLD"), (58106230.0, "Pizza, cheese, thick crust"),
         (11111009.0, "Milk whole"), (99999999.0, "A food no database has")],
    )  # fmt: skip
    return folder
