"""Reading meal text: split it into items and read each item's amount, unit and words.

This module knows words, not foods: `vitk2.intake.meals` matches the words against the
food database and the supplement catalogue and turns amounts into grams.

>>> split_items("2 slices of gouda, a boiled egg and 50 g natto; 1 cup whole milk")
['2 slices of gouda', 'a boiled egg', '50 g natto', '1 cup whole milk']
>>> read_item("2 slices of gouda")
ItemWords(text='2 slices of gouda', quantity=2.0, unit='slice', words='gouda')
>>> read_item("½ cup cooked rice").quantity
0.5
>>> read_item("natto 50g")
ItemWords(text='natto 50g', quantity=50.0, unit='g', words='natto')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from vitk2.errors import InvalidOptionError, MealParseError, quoted
from vitk2.foods.amounts import check_number_text
from vitk2.foods.units import HOUSEHOLD_UNITS, MASS_UNITS, VOLUME_UNITS, canonical_unit

__all__ = [
    "JOINT_WORDS",
    "ItemWords",
    "Piece",
    "read_item",
    "singular",
    "split_items",
    "split_pieces",
]

_UNICODE_FRACTIONS: Final[dict[str, Fraction]] = {
    "½": Fraction(1, 2),
    "¼": Fraction(1, 4),
    "¾": Fraction(3, 4),
    "⅓": Fraction(1, 3),
    "⅔": Fraction(2, 3),
    "⅛": Fraction(1, 8),
    "⅜": Fraction(3, 8),
    "⅝": Fraction(5, 8),
    "⅞": Fraction(7, 8),
    "⅕": Fraction(1, 5),
}
_NUMBER_WORDS: Final[dict[str, float]] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "half": 0.5,
    "quarter": 0.25,
}

_MULTI_WORD_UNITS: Final[dict[str, str]] = {
    "fl oz": "fl oz",
    "fl. oz": "fl oz",
    "fl. oz.": "fl oz",
    "fluid ounce": "fl oz",
    "fluid ounces": "fl oz",
    "extra large": "extra large",
}
_NUMBER = r"(?:\d+(?:[.,]\d+)?)"
_FRACTIONS = "".join(_UNICODE_FRACTIONS)
_AMOUNT_START = (
    rf"(?:\d|[{_FRACTIONS}]|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|half)\b)"
)
_SEPARATORS = re.compile(
    r"\s*(\n|;|(?<!\d),|,(?!\d)|\+|(?<!\w)&|&(?!\w)|\band\b(?!\s+an?\s+(?:half|quarter)\b)"
    r"|\bwith\b(?!\s+added\b)|\bplus\b|\bon\b|\bover\b"
    rf"|\s-\s(?={_AMOUNT_START})|\b(?:in|into)\b(?=\s+{_AMOUNT_START}))\s*",
    re.IGNORECASE,
)
#: Separator words, as `Piece.joint` names them ("&" is "and", "+" is "plus").
JOINT_WORDS: Final[frozenset[str]] = frozenset({"and", "with", "plus", "on", "over", "in", "into"})
#: "Breakfast:", "BLT:", "cheese plate:" — a heading before the items.
_HEADING = re.compile(r"^(?!(?:usda|fndds):\d)[^:\d]{1,40}:\s*", re.IGNORECASE)
#: "porridge made with 40 g oats": the dish is its ingredients.
_MADE_WITH = re.compile(r"\b[\w' -]{1,40}?\s+(?:made|prepared)\s+(?:with|from|of)\s+", re.I)
#: "liver and onions - 100 g beef liver, 1 onion": a dish title before its items.
_DISH_TITLE = re.compile(
    rf"(^|[\n;,])\s*(?!{_AMOUNT_START})[^,;\n:]{{1,40}}?\s-\s(?={_AMOUNT_START})", re.I
)
_MEAL_WORDS = frozenset(
    {"breakfast", "lunch", "dinner", "supper", "snack", "snacks", "brunch", "dessert", "meal"}
)
_UNIT_WORDS = "|".join(
    sorted(
        (re.escape(w) for w in (*MASS_UNITS, *VOLUME_UNITS, *HOUSEHOLD_UNITS, *_MULTI_WORD_UNITS)),
        key=len,
        reverse=True,
    )
)
_LEAD_AMOUNT = re.compile(
    rf"^(?P<qty>-?\s*{_NUMBER}\s+\d+/\d+|-?\s*\d+/\d+|-?\s*\d*\s?[{_FRACTIONS}]"
    rf"|-?\s*{_NUMBER})\s*(?:x\s+|×\s*)?",
    re.IGNORECASE,
)
_UNIT_AT = re.compile(rf"^(?P<unit>{_UNIT_WORDS})(?![a-zµμ])\.?\s*(?:of\s+)?", re.IGNORECASE)
_TRAILING_AMOUNT = re.compile(
    rf"[\s(]+(?P<qty>{_NUMBER}|\d+/\d+)\s*(?P<unit>{_UNIT_WORDS})\.?\)?\s*$", re.IGNORECASE
)
#: Containers and servings that are units only before "of" ("a pot of yogurt", "a
#: plate of lasagna"): as food words they begin names ("pot roast", "pot stickers").
_UNIT_OF = re.compile(
    r"^(?P<unit>plate|pot|tub|bag|carton|box)(?:e?s)?\s+of\s+(?=\S)", re.IGNORECASE
)
_BULLET = re.compile(r"^[-*•·]\s+")
#: Numbers vitk2 does not read as amounts: scientific notation, hexadecimal.
_NOT_DECIMAL = re.compile(r"^[-+−]?(?:\d+(?:[.,]\d+)?e[-+]?\d+|0x[0-9a-f]+)", re.IGNORECASE)
_TIMES = re.compile(r"\s+[x×]\s*(\d{1,3})\s*$", re.IGNORECASE)
_AMOUNT_ONLY = re.compile(rf"^\(?(?:{_NUMBER}|\d+/\d+)\s*(?:{_UNIT_WORDS})\.?\)?$", re.IGNORECASE)
_MASS_NAMES = frozenset({"g", "kg", "oz", "lb"})
_BRACKET_WEIGHT = re.compile(
    rf"\((?:about\s+|approx\.?\s+|~\s*)?(?P<qty>{_NUMBER})\s*(?P<unit>g|grams?|kg|oz|ml|l)\)",
    re.IGNORECASE,
)
_MIDDLE_AMOUNT = re.compile(
    rf"\s(?P<qty>{_NUMBER}|\d+/\d+)\s*(?P<unit>{_UNIT_WORDS})\.?(?=\s)", re.IGNORECASE
)
_VAGUE_MEASURE = re.compile(
    r"^\s*(?:small|medium|large|big|little)?\s*(?:pot|tub|carton|bowl|glass|cup|portion|"
    r"serving|pack|packet|bag|box|jar|can|bottle|piece)s?\s+of\s+",
    re.IGNORECASE,
)
_FILLER = re.compile(r"^(?:of|the|some|my|fresh\s+serving\s+of)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ItemWords:
    """One item as written: its amount (None when not given), unit (None when not
    given; canonical: ``g``, ``cup``, ``slice`` …) and the words naming the food."""

    text: str
    quantity: float | None
    unit: str | None
    words: str


def singular(word: str) -> str:
    """The singular of a unit word (``slices`` -> ``slice``), unchanged otherwise."""
    lowered = word.lower()
    return HOUSEHOLD_UNITS.get(lowered, lowered)


@dataclass(frozen=True, slots=True)
class Piece:
    """One item's text and the separator word written before it (``joint``: one of
    `JOINT_WORDS`), or None after punctuation, a new line, or at the start."""

    text: str
    joint: str | None = None


def split_items(text: str) -> list[str]:
    """Split meal text into item texts at commas, semicolons, new lines, "+", "&",
    "and", "with", "plus", "on" and "over". Whether "ham and cheese sandwich" is
    one dish is a question about foods, which `vitk2.intake.meals` answers."""
    return [piece.text for piece in split_pieces(text)]


def split_pieces(text: str) -> list[Piece]:
    """`split_items`, keeping the separator word before each piece."""
    lines = (_HEADING.sub("", _BULLET.sub("", line.strip())) for line in text.splitlines())
    protected = _DISH_TITLE.sub(r"\1", _MADE_WITH.sub("", "\n".join(lines)))
    parts = _SEPARATORS.split(protected)
    pieces: list[Piece] = []
    joint: str | None = None
    for index, part in enumerate(parts):
        if index % 2:  # a separator
            word = part.strip().lower()
            joint = {"&": "and", "+": "plus"}.get(word, word)
            joint = joint if joint in JOINT_WORDS else None
            continue
        cleaned = _HEADING.sub("", _BULLET.sub("", part.strip(" .\t"))).strip(" .\t")
        if not cleaned or cleaned.lower().rstrip(":") in _MEAL_WORDS:
            joint = None
            continue
        if pieces and _AMOUNT_ONLY.match(cleaned) and _has_no_amount(pieces[-1].text):
            pieces[-1] = Piece(f"{pieces[-1].text} {cleaned}", pieces[-1].joint)  # "kefir, 250 ml"
            continue
        pieces.append(Piece(cleaned, joint if pieces else None))
    return pieces


def _has_no_amount(text: str) -> bool:
    try:
        words = read_item(text)
    except MealParseError:
        return False
    return words.quantity is None and words.unit is None


def _number(text: str) -> float:
    compact = text.replace(" ", "")
    negative = compact.startswith("-")
    compact = compact.lstrip("-")
    value: Fraction
    if compact and compact[-1] in _UNICODE_FRACTIONS:
        whole = compact[:-1]
        value = (Fraction(whole) if whole else Fraction(0)) + _UNICODE_FRACTIONS[compact[-1]]
    elif "/" in text:
        parts = text.strip().lstrip("-").split()
        value = sum((Fraction(p) for p in parts), Fraction(0))
        if value.denominator == 0:
            raise ZeroDivisionError
    else:
        value = Fraction(compact.replace(",", "."))
    return float(-value if negative else value)


def _lead_words(text: str) -> tuple[float | None, str]:
    """A quantity spelt in words at the start ("a", "two", "half a", "a half")."""
    lowered = text.lower()
    for phrase, value in (
        ("half of a ", 0.5),
        ("half an ", 0.5),
        ("half a ", 0.5),
        ("a half ", 0.5),
        ("one and a half ", 1.5),
        ("a quarter of a ", 0.25),
        ("a quarter ", 0.25),
        ("a couple of ", 2.0),
        ("a dozen ", 12.0),
    ):
        if lowered.startswith(phrase):
            return value, text[len(phrase) :]
    first, _, rest = text.partition(" ")
    word_value = _NUMBER_WORDS.get(first.lower())
    if word_value is not None and rest:
        return word_value, rest
    return None, text


def _checked_number(text: str, whole: str) -> float:
    """An amount under the amount rule (`vitk2.foods.amounts`): not too many digits,
    not ambiguous (``1,000``), finite."""
    try:
        check_number_text(text, what="the amount")
    except InvalidOptionError as error:
        raise MealParseError(f"Cannot read the amount in {quoted(whole)}: {error}") from None
    try:
        return _number(text)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise MealParseError(f"Cannot read the amount in {quoted(whole)}.") from None


def _amount_inside(rest: str, whole: str) -> tuple[float | None, str | None, str]:
    """An amount that is not at the start: in the middle ("feta 1/2 cup crumbled")
    or at the end ("natto 50g", "gouda (2 slices)")."""
    middle = _MIDDLE_AMOUNT.search(rest)
    if middle and rest[: middle.start()].strip() and rest[middle.end() :].strip():
        quantity = _checked_number(middle.group("qty"), whole)
        return (
            quantity,
            _canonical(middle.group("unit")),
            f"{rest[: middle.start()]} {rest[middle.end() :]}",
        )
    trailing = _TRAILING_AMOUNT.search(rest)
    if trailing and rest[: trailing.start()].strip():
        quantity = _checked_number(trailing.group("qty"), whole)
        return quantity, _canonical(trailing.group("unit")), rest[: trailing.start()]
    return None, None, rest


def _food_words(rest: str) -> str:
    words = rest.strip(" .,:()")
    while True:
        stripped = _FILLER.sub("", words)
        if stripped == words:
            return words
        words = stripped


_COUNTING: Final = frozenset({"each", "whole"})


def read_item(text: str) -> ItemWords:
    """Read one item: amount, unit and food words. Raises `MealParseError` for an
    amount that cannot be a real one (negative, zero, 1/0)."""
    rest = _BULLET.sub("", text.strip())  # "- 1 cup milk" in a pasted list
    written = _NOT_DECIMAL.match(rest)
    if written:
        raise MealParseError(
            f"Cannot read the amount {quoted(written.group())} in {quoted(text)}: write "
            "amounts as plain decimal numbers or fractions, e.g. '100 g cheese' or '1/2 cup'."
        )
    quantity: float | None = None
    unit: str | None = None
    match = _LEAD_AMOUNT.match(rest)
    if match and match.group("qty").strip() not in {"", "-"}:
        quantity = _checked_number(match.group("qty"), text)
        rest = rest[match.end() :]
    else:
        quantity, rest = _lead_words(rest)
        if quantity == 1 and rest.lower().startswith(("half ", "quarter ")):  # "a half cup"
            quantity, rest = _lead_words(rest)
        elif quantity == 1 and _LEAD_AMOUNT.match(rest) and text.lower().startswith(("a ", "an ")):
            inner = read_item(rest)  # "a 5 oz cod fillet"
            return ItemWords(text.strip(), inner.quantity, inner.unit, inner.words)
    unit_match = _UNIT_AT.match(rest)
    unit_of = _UNIT_OF.match(rest)
    # "each" and "whole" count what is counted: with no count they are no unit ("whole
    # milk", "whole wheat toast").
    if unit_match and (quantity is not None or unit_match.group("unit").lower() not in _COUNTING):
        candidate = rest[unit_match.end() :]
        if candidate.strip():  # "2 large" alone: the unit word is the food
            unit = _canonical(unit_match.group("unit"))
            rest = candidate
    elif unit_of:
        unit = unit_of.group("unit").lower()
        rest = rest[unit_of.end() :]
    times = _TIMES.search(rest)
    if times and rest[: times.start()].strip():
        rest = rest[: times.start()]
        quantity = (quantity or 1.0) * int(times.group(1))
    weight = _BRACKET_WEIGHT.search(rest)
    if weight and (unit is None or unit not in _MASS_NAMES):
        # "a small pot of yoghurt (125 g)": the stated weight is the amount
        quantity = _checked_number(weight.group("qty"), text) * (
            quantity or 1.0 if unit is None else 1.0
        )
        unit = _canonical(weight.group("unit"))
        rest = _drop_vague_measure(rest[: weight.start()] + rest[weight.end() :])
    if quantity is None and unit is None:
        quantity, unit, rest = _amount_inside(rest, text)
    if quantity is not None and not quantity > 0:
        raise MealParseError(
            f"Impossible amount in {quoted(text)}: {quantity:g} — amounts must be above 0."
        )
    return ItemWords(text=text.strip(), quantity=quantity, unit=unit, words=_food_words(rest))


def _drop_vague_measure(text: str) -> str:
    return _VAGUE_MEASURE.sub("", text.strip())


def _canonical(word: str) -> str:
    lowered = " ".join(word.lower().rstrip(".").split())
    if lowered in _MULTI_WORD_UNITS:
        return _MULTI_WORD_UNITS[lowered]
    if lowered in MASS_UNITS or lowered in VOLUME_UNITS:
        return canonical_unit(lowered)
    return singular(lowered)
