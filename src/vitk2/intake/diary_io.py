"""Diary export and import: CSV and JSON files that round-trip every field.

Export writes through `vitk2.files` (a temporary file and a rename for a regular
file), so a failed export never leaves a half-written file. A CSV text cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is written with a leading ``'``, which import removes again.

Import streams the file in bounded memory (`vitk2.files`): `read_entries` yields the
valid entries one by one and names every bad row at the end (`ImportFileError`), so
the caller stores them in one transaction that the error rolls back. Each entry
carries its ``uid``: importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Final, Literal

from vitk2.errors import ImportFileError, InvalidOptionError, Vitk2Error, quoted
from vitk2.files import JsonObjectStream, TextChunks, lines, write_text_atomic
from vitk2.foods.amounts import read_decimal
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.intake.dates import parse_day
from vitk2.intake.diary import (
    ENTRY_KINDS,
    MEALS,
    DiaryEntry,
    check_new_entry,
    check_time,
    normal_uid,
)

__all__ = [
    "COLUMNS",
    "FORMATS",
    "JSON_FORMAT",
    "JSON_VERSION",
    "ExportFormat",
    "Problems",
    "csv_cell",
    "csv_text",
    "entry_from_record",
    "entry_record",
    "read_entries",
    "write_entries",
]

ExportFormat = Literal["csv", "json"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "json")
JSON_FORMAT: Final = "vitk2-diary"
#: Version 2 adds each entry's ``uid``; version 1 files (without) still import.
JSON_VERSION: Final = 2
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
    "uid",
)
_OPTIONAL: Final = frozenset({"id", "uid"})
_MAX_PROBLEMS_SHOWN: Final = 8
_NOT_EXPORT: Final = (
    "Cannot import {source}: not a vitk2 diary export "
    f'(expected {{{{"format": "{JSON_FORMAT}", "entries": [...]}}}}).'
)
_RISKY: Final = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED: Final = re.compile(r"^'+[=+\-@\t\r]")


def entry_record(entry: DiaryEntry) -> dict[str, object]:
    """One entry as a JSON object (export files and `vitk2 diary show --json`)."""
    return {
        "id": entry.id,
        "uid": entry.uid,
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


def csv_cell(value: object) -> str:
    """A CSV cell: empty for None; text a spreadsheet would run as a formula gets a
    leading ``'`` (import removes it)."""
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if _RISKY.match(text) else text


