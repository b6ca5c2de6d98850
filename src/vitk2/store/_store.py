"""`DiaryStore`: diary entries, INR readings, the profile and user supplements in one database."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self, cast

import sqlalchemy as sa
from alembic.util import CommandError

from vitk2.errors import (
    InvalidOptionError,
    StoreError,
    UnknownEntryError,
    UnknownInrReadingError,
    UnknownSupplementError,
)
from vitk2.intake.diary import DiaryEntry, EntryKind, Meal
from vitk2.intake.profile import Kidney, Profile, Sex
from vitk2.intake.supplements import SupplementProduct
from vitk2.safety.inr import InrReading
from vitk2.store._migrate import current_revision, head_revision, known_revisions, migrate
from vitk2.store._schema import (
    entry,
    inr_reading,
    medication,
    metadata,
    profile,
    supplement,
    supplement_amount,
)
from vitk2.store._url import create_store_engine, default_url, mask_url, one_line

__all__ = ["DiaryStore"]

_HINT: Final = "Check --db / VITK2_DB."
_BACKGROUND: Final = re.compile(r"\(Background on this error at: \S+\)")
_PROFILE_ID: Final = 1


def _reason(error: BaseException) -> str:
    """The driver's first line about a database error, ending in punctuation."""
    orig = getattr(error, "orig", None)
    text = _BACKGROUND.sub("", str(orig if orig is not None else error))
    lines = [line for line in text.splitlines() if line.strip()]
    first = one_line(lines[0]) if lines else type(error).__name__
    return first if first.endswith((".", "?", "!")) else f"{first}."


def _entry_row(item: DiaryEntry) -> dict[str, Any]:
    """The column values of an entry (without id and created_at)."""
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


def _entry(row: sa.Row[Any]) -> DiaryEntry:
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
    )


