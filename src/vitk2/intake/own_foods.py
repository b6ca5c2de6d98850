"""Your own foods: custom foods from a label, and recipes.

Each has a stable id, ``my:`` and 8 hex digits (``my:3f9a2c1b``), that diary entries
refer to as they refer to ``usda:01009``; backups keep it. A definition that an entry
(or another recipe) refers to never changes: replacing it (``--replace``, ``recipe
edit``) stores a new version under a new id and keeps the old one, *retired*, for
the entries logged with it, so a report months later still counts what was eaten
then. Deleting one that is in use retires it the same way; one nothing uses is
removed. Only live foods are found by name in meal text.

A label food (``vitk2 food add``) holds what its label states, per the label's
serving: a nutrient the label does not state is unknown, never 0. A label's totals
follow from the forms it names: K2 is the sum of the menaquinones it lists, vitamin D
of D2 and D3, energy in kJ from kcal (or back); all vitamin K only when the label
gives both K1 and K2. A label's plain "vitamin K" is given as ``--vitk`` (all vitamin
K): K1 and K2 then stay unknown, since a label does not say which vitamer it means.

A recipe (``vitk2 recipe add``) holds its ingredients (food ids and grams, read from
meal text), how many servings it makes and, optionally, its cooked weight.

>>> bar = label_food("MyBar", "1 bar", grams=40, label={"calcium": "200mg", "mk7": "10ug"},
...                  ref="my:0000abcd")
>>> bar.title, bar.serving_g, dict(label_amounts(bar))["k2_ug"]
('MyBar (my food)', 40.0, 10.0)
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from vitk2.errors import InvalidOptionError, quoted
from vitk2.foods.amounts import MAX_ITEM_GRAMS, check_amount, check_grams, read_decimal
from vitk2.foods.nutrients import MENAQUINONE_KEYS, NUTRIENTS, resolve_nutrient
from vitk2.foods.portions import singular_word
from vitk2.foods.units import (
    IU_PER_UG_VITAMIN_D,
    MASS_UNITS,
    VOLUME_UNITS,
    canonical_unit,
    grams_per,
)

__all__ = [
    "KJ_PER_KCAL",
    "MAX_NAME_CHARS",
    "MAX_SERVES",
    "OWN_KINDS",
    "OWN_PREFIX",
    "Ingredient",
    "LabelServing",
    "OwnFood",
    "OwnKind",
    "check_own_name",
    "checked_label_food",
    "derived_how",
    "is_own_ref",
    "label_amounts",
    "label_food",
    "name_key",
    "new_ref",
    "read_serving",
    "recipe_food",
]

OwnKind = Literal["label", "recipe"]
OWN_KINDS: Final[tuple[OwnKind, ...]] = ("label", "recipe")
#: The prefix of an own food's id.
OWN_PREFIX: Final = "my:"
_REF: Final = re.compile(r"^my:[0-9a-f]{8}$")
#: A name longer than this is a typing error.
MAX_NAME_CHARS: Final = 60
#: A recipe makes at most this many servings.
MAX_SERVES: Final = 1000.0
#: A recipe's cooked weight lies within this factor of its ingredients' weight (water
#: lost or taken up: dry pasta and rice about triple): a guard against typing errors.
YIELD_FACTOR: Final = 10.0
#: A label's serving holds at most this many of its units ("24 biscuits").
MAX_SERVING_UNITS: Final = 1000.0
#: Food labels convert energy with 1 kcal = 4.184 kJ.
KJ_PER_KCAL: Final = 4.184
_UG_PER: Final[dict[str, float]] = {
    "µg": 1.0, "μg": 1.0, "ug": 1.0, "mcg": 1.0, "mg": 1000.0, "g": 1_000_000.0,
}  # fmt: skip
_PER_GRAM_MAX: Final[dict[str, float]] = {"g": 1.0, "mg": 1000.0, "µg": 1_000_000.0}
#: Energy per gram of food at most (pure fat: about 9 kcal).
_KCAL_PER_GRAM_MAX: Final = 9.0
_AMOUNT = re.compile(r"^\s*(?P<number>[^a-zA-Zµμ]*?)\s*(?P<unit>[a-zA-Zµμ]*)\s*$")
_SERVING = re.compile(
    r"^\s*(?P<number>\d[\d.,]*)?\s*(?P<unit>[^\d()]*?)\s*"
    r"(?:\(\s*(?P<grams>\d[\d.,]*)\s*g\s*\))?\s*$"
)
_UNIT_WORD = re.compile(r"^[^\W\d_][\w' -]{0,29}$")
_NAME_BAD = re.compile(r"[,;+&():\n\r\t\[\]{}\"]")


def new_ref() -> str:
    """A new random own-food id: ``my:`` and 8 hex digits."""
    return OWN_PREFIX + secrets.token_hex(4)


def is_own_ref(text: str) -> bool:
    """True for an own-food id such as ``my:3f9a2c1b``."""
    return bool(_REF.match(text))


def name_key(text: str) -> str:
    """How names are compared: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def check_own_name(name: str, *, what: str = "A food") -> str:
    """A name for meal text: 1–60 characters, starting with a letter, without the
    characters that separate items, start a food id or mark a note in meal text."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidOptionError(f"{what} needs a name, e.g. 'lasagne' or 'MyBar'.")
    if len(clean) > MAX_NAME_CHARS:
        raise InvalidOptionError(
            f"Name {quoted(clean)} has {len(clean)} characters; at most {MAX_NAME_CHARS}. "
            "Choose a shorter name."
        )
    bad = _NAME_BAD.search(clean)
    if bad is not None:
        raise InvalidOptionError(
            f"Name {quoted(clean)} contains {bad.group()!r}: names are written in meal text, "
            "where , ; + & separate items, ':' starts a food id and brackets hold notes. "
            "Choose a name without them."
        )
    if not clean[0].isalpha():
        raise InvalidOptionError(
            f"Name {quoted(clean)} must start with a letter (a number would be read as an "
            "amount in meal text), e.g. 'seven-layer dip'."
        )
    return clean


@dataclass(frozen=True, slots=True)
class Ingredient:
    """One ingredient of a recipe: a food id, the food's name when the recipe was
    written, its grams and the item as written ("200 g spaghetti")."""

    ref: str
    name: str
    grams: float
    text: str


@dataclass(frozen=True, slots=True)
class LabelServing:
    """What a label's figures are for: ``quantity`` ``unit`` weighing ``grams`` ("1
    bar" of 40 g, "100 g", "250 ml" of 258 g)."""

    quantity: float
    unit: str
    grams: float

    def __post_init__(self) -> None:
        check_amount(self.quantity, what="--per", unit="units", maximum=MAX_SERVING_UNITS)
        check_grams(self.grams, what="the label serving")
        if not isinstance(self.unit, str) or not self.unit.strip() or len(self.unit) > 30:
            raise InvalidOptionError(
                f"the label serving's unit must be a word such as 'bar', got {quoted(self.unit)}."
            )

    @property
    def text(self) -> str:
        return f"{self.quantity:g} {self.unit}"


