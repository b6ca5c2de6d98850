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
from dataclasses import dataclass, replace
from typing import Final

from vitk2.foods.database import FoodDB
from vitk2.foods.portions import (
    CONTAINER_WORDS,
    UNSPECIFIED,
    amount_free_portion,
    choose_count,
    choose_measure,
    measure_head,
    measure_volume,
    measure_words,
    named_count,
    per_piece,
    words_of,
)
from vitk2.foods.search_priors import FNDDS_SAME_FOOD_SHARE
from vitk2.foods.units import HOUSEHOLD_UNITS, MASS_UNITS, VOLUME_UNITS, grams_per, millilitres_per
from vitk2.foods.values import Portion
from vitk2.intake.as_eaten import AsEaten
from vitk2.intake.meal_text import ItemWords

#: Servings that say no size: the food's measure of that name, else the survey's
#: portion when no amount is given ("a handful of almonds", "a plate of lasagna").
_INFORMAL: Final[frozenset[str]] = frozenset({"handful", "plate", "portion", "serving", "piece"})
_SIZES: Final[frozenset[str]] = frozenset({"small", "medium", "large", "extra large"})
#: Sizes of one piece of a food (FNDDS "small", "medium", "large" cookie or dumpling).
_PIECE_SIZES: Final[frozenset[str]] = frozenset({"small", "medium", "large", "extra"})
#: Containers: SR28 measures a retail package ("bag (8 oz)", "package (10 oz)"); the
#: food as eaten (FNDDS) the package a person eats from ("small single serving bag").
#: Besides the measures' container words, two that people type ("a pot of yoghurt", "a
#: pack of natto") and the tables' measures do not use.
_CONTAINERS: Final[frozenset[str]] = CONTAINER_WORDS | {"pack", "pot"}
#: Informal vessels: a glass, a bowl, a mug (see `Weigher._vessel`).
_VESSELS: Final[frozenset[str]] = frozenset({"glass", "bowl", "mug"})
#: First name segments of drinks outside SR28's Beverages group ("Milk, whole, …";
#: FNDDS "Coffee, brewed", "Tea, hot, leaf, black").
_DRINK_HEADS: Final[frozenset[str]] = frozenset(
    {"milk", "kefir", "buttermilk", "soymilk", "water", "orange juice", "apple juice",
     "grape juice", "grapefruit juice", "tomato juice", "soup", "broth", "coffee", "tea"}
)  # fmt: skip
_SR28: Final = "usda:"
_VEGETABLES: Final = "Vegetables and Vegetable Products"
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

    def __init__(self, db: FoodDB, as_eaten: AsEaten | None = None) -> None:
        self.db = db
        self.as_eaten = as_eaten or AsEaten(db)
        self._borrowed: dict[tuple[str, str], tuple[float, str] | None] = {}
        self._names: dict[str, tuple[str, str]] | None = None

    def portions(self, identifier: str) -> tuple[Portion, ...]:
        return self.db.all_portions().get(identifier, ())

    def grams(
        self, identifier: str, name: str, words: ItemWords, hint: str | None = None
    ) -> Weight:
        """The weight of ``words`` (amount and unit as read) of one food. ``hint`` is a
        measure named by a form word ("10 walnut halves"). An SR28 food's twin, the
        FNDDS food that is this food as eaten (`vitk2.intake.as_eaten`), lends its
        portions when no amount is given, for a count whose unit the food's own
        measures do not name ("a coke": FNDDS's can, not SR28's fast-food cup), for
        a container SR28 has only as a retail package ("a bag of crisps": FNDDS's
        single serving bag, not SR28's "bag (8 oz)"), and when the food's own
        measures cannot weigh the amount. Raises `UnitProblemError`."""
        no_unit = words.unit is None and hint is None
        sr28 = identifier.startswith(_SR28)
        twin = None
        if sr28 and no_unit:
            twin = self.as_eaten.twin(identifier, words.words)
            if words.quantity is not None:  # a count: units the words name, then own units
                own = (identifier, name)
                for food, named_only in ((own, True), (twin, True), (own, False)):
                    if food is None:
                        continue
                    try:
                        weight = self._count(
                            self.portions(food[0]), food[1], words, named_only=named_only
                        )
                    except UnitProblemError:
                        continue
                    return weight if food is own else _lent(weight, food[1])
            if twin is not None:
                try:
                    return _lent(self._grams(*twin, words, None), twin[1])
                except UnitProblemError:
                    pass
        container = HOUSEHOLD_UNITS.get(words.unit or "", words.unit)
        if sr28 and container in _CONTAINERS and not _plain(self.portions(identifier), container):
            # The twin's single serving, not SR28's retail package ("bag (8 oz)"); a
            # plain "can" of SR28 is the can.
            twin = self.as_eaten.twin(identifier, words.words)
            if twin is not None:
                try:
                    return _lent(self._grams(*twin, words, hint), twin[1])
                except UnitProblemError:
                    pass
        try:
            return self._grams(identifier, name, words, hint)
        except UnitProblemError as own:
            if twin is None and sr28 and not no_unit:
                twin = self.as_eaten.twin(identifier, words.words)
            if twin is None:
                raise
            try:
                return _lent(self._grams(*twin, words, hint), twin[1])
            except UnitProblemError:
                raise own from None

    def _grams(
        self, identifier: str, name: str, words: ItemWords, hint: str | None = None
    ) -> Weight:
        portions = self.portions(identifier)
        quantity = words.quantity
        unit = words.unit
        if unit is None and hint is not None:
            unit = hint  # "10 walnut halves": the form word is the measure
        if unit is None:
            return self._count(portions, name, words, cut=self._cut(identifier))
        if quantity is None:
            quantity = 1.0
        if unit in MASS_UNITS or unit in {"g", "kg", "oz", "lb"}:
            return Weight(quantity * grams_per(unit), quantity, unit)
        if unit in VOLUME_UNITS or unit in {"fl oz", "l", "ml", "cl", "dl"}:
            return self._volume(identifier, portions, name, quantity, unit)
        if unit in _VESSELS:
            return self._vessel(portions, name, quantity, unit)
        return self._household(identifier, name, portions, quantity, unit)

    def _count(
        self,
        portions: Sequence[Portion],
        name: str,
        words: ItemWords,
        *,
        named_only: bool = False,
        cut: bool = False,
    ) -> Weight:
        """No unit: a count ("20 almonds", "a cheeseburger") or no amount at all. With
        ``named_only``, only a count whose unit the words name ("20 almonds")."""
        quantity = words.quantity
        said = words_of(words.words)
        if quantity is None:
            return self._amount_free(portions, name, words, cut=cut)
        # A count: a measure the words name is "one" ("20 almonds", "a chicken breast").
        portion = named_count(portions, said)  # the typed words name it ("a muffin")
        named = portion is not None
        if portion is None:
            portion = choose_count(portions, said | words_of(_outside_brackets(name)))
            named = portion is not None and bool(measure_words(portion.unit) & said)
        if named_only and not named:
            raise UnitProblemError(f"The words name no unit of {name}.", ())
        if not named and quantity == int(quantity):  # "half a camembert" is no portion
            sized = _one_size(portions, said | words_of(_outside_brackets(name)))
            if sized is not None:
                each, several = sized[0].grams, sized[1]
                note = (
                    f"one taken as 1 {sized[0].unit} ({each:g} g); the {several:g} g the US "
                    "dietary survey (FNDDS) uses when no amount is given is several"
                )
                return Weight(quantity * each, quantity, measure_head(sized[0].unit), (note,))
            survey = _survey_portion(portions, quantity, "portion", said="one", missing="size")
            if survey is not None:
                return survey
        if portion is None:
            raise UnitProblemError(
                f"How much {name}? Give an amount with a unit.", measure_suggestions(portions)
            )
        each = portion.grams / portion.amount
        # A count is weighed with one of the food's measures: always said, with the
        # measure's own words ("1 taco" may be any of several sizes).
        exact = named and measure_head(portion.unit) in said
        note = f"one {'is' if exact else 'taken as'} 1 {portion.unit} ({each:g} g)"
        return Weight(quantity * each, quantity, measure_head(portion.unit), (note,))

    def _amount_free(
        self, portions: Sequence[Portion], name: str, words: ItemWords, *, cut: bool = False
    ) -> Weight:
        """No amount at all: FNDDS's "Quantity not specified" portion; a plural ("eggs",
        "bangers") is at least two of the food's unit (one the words name, else a
        whole-food one), but a plural vegetable (``cut``: "carrots") is a serving of
        it. Else one whole-food measure of SR28 ("an apple" is a count; "apple" one
        medium apple)."""
        portion = amount_free_portion(portions)
        plural = _plural(words.words)
        if portion is not None and is_unspecified(portion):
            said = words_of(words.words)
            one = None
            if plural and not cut:  # a unit the words name, else a whole-food one
                one = named_count(portions, said) or choose_count(portions, (), whole_only=True)
            if one is not None and 2 * one.grams / one.amount > portion.grams:
                each = one.grams / one.amount
                note = (
                    f"no amount given: '{words.words}' taken as 2 x 1 {one.unit} ({each:g} g), "
                    f"more than the {portion.grams:g} g the US dietary survey (FNDDS) uses "
                    "when no amount is given"
                )
                return Weight(2 * each, 2.0, measure_head(one.unit), (note,))
            note = (
                f"no amount given: {portion.grams:g} g, the portion the US dietary "
                "survey (FNDDS) uses when no amount is given"
            )
            return Weight(portion.grams, 1.0, "portion", (note,))
        if portion is None or plural:
            raise UnitProblemError(  # "grapes", "crackers": how many is not "one"
                f"How much {name}? Give an amount with a unit.", measure_suggestions(portions)
            )
        note = f"no amount given: 1 {portion.unit} assumed"
        return Weight(portion.grams / portion.amount, 1.0, measure_head(portion.unit), (note,))

    def _cut(self, identifier: str) -> bool:
        """A vegetable (SR28's group, or an FNDDS food that is one by recipe): eaten
        cut, so "carrots" with no amount is a serving of carrots, not two whole ones."""
        if self._names is None:
            self._names = self.db.names()
        main = self.db.main_ingredients().get(identifier)
        if main is not None and main[1] >= FNDDS_SAME_FOOD_SHARE:
            identifier = main[0]
        group = self._names[identifier][1] if identifier in self._names else ""
        return group == _VEGETABLES

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
        serving of a drink (glass), else its 1-cup measure; a bowl holds at least a cup,
        and the survey's portion when no amount is given where that is more (a bowl
        of pho, 305 g). Said in a note."""
        candidates: list[Portion] = []
        if unit == "glass":
            candidates = [
                p for p in portions if "serving" in p.unit.lower() and "fl oz" in p.unit.lower()
            ]
        candidates += [p for p in portions if measure_head(p.unit) == "cup"]
        if not candidates:
            raise UnitProblemError(
                f"{name} has no serving or cup measure to stand for a {unit}.",
                measure_suggestions(portions),
            )
        portion = candidates[0]
        per_unit = portion.grams / portion.amount
        unspecified = [p.grams for p in portions if is_unspecified(p)]
        if unit == "bowl" and unspecified and unspecified[0] > per_unit:
            note = (
                f"a bowl taken as {unspecified[0]:g} g, the portion the US dietary survey "
                f"(FNDDS) uses when no amount is given (more than its {portion.amount:g} "
                f"{portion.unit}, {per_unit:g} g)"
            )
            return Weight(quantity * unspecified[0], quantity, unit, (note,))
        note = f"a {unit} taken as {name}'s measure {portion.amount:g} {portion.unit}"
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
            each = portion.grams / portion.amount
            # A container or piece ("a bag", "a slice") has the food's own size: said.
            measure = f"{portion.amount:g} {portion.unit}"
            note = f"a {wanted} taken as the measure '{measure}' ({each:g} g each)"
            return Weight(quantity * each, quantity, unit, (note,))
        for candidate in portions:
            grams_each = per_piece(candidate, wanted)
            if grams_each is not None:
                note = f"{candidate.amount:g} {candidate.unit} = {candidate.grams:g} g"
                return Weight(quantity * grams_each, quantity, unit, (f"from SR28 {note}",))
        if wanted in _INFORMAL:
            survey = _survey_portion(portions, quantity, unit, said=f"a {wanted}", missing="amount")
            if survey is not None:
                return survey
        # A size is the food's own: "large fries" is no large potato.
        borrowed = None if wanted in _SIZES else self._borrow(identifier, name, wanted)
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


def _survey_portion(
    portions: Sequence[Portion], quantity: float, unit: str, *, said: str, missing: str
) -> Weight | None:
    """``quantity`` of FNDDS's "Quantity not specified" portion, with a note that says
    what (``said``: "one", "a handful") was taken as it; None without that portion."""
    unspecified = [p for p in portions if is_unspecified(p)]
    if not unspecified:
        return None
    each = unspecified[0].grams
    note = (
        f"{said} taken as {each:g} g, the portion the US dietary survey (FNDDS) uses when "
        f"no {missing} is given"
    )
    return Weight(quantity * each, quantity, unit, (note,))


def _plain(portions: Sequence[Portion], unit: str) -> bool:
    """The food has a measure that is just ``unit``: "1 can", no size given."""
    return any(p.unit.strip().lower() == unit for p in portions)


def _one_size(portions: Sequence[Portion], food_words: set[str]) -> tuple[Portion, float] | None:
    """One of a counted food whose survey portion (FNDDS "Quantity not specified") is
    more than its largest size: that portion is a serving of several ("4 dumplings":
    100 g is three medium dumplings of 32 g; cookies 60 g, two medium ones), so one
    is the food's medium size. A size is of the food itself: "medium", "medium
    taquito" (``food_words`` name it), not a "medium slice" of a roast. None when the
    survey portion is one piece or the food has no sizes; else the size and the survey
    portion's grams."""
    unspecified = [p.grams for p in portions if is_unspecified(p)]
    sizes = [
        p
        for p in portions
        if p.amount == 1.0
        and not p.unit[:1].isupper()
        and measure_words(p.unit) & _PIECE_SIZES
        and measure_words(p.unit) - _PIECE_SIZES <= food_words
    ]
    if not unspecified or not sizes or unspecified[0] <= max(p.grams for p in sizes):
        return None
    one = choose_count(sizes, ())
    return None if one is None else (one, unspecified[0])


def _lent(weight: Weight, twin_name: str) -> Weight:
    """A weight read from the portions of the FNDDS food that is the food as eaten."""
    note = f"weighed with the portions of FNDDS '{twin_name}', the same food as eaten"
    return replace(weight, notes=(*weight.notes, note))


def _outside_brackets(name: str) -> str:
    """A food name without its asides: "Muffins, blueberry (Includes mini-muffins)"
    does not name a mini muffin."""
    return re.sub(r"\([^)]*\)", " ", name)


def _plural(words: str) -> bool:
    last = words.rsplit(maxsplit=1)[-1].lower() if words.split() else ""
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us"))


def measure_suggestions(portions: Sequence[Portion]) -> tuple[str, ...]:
    measures = tuple(f"{p.amount:g} {p.unit} = {p.grams:g} g" for p in portions[:6])
    return (*measures, "or give grams, e.g. '100 g'")
