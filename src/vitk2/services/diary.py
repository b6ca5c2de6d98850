"""`DiaryService`: the use cases over the diary store and the food database: log,
edit, import, export, back up and restore, reports, findings, consistency, the
clinician summary, and your own foods and recipes. No presentation logic."""

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
from vitk2.foods.values import FoodVector, food_id, parse_food_id
from vitk2.intake.dates import EARLIEST_DATE, check_period, latest_day
from vitk2.intake.diary import DiaryEntry, Meal
from vitk2.intake.diary_io import ExportFormat, read_entries, write_entries
from vitk2.intake.meals import MealItem, MealParser, ParsedMeal
from vitk2.intake.own_foods import (
    Ingredient,
    OwnFood,
    OwnKind,
    is_own_ref,
    label_food,
    recipe_food,
)
from vitk2.intake.own_values import DiaryFoods, OwnFoodDetail
from vitk2.intake.profile import Profile
from vitk2.intake.supplements import BUILTIN_PRODUCTS, SupplementProduct
from vitk2.render.clinician_html import ClinicianSummary, supplement_use
from vitk2.safety.consistency import Consistency
from vitk2.safety.findings import assess, baseline_start, consistency_for
from vitk2.safety.inr import InrReading
from vitk2.store import DiaryStore, ImportCounts, OwnFoodUses, RestoreCounts, SavedOwnFood

__all__ = ["DiaryService", "LogResult", "SavedRecipe"]


@dataclass(frozen=True, slots=True)
class LogResult:
    meal: ParsedMeal
    stored: tuple[DiaryEntry, ...]
    skipped: tuple[MealItem, ...]


@dataclass(frozen=True, slots=True)
class SavedRecipe:
    """A stored recipe, the one it replaced (see `vitk2.store.SavedOwnFood`), and the
    parsed text its ingredients were read from (None when they were kept): its notes
    say what the parser assumed."""

    saved: SavedOwnFood
    meal: ParsedMeal | None = None

    def notes(self) -> list[str]:
        """Every assumption the parser made, as "item: note"."""
        if self.meal is None:
            return []
        return [f"{item.text}: {note}" for item in self.meal.items for note in item.notes]


def _describe(item: MealItem) -> str:
    hint = f" (try: {'; '.join(item.suggestions[:3])})" if item.suggestions else ""
    return f"{quoted(item.text)}: {(item.problem or 'unresolved').rstrip('.')}{hint}"


