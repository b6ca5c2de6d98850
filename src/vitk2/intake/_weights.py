"""Weighing a food: the grams of an amount and unit, from the food's own measures.

`Weigher.grams` turns "2 slices", "200 ml", "a glass", "3 rashers" or no amount at all
into grams of one food, using its SR28 (and, where the database has them, FNDDS)
portions. A volume converts through the food's own volume measure, never through
water unless the food is a drink without measures. When the amount cannot be
weighed for the food, `UnitProblemError` says why and which measures it has: the
parser then returns the item unresolved. Every weight that is not a direct reading
comes with a note.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from vitk2.foods.database import FoodDB
from vitk2.foods.portions import (
    UNSPECIFIED,
    amount_free_portion,
    choose_count,
    choose_measure,
    measure_head,
    measure_volume,
    per_piece,
    words_of,
)
from vitk2.foods.units import HOUSEHOLD_UNITS, MASS_UNITS, VOLUME_UNITS, grams_per, millilitres_per
from vitk2.foods.values import Portion
from vitk2.intake.meal_text import ItemWords

#: Informal vessels: a glass, a bowl, a mug (see `Weigher._vessel`).
_VESSELS: Final[frozenset[str]] = frozenset({"glass", "bowl", "mug"})
#: First name segments of drinks outside SR28's Beverages group ("Milk, whole, …";
#: FNDDS "Coffee, brewed", "Tea, hot, leaf, black").
_DRINK_HEADS: Final[frozenset[str]] = frozenset(
    {"milk", "kefir", "buttermilk", "soymilk", "water", "orange juice", "apple juice",
     "grape juice", "grapefruit juice", "tomato juice", "soup", "broth", "coffee", "tea"}
)  # fmt: skip
_NOT_LIQUID = re.compile(r"\b(dry|dried|powder|powdered|solids|condensed)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Weight:
    """An item's weight: ``grams`` for ``quantity`` ``unit`` (the unit as vitk2 read
    it), and notes on every assumption made to get there."""

    grams: float
    quantity: float
    unit: str
    notes: tuple[str, ...] = ()


class UnitProblemError(Exception):
    """The amount cannot be weighed for this food; ``suggestions`` are its measures."""

    def __init__(self, message: str, suggestions: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


def is_unspecified(portion: Portion) -> bool:
    """FNDDS's "Quantity not specified" portion."""
    return portion.unit.strip().lower() == UNSPECIFIED


