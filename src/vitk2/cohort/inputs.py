"""Reading and checking a cohort's files: long-format records and a persons file.

**Records** (CSV with a header, or Parquet): ``person_id, day, food, grams``, one row
per food eaten. ``day`` is the recall's number (1, 2 …; the first is the reference
recall of the usual-intake model). ``food`` is a food id (``fndds:58106230``,
``usda:01022``) or a food named in words ("gouda"), read as the meal parser reads it;
a supplement is written in words with its dose ("1 capsule MK-7 90 µg", "1000 IU
vitamin D3") and no grams.

**Persons** (CSV or Parquet): ``person_id, sex, age`` (years) and optionally
``age_months``, ``life_stage`` (``pregnant``, ``lactating`` or empty), ``weight_kg``,
``survey_weight`` (default 1), ``strata`` and ``psu`` (the survey design, for standard
errors); any other column is kept as text for grouping (``--by``). Two columns are
added: ``age_group`` (the DRI life-stage groups `AGE_GROUPS`) and
``wweia_age_group`` (`WWEIA_AGE_GROUPS`, those of the "What We Eat in America"
tables).

Every row is checked; a bad row is named by its line (CSV; the header is line 1) or
row (Parquet). With bad rows nothing is computed, unless ``skip_bad``: then they are
left out and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import numpy as np

from vitk2.cohort._extras import arrow
from vitk2.cohort.foods import grams_type, per_gram_type
from vitk2.errors import ImportFileError, InvalidOptionError, UnknownFoodError, quoted
from vitk2.foods.amounts import MAX_ITEM_GRAMS
from vitk2.foods.database import FoodDB
from vitk2.foods.values import parse_food_id
from vitk2.intake.meals import MealParser

__all__ = [
    "AGE_GROUPS",
    "MAX_DAY",
    "PERSON_COLUMNS",
    "RECORD_COLUMNS",
    "WWEIA_AGE_GROUPS",
    "BadRows",
    "RowProblems",
    "Staged",
    "add_age_groups",
    "grams_array",
    "read_long",
    "read_persons",
    "read_records",
    "read_table",
]

RECORD_COLUMNS: Final = ("person_id", "day", "food", "grams")
#: Persons columns vitk2 reads (the first three are required).
PERSON_COLUMNS: Final = (
    "person_id", "sex", "age", "age_months", "life_stage", "weight_kg", "survey_weight",
    "strata", "psu",
)  # fmt: skip
#: The highest recall number taken.
MAX_DAY: Final = 366
#: DRI life-stage age groups (years): label -> (from, to) inclusive.
AGE_GROUPS: Final[tuple[tuple[str, int, int], ...]] = (
    ("<1", 0, 0), ("1-3", 1, 3), ("4-8", 4, 8), ("9-13", 9, 13), ("14-18", 14, 18),
    ("19-30", 19, 30), ("31-50", 31, 50), ("51-70", 51, 70), ("71+", 71, 200),
)  # fmt: skip
#: The age groups of the "What We Eat in America" tables (individuals 2 years and over).
WWEIA_AGE_GROUPS: Final[tuple[tuple[str, int, int], ...]] = (
    ("<2", 0, 1), ("2-5", 2, 5), ("6-11", 6, 11), ("12-19", 12, 19), ("20-29", 20, 29),
    ("30-39", 30, 39), ("40-49", 40, 49), ("50-59", 50, 59), ("60-69", 60, 69),
    ("70+", 70, 200),
)  # fmt: skip
_SHOWN: Final = 8
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_INTEGER = r"^\s*\d{1,9}(\.0*)?\s*$"
_DECIMAL = r"^\s*(\d{1,9}(\.\d*)?|\.\d+)\s*$"
_MAX_FOOD_CHARS: Final = 200
_MAX_AGE: Final = 130
_DB_PREFIXES: Final = ("usda:", "fndds:")


@dataclass(frozen=True, slots=True)
class BadRows:
    """Bad rows found in one file: (where, problem) for the first few, and the count."""

    file: str
    shown: tuple[tuple[str, str], ...]
    count: int

    def message(self) -> str:
        listed = "; ".join(f"{where}: {problem}" for where, problem in self.shown)
        more = f"; {self.count - len(self.shown)} more" if self.count > len(self.shown) else ""
        return (
            f"{self.file}: {self.count} bad row{'s' if self.count != 1 else ''} ({listed}{more}). "
            "Nothing was computed: fix them, or give --skip-bad to leave them out (they are "
            "counted in the output)."
        )


@dataclass(frozen=True, slots=True)
class Staged:
    """Checked inputs ready for an engine (Arrow tables) and what was counted on the way."""

    records: Any
    supplements: Any
    persons: Any
    counts: Mapping[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # the bad rows left out (messages naming them)


def _is_parquet(path: Path) -> bool:
    if path.suffix.lower() in {".parquet", ".pq"}:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


def read_table(path: Path, *, what: str) -> tuple[Any, Callable[[int], str]]:
    """A CSV (every column as text) or Parquet file as an Arrow table, and how row i
    is named in messages ("line 7" for CSV, "row 6" for Parquet)."""
    pa = arrow()
    if not path.is_file():
        raise InvalidOptionError(f"{what} file {quoted(str(path), 200)} does not exist.")
    try:
        if _is_parquet(path):
            import pyarrow.parquet as pq

            return pq.read_table(path), lambda i: f"row {i + 1}"
        import pyarrow.csv as pcsv

        names = _header(path)
        table = pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=1 << 24),
            parse_options=pcsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError) as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ImportFileError(
            f"{what} file {quoted(str(path), 200)} cannot be read: {first}"
        ) from None
    return table, lambda i: f"line {i + 2}"


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline(1 << 20)
    import csv

    return next(csv.reader([first]), [])


def _missing(table: Any, required: Sequence[str], what: str) -> None:
    absent = [name for name in required if name not in table.column_names]
    if absent:
        raise ImportFileError(
            f"{what} file has no column {', '.join(repr(a) for a in absent)}: expected "
            f"{', '.join(required)} (found {', '.join(table.column_names) or 'none'})."
        )


def _text(column: Any) -> Any:
    """A column as trimmed text (null for empty)."""
    import pyarrow.compute as pc

    pa = arrow()
    text = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _numbers(column: Any, pattern: str) -> tuple[Any, np.ndarray]:
    """(float64 values with nan for bad or missing, bool mask of well-formed values)."""
    import pyarrow.compute as pc

    pa = arrow()
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        values = np.where(np.isnan(values), np.nan, values)
        return values, np.isfinite(values)
    text = _text(column)
    ok = pc.fill_null(pc.match_substring_regex(text, pattern), False).to_numpy(zero_copy_only=False)
    cleaned = pc.if_else(pa.array(ok), text, pa.scalar("nan", pa.string()))
    values = pc.cast(pc.fill_null(cleaned, "nan"), pa.float64()).to_numpy(zero_copy_only=False)
    return values, ok & np.isfinite(values)


class RowProblems:
    """Collects bad rows: a problem text per row index (the first problem wins)."""

    def __init__(self, n: int, where: Callable[[int], str], file: str) -> None:
        self.bad = np.zeros(n, dtype=bool)
        self.first: dict[int, str] = {}
        self.where = where
        self.file = file

    def add(self, mask: np.ndarray, problem: Callable[[int], str]) -> None:
        new = mask & ~self.bad
        for i in np.flatnonzero(new)[:_SHOWN]:
            if len(self.first) < _SHOWN:
                self.first[int(i)] = problem(int(i))
        self.bad |= mask

    def result(self) -> BadRows | None:
        count = int(self.bad.sum())
        if not count:
            return None
        shown = tuple((self.where(i), self.first[i]) for i in sorted(self.first)[:_SHOWN])
        return BadRows(self.file, shown, count)


def _person_ids(column: Any) -> Any:
    """Person ids as int64 when every one is a whole number, else as text."""
    import pyarrow.compute as pc

    pa = arrow()
    if pa.types.is_integer(column.type):
        return pc.cast(column, pa.int64())
    text = _text(column)
    digits = pc.fill_null(pc.match_substring_regex(text, r"^-?\d{1,18}(\.0+)?$"), True)
    if pc.all(digits).as_py():
        return pc.cast(pc.replace_substring_regex(text, r"\.0+$", ""), pa.int64())
    return text


def _value(column: Any, i: int) -> str:
    return quoted(column[i].as_py() if column[i].is_valid else "")


def read_records(
    path: Path, db: FoodDB, keys: Sequence[str], *, skip_bad: bool = False
) -> tuple[Any, Any, BadRows | None]:
    """(food rows, supplement rows with their amounts of ``keys``, the bad rows) of a
    records file. Raises `ImportFileError` naming the bad rows unless ``skip_bad``."""
    pa = arrow()
    import pyarrow.compute as pc

    table, where = read_table(path, what="Records")
    _missing(table, RECORD_COLUMNS, "Records")
    n = table.num_rows
    problems = RowProblems(n, where, path.name)
    person = (
        _text(table["person_id"]).combine_chunks() if table.num_rows else pa.array([], pa.string())
    )
    problems.add(
        ~pc.is_valid(person).to_numpy(zero_copy_only=False), lambda i: "person_id is empty"
    )
    day, day_ok = _numbers(table["day"], _INTEGER)
    day_ok &= (day >= 1) & (day <= MAX_DAY) & (np.floor(np.nan_to_num(day)) == np.nan_to_num(day))
    day_col = table["day"].combine_chunks()
    problems.add(
        ~day_ok, lambda i: f"day {_value(day_col, i)} is not a recall number 1 … {MAX_DAY}"
    )
    grams, grams_ok = _numbers(table["grams"], _DECIMAL)
    grams_given = pc.is_valid(_text(table["grams"])).to_numpy(zero_copy_only=False)
    foods = _text(table["food"]).combine_chunks()
    encoded = foods.dictionary_encode()
    texts = encoded.dictionary.to_pylist()
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    has_food = pc.is_valid(encoded.indices).to_numpy(zero_copy_only=False)
    problems.add(~has_food, lambda i: "food is empty")
    resolver = _Resolver(db)
    outcome = [resolver(text) for text in texts]
    ndb_of = np.array([o[0] if o[0] is not None else -1 for o in outcome], dtype=np.int64)
    is_supplement = np.array([o[1] is not None for o in outcome], dtype=bool)
    trouble = [o[2] for o in outcome]
    safe = np.where(has_food, indices, 0)
    row_trouble = has_food & np.array([t is not None for t in trouble] or [False])[safe]
    problems.add(row_trouble, lambda i: str(trouble[safe[i]]))
    supplement_row = has_food & is_supplement[safe] if len(texts) else np.zeros(n, dtype=bool)
    problems.add(
        supplement_row & grams_given,
        lambda i: "a supplement row gives its dose in the food text; leave grams empty",
    )
    food_row = has_food & ~supplement_row
    grams_col = table["grams"].combine_chunks()
    bad_grams = food_row & ~(grams_ok & (grams > 0) & (grams <= MAX_ITEM_GRAMS))
    problems.add(
        bad_grams,
        lambda i: (
            f"grams {_value(grams_col, i)} is not a number of grams above 0 and at most "
            f"{MAX_ITEM_GRAMS:,.0f}"
        ),
    )
    bad = problems.result()
    if bad is not None and not skip_bad:
        raise ImportFileError(bad.message())
    keep_food = food_row & ~problems.bad
    keep_supplement = supplement_row & ~problems.bad
    ids = _person_ids(person)
    lines = np.arange(n, dtype=np.int64)
    records = pa.table({
        "line": pa.array(lines[keep_food]),
        "person_id": pc.filter(ids, pa.array(keep_food)),
        "day": pa.array(day[keep_food].astype(np.int32)),
        "ndb": pa.array(ndb_of[safe[keep_food]], pa.int64()),
        "grams": grams_array(grams[keep_food]),
    })  # fmt: skip
    supplements = _supplement_table(
        lines[keep_supplement], pc.filter(ids, pa.array(keep_supplement)),
        day[keep_supplement].astype(np.int32), [outcome[j][1] or {} for j in safe[keep_supplement]],
        keys,
    )  # fmt: skip
    return records, supplements, bad


def grams_array(values: np.ndarray) -> Any:
    """Grams as exact decimals, rounded to 10⁻⁶ g."""
    pa = arrow()
    return pa.array(np.round(values, 6), pa.float64()).cast(grams_type(), safe=False)


def _supplement_table(
    lines: np.ndarray,
    ids: Any,
    days: np.ndarray,
    amounts: Sequence[Mapping[str, float]],
    keys: Sequence[str],
) -> Any:
    pa = arrow()
    columns = {
        "line": pa.array(lines, pa.int64()), "person_id": ids, "day": pa.array(days, pa.int32())
    }  # fmt: skip
    for key in keys:
        columns[key] = pa.array(
            [Decimal(round(float(a.get(key, 0.0)) * 100_000)).scaleb(-5) for a in amounts],
            per_gram_type(),
        )
    return pa.table(columns)


class _Resolver:
    """Food text -> (ndb, supplement amounts, problem), each distinct text once."""

    def __init__(self, db: FoodDB) -> None:
        self.db = db
        self.names = db.names()
        self._parser: MealParser | None = None

    def __call__(self, text: str) -> tuple[int | None, dict[str, float] | None, str | None]:
        if len(text) > _MAX_FOOD_CHARS:
            return None, None, f"food text is longer than {_MAX_FOOD_CHARS} characters"
        try:
            ndb = parse_food_id(text)
        except UnknownFoodError:
            ndb = None
        if ndb is not None:
            from vitk2.foods.values import food_id

            if food_id(ndb) in self.names:
                return ndb, None, None
            return None, None, f"food id {quoted(text)} is not in the food database"
        if self._parser is None:
            self._parser = MealParser(self.db)
        try:
            item = self._parser.parse_item(text)
        except (ValueError, LookupError) as error:
            return None, None, f"food {quoted(text)}: {str(error).rstrip('.')}"
        if item.kind == "supplement" and item.status == "ok":
            amounts = {
                k: float(v) for k, v in (item.intake.amounts if item.intake else {}).items() if v
            }
            return None, amounts, None
        # a food named without an amount is found (the grams column gives the amount)
        if item.kind == "food" and item.ref is not None and item.ref.startswith(_DB_PREFIXES):
            return parse_food_id(item.ref), None, None
        hint = f" (did you mean {item.suggestions[0]}?)" if item.suggestions else ""
        return None, None, f"food {quoted(text)} is not a food vitk2 knows{hint}"


_SEXES: Final = {"female": "female", "f": "female", "male": "male", "m": "male"}
_STAGES: Final = {"pregnant", "lactating"}


def _groups(age: np.ndarray, groups: Sequence[tuple[str, int, int]]) -> list[str]:
    labels = np.array([label for label, _, _ in groups], dtype=object)
    tops = np.array([top for _, _, top in groups])
    return list(labels[np.minimum(np.searchsorted(tops, age, side="left"), len(groups) - 1)])


def add_age_groups(persons: Any) -> Any:
    """``persons`` with ``age_group`` (`AGE_GROUPS`) and ``wweia_age_group``
    (`WWEIA_AGE_GROUPS`) from ``age``."""
    pa = arrow()
    age = persons["age"].to_numpy(zero_copy_only=False)
    return persons.append_column(
        "age_group", pa.array(_groups(age, AGE_GROUPS), pa.string())
    ).append_column("wweia_age_group", pa.array(_groups(age, WWEIA_AGE_GROUPS), pa.string()))


def read_persons(  # noqa: PLR0915 - one check after the other, in column order
    path: Path, *, skip_bad: bool = False
) -> tuple[Any, BadRows | None]:
    """The persons table (standard columns typed, others as text, age groups added)
    and its bad rows. Raises `ImportFileError` naming the bad rows unless ``skip_bad``."""
    import pyarrow.compute as pc

    pa = arrow()
    table, where = read_table(path, what="Persons")
    _missing(table, PERSON_COLUMNS[:3], "Persons")
    odd = [name for name in table.column_names if not _NAME.match(name)]
    taken = {"age_group", "wweia_age_group", "day"}
    if odd or taken & set(table.column_names):
        name = (odd or sorted(taken & set(table.column_names)))[0]
        raise ImportFileError(
            f"Persons file column {quoted(name)}: a column name is a letter or _ followed by "
            "letters, digits or _ (at most 63), and not age_group, wweia_age_group or day."
        )
    n = table.num_rows
    problems = RowProblems(n, where, path.name)
    ids = _text(table["person_id"]).combine_chunks() if n else pa.array([], pa.string())
    problems.add(~pc.is_valid(ids).to_numpy(zero_copy_only=False), lambda i: "person_id is empty")
    raw_id = ids.to_pylist()
    seen: dict[object, int] = {}
    duplicate = np.zeros(n, dtype=bool)
    for i, value in enumerate(raw_id):
        if value is not None and value in seen:
            duplicate[i] = True
        seen.setdefault(value, i)
    problems.add(duplicate, lambda i: f"person_id {quoted(raw_id[i])} appears twice")
    sex_text = [
        None if v is None else _SEXES.get(str(v).lower()) for v in _text(table["sex"]).to_pylist()
    ]
    sex_raw = table["sex"].combine_chunks()
    problems.add(
        np.array([s is None for s in sex_text], dtype=bool),
        lambda i: f"sex {_value(sex_raw, i)} is not female or male",
    )
    age, age_ok = _numbers(table["age"], _INTEGER)
    age_ok &= (age >= 0) & (age <= _MAX_AGE) & (np.floor(np.nan_to_num(age)) == np.nan_to_num(age))
    age_raw = table["age"].combine_chunks()
    problems.add(~age_ok, lambda i: f"age {_value(age_raw, i)} is not whole years 0 … {_MAX_AGE}")
    columns: dict[str, Any] = {}
    months = _optional_number(
        table, "age_months", _INTEGER, problems, low=0, high=_MAX_AGE * 12 + 11
    )
    if months is not None:
        inconsistent = np.isfinite(months) & ((months < age * 12) | (months >= age * 12 + 12))
        problems.add(inconsistent, lambda i: "age_months does not fall within age")
    stage = [None] * n
    if "life_stage" in table.column_names:
        stage = _text(table["life_stage"]).to_pylist()
        wrong = np.array([s is not None and s.lower() not in _STAGES for s in stage], dtype=bool)
        problems.add(
            wrong, lambda i: f"life_stage {quoted(stage[i])} is not pregnant, lactating or empty"
        )
        male = np.array(
            [s is not None and x == "male" for s, x in zip(stage, sex_text, strict=True)]
        )
        problems.add(male, lambda i: "life_stage pregnant or lactating needs sex female")
        stage = [None if s is None else s.lower() for s in stage]
    weight_kg = _optional_number(table, "weight_kg", _DECIMAL, problems, low=1e-9, high=500.0)
    survey = _optional_number(table, "survey_weight", _DECIMAL, problems, low=0.0, high=1e15)
    bad = problems.result()
    if bad is not None and not skip_bad:
        raise ImportFileError(bad.message())
    keep = ~problems.bad
    mask = pa.array(keep)
    columns["person_id"] = pc.filter(_person_ids(ids), mask)
    columns["sex"] = pc.filter(pa.array(sex_text, pa.string()), mask)
    columns["age"] = pa.array(age[keep].astype(np.int32))
    columns["age_months"] = _float_column(months, keep)
    columns["life_stage"] = pc.filter(pa.array(stage, pa.string()), mask)
    columns["weight_kg"] = _float_column(weight_kg, keep)
    columns["survey_weight"] = (
        pa.array(np.ones(int(keep.sum()))) if survey is None else _float_column(survey, keep)
    )
    for name in ("strata", "psu"):
        columns[name] = (
            pc.filter(_text(table[name]).combine_chunks(), mask)
            if name in table.column_names
            else pa.nulls(int(keep.sum()), pa.string())
        )
    for name in table.column_names:
        if name not in PERSON_COLUMNS:
            columns[name] = pc.filter(_text(table[name]).combine_chunks(), mask)
    return add_age_groups(pa.table(columns)), bad


def _float_column(values: np.ndarray | None, keep: np.ndarray) -> Any:
    pa = arrow()
    if values is None:
        return pa.nulls(int(keep.sum()), pa.float64())
    kept = values[keep]
    return pa.array(kept, pa.float64(), mask=~np.isfinite(kept))


def _optional_number(
    table: Any, name: str, pattern: str, problems: RowProblems, *, low: float, high: float
) -> np.ndarray | None:
    """An optional numeric column (nan where empty); bad values are problems."""
    import pyarrow.compute as pc

    if name not in table.column_names:
        return None
    values, ok = _numbers(table[name], pattern)
    given = pc.is_valid(_text(table[name])).to_numpy(zero_copy_only=False)
    raw = table[name].combine_chunks()
    problems.add(
        given & ~(ok & (values >= low) & (values <= high)),
        lambda i: f"{name} {_value(raw, i)} is not a number from {low:g} to {high:g}",
    )
    return np.where(given & ok, values, np.nan)


def read_long(
    records: Path, persons: Path, db: FoodDB, keys: Sequence[str], *, skip_bad: bool = False
) -> Staged:
    """The long-format records and the persons file, checked and ready for an engine.
    Every record's person must be in the persons file."""
    import pyarrow.compute as pc

    people, bad_people = read_persons(persons, skip_bad=skip_bad)
    foods, supplements, bad_records = read_records(records, db, keys, skip_bad=skip_bad)
    known = people["person_id"]
    for table in (foods, supplements):
        if table.num_rows and table["person_id"].type != known.type:
            raise ImportFileError(
                "person_id is a number in one file and text in the other: use the same ids "
                "in the records and the persons file."
            )
    missing = [
        table.filter(pc.invert(pc.is_in(table["person_id"], value_set=known)))
        for table in (foods, supplements)
    ]
    without = sum(m.num_rows for m in missing)
    if without and not skip_bad:
        first = next(m for m in missing if m.num_rows)
        raise ImportFileError(
            f"{records.name}: {without} row{'s' if without != 1 else ''} name a person not in "
            f"{persons.name} (line {first['line'][0].as_py() + 2}: person_id "
            f"{quoted(first['person_id'][0].as_py())}). Nothing was computed: add the persons, "
            "or give --skip-bad to leave those rows out."
        )
    if without:
        foods, supplements = (
            table.filter(pc.is_in(table["person_id"], value_set=known))
            for table in (foods, supplements)
        )
    bad = [b for b in (bad_people, bad_records) if b is not None]
    counts = {
        "rows_read": foods.num_rows + supplements.num_rows + without
        + (bad_records.count if bad_records else 0),
        "food_rows": foods.num_rows,
        "supplement_rows": supplements.num_rows,
        "bad_rows_skipped": bad_records.count if bad_records else 0,
        "bad_persons_skipped": bad_people.count if bad_people else 0,
        "rows_without_person_skipped": without,
    }  # fmt: skip
    return Staged(foods, supplements, people, counts, skipped=tuple(b.message() for b in bad))