def _csv_value(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and _NEUTRALISED.match(cell) else cell


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV text with neutralised cells (`csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def _csv_entries(entries: Sequence[DiaryEntry]) -> str:
    rows = []
    for entry in entries:
        record = entry_record(entry)
        record["amounts"] = json.dumps(record["amounts"], sort_keys=True) if entry.amounts else ""
        rows.append([record[c] for c in COLUMNS])
    return csv_text(COLUMNS, rows)


def _json_entries(entries: Sequence[DiaryEntry]) -> str:
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "entries": [entry_record(e) for e in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_entries(entries: Sequence[DiaryEntry], path: Path, fmt: ExportFormat) -> None:
    """Write entries to ``path`` (see `vitk2.files.write_bytes_atomic`)."""
    if fmt not in FORMATS:
        raise InvalidOptionError(f"Unknown export format {quoted(fmt)}: use csv or json.")
    write_text_atomic(path, _csv_entries(entries) if fmt == "csv" else _json_entries(entries))


# -- reading one entry ----------------------------------------------------------------------


def _number(value: object, field: str, *, optional: bool = False) -> float | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValueError(f"{field} is missing")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{field} {quoted(value)} is not a number")
    if isinstance(value, str):
        return read_decimal(value, what=field)
    return _float(value, field)


def _float(value: int | float, field: str) -> float:
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{field} is too large a number") from None


def _text(value: object, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, got {quoted(value)}")
    return value


def _amounts(value: object) -> dict[str, float]:
    if value in (None, ""):
        return {}
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except (json.JSONDecodeError, RecursionError):
        parsed = None
    if not isinstance(parsed, Mapping):
        raise ValueError("amounts is not a JSON object of nutrient key -> number")
    result = {}
    for key, amount in parsed.items():
        if key not in NUTRIENTS:
            raise ValueError(f"amounts has an unknown nutrient key {quoted(key)}")
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise ValueError(f"amount of {key} {quoted(amount)} is not a number")
        if not amount >= 0:
            raise ValueError(f"amount of {key} must be 0 or more")
        result[str(key)] = _float(amount, f"amount of {key}")
    return result


def entry_from_record(
    row: Mapping[str, object],
    food_exists: Callable[[str], bool],
    *,
    birth_date: date | None = None,
) -> DiaryEntry:
    """One entry of a file (an `entry_record`), checked as any new entry is: the date
    rule, the amount rule, a known food id. Raises ValueError or `Vitk2Error`."""
    day = parse_day(_text(row.get("date"), "date"), what="date")
    kind = _text(row.get("kind"), "kind")
    if kind not in ENTRY_KINDS:
        raise ValueError(f"kind {quoted(kind)} is not food or supplement")
    meal = _text(row.get("meal"), "meal") or None
    if meal is not None and meal not in MEALS:
        raise ValueError(f"meal {quoted(meal)} is not one of {', '.join(MEALS)}")
    time = _text(row.get("time"), "time") or None
    if time is not None:
        check_time(time)
    ref = _text(row.get("ref"), "ref")
    if not ref:
        raise ValueError("ref (food id or supplement name) is missing")
    grams = _number(row.get("grams"), "grams", optional=kind == "supplement")
    if kind == "food" and not food_exists(ref):
        raise ValueError(f"unknown food id {quoted(ref)}")
    quantity = _number(row.get("quantity"), "quantity")
    assert quantity is not None
    uid = _text(row.get("uid"), "uid")
    entry = DiaryEntry(
        day=day,
        text=_text(row.get("text"), "text"),
        kind=kind,
        ref=ref,
        name=_text(row.get("name"), "name") or ref,
        quantity=quantity,
        unit=_text(row.get("unit"), "unit"),
        grams=grams if kind == "food" else None,
        amounts=_amounts(row.get("amounts")),
        time=time,
        meal=meal,
        uid=normal_uid(uid) if uid else None,
    )
    return check_new_entry(entry, birth_date=birth_date)


# -- reading a file -------------------------------------------------------------------------


class Problems:
    """Bad rows of a file: how many, and the first few with their problem."""

    def __init__(self, source: str, *, verb: str = "imported") -> None:
        self.source = source
        self.verb = verb
        self.count = 0
        self.shown: list[str] = []

    def add(self, where: str, error: Exception) -> None:
        self.count += 1
        if len(self.shown) < _MAX_PROBLEMS_SHOWN:
            self.shown.append(f"{where}: {str(error).rstrip('.')}")

    def raise_if_any(self) -> None:
        if not self.count:
            return
        more = self.count - len(self.shown)
        tail = f"; and {more} more" if more > 0 else ""
        raise ImportFileError(
            f"Nothing {self.verb} from {self.source}: {self.count} bad row(s): "
            f"{'; '.join(self.shown)}{tail}."
        )


def _checked(
    records: Iterator[tuple[str, Mapping[str, object] | Exception]],
    food_exists: Callable[[str], bool],
    birth_date: date | None,
    source: str,
) -> Iterator[DiaryEntry]:
    problems = Problems(source)
    count = 0
    for where, record in records:
        count += 1
        try:
            if isinstance(record, Exception):
                raise record
            entry = entry_from_record(record, food_exists, birth_date=birth_date)
        except (ValueError, Vitk2Error, json.JSONDecodeError) as error:
            problems.add(where, error)
            continue
        if not problems.count:
            yield entry
    problems.raise_if_any()
    if not count:
        raise ImportFileError(f"Nothing imported from {source}: the file has no entries.")


def _csv_records(
    chunks: TextChunks, source: str
) -> Iterator[tuple[str, Mapping[str, object] | Exception]]:
    reader = csv.reader(lines(chunks))
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [c for c in COLUMNS if c not in _OPTIONAL and c not in header]
        if missing:
            raise ImportFileError(
                f"Cannot import {source}: the header lacks {', '.join(missing)} "
                f"(expected: {','.join(COLUMNS)})."
            )
        for row in reader:
            if not row:
                continue  # a blank line
            where = f"line {reader.line_num}"
            if len(row) != len(header):
                yield (
                    where,
                    ValueError(
                        f"{len(row)} fields where the header has {len(header)} (is the file cut "
                        "short, or a comma unquoted?)"
                    ),
                )
                continue
            yield where, {name: _csv_value(cell) for name, cell in zip(header, row, strict=True)}
    except csv.Error as error:
        limit = csv.field_size_limit()
        why = (
            f"a field is longer than {limit:,} characters"
            if "field limit" in str(error)
            else str(error)
        )
        raise ImportFileError(
            f"Cannot import {source}: line {reader.line_num}: {why}; nothing was imported."
        ) from None


def _json_records(
    chunks: TextChunks, source: str
) -> Iterator[tuple[str, Mapping[str, object] | Exception]]:
    if chunks.peek() != "{":
        raise ImportFileError(_NOT_EXPORT.format(source=source))
    stream = JsonObjectStream(chunks, arrays=frozenset({"entries"}))
    found: dict[str, object] = {}
    for key, value in stream.members():
        found[key] = value
        if key != "entries":
            continue
        if not isinstance(value, Iterator):
            raise ImportFileError(f"Cannot import {source}: 'entries' is not a list.")
        for number, element in enumerate(value, 1):
            record = element if isinstance(element, dict) else ValueError("not a JSON object")
            yield f"entry {number}", record
    if found.get("format") == "vitk2-backup":
        raise ImportFileError(
            f"Cannot import {source}: it is a full backup; restore it with `vitk2 restore`."
        )
    if found.get("format") != JSON_FORMAT or "entries" not in found:
        raise ImportFileError(_NOT_EXPORT.format(source=source))
    if found.get("version", 1) not in (1, JSON_VERSION):
        raise ImportFileError(
            f"Cannot import {source}: it is version {found.get('version')!r} of the export "
            f"format; this vitk2 reads versions 1 and {JSON_VERSION}. Upgrade vitk2."
        )


def read_entries(
    path: Path,
    food_exists: Callable[[str], bool],
    *,
    birth_date: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[DiaryEntry]:
    """The entries of a CSV or JSON diary export, checked and yielded one at a time
    (bounded memory). After the last one it raises `ImportFileError` naming every bad
    row (CSV: file line numbers; JSON: entry numbers), so a caller storing them in one
    transaction stores all of them or none. ``progress`` gets the bytes read so far."""
    source = quoted(str(path), 200)
    with TextChunks(path, progress=progress) as chunks:
        is_json = path.suffix.lower() == ".json" or chunks.peek() == "{"
        records = _json_records(chunks, source) if is_json else _csv_records(chunks, source)
        yield from _checked(records, food_exists, birth_date, source)