@dataclass(frozen=True, slots=True)
class OwnFood:
    """A food of your own: ``kind`` ``label`` (``serving`` and the ``label`` amounts
    as given, per that serving, in each nutrient's unit) or ``recipe``
    (``ingredients``, ``serves`` and the optional cooked weight ``yield_g``).
    ``version`` counts the definitions of one name; ``retired`` ones are kept for the
    entries that use them."""

    ref: str
    kind: OwnKind
    name: str
    version: int = 1
    retired: bool = False
    serving: LabelServing | None = None
    label: Mapping[str, float] = field(default_factory=dict)
    ingredients: tuple[Ingredient, ...] = ()
    serves: float | None = None
    yield_g: float | None = None
    text: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not is_own_ref(self.ref):
            raise InvalidOptionError(
                f"own food id {quoted(self.ref)} is not 'my:' and 8 hex digits (my:3f9a2c1b)."
            )
        if self.kind not in OWN_KINDS:
            raise InvalidOptionError(f"own food kind must be label or recipe, got {self.kind!r}.")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise InvalidOptionError(
                f"version must be a whole number from 1, got {self.version!r}."
            )
        if self.kind == "label" and self.serving is None:
            raise InvalidOptionError(f"{self.name}: a label food needs the label's serving.")
        if self.kind == "recipe" and (not self.ingredients or self.serves is None):
            raise InvalidOptionError(f"{self.name}: a recipe needs ingredients and servings.")

    @property
    def raw_g(self) -> float:
        """The weight of a recipe's ingredients (a label food: its serving)."""
        if self.kind == "label":
            assert self.serving is not None
            return self.serving.grams
        return math.fsum(i.grams for i in self.ingredients)

    @property
    def total_g(self) -> float:
        """What the per-100 g values are of: a recipe's cooked weight when given, else
        its ingredients' weight; a label food's serving."""
        return self.yield_g if self.yield_g is not None else self.raw_g

    @property
    def serving_g(self) -> float:
        """One serving: a recipe's weight over its servings; a label food's serving."""
        if self.kind == "label":
            return self.total_g
        assert self.serves is not None
        return self.total_g / self.serves

    @property
    def has_portion(self) -> bool:
        """True when the food has a natural portion for "1 serving" or no amount: a
        recipe's serving, or a label's serving in a unit of its own ("1 bar"), not
        one by weight or volume ("100 g", "250 ml")."""
        if self.serving is None:
            return True
        unit = self.serving.unit
        return unit not in MASS_UNITS and unit not in VOLUME_UNITS

    @property
    def title(self) -> str:
        """The name as entries and reports show it: "lasagne (my recipe)", "lasagne
        (my recipe v2)", "MyBar (my food)"."""
        what = "my recipe" if self.kind == "recipe" else "my food"
        return f"{self.name} ({what}{f' v{self.version}' if self.version > 1 else ''})"

    @property
    def noun(self) -> str:
        return "recipe" if self.kind == "recipe" else "food"

    @property
    def log_text(self) -> str:
        """Meal text that logs one serving of it: "1 serving lasagne", "1 bar MyBar",
        or "100 g MyFood" for a label by weight or volume."""
        if self.kind == "recipe":
            return f"1 serving {self.name}"
        if self.has_portion and self.serving is not None:
            return f"1 {self.serving.unit} {self.name}"
        return f"100 g {self.name}"


