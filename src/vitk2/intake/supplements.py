"""Supplement products: what one unit (capsule, tablet, drop …) contains.

Built-in generic products cover the common forms; users define their own from the
label (`define_product`). `read_supplement` recognises supplement items in meal
text ("1 capsule MK-7 90 µg", "2000 IU vitamin D3", "2 tablets MyK2").

>>> read_supplement("1 capsule MK-7 90 µg", ()).amounts["mk7_ug"]
90.0
>>> read_supplement("2000 IU vitamin D3", ()).amounts["vitd_ug"]
50.0
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from vitk2.errors import InvalidOptionError, MealParseError, quoted
from vitk2.foods.amounts import MAX_UNITS_PER_ITEM, check_per_unit
from vitk2.foods.nutrients import MENAQUINONE_KEYS, NUTRIENTS, resolve_nutrient
from vitk2.foods.units import HOUSEHOLD_UNITS, label_amount
from vitk2.intake.meal_text import read_item, singular

__all__ = [
    "BUILTIN_PRODUCTS",
    "DOSE_FORMS",
    "AmbiguousSupplementError",
    "SupplementMatch",
    "SupplementProduct",
    "complete_amounts",
    "define_product",
    "product_from_amounts",
    "read_supplement",
]

#: Units a supplement is counted in.
DOSE_FORMS: Final[frozenset[str]] = frozenset(
    {
        "capsule",
        "tablet",
        "softgel",
        "pill",
        "gummy",
        "chewable",
        "drop",
        "scoop",
        "serving",
        "sachet",
        "spray",
        "piece",
    }
)
#: A product name longer than this is a typing error.
MAX_NAME_CHARS: Final = 60


class AmbiguousSupplementError(MealParseError):
    """A supplement is named but which product or dose is meant cannot be known."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


def complete_amounts(amounts: Mapping[str, float]) -> dict[str, float]:
    """Add the derived totals: ``k2_ug`` (sum of menaquinones), ``vitk_ug`` (all
    vitamin K) and ``vitd_ug`` (D2 + D3) when the parts are given and the total is not."""
    result = dict(amounts)
    menaquinones = [result[k] for k in MENAQUINONE_KEYS if k in result]
    if menaquinones and "k2_ug" not in result:
        result["k2_ug"] = sum(menaquinones)
    vitamin_k = [result[k] for k in ("k1_ug", "dk1_ug", "k2_ug") if k in result]
    if vitamin_k and "vitk_ug" not in result:
        result["vitk_ug"] = sum(vitamin_k)
    vitamin_d = [result[k] for k in ("vitd2_ug", "vitd3_ug") if k in result]
    if vitamin_d and "vitd_ug" not in result:
        result["vitd_ug"] = sum(vitamin_d)
    return result


@dataclass(frozen=True, slots=True)
class SupplementProduct:
    """A supplement as its label states it.

    ``amounts`` maps nutrient keys to the amount in ONE ``unit`` (capsule,
    tablet, softgel, drop, scoop, serving …), in the key's own unit: µg for
    vitamins (``mk7_ug``, ``vitd_ug``), mg for calcium (``calcium_mg``).
    Built-in generic products have ``builtin=True``.
    """

    name: str
    unit: str
    amounts: Mapping[str, float] = field(default_factory=dict)
    builtin: bool = False
    note: str | None = None


def define_product(
    name: str, unit: str, label: Mapping[str, str], *, note: str | None = None
) -> SupplementProduct:
    """A user product from label text: ``define_product("MyK2", "capsule",
    {"mk7": "100ug", "vitd": "25 µg"})``. Keys may be aliases; amounts carry units."""
    amounts: dict[str, float] = {}
    for key_text, amount_text in label.items():
        key = resolve_nutrient(key_text).key
        amounts[key] = label_amount(amount_text, key)
    return product_from_amounts(name, unit, amounts, note=note)


