"""Rows of the diary tables: domain values to columns and back, and the bulk writes
that imports and restores share (one open connection, inside its transaction).

A bulk write takes an iterable and stores it in batches, so an import of any size
runs in bounded memory; rows whose uid the diary already holds are skipped, which
makes importing the same file twice store nothing the second time.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, TypeVar, cast

import sqlalchemy as sa

from vitk2.intake.diary import DiaryEntry, EntryKind, Meal, check_new_entry, new_uid
from vitk2.intake.supplements import SupplementProduct
from vitk2.safety.inr import InrReading
from vitk2.store._own import check_own_refs
from vitk2.store._schema import entry, inr_reading, profile, supplement, supplement_amount

__all__ = [
    "BATCH_ROWS",
    "ImportCounts",
    "entry_from_row",
    "entry_row",
    "insert_entries",
    "insert_readings",
    "load_supplements",
    "reading_from_row",
    "stored_birth_date",
    "write_supplement",
]

#: Rows written per statement by a bulk write.
BATCH_ROWS: Final = 1000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What a bulk write did: rows ``added``, and rows ``skipped`` because the diary
    already holds their uid (an earlier import of the same file)."""

    added: int = 0
    skipped: int = 0


def entry_row(item: DiaryEntry) -> dict[str, Any]:
    """The column values of an entry (without id, uid and created_at)."""
    return {
        "day": item.day,
        "time": item.time,
        "meal": item.meal,
        "text": item.text,
        "kind": item.kind,
        "ref": item.ref,
        "name": item.name,
        "quantity": float(item.quantity),
        "unit": item.unit,
        "grams": None if item.grams is None else float(item.grams),
        "amounts": {str(key): float(value) for key, value in item.amounts.items()},
    }


def entry_from_row(row: sa.Row[Any]) -> DiaryEntry:
    """A stored row as a `DiaryEntry`."""
    amounts: Mapping[str, Any] = row.amounts or {}
    return DiaryEntry(
        day=row.day,
        text=row.text,
        kind=cast(EntryKind, row.kind),
        ref=row.ref,
        name=row.name,
        quantity=row.quantity,
        unit=row.unit,
        grams=row.grams,
        amounts={key: float(value) for key, value in amounts.items()},
        time=row.time,
        meal=cast("Meal | None", row.meal),
        id=row.id,
        uid=row.uid,
    )


def reading_from_row(row: sa.Row[Any]) -> InrReading:
    return InrReading(day=row.day, value=row.value, note=row.note, id=row.id, uid=row.uid)


def stored_birth_date(connection: sa.Connection) -> date | None:
    """The profile's birth date, read inside the writing transaction."""
    return connection.execute(sa.select(profile.c.birth_date)).scalar()


def _batches(items: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, BATCH_ROWS)):
        yield batch


def _new_only(
    connection: sa.Connection, table: sa.Table, batch: Sequence[tuple[str, T]]
) -> tuple[list[tuple[str, T]], int]:
    """The batch's rows whose uid neither the table nor an earlier row of the batch has."""
    unique = dict(batch)
    known = set(connection.execute(sa.select(table.c.uid).where(table.c.uid.in_(unique))).scalars())
    fresh = [(uid, item) for uid, item in unique.items() if uid not in known]
    return fresh, len(batch) - len(fresh)


def insert_entries(
    connection: sa.Connection,
    entries: Iterable[DiaryEntry],
    *,
    birth_date: date | None,
    with_ids: bool = False,
) -> tuple[list[DiaryEntry], ImportCounts]:
    """Check (`check_new_entry`) and store entries; a given uid already stored is
    skipped. Returns the stored entries with their ids (only ``with_ids``, for
    `DiaryStore.add_entries`; an import needs no ids and runs faster without) and
    the counts."""
    added = skipped = 0
    stored: list[DiaryEntry] = []
    for batch in _batches(entries):
        keyed = [
            (item.uid or new_uid(), check_new_entry(item, birth_date=birth_date)) for item in batch
        ]
        check_own_refs(connection, (item.ref for _, item in keyed if item.kind == "food"))
        fresh, duplicates = _new_only(connection, entry, keyed)
        skipped += duplicates
        if not fresh:
            continue
        rows = [{**entry_row(item), "uid": uid} for uid, item in fresh]
        added += len(rows)
        if not with_ids:
            connection.execute(sa.insert(entry), rows)
            continue
        ids = _insert_returning_ids(connection, rows)
        stored += [
            dataclasses.replace(item, id=new, uid=uid)
            for (uid, item), new in zip(fresh, ids, strict=True)
        ]
    return stored, ImportCounts(added, skipped)


