"""Reading SR28 household measures: which measure a typed unit means, how much
volume a measure holds, and which measure is "one" of a food.

SR28 writes measures as free text: ``cup, chopped``, ``slice (1 oz)``,
``pita, large (6-1/2" dia)``, ``serving 1/2 cup``, ``oz (14 halves)``. These
functions read that text; they never invent a weight.

>>> measure_head("cup, chopped"), measure_head('pita, large (6-1/2" dia)')
('cup', 'pita')
>>> sorted(measure_words('stalk, medium (7-1/2" - 8" long)'))
['medium', 'stalk']
>>> round(measure_volume(Portion(1.0, "serving 1/2 cup", 132.0)), 1)
118.3
>>> per_piece(Portion(1.0, "oz (14 halves)", 28.35), "half")
2.025
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Final

from vitk2.foods.units import HOUSEHOLD_UNITS, millilitres_per
from vitk2.foods.values import UNSPECIFIED_PORTION, Portion

__all__ = [
    "CONTAINER_WORDS",
    "COUNT_UNITS",
    "UNSPECIFIED",
    "amount_free_portion",
    "choose_count",
    "choose_measure",
    "measure_head",
    "measure_volume",
    "measure_words",
    "named_count",
    "per_piece",
    "singular_word",
]

_VOLUME_WORDS: Final[dict[str, str]] = {
    "cup": "cup",
    "cups": "cup",
    "tbsp": "tbsp",
    "tablespoon": "tbsp",
    "tablespoons": "tbsp",
    "tsp": "tsp",
    "teaspoon": "tsp",
    "teaspoons": "tsp",
    "fl oz": "fl oz",
    "quart": "quart",
    "pint": "pint",
    "ml": "ml",
    "liter": "l",
    "l": "l",
}
_EMBEDDED_VOLUME = re.compile(
    r"(?:(\d+(?:\.\d+)?(?:\s*-\s*\d+/\d+)?|\d+/\d+)\s*)?"
    r"\b(cups?|tbsp|tablespoons?|tsp|teaspoons?|fl oz|quarts?|pints?)\b"
)
_PIECES = re.compile(r"\((?:about\s+)?(\d+)\s+([a-z]+(?:\s+[a-z]+)?)\)")
_IRREGULAR: Final[dict[str, str]] = {
    "halves": "half",
    "leaves": "leaf",
    "loaves": "loaf",
    "knives": "knife",
    "teeth": "tooth",
}

#: Measures that are "one" of a food when no unit is typed ("an apple", "2 eggs"),
#: in order of preference (after a measure named by the words themselves). With no
#: amount at all only the whole-food ones (up to "extra large") are assumed.
COUNT_UNITS: Final[tuple[str, ...]] = (
    "medium",
    "fruit",
    "whole",
    "each",
    "item",
    "piece",
    "unit",
    "large",
    "small",
    "extra large",
    "slice",
    "link",
    "patty",
    "bar",
)
#: Measure words that are containers, volumes or weights: never "one" of a food, and
#: a size inside them ("package, small (3 oz)") is the container's size.
#: Measure words that are containers ("bag (8 oz)", "small single serving bag").
CONTAINER_WORDS: Final[frozenset[str]] = frozenset(
    {"package", "container", "can", "jar", "bag", "box", "bottle", "pouch", "packet", "carton",
     "tub"}
)  # fmt: skip
_NOT_COUNTS: Final[frozenset[str]] = CONTAINER_WORDS | frozenset(
    {"cup", "tbsp", "tsp", "fl oz", "oz", "lb", "g", "quart", "pint", "serving", "cubic",
     "drink"}
)  # fmt: skip


def singular_word(word: str) -> str:
    """A plain English singular: ``almonds`` -> ``almond``, ``berries`` -> ``berry``."""
    lowered = word.lower()
    if lowered in _IRREGULAR:
        return _IRREGULAR[lowered]
    if lowered in HOUSEHOLD_UNITS:
        return HOUSEHOLD_UNITS[lowered]
    if len(lowered) > 4 and lowered.endswith("ies"):
        return lowered[:-3] + "y"
    if len(lowered) > 4 and lowered.endswith(("ches", "shes", "xes", "sses", "toes")):
        return lowered[:-2]
    if len(lowered) > 3 and lowered.endswith("s") and not lowered.endswith(("ss", "us")):
        return lowered[:-1]
    return lowered


def words_of(text: str) -> set[str]:
    """Singular words of a text."""
    return {singular_word(w) for w in re.findall(r"[a-z]+", text.lower())}


def measure_head(unit: str) -> str:
    """The measure word of an SR28 unit: 'cup, chopped' -> 'cup', 'slice (1 oz)' -> 'slice'."""
    head = re.split(r"[,(]", unit, maxsplit=1)[0].strip().lower()
    head = head.replace("tablespoon", "tbsp").replace("teaspoon", "tsp")
    if head.startswith(("nlea serving", "serving")):
        return "serving"
    words = head.split()
    if len(words) > 1 and words[0] in {"extra", "fl"}:
        return " ".join(words[:2])
    return singular_word(words[0]) if words else head


#: Words that give a measure's size, not what it is ("regular sandwich").
_SIZE_WORDS: Final = frozenset(
    {"small", "medium", "large", "extra", "regular", "jumbo", "mini", "miniature", "single",
     "serving", "individual", "whole", "personal", "size"}
)  # fmt: skip


#: Measures that are a size and nothing else ("medium", "extra large", "mini").
_BARE_SIZES: Final = frozenset({"small", "medium", "large", "extra", "mini", "miniature", "jumbo"})


def _sized_noun(unit: str) -> str:
    """The noun of a measure that is a size and a noun: "regular sandwich" ->
    sandwich, "small single serving bag" -> bag; "" for others ("plum tomato")."""
    words = re.findall(r"[a-z]+", re.split(r"[,(]", unit, maxsplit=1)[0].lower())
    if len(words) < 2 or not set(words[:-1]) <= _SIZE_WORDS:
        return ""
    return singular_word(words[-1])


def measure_words(unit: str) -> set[str]:
    """Singular words of a measure, outside its parenthesis."""
    return words_of(unit.split("(", 1)[0])


def _number(text: str) -> float:
    parts = [p for p in re.split(r"[\s-]+", text.strip()) if p]
    return float(sum((Fraction(p) for p in parts), Fraction(0)))


def measure_volume(portion: Portion) -> float | None:
    """Millilitres the measure holds, when it is (or states) a volume: ``1 cup``,
    ``cup (8 fl oz)``, ``serving 1/2 cup``, ``serving (5 fl oz)``; else None."""
    head = measure_head(portion.unit)
    if head in _VOLUME_WORDS:
        return portion.amount * millilitres_per(_VOLUME_WORDS[head])
    match = _EMBEDDED_VOLUME.search(portion.unit.lower())
    if match is None:
        return None
    count = _number(match.group(1)) if match.group(1) else 1.0
    word = _VOLUME_WORDS.get(match.group(2)) or _VOLUME_WORDS[match.group(2).rstrip("s")]
    return portion.amount * count * millilitres_per(word)


def per_piece(portion: Portion, piece: str) -> float | None:
    """Grams of one ``piece`` when the measure counts them: ``oz (14 halves)``,
    ``oz (23 whole kernels)`` -> grams per half / per kernel; else None."""
    for count, noun in _PIECES.findall(portion.unit.lower()):
        if piece in words_of(noun):
            return portion.grams / (portion.amount * int(count))
    return None


_ANY_SIZE = re.compile(r"\b(nfs|any size|ns as to size)\b", re.IGNORECASE)


def _prefer_medium(portions: Sequence[Portion], every: Sequence[Portion] = ()) -> Portion:
    """Of several sizes of one measure, the one for a size not given: FNDDS's "NFS"
    or "any size" measure, else the size of the food's "Quantity not specified"
    portion (among ``every`` measure of the food), else a medium or regular one, else
    the first."""
    for portion in portions:
        if _ANY_SIZE.search(portion.unit):
            return portion
    usual = [p.grams for p in every if p.unit.strip().lower() == UNSPECIFIED]
    for portion in portions:
        if usual and portion.amount == 1.0 and portion.grams == usual[0]:
            return portion
    for size in ("personal", "individual", "medium", "regular"):
        for portion in portions:
            if size in measure_words(portion.unit):
                return portion
    return portions[0]


_POUND_YIELD = re.compile(r"\byields? from 1 lb\b", re.IGNORECASE)

WHOLE_FOOD_UNITS: Final = 10  # COUNT_UNITS[:10]: medium … extra large


def _countable(portions: Sequence[Portion]) -> list[Portion]:
    """Measures that may be "one" of a food. Not containers and volumes, FNDDS's
    "Quantity not specified", nor a brand's own portion ("Kit Kat Bite", "Nabisco
    Chips Ahoy!", written capitalised); nor the cooked yield of a pound of raw meat
    ("piece, cooked, excluding refuse (yield from 1 lb raw meat with refuse)", 292 g):
    a cook's yield, not a piece."""
    return [
        p
        for p in portions
        if measure_head(p.unit) not in _NOT_COUNTS
        and not p.unit[:1].isupper()
        and not _POUND_YIELD.search(p.unit)
    ]