def product_from_amounts(
    name: str, unit: str, amounts: Mapping[str, float], *, note: str | None = None
) -> SupplementProduct:
    """A user product from amounts per unit in each nutrient's own unit (µg, mg),
    checked as `define_product` checks a label: the name, the dose form, the amount
    rule (`vitk2.foods.amounts`) and totals not below the sum of their parts."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidOptionError("A supplement needs a name, e.g. `vitk2 supplement add MyK2 …`.")
    if len(clean) > MAX_NAME_CHARS:
        raise InvalidOptionError(
            f"Supplement name {quoted(clean)} has {len(clean)} characters; at most "
            f"{MAX_NAME_CHARS}. Choose a shorter name."
        )
    if any(ch in clean for ch in ",;+&\n"):
        raise InvalidOptionError(
            f"Supplement name {quoted(name)} contains a separator (, ; + &): meal text could "
            "not name it. Choose a name without them."
        )
    unit_word = singular(unit.strip().lower())
    if unit_word not in DOSE_FORMS:
        raise InvalidOptionError(
            f"Unknown supplement unit {quoted(unit)}: use one of {', '.join(sorted(DOSE_FORMS))}."
        )
    if not amounts:
        raise InvalidOptionError(
            f"{clean}: give at least one amount from the label, e.g. --mk7 100ug or --vitd 25ug."
        )
    for key, value in amounts.items():
        nutrient = NUTRIENTS.get(key)
        if nutrient is None:
            raise InvalidOptionError(f"{clean}: unknown nutrient key {quoted(key)}.")
        check_per_unit(value, nutrient.unit, what=f"{clean}: {key}")
    completed = complete_amounts(amounts)
    for total, parts in (("k2_ug", MENAQUINONE_KEYS), ("vitk_ug", ("k1_ug", "dk1_ug", "k2_ug"))):
        part_sum = sum(completed.get(k, 0.0) for k in parts)
        if total in amounts and amounts[total] + 1e-9 < part_sum:
            raise InvalidOptionError(
                f"{clean}: {total} {amounts[total]:g} is less than the sum of its parts "
                f"({part_sum:g}); give the parts only and vitk2 adds them up."
            )
    return SupplementProduct(clean, unit_word, completed, note=note)


def _builtin(name: str, unit: str, note: str, **amounts: float) -> SupplementProduct:
    return SupplementProduct(name, unit, complete_amounts(amounts), builtin=True, note=note)


_GENERIC = "generic product: the amount in its name per unit"
BUILTIN_PRODUCTS: Final[tuple[SupplementProduct, ...]] = (
    *(_builtin(f"MK-7 {d} µg", "capsule", _GENERIC, mk7_ug=d) for d in (45, 90, 180, 360)),
    *(_builtin(f"MK-4 {mg:g} mg", "capsule", _GENERIC, mk4_ug=mg * 1000) for mg in (1.5, 15, 45)),
    _builtin("K1 100 µg", "tablet", _GENERIC, k1_ug=100),
    *(_builtin(f"D3 {d} µg ({d * 40} IU)", "softgel", _GENERIC, vitd3_ug=d) for d in (10, 25, 50)),
    _builtin(
        "Calcium carbonate 500 mg",
        "tablet",
        "generic product: 500 mg elemental calcium per tablet",
        calcium_mg=500,
    ),
    _builtin(
        "Calcium citrate 500 mg",
        "tablet",
        "generic product: 500 mg elemental calcium per tablet",
        calcium_mg=500,
    ),
)

# Words naming one nutrient of a supplement, and the key the dose goes to.
_VITAMERS: Final[tuple[tuple[re.Pattern[str], str, str], ...]] = (
    (re.compile(r"\bmk[\s-]?7\b|menaquinone[\s-]?7", re.I), "mk7_ug", "MK-7"),
    (re.compile(r"\bmk[\s-]?4\b|menaquinone[\s-]?4|menatetrenone", re.I), "mk4_ug", "MK-4"),
    (re.compile(r"\bk1\b|phylloquinone|phytonadione|phytomenadione", re.I), "k1_ug", "K1"),
    (re.compile(r"\bd3\b|cholecalciferol", re.I), "vitd3_ug", "D3"),
    (re.compile(r"\bd2\b|ergocalciferol", re.I), "vitd2_ug", "D2"),
    (re.compile(r"\bvitamin\s+d\b|\bvit\.?\s*d\b", re.I), "vitd_ug", "Vitamin D"),
    (re.compile(r"\bcalcium\b", re.I), "calcium_mg", "Calcium"),
)
_AMBIGUOUS_K2 = re.compile(r"\b(?:vitamin\s+)?k2\b|\bmenaquinone\b", re.I)
_DOSE = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(µg|μg|ug|mcg|micrograms?|mg|milligrams?|iu)\b", re.I
)
_CALCIUM_SALT = re.compile(r"\b(carbonate|citrate)\b", re.I)
#: A dose written with a minus sign: "MK-7 -5 µg" (not the "-7" of "MK-7").
_NEGATIVE_DOSE = re.compile(
    r"(?:^|\s)[-−]\s?\d+(?:[.,]\d+)?\s*(?:µg|μg|ug|mcg|micrograms?|mg|milligrams?|iu)\b", re.I
)


@dataclass(frozen=True, slots=True)
class SupplementMatch:
    """A supplement item read from meal text: which product, how many units, and the
    nutrient amounts of that many units."""

    product: str
    quantity: float
    unit: str
    amounts: Mapping[str, float]
    builtin: bool


def _dose_form(text: str) -> str | None:
    for word in re.findall(r"[a-z]+", text.lower()):
        unit = HOUSEHOLD_UNITS.get(word)
        if unit in DOSE_FORMS and unit not in {"piece", "serving"}:
            return unit
    return None


def _count(text: str) -> float:
    """The number of units named at the item's start (1 when none is)."""
    stripped = _DOSE.sub(" ", text) if not text[:1].isdigit() else text
    words = read_item(stripped) if stripped.strip() else None
    if words is None or words.quantity is None:
        return 1.0
    if _DOSE.match(text.strip()):  # "180 µg MK-7": the number is the dose, one unit
        return 1.0
    return words.quantity