def _label_value(text: str, key: str) -> float:
    """One label amount in the unit of nutrient ``key``: a number with µg/mg/g, IU for
    vitamin D only, kcal or kJ for energy. 0 is allowed (the label states none)."""
    match = _AMOUNT.match(text)
    unit = (match.group("unit") if match else "").lower()
    number_text = match.group("number") if match else ""
    nutrient = NUTRIENTS[key]
    if match is None or not number_text.strip() or not unit:
        example = "210kcal" if nutrient.unit in {"kcal", "kJ"} else "200mg"
        raise InvalidOptionError(
            f"Cannot read the amount {quoted(text)} for {key}: write a number and its unit "
            f"as on the label, e.g. {example!r} (vitamin D also in IU)."
        )
    number = read_decimal(number_text, what=f"the amount of {key}")
    if nutrient.unit in {"kcal", "kJ"}:
        if unit not in {"kcal", "kj"}:
            raise InvalidOptionError(f"Give {key} in kcal or kJ, not {quoted(text)}.")
        kcal = number if unit == "kcal" else number / KJ_PER_KCAL
        return kcal if nutrient.unit == "kcal" else kcal * KJ_PER_KCAL
    if unit == "iu":
        if not key.startswith("vitd"):
            raise InvalidOptionError(
                f"IU is defined for vitamin D only; give {key} in µg or mg, not {quoted(text)}."
            )
        micrograms = number / IU_PER_UG_VITAMIN_D
    elif unit in _UG_PER:
        micrograms = number * _UG_PER[unit]
    else:
        raise InvalidOptionError(
            f"Unknown unit {unit!r} in {quoted(text)} for {key}: use µg, mg or g "
            "(IU for vitamin D, kcal or kJ for energy)."
        )
    per = {"µg": 1.0, "mg": 1000.0, "g": 1_000_000.0}.get(nutrient.unit)
    if per is None:
        raise InvalidOptionError(
            f"{key} is measured in {nutrient.unit}; a label amount cannot be given for it."
        )
    return micrograms / per


def _check_label_value(key: str, amount: float, grams: float) -> float:
    """A label amount is 0 or more, and no more than the serving can hold: a nutrient
    weighs at most the food, energy is at most 9 kcal a gram (pure fat)."""
    nutrient = NUTRIENTS[key]
    if amount == 0:
        return 0.0
    unit = nutrient.unit
    if unit in {"kcal", "kJ"}:
        most = grams * _KCAL_PER_GRAM_MAX * (1.0 if unit == "kcal" else KJ_PER_KCAL)
    else:
        most = grams * _PER_GRAM_MAX[unit]
    return check_amount(amount, what=f"{key} per serving", unit=unit, maximum=round(most, 6))