def named_count(portions: Sequence[Portion], named: Iterable[str]) -> Portion | None:
    """The measure that is "one" of the food when ``named`` words name it ('liver',
    'almond', 'stick' for fish sticks, 'sandwich' for "regular sandwich"), else None.
    The food's bare sizes are sizes of what the words name: "a muffin" of SR28
    blueberry muffins (a 31 g "muffin", mini to extra large) is the medium one."""
    wanted = set(named)
    countable = _countable(portions)
    by_name = [p for p in countable if measure_head(p.unit) in wanted]
    # FNDDS often writes the size first: "regular sandwich", "medium cookie".
    by_name += [p for p in countable if p not in by_name and _sized_noun(p.unit) in wanted]
    if not by_name:
        return None
    sizes = [p for p in countable if p not in by_name and _bare_size(p.unit)]
    return _prefer_medium([*by_name, *sizes], portions)


def _bare_size(unit: str) -> bool:
    words = measure_words(unit)
    return bool(words) and words <= _BARE_SIZES


def choose_count(
    portions: Sequence[Portion], named: Iterable[str], *, whole_only: bool = False
) -> Portion | None:
    """The measure that is "one" of the food: a measure named by the food's or the
    item's words (`named_count`), else the first of `COUNT_UNITS` the food has (only
    whole-food measures with ``whole_only``)."""
    by_name = named_count(portions, named)
    if by_name is not None:
        return by_name
    # A size of the food, not of its container ("small single serving bag").
    portions = [
        p
        for p in portions
        if not _POUND_YIELD.search(p.unit) and not measure_words(p.unit) & CONTAINER_WORDS
    ]
    for unit in COUNT_UNITS[:WHOLE_FOOD_UNITS] if whole_only else COUNT_UNITS:
        matches = [p for p in portions if measure_head(p.unit) == unit]
        if not matches and unit in {"medium", "large", "small"}:
            matches = [
                p
                for p in portions
                if unit in measure_words(p.unit) and measure_head(p.unit) not in _NOT_COUNTS
            ]
        if matches:
            return _prefer_medium(matches, portions)
    return None


