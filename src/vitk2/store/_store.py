"""`DiaryStore`: diary entries, INR readings, the profile and user supplements in one database."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Final, Literal, Self, cast

import sqlalchemy as sa
from alembic.util import CommandError

from vitk2.errors import (
    InvalidOptionError,
    StoreError,
    UnknownEntryError,
    UnknownInrReadingError,
    UnknownOwnFoodError,
    UnknownSupplementError,
    quoted,
)
from vitk2.intake.dates import check_birth_date, check_day
from vitk2.intake.diary import DiaryEntry, check_new_entry
from vitk2.intake.own_foods import OwnFood, OwnKind, name_key
from vitk2.intake.profile import Kidney, Profile, Sex
from vitk2.intake.supplements import SupplementProduct
from vitk2.safety.inr import InrReading
from vitk2.store._migrate import current_revision, head_revision, known_revisions, migrate
from vitk2.store._own import (
    OwnFoodCounts,
    OwnFoodUses,
    SavedOwnFood,
    check_own_refs,
    delete_own_food,
    find_own_food,
    load_own_foods,
    own_food_uses,
    restore_own_foods,
    save_own_food,
)
from vitk2.store._rows import (
    ImportCounts,
    entry_from_row,
    entry_row,
    insert_entries,
    insert_readings,
    load_supplements,
    reading_from_row,
    stored_birth_date,
    write_supplement,
)
from vitk2.store._schema import (
    entry,
    inr_reading,
    medication,
    metadata,
    own_food,
    profile,
    supplement,
    supplement_amount,
)
from vitk2.store._url import WRITE, create_store_engine, default_url, mask_url, one_line

__all__ = ["DiaryStore", "RestoreCounts"]

_HINT: Final = "Check --db / VITK2_DB."
_BACKGROUND: Final = re.compile(r"\(Background on this error at: \S+\)")
_PROFILE_ID: Final = 1
#: Ids are 64-bit: a larger number (or one below 1) names no row.
_ID_MAX: Final = 2**63 - 1
#: The PostgreSQL advisory lock that lets one process at a time migrate a new diary.
_MIGRATION_LOCK: Final = 0x766974_6B32  # "vitk2"


@dataclass(frozen=True, slots=True)
class RestoreCounts:
    """What a restore did: the profile (``none`` in the backup, ``set`` on a diary
    without one, ``unchanged``, or ``replaced``), user products added, unchanged and
    replaced, and INR readings and entries added or skipped (already there)."""

    profile: Literal["none", "set", "unchanged", "replaced"]
    products_added: int
    products_unchanged: int
    products_replaced: int
    readings: ImportCounts
    entries: ImportCounts
    own_foods: OwnFoodCounts = dataclasses.field(default_factory=OwnFoodCounts)


def _reason(error: BaseException) -> str:
    """The driver's first line about a database error, ending in punctuation."""
    orig = getattr(error, "orig", None)
    text = _BACKGROUND.sub("", str(orig if orig is not None else error))
    lines = [line for line in text.splitlines() if line.strip()]
    first = one_line(lines[0]) if lines else type(error).__name__
    return first if first.endswith((".", "?", "!")) else f"{first}."


def _known_id(row_id: int) -> bool:
    return isinstance(row_id, int) and 1 <= row_id <= _ID_MAX