def _insert_returning_ids(connection: sa.Connection, rows: list[dict[str, Any]]) -> list[int]:
    if connection.dialect.insert_executemany_returning_sort_by_parameter_order:
        insert = sa.insert(entry).returning(entry.c.id, sort_by_parameter_order=True)
        return [int(new) for new in connection.execute(insert, rows).scalars()]
    return [  # pragma: no cover - dialects without ordered RETURNING
        int(connection.execute(sa.insert(entry).returning(entry.c.id), row).scalar_one())
        for row in rows
    ]


def insert_readings(
    connection: sa.Connection,
    readings: Iterable[InrReading],
    *,
    check: Callable[[InrReading], object],
) -> tuple[list[InrReading], ImportCounts]:
    """Store INR readings (``check(reading)`` raises for one that breaks a rule); a
    given uid already stored is skipped."""
    added = skipped = 0
    stored: list[InrReading] = []
    for batch in _batches(readings):
        keyed = [(item.uid or new_uid(), item) for item in batch]
        for _, item in keyed:
            check(item)
        fresh, duplicates = _new_only(connection, inr_reading, keyed)
        skipped += duplicates
        for uid, item in fresh:
            insert = (
                sa.insert(inr_reading)
                .values(day=item.day, value=float(item.value), note=item.note, uid=uid)
                .returning(inr_reading.c.id)
            )
            new = connection.execute(insert).scalar_one()
            stored.append(dataclasses.replace(item, id=int(new), uid=uid))
        added += len(fresh)
    return stored, ImportCounts(added, skipped)


def write_supplement(connection: sa.Connection, product: SupplementProduct) -> None:
    """Insert a user product, or replace the one with the same name (ignoring case)."""
    key = product.name.casefold()
    values = {"name": product.name, "name_key": key, "unit": product.unit, "note": product.note}
    found = connection.execute(
        sa.select(supplement.c.id).where(supplement.c.name_key == key)
    ).scalar()
    if found is None:
        insert = sa.insert(supplement).values(**values).returning(supplement.c.id)
        found = connection.execute(insert).scalar_one()
    else:
        connection.execute(sa.update(supplement).where(supplement.c.id == found).values(**values))
        connection.execute(
            sa.delete(supplement_amount).where(supplement_amount.c.supplement_id == found)
        )
    if product.amounts:
        connection.execute(
            sa.insert(supplement_amount),
            [
                {
                    "supplement_id": found,
                    "nutrient": nutrient,
                    "position": position,
                    "amount": float(amount),
                }
                for position, (nutrient, amount) in enumerate(product.amounts.items())
            ],
        )


def load_supplements(
    connection: sa.Connection, where: sa.ColumnElement[bool]
) -> list[SupplementProduct]:
    """The products matching ``where``, with their amounts in label order."""
    heads = connection.execute(sa.select(supplement).where(where)).all()
    if not heads:
        return []
    amounts: dict[int, dict[str, float]] = {row.id: {} for row in heads}
    rows = connection.execute(
        sa.select(supplement_amount)
        .where(supplement_amount.c.supplement_id.in_(list(amounts)))
        .order_by(supplement_amount.c.supplement_id, supplement_amount.c.position)
    )
    for row in rows:
        amounts[row.supplement_id][row.nutrient] = float(row.amount)
    return [
        SupplementProduct(name=row.name, unit=row.unit, amounts=amounts[row.id], note=row.note)
        for row in heads
    ]