#: FNDDS's portion for a food eaten with no amount given: what the US dietary survey
#: itself records then ("Quantity not specified"; every FNDDS food has one), lower-cased.
UNSPECIFIED: Final = UNSPECIFIED_PORTION.lower()


def amount_free_portion(portions: Sequence[Portion]) -> Portion | None:
    """The portion of a food written with no amount at all ("a cheeseburger" is a
    count; "cheeseburger", "some brie" are not): FNDDS's "Quantity not specified"
    when the food has one, else one whole-food measure of SR28 (medium, fruit,
    whole … `COUNT_UNITS` up to "extra large"), else None: vitk2 asks.

    >>> cup, unspecified = Portion(1.0, "cup", 240.0), Portion(1.0, "Quantity not specified", 360.0)
    >>> amount_free_portion([cup, unspecified]).grams
    360.0
    >>> amount_free_portion([Portion(1.0, "cup", 240.0)]) is None
    True
    """
    for portion in portions:
        if portion.unit.strip().lower() == UNSPECIFIED:
            return portion
    return choose_count(portions, (), whole_only=True)


_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "rasher": ("slice",),
    "slice": ("slice", "piece"),  # FNDDS cuts pizza, pie and cake in pieces
    "pot": ("container",),  # British: a pot of yogurt
    "tub": ("container", "tub"),
    "carton": ("carton", "container"),
    "bag": ("bag", "package", "packet"),
    "box": ("box", "package"),
    "cube": ("cube", "cubic"),
    "stick": ("stick", "stalk"),
    "pack": ("package", "packet", "container"),
    "package": ("package", "packet", "container"),
    "packet": ("packet", "package"),
    "portion": ("serving",),
    "filet": ("fillet",),
}


_SIZES: Final = frozenset({"small", "medium", "large"})
_YIELDS = re.compile(r"\byields?\b", re.IGNORECASE)


def choose_measure(portions: Sequence[Portion], unit: str) -> Portion | None:
    """The food's measure for a typed household unit ('slice', 'large', 'stick' …):
    same measure word first (a 'medium' one when there are sizes), then a measure
    that mentions the word ('pita, large'), then an alias ('rasher' -> 'slice'). A
    size is the food's own: FNDDS's "medium, raw, yields" is the raw potato that
    yields the fries, not a medium order of fries."""
    if unit in _SIZES:
        portions = [p for p in portions if not _YIELDS.search(p.unit)]
    for wanted in _ALIASES.get(unit, (unit,)):
        heads = [p for p in portions if measure_head(p.unit) == wanted]
        if heads:
            exact = [p for p in heads if p.unit.lower() == wanted]
            return exact[0] if exact else _prefer_medium(heads, portions)
        mentions = [
            p
            for p in portions
            if wanted in measure_words(p.unit) and measure_head(p.unit) not in _NOT_COUNTS
        ]
        if mentions:
            return _prefer_medium(mentions, portions)
    if unit == "serving":
        servings = [p for p in portions if "serving" in p.unit.lower()]
        if servings:
            return servings[0]
    return None