def read_serving(per: str, grams: float | None) -> LabelServing:
    """The label's serving from ``--per`` ("1 bar", "2 biscuits", "100g", "250 ml",
    "1 pot (125 g)") and ``--grams``: a mass gives its own grams; any other unit needs
    its weight, from ``--grams`` or in brackets."""
    match = _SERVING.match(per)
    if match is None or not (match.group("unit") or "").strip():
        raise InvalidOptionError(
            f"--per {quoted(per)}: write the label's serving as an amount and a unit, e.g. "
            "'1 bar', '2 biscuits', '100 g' or '250 ml'."
        )
    quantity = read_decimal(match.group("number"), what="--per") if match.group("number") else 1.0
    unit = " ".join(match.group("unit").split()).lower()
    in_brackets = match.group("grams")
    given = grams
    if in_brackets is not None:
        bracket_g = read_decimal(in_brackets, what="--per grams")
        if given is not None and abs(given - bracket_g) > 1e-9:
            raise InvalidOptionError(
                f"--per {quoted(per)} says {bracket_g:g} g but --grams says {given:g}: give one."
            )
        given = bracket_g
    if unit in MASS_UNITS:
        own = quantity * grams_per(unit)
        if given is not None and abs(given - own) > 1e-6 * own:
            raise InvalidOptionError(
                f"--per {quoted(per)} is {own:g} g but --grams says {given:g}: leave --grams out."
            )
        given = own
        unit = canonical_unit(unit)
    elif unit in VOLUME_UNITS:
        unit = canonical_unit(unit)
    else:
        if not _UNIT_WORD.match(unit):
            raise InvalidOptionError(
                f"--per {quoted(per)}: the unit must be a word such as bar, biscuit, pot or slice."
            )
        unit = " ".join(singular_word(word) for word in unit.split())
    if given is None:
        raise InvalidOptionError(
            f"--per {quoted(per)}: give the serving's weight with --grams (the label says "
            "it, e.g. '--grams 40'), or write it in brackets: '1 bar (40 g)'."
        )
    return LabelServing(float(quantity), unit, float(given))


def label_food(
    name: str,
    per: str,
    *,
    grams: float | None,
    label: Mapping[str, str],
    ref: str | None = None,
    version: int = 1,
    note: str | None = None,
) -> OwnFood:
    """A food from its label: ``label`` maps nutrient keys or aliases to amounts as
    written ("200mg", "2 µg", "80 IU", "210 kcal"), per the serving ``per``."""
    serving = read_serving(per, grams)
    amounts: dict[str, float] = {}
    for key_text, amount_text in label.items():
        key = resolve_nutrient(key_text).key
        if key in amounts:
            raise InvalidOptionError(f"{key} is given twice (as --{key_text} and another name).")
        amounts[key] = _label_value(amount_text, key)
    return checked_label_food(
        OwnFood(
            ref=ref or new_ref(),
            kind="label",
            name=check_own_name(name),
            version=version,
            serving=serving,
            label=amounts,
            note=note,
        )
    )


def checked_label_food(food: OwnFood) -> OwnFood:
    """A label food whose amounts follow the rules: known keys, 0 or more, no more
    than the serving can hold, totals not below the sum of their parts."""
    assert food.serving is not None
    if not food.label:
        raise InvalidOptionError(
            f"{food.name}: give at least one amount from the label, e.g. --calcium 200mg."
        )
    for key, amount in food.label.items():
        if key not in NUTRIENTS:
            raise InvalidOptionError(f"{food.name}: unknown nutrient key {quoted(key)}.")
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount < 0:
            raise InvalidOptionError(f"{food.name}: {key} must be a number of 0 or more.")
        _check_label_value(key, float(amount), food.serving.grams)
    full = label_amounts(food)
    for total, parts in _TOTALS:
        given = food.label.get(total)
        part_sum = math.fsum(full[k] for k in parts if k in full)
        if given is not None and given + 1e-9 < part_sum:
            raise InvalidOptionError(
                f"{food.name}: {total} {given:g} is less than the sum of its parts "
                f"({part_sum:g}); give the parts only and vitk2 adds them up."
            )
    return food


