"""The NHANES layout as it is: a folder of one survey cycle's CSV files (the shared
``nhanes/2011_2012`` folder), read into the engine's tables.

Files (names end in the cycle's two digits): ``Day1_*.csv`` and ``Day2_*.csv`` (one
row per food: ``SEQN``, ``WTDR2D``, ``DR1IFDCD``/``DR2IFDCD`` food code,
``DR1IGRMS``/``DR2IGRMS`` grams, ``DR1DRSTZ``/``DR2DRSTZ`` recall status),
``Demo_*.csv`` (``SEQN``, ``RIAGENDR`` 1 male 2 female, ``RIDAGEYR``, ``SDMVPSU``,
``SDMVSTRA``), ``Codes_*.csv`` (food code descriptions) and, if present,
``Weight_*.csv`` (``BMXWT``, body weight in kg).

* Only reliable recalls are used (status 1, as NHANES advises); the others are
  counted (``excluded_rows``), not read.
* Food codes are matched to FNDDS 2017-2018 by `vitk2.foods.survey_codes` (the same
  rule as the coverage figures of docs/data.md). An unmatched code stays in as an
  unknown food: its grams make every nutrient's sum of that day a lower bound.
* The survey weight is ``WTDR2D`` (the two-day dietary weight, empty for persons with
  one recall), the design ``SDMVSTRA``/``SDMVPSU``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import numpy as np

from vitk2.cohort._extras import arrow
from vitk2.cohort.inputs import (
    BadRows,
    RowProblems,
    Staged,
    add_age_groups,
    grams_array,
    read_table,
)
from vitk2.errors import ImportFileError, InvalidOptionError, quoted
from vitk2.foods.database import FoodDB
from vitk2.foods.survey_codes import CodeMatcher
from vitk2.foods.values import FNDDS_CODE_MIN

__all__ = ["DAY_COLUMNS", "read_nhanes"]

#: The columns of a day file, by day (food code, grams, recall status).
DAY_COLUMNS: Final = {day: (f"DR{day}IFDCD", f"DR{day}IGRMS", f"DR{day}DRSTZ") for day in (1, 2)}
_RELIABLE: Final = 1


def _one(folder: Path, stem: str, *, required: bool = True) -> Path | None:
    found = sorted(folder.glob(f"{stem}_*.csv"))
    if len(found) > 1:
        raise InvalidOptionError(
            f"{quoted(str(folder), 200)} has several {stem}_*.csv files; give one cycle's folder."
        )
    if not found and required:
        raise InvalidOptionError(
            f"{quoted(str(folder), 200)} has no {stem}_*.csv: --format nhanes reads a folder with "
            "Day1_*.csv, Day2_*.csv, Demo_*.csv and Codes_*.csv (one survey cycle)."
        )
    return found[0] if found else None


def _floats(table: Any, name: str, file: str) -> np.ndarray:
    import pyarrow.compute as pc

    pa = arrow()
    if name not in table.column_names:
        raise ImportFileError(
            f"{file} has no column {name!r} (found {', '.join(table.column_names)})."
        )
    text = pc.utf8_trim_whitespace(table[name].combine_chunks().cast(pa.string()))
    ok = pc.fill_null(pc.match_substring_regex(text, r"^-?\d+(\.\d*)?([eE][-+]?\d+)?$"), False)
    cleaned = pc.if_else(ok, text, pa.scalar("nan", pa.string()))
    return np.asarray(
        pc.cast(pc.fill_null(cleaned, "nan"), pa.float64()).to_numpy(zero_copy_only=False)
    )


def _check_day(
    problems: RowProblems,
    reliable: np.ndarray,
    *,
    seqn: np.ndarray,
    code: np.ndarray,
    grams: np.ndarray,
    day: int,
) -> RowProblems:
    """The bad rows among a day file's reliable recalls."""
    code_col, grams_col, _ = DAY_COLUMNS[day]
    problems.add(reliable & ~np.isfinite(seqn), lambda i: "SEQN is empty")
    problems.add(reliable & ~(code >= FNDDS_CODE_MIN), lambda i: f"{code_col} is not a food code")
    problems.add(
        reliable & ~(np.isfinite(grams) & (grams > 0)),
        lambda i: f"{grams_col} is not grams above 0",
    )
    return problems


def _food_names(db: FoodDB) -> dict[int, str]:
    return {
        int(identifier.split(":")[1]): name
        for identifier, (name, _) in db.names().items()
        if identifier.startswith("fndds:")
    }


