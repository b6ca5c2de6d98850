"""Your own foods in meal text: which one an item names, and what it weighs.

An item names an own food when its words, after the amount, are the food's name (any
case; a plural "s" and a leading "my" are fine), optionally followed by a note in
brackets: ``1 serving lasagne (my recipe)``, ``2 servings of lasagne``, ``150 g
lasagne``, ``1 bar MyBar``, ``2 MyBars``. Own foods come before the food database: a
recipe called "lasagne" is yours, and the database's lasagna is ``fndds:…`` by id.

What an amount weighs:

- a mass (``150 g``, ``5 oz``) is itself;
- ``serving`` or ``portion``: a recipe's serving (its weight over its servings), or a
  label food's serving as the label states it;
- a label food's own unit (``1 bar``, ``3 biscuits``), and a volume when the label's
  serving is one (``200 ml`` of a drink labelled per 250 ml);
- a count without a unit (``2 lasagne``, ``2 MyBars``): servings of a recipe, the
  label's units of a label food;
- no amount: one serving, with a note.

Anything else (``1 cup lasagne``) is unresolved, with the measures the food has.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from vitk2.foods.portions import singular_word
from vitk2.foods.units import MASS_UNITS, VOLUME_UNITS, grams_per, millilitres_per
from vitk2.intake._weights import UnitProblemError, Weight
from vitk2.intake.own_foods import OwnFood, name_key

__all__ = ["OwnFoodIndex", "weigh_own"]

_SERVING_WORDS: Final = frozenset({"serving", "portion", "helping"})
#: A note after the name: "(my recipe)", "(my food v2)", "(recipe" (the parser may
#: have dropped the closing bracket).
_MARKER = re.compile(r"\s*\(\s*(?:my\s+)?(?:own\s+)?(?:recipe|food)?(?:\s+v\d+)?\s*\)?\s*$", re.I)
_MASS: Final = frozenset({"g", "kg", "oz", "lb"})


def _phrase_key(words: str) -> str:
    key = name_key(_MARKER.sub("", words))
    return key[3:] if key.startswith("my ") else key


def _singular_phrase(key: str) -> str:
    words = key.split()
    return " ".join([*words[:-1], singular_word(words[-1])]) if words else key


class OwnFoodIndex:
    """A diary's own foods: the live ones by name (for meal text), all by id."""

    def __init__(self, foods: Sequence[OwnFood] = ()) -> None:
        self.by_ref = {food.ref: food for food in foods}
        self.by_name: dict[str, OwnFood] = {}
        for food in foods:
            if not food.retired:
                key = name_key(food.name)
                self.by_name[key] = food
                self.by_name.setdefault(_singular_phrase(key), food)

    def __bool__(self) -> bool:
        return bool(self.by_ref)

    def live(self, ref: str) -> OwnFood | None:
        """The live own food that replaced a retired one (same name), if any."""
        food = self.by_ref.get(ref)
        return None if food is None else self.by_name.get(name_key(food.name))

    def find(self, words: str) -> tuple[OwnFood, str | None] | None:
        """The live own food ``words`` name, and a unit word before its name ("pot"
        in "pot MyYog", when the parser did not read it as a unit); None if none."""
        key = _phrase_key(words)
        if not key:
            return None
        food = self.by_name.get(key) or self.by_name.get(_singular_phrase(key))
        if food is not None:
            return food, None
        for name, food in self.by_name.items():
            if not key.endswith(" " + name):
                continue
            head = key[: -len(name)].strip().removesuffix(" of").strip()
            unit = singular_word(head) if len(head.split()) == 1 else head
            if unit in _SERVING_WORDS or (food.serving is not None and unit == food.serving.unit):
                return food, unit
        return None


def weigh_own(food: OwnFood, quantity: float | None, unit: str | None) -> Weight:
    """The grams of ``quantity`` ``unit`` of an own food (see the module's rules).
    Raises `UnitProblemError` (with the food's measures) when the unit does not fit."""
    label = food.serving
    count = 1.0 if quantity is None else quantity
    word = None if unit is None else unit if " " in unit else singular_word(unit)
    if unit is not None and (unit in _MASS or unit in MASS_UNITS):
        return Weight(count * grams_per(unit), count, unit)
    if word is None or word in _SERVING_WORDS:
        return _portions(food, quantity, word)
    if label is not None and word == label.unit:
        return Weight(count * label.grams / label.quantity, count, label.unit)
    if label is not None and unit in VOLUME_UNITS and label.unit in VOLUME_UNITS:
        per_ml = label.grams / (label.quantity * millilitres_per(label.unit))
        note = f"volume converted with your label's {label.text} = {label.grams:g} g"
        return Weight(count * millilitres_per(unit) * per_ml, count, unit, (note,))
    raise UnitProblemError(f"{food.title} has no '{unit}' measure.", measures(food))


def _portions(food: OwnFood, quantity: float | None, word: str | None) -> Weight:
    """Servings ("2 servings lasagne"), a count ("2 MyBars") or no amount at all."""
    label = food.serving
    if not food.has_portion:
        raise UnitProblemError(
            f"How much {food.title}? Its label is per {label.text if label else 'serving'}: "
            "give an amount with a unit.",
            measures(food),
        )
    count = 1.0 if quantity is None else quantity
    if label is not None and word is None:  # "2 MyBars": the label's units
        each = label.grams / label.quantity
        note = (
            (f"no amount given: 1 {label.unit} ({each:g} g) assumed",) if quantity is None else ()
        )
        return Weight(count * each, count, label.unit, note)
    serving_g = food.serving_g
    notes: tuple[str, ...] = ()
    if quantity is None:
        notes = (f"no amount given: 1 serving ({serving_g:g} g) assumed",)
    elif word is None:
        notes = (f"one taken as 1 serving ({serving_g:g} g)",)
    return Weight(count * serving_g, count, "serving", notes)


def measures(food: OwnFood) -> tuple[str, ...]:
    """What an own food can be weighed in, as suggestions."""
    label = food.serving
    found = [f"1 serving = {food.serving_g:g} g"] if food.has_portion else []
    if label is not None and label.unit != "serving":
        found.append(f"{label.text} = {label.grams:g} g")
    return (*found, "or give grams, e.g. '100 g'")
