"""Use cases over the diary store and the food database: log, edit, import, export,
back up and restore.

The CLI and the web app call these; they hold no presentation logic.
`CachedDiaryService` adds a cache keyed by the state of the diary, for the web app.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar, cast

from vitk2 import __version__
from vitk2.assess.build import build_report
from vitk2.assess.reference import Authority
from vitk2.assess.report import Report
from vitk2.backup import open_backup, write_backup
from vitk2.errors import InvalidOptionError, MealParseError, UnknownFoodError, quoted
from vitk2.foods.amounts import check_grams
from vitk2.foods.database import FoodDB
from vitk2.foods.values import food_id, parse_food_id
from vitk2.intake.dates import EARLIEST_DATE, check_period, latest_day
from vitk2.intake.diary import DiaryEntry, Meal
from vitk2.intake.diary_io import ExportFormat, read_entries, write_entries
from vitk2.intake.meals import MealItem, MealParser, ParsedMeal
from vitk2.intake.profile import Profile
from vitk2.intake.supplements import BUILTIN_PRODUCTS, SupplementProduct
from vitk2.render.clinician_html import ClinicianSummary, supplement_use
from vitk2.safety.consistency import Consistency
from vitk2.safety.findings import assess, baseline_start, consistency_for
from vitk2.safety.inr import InrReading
from vitk2.store import DiaryStore, ImportCounts, RestoreCounts

__all__ = ["CachedDiaryService", "DiaryService", "LogResult"]


@dataclass(frozen=True, slots=True)
class LogResult:
    meal: ParsedMeal
    stored: tuple[DiaryEntry, ...]
    skipped: tuple[MealItem, ...]


def _describe(item: MealItem) -> str:
    hint = f" (try: {'; '.join(item.suggestions[:3])})" if item.suggestions else ""
    return f"{quoted(item.text)}: {(item.problem or 'unresolved').rstrip('.')}{hint}"


class DiaryService:
    """The diary of one person: a `DiaryStore` plus the food database."""

    def __init__(self, store: DiaryStore, db: FoodDB | None = None) -> None:
        self.store = store
        self.db = db or FoodDB.default()
        self._food_ids: frozenset[str] | None = None

    def products(self) -> list[SupplementProduct]:
        """User products first, then the built-in generic ones."""
        return [*self.store.supplements(), *BUILTIN_PRODUCTS]

    def parser(self) -> MealParser:
        return MealParser(self.db, self.store.supplements())

    def parse(self, text: str) -> ParsedMeal:
        return self.parser().parse(text)

    def log(
        self,
        text: str,
        *,
        day: date,
        time: str | None = None,
        meal: Meal | None = None,
        partial: bool = False,
    ) -> LogResult:
        """Parse and store every resolved item in one transaction. With unresolved
        items nothing is stored (`MealParseError` says what to fix) unless
        ``partial`` asks to store the resolved ones."""
        parsed = self.parse(text)
        unresolved = parsed.unresolved
        resolved = len(parsed.items) - len(unresolved)
        if unresolved and not partial:
            problems = "; ".join(_describe(item) for item in unresolved)
            also = f" Or add --partial to log the {resolved} resolved item(s)." if resolved else ""
            raise MealParseError(
                f"Nothing logged: {len(unresolved)} of {len(parsed.items)} item(s) unresolved — "
                f"{problems}. Fix the text and log again.{also}"
            )
        if not resolved:
            raise MealParseError(
                "Nothing logged: no item could be resolved — "
                + "; ".join(_describe(item) for item in unresolved)
            )
        stored = self.store.add_entries(parsed.entries(day, time=time, meal=meal))
        return LogResult(parsed, tuple(stored), unresolved)

    def edit(
        self, entry_id: int, *, grams: float | None = None, text: str | None = None
    ) -> DiaryEntry:
        """Change an entry's weight, or re-parse it from new text (one item)."""
        if (grams is None) == (text is None):
            raise InvalidOptionError("Give exactly one of --grams or --text.")
        entry = self.store.entry(entry_id)
        if grams is not None:
            if entry.kind != "food":
                raise InvalidOptionError(
                    f"Entry {entry_id} is a supplement: change it with --text "
                    "(e.g. --text '2 capsules MK-7 90 µg')."
                )
            check_grams(grams, what="--grams")
            text = f"{grams:g} g {entry.name}"
            updated = replace(entry, grams=grams, quantity=grams, unit="g", text=text, id=None)
            return self.store.replace_entry(entry_id, updated)
        assert text is not None
        parsed = self.parse(text)
        if len(parsed.items) != 1:
            raise MealParseError(
                f"--text must describe one item, got {len(parsed.items)}: "
                + "; ".join(repr(item.text) for item in parsed.items)
            )
        if parsed.unresolved:
            raise MealParseError("Entry unchanged: " + _describe(parsed.items[0]))
        (new,) = parsed.entries(entry.day, time=entry.time, meal=entry.meal)
        return self.store.replace_entry(entry_id, new)

    def _period(self, start: date | None, end: date | None) -> tuple[date, date]:
        """The period a report covers: defaults to the diary's first to last day. Both
        ends follow the date rule (`vitk2.intake.dates`), the first not after the last."""
        check_period(start, end)
        span = self.store.date_range()
        if span is None:
            raise InvalidOptionError(
                'The diary is empty: log meals first, e.g. `vitk2 log "2 slices of gouda"`.'
            )
        if start is None and end is not None and end < span[0]:
            raise InvalidOptionError(
                f"--to {end} is before the first diary day {span[0]}: nothing to report."
            )
        first = start or span[0]
        last = end or max(span[1], first)
        outside = [d for d in (first, last) if not EARLIEST_DATE <= d <= latest_day()]
        if outside:
            option = "--from" if outside[0] == first and start is None else "--to"
            raise InvalidOptionError(
                f"The diary has entries dated {outside[0].isoformat()}, outside the dates "
                f"vitk2 takes ({EARLIEST_DATE.isoformat()} to tomorrow): give {option}, or "
                "delete them (`vitk2 diary show` lists them with their ids)."
            )
        return first, last

    def _history(
        self, first: date, last: date, baseline: tuple[date, date] | None
    ) -> tuple[date, date]:
        """The days a period's consistency baselines read."""
        lo, hi = baseline_start(first), last
        if baseline is not None:
            if baseline[0] > baseline[1]:
                raise InvalidOptionError(
                    f"--baseline-from {baseline[0]} is after --baseline-to {baseline[1]}."
                )
            lo, hi = min(lo, baseline[0]), max(hi, baseline[1])
        return lo, hi

    def report(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        authority: Authority = "iom",
        baseline: tuple[date, date] | None = None,
    ) -> Report:
        """The assessment report with its findings; the period defaults to the diary's
        first to last day. ``baseline`` fixes the consistency baseline period."""
        first, last = self._period(start, end)
        lo, hi = self._history(first, last, baseline)
        entries = self.store.entries(start=lo, end=hi)
        inr = [(r.day, r.value) for r in self.store.inr_readings(start=first, end=last)]
        return assess(
            entries,
            self.store.profile(),
            self.db,
            start=first,
            end=last,
            authority=authority,
            baseline_period=baseline,
            inr=inr,
        )

    def consistency(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        baseline: tuple[date, date] | None = None,
    ) -> Consistency:
        """Weekly and rolling K1/MK-7 intake against the baseline, with INR readings."""
        first, last = self._period(start, end)
        lo, hi = self._history(first, last, baseline)
        entries = self.store.entries(start=lo, end=hi)
        if not any(first <= e.day <= last for e in entries):
            raise InvalidOptionError(
                f"No diary entries between {first} and {last}: log meals with `vitk2 log TEXT` "
                "or choose another period with --from/--to."
            )
        history = build_report(entries, self.store.profile(), self.db, start=lo, end=hi)
        inr = [(r.day, r.value) for r in self.store.inr_readings(start=first, end=last)]
        return consistency_for(history, start=first, end=last, baseline_period=baseline, inr=inr)

    def clinician_summary(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        authority: Authority = "iom",
        baseline: tuple[date, date] | None = None,
    ) -> ClinicianSummary:
        """Everything the printable clinician summary shows for a period."""
        report = self.report(start=start, end=end, authority=authority, baseline=baseline)
        consistency = self.consistency(start=report.start, end=report.end, baseline=baseline)
        return ClinicianSummary(
            report=report,
            consistency=consistency,
            inr=tuple(self.store.inr_readings(start=report.start, end=report.end)),
            supplements=supplement_use(self.store.entries(start=report.start, end=report.end)),
        )

    def add_inr(self, value: float, *, day: date, note: str | None = None) -> InrReading:
        """Validate and store one INR reading; return it with its id."""
        return self.store.add_inr(InrReading(day=day, value=value, note=note))

    def inr_readings(self, start: date | None = None, end: date | None = None) -> list[InrReading]:
        """The INR readings of a period (inclusive; open-ended without a bound)."""
        check_period(start, end)
        return self.store.inr_readings(start=start, end=end)

    def delete_inr(self, reading_id: int) -> None:
        """Delete one INR reading; `UnknownInrReadingError` if there is none."""
        self.store.delete_inr(reading_id)

    def set_profile(self, profile: Profile) -> None:
        """Replace the profile (the store checks the birth date against the diary)."""
        self.store.set_profile(profile)

    def export(self, path: Path, fmt: ExportFormat | None = None) -> int:
        """Write every entry; the format follows the file name (.json, else CSV)
        unless given."""
        if fmt is None:
            fmt = "json" if path.suffix.lower() == ".json" else "csv"
        entries = self.store.entries()
        write_entries(entries, path, fmt)
        return len(entries)

    def import_file(
        self, path: Path, *, progress: Callable[[int], None] | None = None
    ) -> ImportCounts:
        """Check the whole file and store its entries in one transaction (all or none),
        streaming it in bounded memory; entries already in the diary (same uid) are
        skipped. ``progress`` gets the bytes read so far."""
        profile = self.store.profile()
        entries = read_entries(
            path,
            self._food_exists,
            birth_date=None if profile is None else profile.birth_date,
            progress=progress,
        )
        return self.store.import_entries(entries)

    def backup(self, path: Path) -> int:
        """Write a full backup (profile, products, INR readings, entries); return the
        number of entries."""
        entries = self.store.entries()
        write_backup(
            path,
            profile=self.store.profile(),
            products=self.store.supplements(),
            readings=self.store.inr_readings(),
            entries=entries,
            version=__version__,
        )
        return len(entries)

    def restore(
        self,
        path: Path,
        *,
        replace_profile: bool = False,
        replace_products: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> RestoreCounts:
        """Restore a backup into this diary in one transaction (all or nothing); what the
        diary already holds (same uid, same product, same profile) is kept."""
        with open_backup(path, self._food_exists, progress=progress) as (head, entries):
            return self.store.restore(
                profile=head.profile,
                products=head.products,
                readings=head.readings,
                entries=entries,
                replace_profile=replace_profile,
                replace_products=replace_products,
            )

    def _food_exists(self, identifier: str) -> bool:
        if self._food_ids is None:
            self._food_ids = frozenset(self.db.names())
        try:
            return food_id(parse_food_id(identifier)) in self._food_ids
        except UnknownFoodError:
            return False

    # -- used by the web app (additive) ------------------------------------------------------

    def delete_entry(self, entry_id: int) -> DiaryEntry:
        """Delete one entry and return it as it was (so that it can be restored)."""
        entry = self.store.entry(entry_id)
        self.store.delete_entry(entry_id)
        return entry

    def restore_entry(self, entry: DiaryEntry) -> DiaryEntry:
        """Store a deleted entry again (it gets a new id)."""
        (stored,) = self.store.add_entries([replace(entry, id=None)])
        return stored

    def move_entry(
        self, entry_id: int, *, day: date, meal: Meal | None, time: str | None = None
    ) -> DiaryEntry:
        """Change the day, meal and time an entry was eaten; its food and amount stay."""
        entry = self.store.entry(entry_id)
        moved = replace(entry, day=day, meal=meal, time=time, id=None)  # validates meal, time
        return self.store.replace_entry(entry_id, moved)

    def mean_from_foods_ug(self, key: str) -> float:
        """Mean daily intake of one nutrient from foods over the whole diary (what
        `vitk2 supplement simulate --with-diary` adds as background)."""
        return round(float(self.report().mean(key, source="foods")), 3)


_T = TypeVar("_T")


class CachedDiaryService(DiaryService):
    """A `DiaryService` that computes each report once per state of the diary.

    The key is the store's `DiaryStore.state_token` (it changes with every committed
    write, by this process or another) plus the arguments, so a write invalidates
    everything at once and no result is ever served for a diary state it was not
    computed from. Where the store cannot tell its state cheaply nothing is cached.
    Thread-safe: concurrent requests for the same key wait for one computation."""

    def __init__(self, store: DiaryStore, db: FoodDB | None = None, *, size: int = 64) -> None:
        super().__init__(store, db)
        self._size = size
        self._memo: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[tuple[Hashable, ...], threading.Lock] = {}

    def memo(self, key: tuple[Hashable, ...], compute: Callable[[], _T]) -> _T:
        """``compute()`` once per diary state and ``key``; later calls get the result."""
        state = self.store.state_token()
        if state is None:
            return compute()
        full = (state, *key)
        with self._lock:
            if full in self._memo:
                self._memo.move_to_end(full)
                return cast(_T, self._memo[full])
            pending = self._pending.setdefault(full, threading.Lock())
        with pending:
            with self._lock:
                if full in self._memo:
                    return cast(_T, self._memo[full])
            value = compute()
            with self._lock:
                self._memo[full] = value
                self._pending.pop(full, None)
                while len(self._memo) > self._size:
                    self._memo.popitem(last=False)
        return value

    def peek(self, key: tuple[Hashable, ...]) -> object | None:
        """The result `memo` holds for ``key`` in the diary's current state, or None
        (nothing is computed: a caller on an event loop can answer at once)."""
        state = self.store.state_token()
        if state is None:
            return None
        with self._lock:
            return self._memo.get((state, *key))

    def report(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        authority: Authority = "iom",
        baseline: tuple[date, date] | None = None,
    ) -> Report:
        return self.memo(
            ("report", start, end, authority, baseline),
            lambda: super(CachedDiaryService, self).report(
                start=start, end=end, authority=authority, baseline=baseline
            ),
        )

    def consistency(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        baseline: tuple[date, date] | None = None,
    ) -> Consistency:
        return self.memo(
            ("consistency", start, end, baseline),
            lambda: super(CachedDiaryService, self).consistency(
                start=start, end=end, baseline=baseline
            ),
        )


# -- cohorts ----------------------------------------------------------------------------------
# The cohort engine needs DuckDB, PyArrow or PySpark (extras): imported when used.


@dataclass(frozen=True, slots=True)
class CohortIntakeRun:
    """What `cohort_intake` wrote: the file, its person-days, the counts of rows read,
    skipped and matched (the file's metadata says the same), and notes."""

    out: Path
    engine: str
    keys: tuple[str, ...]
    person_days: int
    counts: dict[str, float]
    skipped: tuple[str, ...]
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "out": str(self.out), "engine": self.engine, "nutrients": list(self.keys),
            "person_days": self.person_days, "counts": self.counts,
            "skipped": list(self.skipped), "notes": list(self.notes),
        }  # fmt: skip


