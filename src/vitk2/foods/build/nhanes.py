"""What Americans eat: the NHANES 2011-2012 day-1 recalls, summed per food code and
matched to the FNDDS 2017-2018 foods of the food database (run at development time).

``python -m vitk2.foods.build.nhanes NHANES_DIR`` reads ``Day1_11.csv`` and
``Codes_11.csv`` from ``NHANES_DIR`` (the shared folder ``nhanes/2011_2012``) and writes
`NHANES_FILE`: one row per food code eaten, with its rows and grams over all reliable
recalls (``DR1DRSTZ`` = 1), and the FNDDS 2017-2018 food it maps to:

* ``code``: the same code exists in FNDDS 2017-2018;
* ``description``: no such code, but exactly one FNDDS 2017-2018 food with the same first
  three code digits has the same words in its name, in any order, plus at most the
  words of `vitk2.foods.survey_codes.EXTRA_WORDS` ("Chicken nuggets" -> "Chicken
  nuggets, NFS"; "Chicken, thigh, roasted, broiled, or baked, skin eaten" -> "Chicken
  thigh, baked, broiled, or roasted, skin eaten, from raw");
* ``none``: neither; these grams stay out of the coverage denominator and are reported.

The rule itself is `vitk2.foods.survey_codes` (the cohort engine's NHANES reader uses
the same one).

The coverage tables in docs/data.md (`vitk2.foods.build.coverage`) read this file.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from vitk2.foods.build.fndds import read_foods
from vitk2.foods.survey_codes import CodeMatcher

REPO: Final = Path(__file__).resolve().parents[4]
NHANES_FILE: Final = Path("nhanes") / "nhanes_2011_2012_day1_foods.csv"
FIELDS: Final = ("code", "description", "rows", "grams", "fndds_code", "match")


@dataclass(frozen=True, slots=True)
class EatenFood:
    """One NHANES food code with the rows and grams eaten, and its FNDDS 2017-2018 food."""

    code: int
    description: str
    rows: int
    grams: float
    fndds_code: int | None
    match: str  # code | description | none


def _code(text: str) -> int:
    return int(float(text))


def summarise(nhanes_dir: Path, data_dir: Path) -> list[EatenFood]:
    """Sum the reliable day-1 recalls per food code and match each code to FNDDS 2017-18."""
    eaten: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    with (nhanes_dir / "Day1_11.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["DR1DRSTZ"].strip() not in {"1", "1.0"}:
                continue
            totals = eaten[_code(row["DR1IFDCD"])]
            totals[0] += 1
            totals[1] += float(row["DR1IGRMS"] or 0.0)
    with (nhanes_dir / "Codes_11.csv").open(encoding="utf-8", newline="") as handle:
        descriptions = {_code(r["DRXFDCD"]): r["DRXFCLD"] for r in csv.DictReader(handle)}
    matcher = CodeMatcher({food.code: food.name for food in read_foods(data_dir)})
    foods = []
    for code in sorted(eaten):
        rows, grams = eaten[code]
        description = descriptions.get(code, "")
        target, match = matcher.match(code, description)
        foods.append(EatenFood(code, description, int(rows), round(grams, 2), target, match))
    return foods


def write(foods: list[EatenFood], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        for food in foods:
            writer.writerow(
                (food.code, food.description, food.rows, f"{food.grams:g}",
                 food.fndds_code or "", food.match)
            )  # fmt: skip


def read(path: Path) -> list[EatenFood]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            EatenFood(
                code=int(row["code"]),
                description=row["description"],
                rows=int(row["rows"]),
                grams=float(row["grams"]),
                fndds_code=int(row["fndds_code"]) if row["fndds_code"] else None,
                match=row["match"],
            )
            for row in csv.DictReader(handle)
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("nhanes_dir", type=Path, help="folder with Day1_11.csv and Codes_11.csv")
    parser.add_argument("--data", type=Path, default=REPO / "data")
    args = parser.parse_args(argv)
    foods = summarise(args.nhanes_dir, args.data)
    write(foods, args.data / NHANES_FILE)
    for name in ("Day1_11.csv", "Codes_11.csv"):
        digest = hashlib.sha256((args.nhanes_dir / name).read_bytes()).hexdigest()
        print(f"{name}: sha256 {digest}")
    print(f"wrote {args.data / NHANES_FILE}: {len(foods)} food codes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