class DiaryStore:
    """The diary database: SQLite by default, any SQLAlchemy URL (PostgreSQL tested).

    Opening it connects and brings the schema up to date (Alembic ``upgrade head``;
    one process at a time, so several opening a new diary together are safe).
    Every method runs in one transaction: a write stores all of its rows or none.
    Every write checks the date rule (`vitk2.intake.dates`) and the amount rule
    (`vitk2.foods.amounts`). Database failures raise `StoreError` with one line
    naming the (masked) URL.

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
        self.url = mask_url(raw if "://" in raw or not raw.strip() else f"sqlite:///{raw}")
        self._closed = False
        self._watch: sqlite3.Connection | None = None  # see `state_token`
        self._watch_lock = threading.Lock()
        self._engine = create_store_engine(raw)
        try:
            self._open()
        except StoreError:
            self._engine.dispose()
            raise
        except (sa.exc.SQLAlchemyError, CommandError, OSError) as error:
            self._engine.dispose()
            raise StoreError(
                f"Cannot open the diary database {self.url}: {_reason(error)} {_HINT}"
            ) from error

    def _open(self) -> None:
        """Check the schema; migrate it (holding the write lock) only when it is behind."""
        with self._engine.begin() as connection:
            if self._check_database(connection) == head_revision():
                return
        with self._engine.connect() as connection:
            connection.execution_options(**WRITE)
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
                self._check_database(connection)  # another process may have migrated it
                migrate(connection)

    def _check_database(self, connection: sa.Connection) -> str | None:
        """Refuse databases of a newer vitk2 and databases that hold something else;
        return the schema revision."""
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
        return revision

    # -- life cycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards."""
        self._closed = True
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
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
    def _transaction(self, action: str, *, write: bool = False) -> Iterator[sa.Connection]:
        """One transaction; database errors become a one-line `StoreError`. A write
        transaction takes the write lock as it begins (SQLite: ``BEGIN IMMEDIATE``) and
        waits for another writer up to the busy timeout."""
        if self._closed:
            raise StoreError(f"Cannot {action}: the diary store {self.url} is closed.")
        try:
            with self._engine.connect() as connection:
                if write:
                    connection.execution_options(**WRITE)
                with connection.begin():
                    yield connection
        except sa.exc.SQLAlchemyError as error:
            unreachable = isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)
            hint = f" {_HINT}" if unreachable else ""
            raise StoreError(f"Cannot {action} ({self.url}): {_reason(error)}{hint}") from error

    # -- diary entries -----------------------------------------------------------------------

    def add_entries(self, entries: Sequence[DiaryEntry]) -> list[DiaryEntry]:
        """Store entries in one transaction; return them with their new ids and uids."""
        if not entries:
            return []
        with self._transaction("add diary entries", write=True) as connection:
            stored, _ = insert_entries(
                connection, entries, birth_date=stored_birth_date(connection), with_ids=True
            )
        return stored

    def import_entries(self, entries: Iterable[DiaryEntry]) -> ImportCounts:
        """Store entries of any number in one transaction, in batches (bounded memory);
        an entry whose uid the diary already holds is skipped. If iterating ``entries``
        raises, nothing is stored."""
        with self._transaction("import diary entries", write=True) as connection:
            _, counts = insert_entries(
                connection, entries, birth_date=stored_birth_date(connection)
            )
        return counts

    def entries(self, *, start: date | None = None, end: date | None = None) -> list[DiaryEntry]:
        """Entries from ``start`` to ``end`` (inclusive), by day, time (untimed last), id."""
        query = sa.select(entry).order_by(entry.c.day, entry.c.time.asc().nulls_last(), entry.c.id)
        if start is not None:
            query = query.where(entry.c.day >= start)
        if end is not None:
            query = query.where(entry.c.day <= end)
        with self._transaction("read the diary") as connection:
            return [entry_from_row(row) for row in connection.execute(query)]

    def entry(self, entry_id: int) -> DiaryEntry:
        """One entry by id; `UnknownEntryError` if there is none."""
        if not _known_id(entry_id):
            raise UnknownEntryError(entry_id)
        with self._transaction("read the diary") as connection:
            row = connection.execute(sa.select(entry).where(entry.c.id == entry_id)).first()
        if row is None:
            raise UnknownEntryError(entry_id)
        return entry_from_row(row)

    def replace_entry(self, entry_id: int, new: DiaryEntry) -> DiaryEntry:
        """Overwrite an entry, keeping its id and uid; `UnknownEntryError` if there is none."""
        if not _known_id(entry_id):
            raise UnknownEntryError(entry_id)
        with self._transaction("edit the diary", write=True) as connection:
            check_new_entry(new, birth_date=stored_birth_date(connection))
            if new.kind == "food":
                check_own_refs(connection, [new.ref])
            update = (
                sa.update(entry)
                .where(entry.c.id == entry_id)
                .values(**entry_row(new))
                .returning(entry.c.uid)
            )
            uid = connection.execute(update).scalar()
            if uid is None:
                raise UnknownEntryError(entry_id)
        return dataclasses.replace(new, id=entry_id, uid=uid)

    def delete_entry(self, entry_id: int) -> None:
        """Delete an entry; `UnknownEntryError` if there is none."""
        if not _known_id(entry_id):
            raise UnknownEntryError(entry_id)
        with self._transaction("edit the diary", write=True) as connection:
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
        """Store an INR reading; return it with its new id and uid."""
        with self._transaction("add the INR reading", write=True) as connection:
            (stored,), _ = insert_readings(
                connection, [reading], check=self._reading_check(connection)
            )
        return stored

    @staticmethod
    def _reading_check(connection: sa.Connection) -> _ReadingCheck:
        return _ReadingCheck(stored_birth_date(connection))

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
            return [reading_from_row(row) for row in connection.execute(query)]

    def delete_inr(self, reading_id: int) -> None:
        """Delete an INR reading; `UnknownInrReadingError` if there is none."""
        if not _known_id(reading_id):
            raise UnknownInrReadingError(reading_id)
        delete = sa.delete(inr_reading).where(inr_reading.c.id == reading_id)
        with self._transaction("edit the INR log", write=True) as connection:
            if connection.execute(delete).rowcount == 0:
                raise UnknownInrReadingError(reading_id)

    # -- profile -----------------------------------------------------------------------------

    def profile(self) -> Profile | None:
        """The stored profile, or None if none was set."""
        with self._transaction("read the profile") as connection:
            return self._read_profile(connection)

    @staticmethod
    def _read_profile(connection: sa.Connection) -> Profile | None:
        row = connection.execute(sa.select(profile)).first()
        if row is None:
            return None
        names = connection.execute(
            sa.select(medication.c.name).order_by(medication.c.position)
        ).scalars()
        return Profile(
            sex=cast("Sex | None", row.sex),
            birth_date=row.birth_date,
            weight_kg=row.weight_kg,
            pregnant=bool(row.pregnant),
            lactating=bool(row.lactating),
            medications=tuple(names),
            kidney=cast("Kidney | None", row.kidney),
        )

    def set_profile(self, new: Profile) -> None:
        """Replace the profile (and its medications). A new birth date must follow the
        date rule and come before every diary entry and INR reading."""
        with self._transaction("save the profile", write=True) as connection:
            self._write_profile(connection, new)

    @staticmethod
    def _write_profile(connection: sa.Connection, new: Profile) -> None:
        old = connection.execute(sa.select(profile.c.birth_date)).scalar()
        if new.birth_date is not None and new.birth_date != old:
            check_birth_date(new.birth_date)
            for table, what in ((entry, "diary entry"), (inr_reading, "INR reading")):
                first = connection.execute(sa.select(sa.func.min(table.c.day))).scalar()
                if first is not None and first < new.birth_date:
                    raise InvalidOptionError(
                        f"birth date {new.birth_date.isoformat()} is after the first "
                        f"{what} ({first.isoformat()}): check the birth date, or delete the "
                        "earlier rows."
                    )
        values = {
            "id": _PROFILE_ID,
            "sex": new.sex,
            "birth_date": new.birth_date,
            "weight_kg": None if new.weight_kg is None else float(new.weight_kg),
            "pregnant": new.pregnant,
            "lactating": new.lactating,
            "kidney": new.kidney,
        }
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
            products = load_supplements(connection, sa.true())
        return sorted(products, key=lambda product: (product.name.casefold(), product.name))

    def supplement(self, name: str) -> SupplementProduct | None:
        """The user-defined product of that name (any case), or None."""
        with self._transaction("read supplements") as connection:
            found = load_supplements(connection, supplement.c.name_key == name.casefold())
        return found[0] if found else None

    def save_supplement(self, product: SupplementProduct) -> None:
        """Insert a product, or replace the one with the same name (ignoring case)."""
        if product.builtin:
            raise InvalidOptionError(
                f"{product.name!r} is a built-in product; only user-defined ones are stored."
            )
        if not product.name.strip():
            raise InvalidOptionError("a supplement product needs a name.")
        with self._transaction("save the supplement", write=True) as connection:
            if find_own_food(connection, product.name) is not None:
                raise InvalidOptionError(
                    f"You have a food or recipe named {quoted(product.name)}: meal text could "
                    "not tell the two apart. Choose another name."
                )
            write_supplement(connection, product)

    def delete_supplement(self, name: str) -> None:
        """Delete a user-defined product; `UnknownSupplementError` if there is none."""
        key = name.casefold()
        ids = sa.select(supplement.c.id).where(supplement.c.name_key == key).scalar_subquery()
        with self._transaction("delete the supplement", write=True) as connection:
            connection.execute(
                sa.delete(supplement_amount).where(supplement_amount.c.supplement_id == ids)
            )
            deleted = connection.execute(sa.delete(supplement).where(supplement.c.name_key == key))
            if deleted.rowcount == 0:
                raise UnknownSupplementError(
                    f"No supplement named {quoted(name)}. Only products you defined yourself "
                    "can be removed; `vitk2 supplement list` shows them."
                )

    # -- your own foods and recipes ----------------------------------------------------------

    def own_foods(self, *, retired: bool = False) -> list[OwnFood]:
        """Your own foods and recipes by name (ignoring case), then version; the
        retired ones too (kept for the entries that use them) with ``retired``."""
        where = sa.true() if retired else own_food.c.live_key.is_not(None)
        with self._transaction("read your foods") as connection:
            foods = load_own_foods(connection, where)
        return sorted(foods, key=lambda f: (name_key(f.name), f.version, f.ref))

    def own_food(self, text: str) -> OwnFood:
        """A live own food by name (any case), or any own food by its ``my:`` id;
        `UnknownOwnFoodError` if there is none."""
        with self._transaction("read your foods") as connection:
            found = find_own_food(connection, text)
        if found is None:
            raise UnknownOwnFoodError(
                f"None of your foods or recipes is named or has the id {quoted(text)}. "
                "`vitk2 recipe list` and `vitk2 food list` show them."
            )
        return found

    def own_food_uses(self, ref: str) -> OwnFoodUses:
        """The diary entries and recipes that refer to an own food."""
        with self._transaction("read your foods") as connection:
            return own_food_uses(connection, ref)

    def save_own_food(self, food: OwnFood, *, replace: bool = False) -> SavedOwnFood:
        """Store a new own food, in one transaction. A live one of the same name is
        replaced only with ``replace``: retired when entries or recipes use it (the new
        one is its next version), else removed. Returns the food as stored and the one
        it replaced."""
        with self._transaction("save your food", write=True) as connection:
            return save_own_food(connection, food, replace=replace)

    def delete_own_food(self, text: str, *, kind: OwnKind) -> tuple[OwnFood, OwnFoodUses]:
        """Delete an own food by name or id: retired (kept for them) when entries or
        recipes use it, else removed. Returns it and what uses it."""
        with self._transaction("delete your food", write=True) as connection:
            return delete_own_food(connection, text, kind=kind)

    # -- restore -----------------------------------------------------------------------------

    def restore(
        self,
        *,
        profile: Profile | None,
        products: Sequence[SupplementProduct],
        readings: Iterable[InrReading],
        entries: Iterable[DiaryEntry],
        replace_profile: bool = False,
        replace_products: bool = False,
        own_foods: Sequence[OwnFood] = (),
    ) -> RestoreCounts:
        """Put a backup's contents into the diary, in one transaction: the profile (a
        different stored one only with ``replace_profile``), the products (a different
        one of the same name only with ``replace_products``), your own foods and
        recipes (before the entries that use them), then the INR readings and entries
        whose uid the diary does not hold yet. Restoring twice adds nothing."""
        with self._transaction("restore the backup", write=True) as connection:
            done = self._restore_profile(connection, profile, replace=replace_profile)
            added, unchanged, replaced = self._restore_products(
                connection, products, replace=replace_products
            )
            own = restore_own_foods(connection, own_foods)
            _, reading_counts = insert_readings(
                connection, readings, check=self._reading_check(connection)
            )
            _, entry_counts = insert_entries(
                connection, entries, birth_date=stored_birth_date(connection)
            )
        return RestoreCounts(
            done, added, unchanged, replaced, reading_counts, entry_counts, own_foods=own
        )

    def _restore_profile(
        self, connection: sa.Connection, new: Profile | None, *, replace: bool
    ) -> Literal["none", "set", "unchanged", "replaced"]:
        if new is None:
            return "none"
        current = self._read_profile(connection)
        if current == new:
            return "unchanged"
        if current is not None and not replace:
            differ = [
                field.name.replace("_", " ")
                for field in dataclasses.fields(Profile)
                if getattr(current, field.name) != getattr(new, field.name)
            ]
            raise InvalidOptionError(
                f"The diary has a profile that differs from the backup's ({', '.join(differ)}): "
                "nothing was restored. Add --replace-profile to take the backup's profile, "
                "or restore into an empty diary."
            )
        self._write_profile(connection, new)
        return "set" if current is None else "replaced"

    @staticmethod
    def _restore_products(
        connection: sa.Connection, products: Sequence[SupplementProduct], *, replace: bool
    ) -> tuple[int, int, int]:
        added = unchanged = replaced = 0
        conflicts: list[str] = []
        for product in products:
            found = load_supplements(connection, supplement.c.name_key == product.name.casefold())
            if found and found[0] == product:
                unchanged += 1
                continue
            if found and not replace:
                conflicts.append(product.name)
                continue
            write_supplement(connection, product)
            added, replaced = (added, replaced + 1) if found else (added + 1, replaced)
        if conflicts:
            raise InvalidOptionError(
                f"The diary has products named like the backup's but different "
                f"({', '.join(repr(name) for name in conflicts[:5])}): nothing was restored. "
                "Add --replace-products to take the backup's, or rename yours first."
            )
        return added, unchanged, replaced

    # -- change detection --------------------------------------------------------------------

    def state_token(self) -> tuple[object, ...] | None:
        """A value that changes whenever any connection, in this process or another,
        commits a write to this database, read without scanning a table; None where
        there is no cheap way to tell (a cache must then not be trusted).

        SQLite: ``PRAGMA data_version`` on a connection of its own that never writes,
        which changes whenever any other connection commits (WAL mode included).
        PostgreSQL: the server's current WAL insert position, which every write moves
        (writes to other databases of the server move it too: that only costs a
        cache miss)."""
        url = self._engine.url
        backend = url.get_backend_name()
        if backend == "sqlite":
            return self._sqlite_data_version(url.database)
        if backend == "postgresql":
            with self._transaction("read the diary state") as connection:
                position = connection.execute(sa.text("SELECT pg_current_wal_insert_lsn()"))
                return ("postgresql", str(position.scalar()))
        return None

    def _sqlite_data_version(self, path: str | None) -> tuple[object, ...] | None:
        if not path or path == ":memory:" or self._closed:
            return None
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(
                        path, check_same_thread=False, isolation_level=None, timeout=30
                    )
                row = self._watch.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                return None
        return ("sqlite", int(row[0]))


@dataclass(frozen=True, slots=True)
class _ReadingCheck:
    """The date rule for a new INR reading, with the profile's birth date."""

    birth_date: date | None

    def __call__(self, reading: InrReading) -> None:
        check_day(reading.day, what="INR date", birth_date=self.birth_date)