def cohort_intake(
    records: Path,
    *,
    out: Path,
    persons: Path | None = None,
    engine: str = "duckdb",
    fmt: str = "long",
    skip_bad: bool = False,
    nutrients: Sequence[str] = (),
    db: FoodDB | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> CohortIntakeRun:
    """Person-day intakes of a cohort's records (``fmt`` "long" with a ``persons``
    file, or "nhanes": the folder of one NHANES cycle) on ``engine``, written to
    ``out`` (Parquet). Nothing is written when a file has bad rows, unless
    ``skip_bad`` (then they are left out and counted)."""
    from vitk2.cohort.engines import check_engine, run_person_days
    from vitk2.cohort.foods import cohort_keys, fingerprint, food_table
    from vitk2.cohort.inputs import read_long
    from vitk2.cohort.nhanes import read_nhanes

    engine_name = check_engine(engine)
    db = db or FoodDB.default()
    keys = cohort_keys(nutrients)
    if progress is not None:
        progress("Reading", 0.0)
    if fmt == "nhanes":
        if persons is not None:
            raise InvalidOptionError(
                "--format nhanes reads the persons from the folder: leave out --persons."
            )
        staged = read_nhanes(records, db, skip_bad=skip_bad)
    elif fmt == "long":
        if persons is None:
            raise InvalidOptionError(
                "--persons FILE is needed with --format long (the sex and age of each person)."
            )
        staged = read_long(records, persons, db, keys, skip_bad=skip_bad)
    else:
        raise InvalidOptionError(f"Unknown --format {quoted(fmt)}: expected long or nhanes.")
    if progress is not None:
        progress("Food values", 0.0)
    foods = food_table(db, staged.records["ndb"].drop_null().to_pylist(), keys)
    metadata = {
        "vitk2": __version__, "engine": engine_name, "format": fmt, "nutrients": list(keys),
        "food_database": fingerprint(db), "counts": dict(staged.counts),
        "skipped": list(staged.skipped), "notes": list(staged.notes),
    }  # fmt: skip
    person_days = run_person_days(
        staged, foods, list(keys), engine=engine_name, out=out, metadata=metadata,
        progress=progress,
    )  # fmt: skip
    return CohortIntakeRun(
        out, engine_name, keys, person_days, dict(staged.counts), staged.skipped, staged.notes
    )