_SUPPLEMENT_FILLER = re.compile(
    r"\b(?:vitamin|vit|supplement|supplements|capsules?|caps|tablets?|tabs|softgels?|pills?|"
    r"gumm(?:y|ies)|drops?|a|an|one|two|three|of|my|the|daily|dose|\d+)\b|[^\w\s]",
    re.IGNORECASE,
)


def _only_supplement_words(text: str) -> bool:
    """True when nothing but vitamer names and supplement words is left ("vitamin K2",
    "1 capsule MK-7", "D3"): a supplement, not a food such as "milk with vitamin D"."""
    rest = _AMBIGUOUS_K2.sub(" ", text)
    for pattern, _, _ in _VITAMERS:
        rest = pattern.sub(" ", rest)
    return not _SUPPLEMENT_FILLER.sub(" ", rest).strip()


def _checked_count(text: str) -> float:
    count = _count(text)
    if count > MAX_UNITS_PER_ITEM:
        raise MealParseError(
            f"Impossible amount in {quoted(text)}: {count:g} units of a supplement in one item "
            f"(at most {MAX_UNITS_PER_ITEM})."
        )
    return count


def _user_product(text: str, products: Sequence[SupplementProduct]) -> SupplementProduct | None:
    lowered = f" {' '.join(text.lower().split())} "
    best: SupplementProduct | None = None
    for product in products:
        if f" {product.name.lower()} " in lowered and (
            best is None or len(product.name) > len(best.name)
        ):
            best = product
    return best