class Weigher:
    """Weighs foods of one database; borrowed measures are cached per weigher."""

    def __init__(self, db: FoodDB) -> None:
        self.db = db
        self._borrowed: dict[tuple[str, str], tuple[float, str] | None] = {}
        self._names: dict[str, tuple[str, str]] | None = None

    def portions(self, identifier: str) -> tuple[Portion, ...]:
        return self.db.all_portions().get(identifier, ())

    def grams(
        self, identifier: str, name: str, words: ItemWords, hint: str | None = None
    ) -> Weight:
        """The weight of ``words`` (amount and unit as read) of one food. ``hint`` is a
        measure named by a form word ("10 walnut halves"). Raises `UnitProblemError`."""
        portions = self.portions(identifier)
        quantity = words.quantity
        unit = words.unit
        if unit is None and hint is not None:
            unit = hint  # "10 walnut halves": the form word is the measure
        if unit is None:
            return self._count(portions, name, words)
        if quantity is None:
            quantity = 1.0
        if unit in MASS_UNITS or unit in {"g", "kg", "oz", "lb"}:
            return Weight(quantity * grams_per(unit), quantity, unit)
        if unit in VOLUME_UNITS or unit in {"fl oz", "l", "ml", "cl", "dl"}:
            return self._volume(identifier, portions, name, quantity, unit)
        if unit in _VESSELS:
            return self._vessel(portions, name, quantity, unit)
        return self._household(identifier, name, portions, quantity, unit)

    def _count(self, portions: Sequence[Portion], name: str, words: ItemWords) -> Weight:
        """No unit: a count ("20 almonds", "a cheeseburger") or no amount at all."""
        quantity = words.quantity
        if quantity is None:
            portion = amount_free_portion(portions)
            if portion is not None and is_unspecified(portion):
                note = (
                    f"no amount given: {portion.grams:g} g, the portion the US dietary "
                    "survey (FNDDS) uses when no amount is given"
                )
                return Weight(portion.grams, 1.0, "portion", (note,))
            if portion is None or _plural(words.words):
                raise UnitProblemError(  # "grapes", "crackers": how many is not "one"
                    f"How much {name}? Give an amount with a unit.", measure_suggestions(portions)
                )
            note = f"no amount given: 1 {portion.unit} assumed"
            return Weight(portion.grams / portion.amount, 1.0, measure_head(portion.unit), (note,))
        # A count: a measure the words name is "one" ("20 almonds", "a chicken breast").
        portion = choose_count(portions, words_of(words.words) | words_of(name))
        named = portion is not None and measure_head(portion.unit) in words_of(words.words)
        if not named:
            unspecified = [p for p in portions if is_unspecified(p)]
            if unspecified:
                each = unspecified[0].grams
                note = (
                    f"one taken as {each:g} g, the portion the US dietary survey (FNDDS) "
                    "uses when no size is given"
                )
                return Weight(quantity * each, quantity, "portion", (note,))
        if portion is None:
            raise UnitProblemError(
                f"How much {name}? Give an amount with a unit.", measure_suggestions(portions)
            )
        each = portion.grams / portion.amount
        notes = () if named else (f"one taken as 1 {portion.unit} ({each:g} g)",)
        return Weight(quantity * each, quantity, measure_head(portion.unit), notes)

    def is_drink(self, identifier: str, name: str) -> bool:
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
    ) -> Weight:
        wanted_ml = quantity * millilitres_per(unit)
        same = [p for p in portions if measure_head(p.unit) == unit]
        if same:
            portion = same[0]
            return Weight(quantity * portion.grams / portion.amount, quantity, unit, ())
        volume = [(p, ml) for p in portions if (ml := measure_volume(p)) is not None]
        if volume:
            portion, ml = volume[0]
            note = (
                f"volume converted with {name}'s own measure "
                f"{portion.amount:g} {portion.unit} = {portion.grams:g} g"
            )
            return Weight(wanted_ml * portion.grams / ml, quantity, unit, (note,))
        if self.is_drink(identifier, name):
            return Weight(
                wanted_ml, quantity, unit, (f"{name} has no volume measure: 1 ml taken as 1 g",)
            )
        raise UnitProblemError(
            f"{name} has no volume measure in SR28, so {quantity:g} {unit} cannot be weighed.",
            measure_suggestions(portions),
        )

    def _vessel(self, portions: Sequence[Portion], name: str, quantity: float, unit: str) -> Weight:
        """'a glass of wine', 'a bowl of porridge', 'a mug of tea': the food's own
        serving of a drink (glass), else its 1-cup measure, said in a note."""
        candidates: list[Portion] = []
        if unit == "glass":
            candidates = [
                p for p in portions if "serving" in p.unit.lower() and "fl oz" in p.unit.lower()
            ]
        candidates += [p for p in portions if measure_head(p.unit) == "cup"]
        if not candidates:
            raise UnitProblemError(
                f"{name} has no serving or cup measure in SR28 to stand for a {unit}.",
                measure_suggestions(portions),
            )
        portion = candidates[0]
        per_unit = portion.grams / portion.amount
        note = f"a {unit} taken as {name}'s SR28 measure {portion.amount:g} {portion.unit}"
        return Weight(quantity * per_unit, quantity, unit, (f"{note} ({per_unit:g} g)",))

    def _household(
        self,
        identifier: str,
        name: str,
        portions: Sequence[Portion],
        quantity: float,
        unit: str,
    ) -> Weight:
        wanted = HOUSEHOLD_UNITS.get(unit, unit)
        portion = choose_measure(portions, wanted)
        if portion is not None:
            return Weight(quantity * portion.grams / portion.amount, quantity, unit, ())
        for candidate in portions:
            grams_each = per_piece(candidate, wanted)
            if grams_each is not None:
                note = f"{candidate.amount:g} {candidate.unit} = {candidate.grams:g} g"
                return Weight(quantity * grams_each, quantity, unit, (f"from SR28 {note}",))
        borrowed = self._borrow(identifier, name, wanted)
        if borrowed is not None:
            grams_each, note = borrowed
            return Weight(quantity * grams_each, quantity, unit, (note,))
        raise UnitProblemError(
            f"{name} has no '{wanted}' measure in SR28.", measure_suggestions(portions)
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
            for portion in self.portions(other):
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


def _plural(words: str) -> bool:
    last = words.rsplit(maxsplit=1)[-1].lower() if words.split() else ""
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us"))


def measure_suggestions(portions: Sequence[Portion]) -> tuple[str, ...]:
    measures = tuple(f"{p.amount:g} {p.unit} = {p.grams:g} g" for p in portions[:6])
    return (*measures, "or give grams, e.g. '100 g'")
