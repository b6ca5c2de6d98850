"""Meal parsing: plain-language meal text to foods, grams and nutrients.

>>> from vitk2 import FoodDB
>>> meal = MealParser(FoodDB.default()).parse("2 slices of gouda, a boiled egg and 50 g natto")
>>> [(item.name, item.grams) for item in meal.items]  # doctest: +NORMALIZE_WHITESPACE
[('Cheese, gouda', 56.0), ('Egg, whole, cooked, hard-boiled', 50.0), ('Natto', 50.0)]

Grams come from the food's own SR28 household measures. A volume converts
through the food's own volume measure (its density), never through water unless
the food is a drink without measures. When the unit cannot be resolved for the
food, or the food match is weak, the item comes back ``unresolved`` with
suggestions: nothing is guessed silently.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from vitk2.errors import EmptyQueryError, MealParseError
from vitk2.foods.amounts import MAX_ITEM_GRAMS
from vitk2.foods.database import FoodDB
from vitk2.foods.portions import (
    choose_count,
    choose_measure,
    measure_head,
    measure_volume,
    per_piece,
    singular_word,
    words_of,
)
from vitk2.foods.units import HOUSEHOLD_UNITS, MASS_UNITS, VOLUME_UNITS, grams_per, millilitres_per
from vitk2.foods.values import FoodVector, Portion, SearchHit
from vitk2.intake.diary import DiaryEntry, Meal
from vitk2.intake.meal_text import ItemWords, read_item, split_items
from vitk2.intake.supplements import (
    BUILTIN_PRODUCTS,
    AmbiguousSupplementError,
    SupplementProduct,
    read_supplement,
)
from vitk2.intake.totals import ItemIntake, Totals, food_intake, sum_intakes, supplement_intake

__all__ = [
    "MAX_ITEM_GRAMS",
    "MIN_MATCH_SCORE",
    "ItemStatus",
    "MealItem",
    "MealParser",
    "ParsedMeal",
    "parse_meal",
]

ItemStatus = Literal["ok", "unresolved"]

#: Search score below which a food match counts as weak (see docs/benchmarks.md).
MIN_MATCH_SCORE: Final = 0.6
MAX_TEXT_CHARS: Final = 5000

#: Informal vessels: a glass, a bowl, a mug (see `MealParser._vessel`).
_VESSELS: Final[frozenset[str]] = frozenset({"glass", "bowl", "mug"})
#: Words naming a form or cut rather than the food: dropped when a search fails
#: ("walnut halves", "baby spinach", "grated cheddar") and, for forms that are
#: measures ("halves", "spears"), used as the item's unit.
_FORM_WORDS: Final[frozenset[str]] = frozenset(
    {
        "half", "halves", "piece", "pieces", "slice", "slices", "sliced", "chopped", "diced",
        "grated", "shredded", "melted", "baby", "fillet", "fillets", "filet", "spear", "spears",
        "stick", "sticks", "floret", "florets", "wedge", "wedges", "cube", "cubes", "strip",
        "strips", "rasher", "rashers", "leaf", "leaves", "clove", "cloves", "kernel", "kernels",
        "fresh", "steamed", "some", "little", "bit",
    }
)  # fmt: skip
#: First name segments of drinks outside SR28's Beverages group ("Milk, whole, …").
_DRINK_HEADS: Final[frozenset[str]] = frozenset(
    {"milk", "kefir", "buttermilk", "soymilk", "water", "orange juice", "apple juice",
     "grape juice", "grapefruit juice", "tomato juice", "soup", "broth"}
)  # fmt: skip
_NOT_LIQUID = re.compile(r"\b(dry|dried|powder|powdered|solids|condensed)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MealItem:
    """One parsed item. ``status`` is ``"ok"`` (food or supplement known, amount
    known) or ``"unresolved"`` (``problem`` says why; ``suggestions`` say what to
    write instead)."""

    text: str
    status: ItemStatus
    kind: Literal["food", "supplement"] | None = None
    ref: str | None = None
    name: str | None = None
    quantity: float | None = None
    unit: str | None = None
    grams: float | None = None
    intake: ItemIntake | None = field(default=None, repr=False)
    problem: str | None = None
    suggestions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `vitk2 parse --json`."""
        food = None
        if self.ref is not None:
            food = {"id": self.ref, "name": self.name, "kind": self.kind}
        nutrients: dict[str, float | None] = {}
        if self.intake is not None:
            nutrients = {
                k: None if v is None else round(v, 4) for k, v in self.intake.amounts.items()
            }
        return {
            "text": self.text,
            "food": food,
            "quantity": self.quantity,
            "unit": self.unit,
            "grams": None if self.grams is None else round(self.grams, 2),
            "nutrients": nutrients,
            "status": self.status,
            "problem": self.problem,
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class ParsedMeal:
    text: str
    items: tuple[MealItem, ...]
    totals: Totals

    @property
    def unresolved(self) -> tuple[MealItem, ...]:
        return tuple(item for item in self.items if item.status != "ok")

    def as_dict(self) -> dict[str, object]:
        return {
            "items": [item.as_dict() for item in self.items],
            "totals": self.totals.as_dict(),
        }

    def entries(
        self, day: date, *, time: str | None = None, meal: Meal | None = None
    ) -> list[DiaryEntry]:
        """Diary entries for the resolved items, eaten on ``day``."""
        entries = []
        for item in self.items:
            if item.status != "ok" or item.ref is None or item.kind is None:
                continue
            amounts: dict[str, float] = {}
            if item.kind == "supplement" and item.intake is not None:
                amounts = {k: v for k, v in item.intake.amounts.items() if v}
            entries.append(
                DiaryEntry(
                    day=day,
                    text=item.text,
                    kind=item.kind,
                    ref=item.ref,
                    name=item.name or item.ref,
                    quantity=item.quantity or 1.0,
                    unit=item.unit or "",
                    grams=item.grams,
                    amounts=amounts,
                    time=time,
                    meal=meal,
                )
            )
        return entries


class MealParser:
    """Parses meal text against a food database and supplement products.

    ``products`` are the user's own supplement products; the built-in generic
    products are always known. Foods are cached per parser.
    """

    def __init__(self, db: FoodDB, products: Sequence[SupplementProduct] = ()) -> None:
        self.db = db
        self.products = (*products, *BUILTIN_PRODUCTS)
        self._user_products = tuple(products)
        self._vectors: dict[str, FoodVector] = {}
        self._borrowed: dict[tuple[str, str], tuple[float, str] | None] = {}
        self._names: dict[str, tuple[str, str]] | None = None

    def vector(self, identifier: str) -> FoodVector:
        cached = self._vectors.get(identifier)
        if cached is None:
            cached = self.db.vectors([identifier])[identifier]
            self._vectors[identifier] = cached
        return cached

    def parse(self, text: str) -> ParsedMeal:
        """Parse meal text. Raises `MealParseError` for empty text or impossible
        amounts; unknown foods and units come back as unresolved items."""
        if len(text) > MAX_TEXT_CHARS:
            raise MealParseError(
                f"Meal text is {len(text)} characters long; log at most {MAX_TEXT_CHARS} at once."
            )
        pieces = split_items(text)
        if not pieces:
            raise MealParseError(
                "Nothing to parse: describe what you ate, e.g. "
                "'2 slices of gouda, a boiled egg and 50 g natto'."
            )
        items = tuple(self.parse_item(piece) for piece in pieces)
        intakes = [item.intake for item in items if item.intake is not None]
        return ParsedMeal(text, items, sum_intakes(intakes))

    def parse_item(self, text: str) -> MealItem:
        """Parse one item's text (no separators)."""
        try:
            supplement = read_supplement(text, self._user_products)
        except AmbiguousSupplementError as error:
            return MealItem(text, "unresolved", problem=str(error), suggestions=error.suggestions)
        if supplement is not None:
            return MealItem(
                text,
                "ok",
                kind="supplement",
                ref=supplement.product,
                name=supplement.product,
                quantity=supplement.quantity,
                unit=supplement.unit,
                intake=supplement_intake(supplement.amounts),
                notes=() if supplement.builtin else ("your product (vitk2 supplement list)",),
            )
        words = read_item(text)
        return self._food_item(words)

    # -- foods ----------------------------------------------------------------------

    def _food_item(self, words: ItemWords) -> MealItem:
        text = words.text
        if not words.words:
            return MealItem(
                text,
                "unresolved",
                quantity=words.quantity,
                unit=words.unit,
                problem=f"{text!r} names no food.",
                suggestions=("write the food after the amount, e.g. '2 slices of gouda'",),
            )
        try:
            hits, hint = self._search(words.words)
        except EmptyQueryError:  # no letters or digits to search for: emoji, punctuation
            hits, hint = [], None
        if not hits or hits[0].score < MIN_MATCH_SCORE:
            return MealItem(
                text,
                "unresolved",
                quantity=words.quantity,
                unit=words.unit,
                problem=f"No food clearly matches {words.words!r}.",
                suggestions=tuple(f"{hit.id} {hit.name}" for hit in hits[:3]),
            )
        hit = hits[0]
        try:
            grams, quantity, unit, notes = self._grams(hit.id, hit.name, words, hint)
        except _UnitProblemError as problem:
            return MealItem(
                text,
                "unresolved",
                kind="food",
                ref=hit.id,
                name=hit.name,
                quantity=words.quantity,
                unit=words.unit,
                problem=problem.message,
                suggestions=problem.suggestions,
            )
        if grams > MAX_ITEM_GRAMS:
            raise MealParseError(
                f"Impossible amount in {text!r}: {quantity:g} {unit} of {hit.name} is "
                f"{grams / 1000:,.1f} kg; one item can weigh at most {MAX_ITEM_GRAMS / 1000:g} kg."
            )
        return MealItem(
            text,
            "ok",
            kind="food",
            ref=hit.id,
            name=hit.name,
            quantity=quantity,
            unit=unit,
            grams=grams,
            intake=food_intake(self.vector(hit.id), grams),
            notes=(*notes, *_state_note(words.words, hit, hits)),
        )

    def _search(self, text: str) -> tuple[list[SearchHit], str | None]:
        """Search the food; when the match is weak, search again without form words
        ("walnut halves" -> "walnut") and return the form word as a measure hint."""
        hits = self.db.search(text, limit=5)
        if hits and hits[0].score >= MIN_MATCH_SCORE:
            return hits, None
        words = text.split()
        kept = [w for w in words if w.lower() not in _FORM_WORDS]
        if not kept or len(kept) == len(words):
            return hits, None
        retry = self.db.search(" ".join(kept), limit=5)
        if not retry or retry[0].score < MIN_MATCH_SCORE:
            return hits, None
        dropped = [singular_word(w) for w in words if w.lower() in _FORM_WORDS]
        measures = [w for w in dropped if w in HOUSEHOLD_UNITS.values() or w == "half"]
        return retry, (measures[0] if measures else None)

    def _portions(self, identifier: str) -> tuple[Portion, ...]:
        return self.db.all_portions().get(identifier, ())

    def _grams(
        self, identifier: str, name: str, words: ItemWords, hint: str | None = None
    ) -> tuple[float, float, str, tuple[str, ...]]:
        portions = self._portions(identifier)
        quantity = words.quantity
        unit = words.unit
        notes: list[str] = []
        if unit is None and hint is not None:
            unit = hint  # "10 walnut halves": the form word is the measure
        if unit is None:
            # With a count ("20 almonds") a measure the words name is "one"; with no
            # amount at all only a whole-food measure (medium, fruit …) is assumed.
            named = words_of(words.words) | words_of(name) if quantity is not None else set()
            portion = choose_count(portions, named, whole_only=quantity is None)
            if quantity is None and _plural(words.words):
                portion = None  # "grapes", "crackers": how many is not "one"
            if portion is None:
                raise _UnitProblemError(
                    f"How much {name}? Give an amount with a unit.",
                    _measure_suggestions(portions),
                )
            if quantity is None:
                notes.append(f"no amount given: 1 {portion.unit} assumed")
                quantity = 1.0
            unit = measure_head(portion.unit)
            return quantity * portion.grams / portion.amount, quantity, unit, tuple(notes)
        if quantity is None:
            quantity = 1.0
        if unit in MASS_UNITS or unit in {"g", "kg", "oz", "lb"}:
            return quantity * grams_per(unit), quantity, unit, ()
        if unit in VOLUME_UNITS or unit in {"fl oz", "l", "ml", "cl", "dl"}:
            return self._volume(identifier, portions, name, quantity, unit)
        if unit in _VESSELS:
            return self._vessel(portions, name, quantity, unit)
        return self._household(identifier, name, portions, quantity, unit)

    def _is_drink(self, identifier: str, name: str) -> bool:
        """A liquid: SR28's Beverages group or a milk, kefir, juice … ; never a dry
        or powdered form ("Milk, dry, nonfat" is a powder)."""
        if self._names is None:
            self._names = self.db.names()
        group = self._names[identifier][1] if identifier in self._names else ""
        head = name.split(",", maxsplit=1)[0].strip().lower()
        liquid = group == "Beverages" or head in _DRINK_HEADS or head.endswith(" juice")
        return liquid and not _NOT_LIQUID.search(name)

    def _volume(
        self, identifier: str, portions: Sequence[Portion], name: str, quantity: float, unit: str
    ) -> tuple[float, float, str, tuple[str, ...]]:
        wanted_ml = quantity * millilitres_per(unit)
        same = [p for p in portions if measure_head(p.unit) == unit]
        if same:
            portion = same[0]
            return quantity * portion.grams / portion.amount, quantity, unit, ()
        volume = [(p, ml) for p in portions if (ml := measure_volume(p)) is not None]
        if volume:
            portion, ml = volume[0]
            note = (
                f"volume converted with {name}'s own measure "
                f"{portion.amount:g} {portion.unit} = {portion.grams:g} g"
            )
            return wanted_ml * portion.grams / ml, quantity, unit, (note,)
        if self._is_drink(identifier, name):
            return wanted_ml, quantity, unit, (f"{name} has no volume measure: 1 ml taken as 1 g",)
        raise _UnitProblemError(
            f"{name} has no volume measure in SR28, so {quantity:g} {unit} cannot be weighed.",
            _measure_suggestions(portions),
        )

    def _vessel(
        self, portions: Sequence[Portion], name: str, quantity: float, unit: str
    ) -> tuple[float, float, str, tuple[str, ...]]:
        """'a glass of wine', 'a bowl of porridge', 'a mug of tea': the food's own
        serving of a drink (glass), else its 1-cup measure, said in a note."""
        candidates: list[Portion] = []
        if unit == "glass":
            candidates = [
                p for p in portions if "serving" in p.unit.lower() and "fl oz" in p.unit.lower()
            ]
        candidates += [p for p in portions if measure_head(p.unit) == "cup"]
        if not candidates:
            raise _UnitProblemError(
                f"{name} has no serving or cup measure in SR28 to stand for a {unit}.",
                _measure_suggestions(portions),
            )
        portion = candidates[0]
        per_unit = portion.grams / portion.amount
        note = f"a {unit} taken as {name}'s SR28 measure {portion.amount:g} {portion.unit}"
        return quantity * per_unit, quantity, unit, (f"{note} ({per_unit:g} g)",)

    def _household(
        self,
        identifier: str,
        name: str,
        portions: Sequence[Portion],
        quantity: float,
        unit: str,
    ) -> tuple[float, float, str, tuple[str, ...]]:
        wanted = HOUSEHOLD_UNITS.get(unit, unit)
        portion = choose_measure(portions, wanted)
        if portion is not None:
            return quantity * portion.grams / portion.amount, quantity, unit, ()
        for candidate in portions:
            grams_each = per_piece(candidate, wanted)
            if grams_each is not None:
                note = f"{candidate.amount:g} {candidate.unit} = {candidate.grams:g} g"
                return quantity * grams_each, quantity, unit, (f"from SR28 {note}",)
        borrowed = self._borrow(identifier, name, wanted)
        if borrowed is not None:
            grams_each, note = borrowed
            return quantity * grams_each, quantity, unit, (note,)
        raise _UnitProblemError(
            f"{name} has no '{wanted}' measure in SR28.", _measure_suggestions(portions)
        )

    def _borrow(self, identifier: str, name: str, unit: str) -> tuple[float, str] | None:
        """A measure of similar foods: same group, same first name segment ('Cheese,'),
        when at least 3 of them have it. Returns the median grams and a note."""
        key = (identifier, unit)
        if key not in self._borrowed:
            self._borrowed[key] = self._borrow_uncached(identifier, name, unit)
        return self._borrowed[key]

    def _borrow_uncached(self, identifier: str, name: str, unit: str) -> tuple[float, str] | None:
        if self._names is None:
            self._names = self.db.names()
        names = self._names
        own_name, own_group = names[identifier]
        first = own_name.split(",")[0].strip().lower()
        weights = []
        for other, (other_name, other_group) in names.items():
            if other_group != own_group or other_name.split(",")[0].strip().lower() != first:
                continue
            for portion in self._portions(other):
                if measure_head(portion.unit) == unit and portion.unit.lower().startswith(unit):
                    weights.append(portion.grams / portion.amount)
                    break
        if len(weights) < 3:
            return None
        grams = statistics.median(weights)
        return grams, (
            f"SR28 has no '{unit}' measure for {name}: used the median '{unit}' of "
            f"{len(weights)} other '{first}' foods ({grams:g} g)"
        )


_STATE_TYPED = re.compile(
    r"\b(raw|fresh|cooked|boiled|steamed|roasted|baked|fried|grilled|sauteed|sautéed|"
    r"braised|stewed|canned|frozen|microwaved|poached|mashed|toasted|dried)\b",
    re.IGNORECASE,
)
_COOKED_NAME = re.compile(r"\b(cooked|boiled|steamed|roasted|baked|fried|canned)\b", re.I)


def _state_note(words: str, hit: SearchHit, hits: Sequence[SearchHit]) -> tuple[str, ...]:
    """When the text names no state and vitk2 chose a raw food that SR28 also has
    cooked (K1 per cup differs a lot between raw and boiled greens), say so."""
    if (
        hit.group != "Vegetables and Vegetable Products"
        or _STATE_TYPED.search(words)
        or not re.search(r"\braw\b", hit.name, re.I)
    ):
        return ()
    head = hit.name.split(",")[0]
    if not any(h.name.split(",")[0] == head and _COOKED_NAME.search(h.name) for h in hits[1:]):
        return ()
    return (f"raw assumed; write 'cooked {words}' if it was cooked",)


def _plural(words: str) -> bool:
    last = words.rsplit(maxsplit=1)[-1].lower() if words.split() else ""
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us"))


class _UnitProblemError(Exception):
    def __init__(self, message: str, suggestions: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


def _measure_suggestions(portions: Sequence[Portion]) -> tuple[str, ...]:
    measures = tuple(f"{p.amount:g} {p.unit} = {p.grams:g} g" for p in portions[:6])
    return (*measures, "or give grams, e.g. '100 g'")


def parse_meal(
    text: str, db: FoodDB | None = None, products: Sequence[SupplementProduct] = ()
) -> ParsedMeal:
    """Parse meal text with the shipped database (a convenience for one-off use)."""
    return MealParser(db or FoodDB.default(), products).parse(text)