def read_supplement(text: str, products: Sequence[SupplementProduct]) -> SupplementMatch | None:
    """Recognise a supplement item, or None when the text names no supplement.

    A user product is recognised by its name; a generic one by a vitamer word
    (MK-7, MK-4, K1, D3, vitamin D, calcium) together with a dose (``90 µg``,
    ``1000 IU``, ``500 mg``) or a dose form (capsule, tablet …). Raises
    `MealParseError` when a supplement is named but its dose cannot be known.
    """
    product = _user_product(text, products)
    if product is not None:
        count = _checked_count(text)
        form = _dose_form(text)
        if form is not None and form != product.unit:
            raise AmbiguousSupplementError(
                f"{product.name} is counted in {product.unit}s, not {form}s ({quoted(text)})."
            )
        return SupplementMatch(
            product.name,
            count,
            product.unit,
            {k: v * count for k, v in product.amounts.items()},
            product.builtin,
        )
    vitamers = [(key, label) for pattern, key, label in _VITAMERS if pattern.search(text)]
    negative = _NEGATIVE_DOSE.search(text)
    if negative and (vitamers or _AMBIGUOUS_K2.search(text)):
        raise MealParseError(
            f"Impossible dose in {quoted(text)}: {negative.group().strip()} — a dose must be "
            "above 0."
        )
    doses = _DOSE.findall(text)
    form = _dose_form(text)
    if _only_supplement_words(text) and (vitamers or _AMBIGUOUS_K2.search(text)) and not doses:
        named = {"D3" if label in {"Vitamin D", "D2"} else label for _, label in vitamers}
        named = named or {"MK-"}
        raise AmbiguousSupplementError(
            f"{quoted(text)} names a supplement without its dose: write it from the label, e.g. "
            "'1 capsule MK-7 90 µg' or '1000 IU vitamin D3'.",
            tuple(p.name for p in BUILTIN_PRODUCTS if any(x in p.name for x in named)),
        )
    if not vitamers:
        if _AMBIGUOUS_K2.search(text) and (doses or form):
            raise AmbiguousSupplementError(
                f"{quoted(text)}: which vitamin K2? Write MK-7 or MK-4 (e.g. '1 capsule MK-7 "
                "90 µg'), or define the product with `vitk2 supplement add`.",
                tuple(p.name for p in BUILTIN_PRODUCTS if "MK-" in p.name),
            )
        return None
    if not doses and form is None:
        return None  # "calcium-fortified orange juice" is a food
    if len(vitamers) > 1 and "calcium_mg" in {k for k, _ in vitamers}:
        vitamers = [v for v in vitamers if v[0] != "calcium_mg"] if len(doses) < 2 else vitamers
    if len(vitamers) != 1 or len(doses) != 1:
        names = " / ".join(p.name for p in BUILTIN_PRODUCTS[:4])
        labels = {label for _, label in vitamers}
        raise AmbiguousSupplementError(
            f"{quoted(text)}: give one supplement per item with its dose, e.g. '1 capsule "
            f"MK-7 90 µg' or '1000 IU vitamin D3' (built-in: {names} …); for a multi-nutrient "
            "product define it once with `vitk2 supplement add NAME --per capsule --mk7 90ug …`.",
            tuple(p.name for p in BUILTIN_PRODUCTS if any(p.name.startswith(x) for x in labels)),
        )
    count = _checked_count(text)
    key, label = vitamers[0]
    number, unit = doses[0]
    dose_key = "vitd_ug" if key.startswith("vitd") else key
    try:
        per_unit = label_amount(f"{number}{unit}", dose_key)
    except InvalidOptionError as error:
        raise AmbiguousSupplementError(str(error)) from None
    amounts = complete_amounts({key: per_unit * count})
    name = f"{label} {number} {unit}" if key != "calcium_mg" else f"Calcium {number} {unit}"
    for builtin in BUILTIN_PRODUCTS:
        base = {k: v for k, v in builtin.amounts.items() if k in NUTRIENTS}
        if base == complete_amounts({key: per_unit}):
            name = builtin.name
            salt = _CALCIUM_SALT.search(text)
            if key == "calcium_mg" and salt and salt.group(1).lower() not in name.lower():
                continue
            break
    return SupplementMatch(name, count, form or "dose", amounts, True)