class DiaryStore:
    """The diary database: SQLite by default, any SQLAlchemy URL (PostgreSQL tested).

    Opening it connects and brings the schema up to date (Alembic ``upgrade head``).
    Every method runs in one transaction: a write stores all of its rows or none.
    Database failures raise `StoreError` with one line naming the (masked) URL.

    >>> import tempfile
    >>> from datetime import date
    >>> from vitk2.intake.diary import DiaryEntry
    >>> natto = DiaryEntry(day=date(2024, 5, 1), text="50 g natto", kind="food",
    ...                    ref="usda:16113", name="Natto", quantity=50, unit="g", grams=50.0)
    >>> with tempfile.TemporaryDirectory() as tmp, DiaryStore(f"{tmp}/diary.sqlite") as store:
    ...     [stored] = store.add_entries([natto])
    ...     (stored.id, store.entry(stored.id).name, store.date_range())
    (1, 'Natto', (datetime.date(2024, 5, 1), datetime.date(2024, 5, 1)))
    """

    url: str

    def __init__(self, url: str | None = None) -> None:
        raw = default_url() if url is None else url
        if "://" not in raw:
            raw = f"sqlite:///{raw}"
        self.url = mask_url(raw)
        self._closed = False
        self._engine = create_store_engine(raw)
        try:
            with self._engine.begin() as connection:
                self._check_database(connection)
                migrate(connection)
        except StoreError:
            self._engine.dispose()
            raise
        except (sa.exc.SQLAlchemyError, CommandError, OSError) as error:
            self._engine.dispose()
            raise StoreError(
                f"Cannot open the diary database {self.url}: {_reason(error)} {_HINT}"
            ) from error

    def _check_database(self, connection: sa.Connection) -> None:
        """Refuse databases of a newer vitk2 and databases that hold something else."""
        revision = current_revision(connection)
        if revision is not None and revision not in known_revisions():
            raise StoreError(
                f"The diary database {self.url} has schema revision {revision!r}, "
                f"newer than this vitk2 knows ({head_revision()!r}). "
                "Upgrade vitk2 with `pip install -U vitk2`."
            )
        if revision is None:
            foreign = sorted(set(sa.inspect(connection).get_table_names()) - set(metadata.tables))
            if foreign:
                raise StoreError(
                    f"The database {self.url} is not a vitk2 diary: it holds other tables "
                    f"({', '.join(foreign[:5])}). Give an empty or vitk2 database. {_HINT}"
                )

    # -- life cycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards."""
        self._closed = True
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DiaryStore({self.url!r})"

    @contextmanager
    def _transaction(self, action: str) -> Iterator[sa.Connection]:
        """One transaction; database errors become a one-line `StoreError`."""
        if self._closed:
            raise StoreError(f"Cannot {action}: the diary store {self.url} is closed.")
        try:
            with self._engine.begin() as connection:
                yield connection
        except sa.exc.SQLAlchemyError as error:
            unreachable = isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)
            hint = f" {_HINT}" if unreachable else ""
            raise StoreError(f"Cannot {action} ({self.url}): {_reason(error)}{hint}") from error

    # -- diary entries -----------------------------------------------------------------------

    def add_entries(self, entries: Sequence[DiaryEntry]) -> list[DiaryEntry]:
        """Store entries in one transaction; return them with their new ids."""
        if not entries:
            return []
        rows = [_entry_row(item) for item in entries]
        with self._transaction("add diary entries") as connection:
            if connection.dialect.insert_executemany_returning_sort_by_parameter_order:
                insert = sa.insert(entry).returning(entry.c.id, sort_by_parameter_order=True)
                ids = list(connection.execute(insert, rows).scalars())
            else:  # pragma: no cover - dialects without ordered RETURNING
                ids = []
                for row in rows:
                    key = connection.execute(sa.insert(entry), row).inserted_primary_key
                    ids.append(None if key is None else key[0])
        return [
            dataclasses.replace(item, id=int(new)) for item, new in zip(entries, ids, strict=True)
        ]

    def entries(self, *, start: date | None = None, end: date | None = None) -> list[DiaryEntry]:
        """Entries from ``start`` to ``end`` (inclusive), by day, time (untimed last), id."""
        query = sa.select(entry).order_by(entry.c.day, entry.c.time.asc().nulls_last(), entry.c.id)
        if start is not None:
            query = query.where(entry.c.day >= start)
        if end is not None:
            query = query.where(entry.c.day <= end)
        with self._transaction("read the diary") as connection:
            return [_entry(row) for row in connection.execute(query)]

    def entry(self, entry_id: int) -> DiaryEntry:
        """One entry by id; `UnknownEntryError` if there is none."""
        with self._transaction("read the diary") as connection:
            row = connection.execute(sa.select(entry).where(entry.c.id == entry_id)).first()
        if row is None:
            raise UnknownEntryError(entry_id)
        return _entry(row)

    def replace_entry(self, entry_id: int, new: DiaryEntry) -> DiaryEntry:
        """Overwrite an entry, keeping its id; `UnknownEntryError` if there is none."""
        update = sa.update(entry).where(entry.c.id == entry_id).values(**_entry_row(new))
        with self._transaction("edit the diary") as connection:
            if connection.execute(update).rowcount == 0:
                raise UnknownEntryError(entry_id)
        return dataclasses.replace(new, id=entry_id)

    def delete_entry(self, entry_id: int) -> None:
        """Delete an entry; `UnknownEntryError` if there is none."""
        with self._transaction("edit the diary") as connection:
            if connection.execute(sa.delete(entry).where(entry.c.id == entry_id)).rowcount == 0:
                raise UnknownEntryError(entry_id)

    def date_range(self) -> tuple[date, date] | None:
        """The first and last day with entries, or None for an empty diary."""
        query = sa.select(sa.func.min(entry.c.day), sa.func.max(entry.c.day))
        with self._transaction("read the diary") as connection:
            first, last = connection.execute(query).one()
        return None if first is None else (first, last)

    # -- INR readings ------------------------------------------------------------------------

    def add_inr(self, reading: InrReading) -> InrReading:
        """Store an INR reading; return it with its new id."""
        insert = (
            sa.insert(inr_reading)
            .values(day=reading.day, value=float(reading.value), note=reading.note)
            .returning(inr_reading.c.id)
        )
        with self._transaction("add the INR reading") as connection:
            new_id = connection.execute(insert).scalar_one()
        return dataclasses.replace(reading, id=int(new_id))

    def inr_readings(
        self, *, start: date | None = None, end: date | None = None
    ) -> list[InrReading]:
        """INR readings from ``start`` to ``end`` (inclusive), by day, then id."""
        query = sa.select(inr_reading).order_by(inr_reading.c.day, inr_reading.c.id)
        if start is not None:
            query = query.where(inr_reading.c.day >= start)
        if end is not None:
            query = query.where(inr_reading.c.day <= end)
        with self._transaction("read the INR log") as connection:
            return [
                InrReading(day=row.day, value=row.value, note=row.note, id=row.id)
                for row in connection.execute(query)
            ]

    def delete_inr(self, reading_id: int) -> None:
        """Delete an INR reading; `UnknownInrReadingError` if there is none."""
        delete = sa.delete(inr_reading).where(inr_reading.c.id == reading_id)
        with self._transaction("edit the INR log") as connection:
            if connection.execute(delete).rowcount == 0:
                raise UnknownInrReadingError(reading_id)

    # -- profile -----------------------------------------------------------------------------

    def profile(self) -> Profile | None:
        """The stored profile, or None if none was set."""
        with self._transaction("read the profile") as connection:
            row = connection.execute(sa.select(profile)).first()
            if row is None:
                return None
            names = connection.execute(
                sa.select(medication.c.name).order_by(medication.c.position)
            ).scalars()
            medications = tuple(names)
        return Profile(
            sex=cast("Sex | None", row.sex),
            birth_date=row.birth_date,
            weight_kg=row.weight_kg,
            pregnant=bool(row.pregnant),
            lactating=bool(row.lactating),
            medications=medications,
            kidney=cast("Kidney | None", row.kidney),
        )

    def set_profile(self, new: Profile) -> None:
        """Replace the profile (and its medications)."""
        values = {
            "id": _PROFILE_ID,
            "sex": new.sex,
            "birth_date": new.birth_date,
            "weight_kg": None if new.weight_kg is None else float(new.weight_kg),
            "pregnant": new.pregnant,
            "lactating": new.lactating,
            "kidney": new.kidney,
        }
        with self._transaction("save the profile") as connection:
            connection.execute(sa.delete(medication))
            connection.execute(sa.delete(profile))
            connection.execute(sa.insert(profile), values)
            if new.medications:
                connection.execute(
                    sa.insert(medication),
                    [
                        {"profile_id": _PROFILE_ID, "position": position, "name": name}
                        for position, name in enumerate(new.medications)
                    ],
                )

    # -- user-defined supplement products ----------------------------------------------------

    def supplements(self) -> list[SupplementProduct]:
        """Every user-defined product, ordered by name (ignoring case)."""
        with self._transaction("read supplements") as connection:
            products = self._load_supplements(connection, sa.true())
        return sorted(products, key=lambda product: (product.name.casefold(), product.name))

    def supplement(self, name: str) -> SupplementProduct | None:
        """The user-defined product of that name (any case), or None."""
        with self._transaction("read supplements") as connection:
            found = self._load_supplements(connection, supplement.c.name_key == name.casefold())
        return found[0] if found else None

    def save_supplement(self, product: SupplementProduct) -> None:
        """Insert a product, or replace the one with the same name (ignoring case)."""
        if product.builtin:
            raise InvalidOptionError(
                f"{product.name!r} is a built-in product; only user-defined ones are stored."
            )
        if not product.name.strip():
            raise InvalidOptionError("a supplement product needs a name.")
        key = product.name.casefold()
        values = {"name": product.name, "name_key": key, "unit": product.unit, "note": product.note}
        with self._transaction("save the supplement") as connection:
            found = connection.execute(
                sa.select(supplement.c.id).where(supplement.c.name_key == key)
            ).scalar()
            if found is None:
                insert = sa.insert(supplement).values(**values).returning(supplement.c.id)
                found = connection.execute(insert).scalar_one()
            else:
                connection.execute(
                    sa.update(supplement).where(supplement.c.id == found).values(**values)
                )
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

    def delete_supplement(self, name: str) -> None:
        """Delete a user-defined product; `UnknownSupplementError` if there is none."""
        key = name.casefold()
        ids = sa.select(supplement.c.id).where(supplement.c.name_key == key).scalar_subquery()
        with self._transaction("delete the supplement") as connection:
            connection.execute(
                sa.delete(supplement_amount).where(supplement_amount.c.supplement_id == ids)
            )
            deleted = connection.execute(sa.delete(supplement).where(supplement.c.name_key == key))
            if deleted.rowcount == 0:
                raise UnknownSupplementError(
                    f"No supplement named {name!r}. Only products you defined yourself can be "
                    "removed; `vitk2 supplement list` shows them."
                )

    @staticmethod
    def _load_supplements(
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

    # -- change detection --------------------------------------------------------------------

    def state_token(self) -> tuple[object, ...] | None:
        """A value that changes whenever any connection, in this process or another,
        commits a write to this database, read without scanning a table; None where
        there is no cheap way to tell (a cache must then not be trusted).

        SQLite (rollback journal, vitk2's mode): the file change counter in the
        database header, which SQLite increments on every committed write.
        PostgreSQL: the server's current WAL insert position, which every write moves
        (writes to other databases of the server move it too: that only costs a
        cache miss)."""
        url = self._engine.url
        backend = url.get_backend_name()
        if backend == "sqlite":
            path = url.database
            if not path or path == ":memory:" or Path(f"{path}-wal").exists():
                return None  # in-memory or WAL mode: the header counter does not move
            try:
                with open(path, "rb") as handle:
                    header = handle.read(28)
            except OSError:
                return None
            return ("sqlite", header[24:28]) if len(header) == 28 else None
        if backend == "postgresql":
            with self._transaction("read the diary state") as connection:
                position = connection.execute(sa.text("SELECT pg_current_wal_insert_lsn()"))
                return ("postgresql", str(position.scalar()))
        return None