#: Totals and their parts, for the derivations and the check above.
_TOTALS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("k2_ug", MENAQUINONE_KEYS),
    ("vitd_ug", ("vitd2_ug", "vitd3_ug")),
    ("vitk_ug", ("k1_ug", "dk1_ug", "k2_ug")),
)


def label_amounts(food: OwnFood) -> dict[str, float]:
    """A label food's amounts per serving with the totals its label implies: K2 from
    the menaquinones it lists, vitamin D from D2 and D3, energy in the other unit, and
    all vitamin K when both K1 and K2 are known. Keys not stated stay out (unknown)."""
    full = dict(food.label)
    menaquinones = [full[k] for k in MENAQUINONE_KEYS if k in full]
    if menaquinones and "k2_ug" not in full:
        full["k2_ug"] = math.fsum(menaquinones)
    forms = [full[k] for k in ("vitd2_ug", "vitd3_ug") if k in full]
    if forms and "vitd_ug" not in full:
        full["vitd_ug"] = math.fsum(forms)
    if "vitk_ug" not in full and "k1_ug" in full and "k2_ug" in full:
        full["vitk_ug"] = full["k1_ug"] + full["k2_ug"] + full.get("dk1_ug", 0.0)
    if "energy_kcal" in full and "energy_kj" not in full:
        full["energy_kj"] = full["energy_kcal"] * KJ_PER_KCAL
    elif "energy_kj" in full and "energy_kcal" not in full:
        full["energy_kcal"] = full["energy_kj"] / KJ_PER_KCAL
    return full


def derived_how(food: OwnFood, key: str) -> str | None:
    """How a label food's value for ``key`` was found, when the label did not state it."""
    if key in food.label or key not in label_amounts(food):
        return None
    if key == "k2_ug":
        named = [NUTRIENTS[k].name.split(" (")[-1].rstrip(")") for k in MENAQUINONE_KEYS]
        listed = [n for k, n in zip(MENAQUINONE_KEYS, named, strict=True) if k in food.label]
        return f"the sum of the menaquinones on the label ({', '.join(listed)})"
    if key == "vitd_ug":
        return "the sum of vitamin D2 and D3 on the label"
    if key == "vitk_ug":
        return "K1 + K2 (+ dihydro-K1) of the label"
    return f"converted from the label's energy (1 kcal = {KJ_PER_KCAL} kJ)"


def recipe_food(
    name: str,
    ingredients: Sequence[Ingredient],
    *,
    serves: float,
    yield_g: float | None = None,
    text: str | None = None,
    ref: str | None = None,
    version: int = 1,
    note: str | None = None,
) -> OwnFood:
    """A recipe, checked: at least one ingredient of at most 5 kg, 0 < servings ≤ 1000,
    a cooked weight within a factor of 10 of the ingredients' weight, and one serving
    at most 5 kg (the most one logged item weighs)."""
    clean = check_own_name(name, what="A recipe")
    if not ingredients:
        raise InvalidOptionError(f"{clean}: a recipe needs at least one ingredient.")
    for ingredient in ingredients:
        check_grams(ingredient.grams, what=f"{clean}: {ingredient.text!r}")
    check_amount(serves, what="--serves", unit="servings", maximum=MAX_SERVES)
    raw = math.fsum(i.grams for i in ingredients)
    if yield_g is not None:
        check_amount(yield_g, what="--yield-g", unit="g", maximum=raw * YIELD_FACTOR)
        if yield_g < raw / YIELD_FACTOR:
            raise InvalidOptionError(
                f"--yield-g {yield_g:g} g is less than a tenth of the ingredients' "
                f"{raw:g} g: check the cooked weight (in grams)."
            )
    total = raw if yield_g is None else yield_g
    if total / serves > MAX_ITEM_GRAMS:
        raise InvalidOptionError(
            f"{clean}: one serving would weigh {total / serves / 1000:,.1f} kg; at most "
            f"{MAX_ITEM_GRAMS / 1000:g} kg. Check --serves."
        )
    return OwnFood(
        ref=ref or new_ref(),
        kind="recipe",
        name=clean,
        version=version,
        ingredients=tuple(ingredients),
        serves=float(serves),
        yield_g=None if yield_g is None else float(yield_g),
        text=text,
        note=note,
    )
