"""Diary export and import: CSV and JSON files that round-trip every field.

Export writes to a temporary file next to the target and renames it, so a
failed export never leaves a half-written file. Import validates every row
first and reports the line numbers of all bad rows; it returns entries only
when the whole file is good.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Final, Literal

from vitk2.errors import ImportFileError, InvalidOptionError, Vitk2Error
from vitk2.files import write_text_atomic
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.intake.diary import ENTRY_KINDS, MEALS, DiaryEntry, check_time
from vitk2.intake.meals import MAX_ITEM_GRAMS

__all__ = [
    "COLUMNS",
    "FORMATS",
    "ExportFormat",
    "entry_record",
    "read_entries",
    "write_entries",
]

ExportFormat = Literal["csv", "json"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "json")
COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "date",
    "time",
    "meal",
    "kind",
    "ref",
    "name",
    "quantity",
    "unit",
    "grams",
    "amounts",
    "text",
)
_MAX_PROBLEMS_SHOWN: Final = 8


def entry_record(entry: DiaryEntry) -> dict[str, object]:
    """One entry as a JSON object (export files and `vitk2 diary show --json`)."""
    return {
        "id": entry.id,
        "date": entry.day.isoformat(),
        "time": entry.time,
        "meal": entry.meal,
        "kind": entry.kind,
        "ref": entry.ref,
        "name": entry.name,
        "quantity": entry.quantity,
        "unit": entry.unit,
        "grams": entry.grams,
        "amounts": dict(entry.amounts),
        "text": entry.text,
    }


def _csv_text(entries: Sequence[DiaryEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        row = entry_record(entry)
        row["amounts"] = json.dumps(row["amounts"], sort_keys=True) if entry.amounts else ""
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return buffer.getvalue()


def _json_text(entries: Sequence[DiaryEntry]) -> str:
    document = {
        "format": "vitk2-diary",
        "version": 1,
        "entries": [entry_record(e) for e in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_entries(entries: Sequence[DiaryEntry], path: Path, fmt: ExportFormat) -> None:
    """Write entries to ``path`` atomically (temporary file, then rename)."""
    if fmt not in FORMATS:
        raise InvalidOptionError(f"Unknown export format {fmt!r}: use csv or json.")
    write_text_atomic(path, _csv_text(entries) if fmt == "csv" else _json_text(entries))


def _number(value: object, field: str, *, optional: bool = False) -> float | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValueError(f"{field} is missing")
    if isinstance(value, bool):
        raise ValueError(f"{field} {value!r} is not a number")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{field} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{field} {value!r} is not a finite number")
    return number


def _amounts(value: object) -> dict[str, float]:
    if value in (None, ""):
        return {}
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, Mapping):
        raise ValueError("amounts must be a JSON object of nutrient key -> number")
    result = {}
    for key, amount in parsed.items():
        if key not in NUTRIENTS:
            raise ValueError(f"amounts has an unknown nutrient key {key!r}")
        number = _number(amount, f"amount of {key}")
        if number is None or number < 0:
            raise ValueError(f"amount of {key} must be 0 or more")
        result[str(key)] = number
    return result


def _entry(row: Mapping[str, object], food_exists: Callable[[str], bool]) -> DiaryEntry:
    text_date = str(row.get("date") or "")
    try:
        day = date.fromisoformat(text_date)
    except ValueError:
        raise ValueError(f"date {text_date!r} is not YYYY-MM-DD") from None
    kind = str(row.get("kind") or "")
    if kind not in ENTRY_KINDS:
        raise ValueError(f"kind {kind!r} is not food or supplement")
    meal = row.get("meal") or None
    if meal is not None and meal not in MEALS:
        raise ValueError(f"meal {meal!r} is not one of {', '.join(MEALS)}")
    time = row.get("time") or None
    if time is not None:
        check_time(str(time))
    ref = str(row.get("ref") or "")
    if not ref:
        raise ValueError("ref (food id or supplement name) is missing")
    grams = _number(row.get("grams"), "grams", optional=kind == "supplement")
    if kind == "food":
        if not food_exists(ref):
            raise ValueError(f"unknown food id {ref!r}")
        if grams is None or not 0 < grams <= MAX_ITEM_GRAMS:
            raise ValueError(f"grams {grams} must be above 0 and at most {MAX_ITEM_GRAMS:g}")
    quantity = _number(row.get("quantity"), "quantity")
    assert quantity is not None
    return DiaryEntry(
        day=day,
        text=str(row.get("text") or ""),
        kind=kind,
        ref=ref,
        name=str(row.get("name") or ref),
        quantity=quantity,
        unit=str(row.get("unit") or ""),
        grams=grams if kind == "food" else None,
        amounts=_amounts(row.get("amounts")),
        time=None if time is None else str(time),
        meal=meal,
    )


def _rows(path: Path) -> list[tuple[int, Mapping[str, object]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFileError(f"Cannot import {path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"Cannot import {path}: {error}.") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"Cannot import {path}: not valid JSON (line {error.lineno}: {error.msg})."
            ) from None
        entries = document.get("entries") if isinstance(document, dict) else None
        if (
            not isinstance(document, dict)
            or document.get("format") != "vitk2-diary"
            or not isinstance(entries, list)
        ):
            raise ImportFileError(
                f"Cannot import {path}: not a vitk2 diary export "
                '(expected {"format": "vitk2-diary", "entries": [...]}).'
            )
        return [(n, e if isinstance(e, dict) else {}) for n, e in enumerate(entries, 1)]
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c != "id" and c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFileError(
            f"Cannot import {path}: the header lacks {', '.join(missing)} "
            f"(expected: {','.join(COLUMNS)})."
        )
    return [(reader.line_num, dict(row)) for row in reader]


def read_entries(path: Path, food_exists: Callable[[str], bool]) -> list[DiaryEntry]:
    """Read and validate a CSV or JSON diary export. Raises `ImportFileError` naming
    every bad row (CSV: file line numbers; JSON: entry numbers)."""
    rows = _rows(path)
    label = "entry" if path.suffix.lower() == ".json" else "line"
    entries: list[DiaryEntry] = []
    problems: list[str] = []
    for number, row in rows:
        try:
            entries.append(_entry(row, food_exists))
        except (ValueError, Vitk2Error, json.JSONDecodeError) as error:
            problems.append(f"{label} {number}: {str(error).rstrip('.')}")
    if problems:
        shown = "; ".join(problems[:_MAX_PROBLEMS_SHOWN])
        more = len(problems) - _MAX_PROBLEMS_SHOWN
        tail = f"; and {more} more" if more > 0 else ""
        raise ImportFileError(
            f"Nothing imported from {path}: {len(problems)} bad row(s): {shown}{tail}."
        )
    if not entries:
        raise ImportFileError(f"Nothing imported from {path}: the file has no entries.")
    return entries
