"""What is added to a food: "coffee with cream", "porridge with milk", "toast with jam".

An addition written without an amount is a small amount of the right food, not a
glass of milk: the US dietary survey (FNDDS 2017-2018) gives "guideline amounts" for
exactly these cases, and `vitk2/data/meal_additions.csv` copies them with their
FNDDS food code and portion name:

- in a drink, per fl oz of the drink: milk, cream and liquid creamer 2.5 g, sugar
  1.4 g, honey 2.4 g;
- on a hot cereal (oatmeal, grits), per cup of cereal: milk 61 g;
- on bread, per slice or roll: butter and margarine 7 g, peanut butter 16 g, jam 10 g.

The size of the base comes from its own item; when that item has no weight (it is
unresolved), one cup of the drink or cereal, or one slice, is assumed. Either way
the item's note says how the grams were found.

>>> [row.addition for row in rows_for("hot cereal")]
['milk']
>>> context_of("Beverages, coffee, brewed, prepared with tap water", drink=True)
'beverage'
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final, Literal

__all__ = ["AdditionRow", "Context", "addition_note", "context_of", "rows_for"]

Context = Literal["beverage", "hot cereal", "bread"]

_HOT_CEREAL: Final = re.compile(
    r"^(Cereals, .*\bcooked\b|Oatmeal\b|Grits\b|Cream of (wheat|rice)\b|Farina\b|Congee\b)",
    re.IGNORECASE,
)
_BREAD: Final = re.compile(
    r"^(Bread|Rolls?|Bagels?|English muffins?|Muffin, English|Croissants?|Biscuits?)\b",
    re.IGNORECASE,
)
#: The base assumed when it has no weight (it is unresolved): one cup of a drink
#: (8 fl oz), one cup of a cereal, one slice; in the guideline's unit.
_ASSUMED: Final[dict[Context, tuple[float, str]]] = {
    "beverage": (8.0, "1 cup (8 fl oz)"),
    "hot cereal": (1.0, "1 cup"),
    "bread": (1.0, "1 slice"),
}


@dataclass(frozen=True, slots=True)
class AdditionRow:
    """One guideline amount: ``grams`` of a food whose name matches ``food_pattern``
    per ``per`` (fl oz, cup, slice) of the base. ``food`` is the food a bare
    ``addition`` word means here (cream in coffee: SR28's light "coffee cream")."""

    context: Context
    addition: str
    food_pattern: re.Pattern[str]
    food: str | None
    grams: float
    per: str
    source: str


@cache
def _rows() -> tuple[AdditionRow, ...]:
    text = (resources.files("vitk2") / "data" / "meal_additions.csv").read_text("utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        context = row["context"]
        assert context in _ASSUMED, f"unknown context {context!r} in meal_additions.csv"
        rows.append(
            AdditionRow(
                context=context,
                addition=row["addition"],
                food_pattern=re.compile(row["food_pattern"], re.IGNORECASE),
                food=row["food"] or None,
                grams=float(row["grams"]),
                per=row["per"],
                source=(
                    f"FNDDS 2017-2018 {row['fndds_code']} {row['fndds_food']}: "
                    f"'{row['fndds_portion']}' {float(row['grams']):g} g"
                ),
            )
        )
    return tuple(rows)


def rows_for(context: Context) -> tuple[AdditionRow, ...]:
    """The guideline amounts for additions to a base of this kind."""
    return tuple(row for row in _rows() if row.context == context)


def context_of(name: str, *, drink: bool) -> Context | None:
    """What kind of base a food is for additions: a drink (``drink``: the parser
    knows which foods are liquids), a hot cereal, a bread; else None."""
    if drink:
        return "beverage"
    if _HOT_CEREAL.search(name):
        return "hot cereal"
    if _BREAD.search(name):
        return "bread"
    return None


def addition_note(row: AdditionRow, units: float | None) -> tuple[float, str]:
    """Grams of the addition for ``units`` of the base (None: the base has no weight,
    one cup or slice is assumed), and the note that says how they were found."""
    count, size = _ASSUMED[row.context] if units is None else (units, f"{units:.3g} {row.per}")
    grams = row.grams * count
    assumed = ", assumed: the food it is added to has no amount" if units is None else ""
    return grams, (
        f"no amount given: {grams:.3g} g of {row.addition} for {size}{assumed} "
        f"({row.grams:g} g per {row.per}, the survey's guideline amount: {row.source})"
    )