def read_nhanes(  # noqa: PLR0915 - the files of a cycle, one after the other
    folder: Path, db: FoodDB, *, skip_bad: bool = False
) -> Staged:
    """The records and persons of one NHANES cycle's folder (raises `ImportFileError`
    for bad rows unless ``skip_bad``; then they are left out and counted)."""
    pa = arrow()
    if not folder.is_dir():
        raise InvalidOptionError(
            f"--format nhanes reads a folder; {quoted(str(folder), 200)} is not one."
        )
    codes_path = _one(folder, "Codes")
    assert codes_path is not None
    codes, _ = read_table(codes_path, what="NHANES codes")
    descriptions = dict(
        zip(
            _floats(codes, "DRXFDCD", codes_path.name).astype(np.int64).tolist(),
            codes["DRXFCLD"].to_pylist() if "DRXFCLD" in codes.column_names else [],
            strict=False,
        )
    )
    matcher = CodeMatcher(_food_names(db))
    parts: list[dict[str, Any]] = []
    weights: dict[int, float] = {}
    counts: dict[str, float] = {"rows_read": 0, "excluded_rows": 0}
    bad_rows: list[BadRows] = []
    match_rows = {"code": 0, "description": 0, "none": 0}
    match_grams = {"code": 0.0, "description": 0.0, "none": 0.0}
    for day, (code_col, grams_col, status_col) in DAY_COLUMNS.items():
        path = _one(folder, f"Day{day}", required=day == 1)
        if path is None:
            continue
        table, where = read_table(path, what=f"NHANES day {day}")
        n = table.num_rows
        counts["rows_read"] += n
        seqn = _floats(table, "SEQN", path.name)
        status = _floats(table, status_col, path.name)
        code = _floats(table, code_col, path.name)
        grams = _floats(table, grams_col, path.name)
        weight = _floats(table, "WTDR2D", path.name)
        reliable = status == _RELIABLE
        counts["excluded_rows"] += int((~reliable).sum())
        problems = _check_day(
            RowProblems(n, where, path.name), reliable, seqn=seqn, code=code, grams=grams, day=day
        )
        bad = problems.result()
        if bad is not None:
            if not skip_bad:
                raise ImportFileError(bad.message())
            bad_rows.append(bad)
        keep = reliable & ~problems.bad
        for person, w in zip(
            seqn[keep].astype(np.int64).tolist(), weight[keep].tolist(), strict=True
        ):
            if np.isfinite(w) and person not in weights:
                weights[person] = w
        kept_codes = code[keep].astype(np.int64)
        target: dict[int, int] = {}
        kind: dict[int, str] = {}
        for value in np.unique(kept_codes).tolist():
            fndds_code, how = matcher.match(value, descriptions.get(value) or "")
            target[value] = -1 if fndds_code is None else fndds_code
            kind[value] = how
        ndb = np.array([target[c] for c in kept_codes.tolist()], dtype=np.int64)
        for c, g in zip(kept_codes.tolist(), grams[keep].tolist(), strict=True):
            match_rows[kind[c]] += 1
            match_grams[kind[c]] += g
        parts.append({
            "line": pa.array(np.flatnonzero(keep).astype(np.int64)),
            "person_id": pa.array(seqn[keep].astype(np.int64)),
            "day": pa.array(np.full(int(keep.sum()), day, dtype=np.int32)),
            "ndb": pa.array(ndb, pa.int64(), mask=ndb < 0),
            "grams": grams_array(grams[keep]),
        })  # fmt: skip
    records = pa.concat_tables([pa.table(part) for part in parts])
    persons = _persons(folder, weights)
    used = sum(match_rows.values())
    grams_total = sum(match_grams.values())
    for how in ("code", "description", "none"):
        counts[f"matched_{how}_rows"] = match_rows[how]
        counts[f"matched_{how}_g"] = round(match_grams[how], 2)
        counts[f"matched_{how}_row_share"] = match_rows[how] / used if used else 0.0
        counts[f"matched_{how}_gram_share"] = match_grams[how] / grams_total if grams_total else 0.0
    empty_supplements = pa.table({
        "line": pa.array([], pa.int64()), "person_id": pa.array([], pa.int64()),
        "day": pa.array([], pa.int32()),
    })  # fmt: skip
    notes = (
        "NHANES: reliable recalls only (status 1); survey weight WTDR2D (two-day), design "
        "SDMVSTRA/SDMVPSU; food codes matched to FNDDS 2017-2018 by code, else by description "
        "(vitk2.foods.survey_codes); unmatched foods are unknown, not zero.",
    )
    counts["bad_rows_skipped"] = sum(b.count for b in bad_rows)
    counts["food_rows"] = records.num_rows
    counts["supplement_rows"] = 0
    return Staged(
        records, empty_supplements, persons, counts, notes,
        skipped=tuple(b.message() for b in bad_rows),
    )  # fmt: skip


def _persons(folder: Path, weights: dict[int, float]) -> Any:
    pa = arrow()
    demo_path = _one(folder, "Demo")
    assert demo_path is not None
    demo, _ = read_table(demo_path, what="NHANES demographics")
    seqn = _floats(demo, "SEQN", demo_path.name).astype(np.int64)
    sex_code = _floats(demo, "RIAGENDR", demo_path.name)
    age = _floats(demo, "RIDAGEYR", demo_path.name)
    known = np.isfinite(age) & np.isin(sex_code, (1.0, 2.0))
    body: dict[int, float] = {}
    weight_path = _one(folder, "Weight", required=False)
    if weight_path is not None:
        table, _ = read_table(weight_path, what="NHANES body weight")
        ids = _floats(table, "SEQN", weight_path.name).astype(np.int64)
        kg = _floats(table, "BMXWT", weight_path.name)
        body = {int(i): float(w) for i, w in zip(ids, kg, strict=True) if np.isfinite(w)}
    ids = seqn[known]
    strata = _floats(demo, "SDMVSTRA", demo_path.name)[known]
    psu = _floats(demo, "SDMVPSU", demo_path.name)[known]
    survey = np.array([weights.get(int(i), np.nan) for i in ids])
    kg = np.array([body.get(int(i), np.nan) for i in ids])
    table = pa.table({
        "person_id": pa.array(ids, pa.int64()),
        "sex": pa.array(np.where(sex_code[known] == 1.0, "male", "female"), pa.string()),
        "age": pa.array(age[known].astype(np.int32)),
        "age_months": pa.nulls(len(ids), pa.float64()),
        "life_stage": pa.nulls(len(ids), pa.string()),
        "weight_kg": pa.array(kg, pa.float64(), mask=~np.isfinite(kg)),
        "survey_weight": pa.array(survey, pa.float64(), mask=~np.isfinite(survey)),
        "strata": pa.array([f"{v:g}" for v in strata], pa.string()),
        "psu": pa.array([f"{v:g}" for v in psu], pa.string()),
    })  # fmt: skip
    return add_age_groups(table)