class DiaryService:
    """The diary of one person: a `DiaryStore` plus the food database."""

    def __init__(self, store: DiaryStore, db: FoodDB | None = None) -> None:
        self.store = store
        self.db = db or FoodDB.default()
        self._food_ids: frozenset[str] | None = None
        self._own_refs: frozenset[str] = frozenset()

    def products(self) -> list[SupplementProduct]:
        """User products first, then the built-in generic ones."""
        return [*self.store.supplements(), *BUILTIN_PRODUCTS]

    def parser(self) -> MealParser:
        """A meal parser that knows your products and your own foods and recipes."""
        return MealParser(
            self.db, self.store.supplements(), own_foods=self.store.own_foods(retired=True)
        )

    def foods(self) -> DiaryFoods:
        """The food database with this diary's own foods (retired ones too, for the
        entries that use them): what reports count entries with."""
        return DiaryFoods(self.db, self.store.own_foods(retired=True))

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
            self.foods(),
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
        history = build_report(entries, self.store.profile(), self.foods(), start=lo, end=hi)
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
        self._own_refs = frozenset(f.ref for f in self.store.own_foods(retired=True))
        entries = read_entries(
            path,
            self._food_exists,
            birth_date=None if profile is None else profile.birth_date,
            progress=progress,
        )
        return self.store.import_entries(entries)

    def backup(self, path: Path) -> int:
        """Write a full backup (profile, products, own foods, INR readings, entries);
        return the number of entries."""
        entries = self.store.entries()
        write_backup(
            path,
            profile=self.store.profile(),
            products=self.store.supplements(),
            readings=self.store.inr_readings(),
            entries=entries,
            version=__version__,
            own_foods=self.store.own_foods(retired=True),
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
        self._own_refs = frozenset(f.ref for f in self.store.own_foods(retired=True))
        with open_backup(path, self._food_exists, progress=progress) as (head, entries):
            return self.store.restore(
                profile=head.profile,
                products=head.products,
                readings=head.readings,
                entries=entries,
                replace_profile=replace_profile,
                replace_products=replace_products,
                own_foods=head.own_foods,
            )

    def _food_exists(self, identifier: str) -> bool:
        if is_own_ref(identifier):
            if identifier in self._own_refs:
                return True
            raise ValueError(
                f"food id {identifier} is one of your own foods, which this diary does not "
                "have: move foods and recipes with their entries by `vitk2 backup` and "
                "`vitk2 restore`"
            )
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

    # -- your own foods and recipes ------------------------------------------------------------

    def add_recipe(
        self,
        name: str,
        text: str,
        *,
        serves: float,
        yield_g: float | None = None,
        note: str | None = None,
        replace: bool = False,
    ) -> SavedRecipe:
        """Read a recipe's ingredients with the meal parser and store it, all or nothing:
        every item must be a food that resolves (`MealParseError` says what to fix)."""
        parsed = self.parse(text)
        unresolved = parsed.unresolved
        if unresolved:
            raise MealParseError(
                f"Recipe not saved: {len(unresolved)} of {len(parsed.items)} ingredient(s) "
                f"unresolved — {'; '.join(_describe(i) for i in unresolved)}. Fix the text "
                "and add it again."
            )
        taken = [i for i in parsed.items if i.kind != "food"]
        if taken:
            raise MealParseError(
                f"Recipe not saved: {quoted(taken[0].text)} is a supplement; a recipe holds "
                "foods. Log supplements on their own."
            )
        ingredients = [
            Ingredient(i.ref or "", i.name or "", i.grams or 0.0, i.text) for i in parsed.items
        ]
        food = recipe_food(name, ingredients, serves=serves, yield_g=yield_g, text=text, note=note)
        return SavedRecipe(self.store.save_own_food(food, replace=replace), parsed)

    def edit_recipe(
        self,
        which: str,
        *,
        text: str | None = None,
        serves: float | None = None,
        yield_g: float | None = None,
        drop_yield: bool = False,
    ) -> SavedRecipe:
        """A new version of a recipe with new ingredients, servings or cooked weight
        (the rest kept); entries logged with the old one keep it."""
        old = self.own_food(which, "recipe")
        if old.retired:
            raise InvalidOptionError(
                f"{old.ref} is an earlier version of {old.name}, kept for the entries logged "
                f"with it; edit the current one: `vitk2 recipe edit {old.name}`."
            )
        if text is None and serves is None and yield_g is None and not drop_yield:
            raise InvalidOptionError(
                "Nothing to change: give TEXT, --serves, --yield-g or --no-yield."
            )
        if drop_yield and yield_g is not None:
            raise InvalidOptionError("Give --yield-g or --no-yield, not both.")
        new_yield = None if drop_yield else yield_g if yield_g is not None else old.yield_g
        new_serves = serves if serves is not None else old.serves
        assert new_serves is not None
        if text is not None:
            return self.add_recipe(
                old.name, text, serves=new_serves, yield_g=new_yield, note=old.note, replace=True
            )
        food = recipe_food(
            old.name,
            old.ingredients,
            serves=new_serves,
            yield_g=new_yield,
            text=old.text,
            note=old.note,
        )
        return SavedRecipe(self.store.save_own_food(food, replace=True))

    def add_label_food(
        self,
        name: str,
        per: str,
        *,
        grams: float | None,
        label: dict[str, str],
        note: str | None = None,
        replace: bool = False,
    ) -> SavedOwnFood:
        """Store a food from its label (`vitk2.intake.own_foods.label_food`)."""
        food = label_food(name, per, grams=grams, label=label, note=note)
        return self.store.save_own_food(food, replace=replace)

    def own_food(self, which: str, kind: OwnKind) -> OwnFood:
        """A live own food of ``kind`` by name, or any by id."""
        food = self.store.own_food(which)
        if food.kind != kind:
            raise InvalidOptionError(
                f"{quoted(food.name)} is one of your {food.noun}s: "
                f"`vitk2 {food.noun} show {food.ref}`."
            )
        return food

    def own_food_detail(self, which: str, kind: OwnKind) -> tuple[OwnFoodDetail, OwnFoodUses]:
        """An own food's nutrients with provenance, and what uses it."""
        food = self.own_food(which, kind)
        return self.foods().detail(food.ref), self.store.own_food_uses(food.ref)

    def own_food_list(
        self, kind: OwnKind, *, retired: bool = False
    ) -> list[tuple[OwnFood, FoodVector]]:
        """Your own foods of ``kind`` with their per-100 g values."""
        foods = self.foods()
        chosen = [f for f in self.store.own_foods(retired=retired) if f.kind == kind]
        vectors = foods.vectors([f.ref for f in chosen]) if chosen else {}
        return [(f, vectors[f.ref]) for f in chosen]
