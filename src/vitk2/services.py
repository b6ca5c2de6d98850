"""Use cases over the diary store and the food database: log, edit, import, export,
back up and restore.

The CLI (and later the web app) call these; they hold no presentation logic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

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

__all__ = ["DiaryService", "LogResult"]


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
