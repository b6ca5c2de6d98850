"""Scoring the meal parser against the labelled phrase sets in tests/data/.

Two sets (tests/data/README.md says how each was labelled):

- ``meal_phrases.csv``: phrases with amounts; each item has a gram point, accepted
  within ±25 % (supplements: every labelled nutrient amount within ±1 %);
- ``everyday_phrases.csv``: everyday phrases, mostly without an amount; each item
  has an accepted gram range and may be ``covered_by`` whole foods that already
  contain it ("chicken curry with rice": the rice).

Parsed items are matched to labelled items in order; a labelled item is matched to
the first unused parsed item naming one of its accepted foods (or supplement
nutrients), so an extra or merged item costs only the items it really gets wrong.
An item covered by a whole food that another parsed item resolved to is right and
uses no parsed item.

Each labelled item ends in one of four outcomes:

- ``right``: resolved to an accepted food with grams in range (or covered);
- ``unresolved``: the parser asked (no item, or an unresolved one);
- ``wrong_shown``: resolved to a wrong food or to grams out of range, with an
  assumption shown next to it (the item has notes);
- ``silently_wrong``: resolved wrong with no assumption shown.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vitk2.intake.meals import MealItem, MealParser

DATA = Path(__file__).resolve().parent / "data"
PHRASES = DATA / "meal_phrases.csv"
EVERYDAY = DATA / "everyday_phrases.csv"
NONFOOD = DATA / "nonfood_phrases.csv"
#: The old set's tolerance around its gram point.
TOLERANCE = 0.25

Result = Literal["right", "unresolved", "wrong_shown", "silently_wrong"]


@dataclass(frozen=True)
class Expected:
    phrase_id: str
    split: str
    phrase: str
    foods: frozenset[str]
    amounts: dict[str, float]
    grams: float | None
    note: str = ""
    grams_low: float | None = None
    grams_high: float | None = None
    covered_by: frozenset[str] = frozenset()
    category: str = ""

    @property
    def estimated(self) -> bool:
        """The label's weight is the labeller's estimate (no amount, or an informal
        measure such as a handful that SR28 does not have)."""
        lowered = self.note.lower()
        return "estimated" in lowered or "no quantity" in lowered

    def grams_ok(self, grams: float | None) -> bool:
        if self.grams_low is None or self.grams_high is None:
            return True
        return grams is not None and self.grams_low <= grams <= self.grams_high


@dataclass(frozen=True)
class Outcome:
    expected: Expected
    item: MealItem | None
    right_food: bool
    right_amount: bool
    covered: bool = False

    @property
    def right(self) -> bool:
        return self.covered or (self.right_food and self.right_amount)

    @property
    def result(self) -> Result:
        if self.right:
            return "right"
        if self.item is None or self.item.status != "ok":
            return "unresolved"
        return "wrong_shown" if self.item.notes else "silently_wrong"


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def _ids(text: str) -> frozenset[str]:
    return frozenset(x.strip() for x in text.split("|") if x.strip())


def load(path: Path = PHRASES) -> dict[str, list[Expected]]:
    """Labelled items by phrase id, in file order."""
    phrases: dict[str, list[Expected]] = defaultdict(list)
    for row in _rows(path):
        expected = row["expected"].strip()
        foods: frozenset[str] = frozenset()
        amounts: dict[str, float] = {}
        if expected.startswith(("usda:", "fndds:")):
            foods = _ids(expected)
        else:
            for pair in expected.split(";"):
                key, _, value = pair.partition("=")
                amounts[key.strip()] = float(value)
        if "grams_low" in row:
            grams = None
            low: float | None = float(row["grams_low"])
            high: float | None = float(row["grams_high"])
        else:
            grams = float(row["grams"]) if row["grams"].strip() else None
            low = None if grams is None else grams * (1 - TOLERANCE)
            high = None if grams is None else grams * (1 + TOLERANCE)
        phrases[row["phrase_id"]].append(
            Expected(
                row["phrase_id"],
                row["split"],
                row["phrase"],
                foods,
                amounts,
                grams,
                row.get("note") or "",
                low,
                high,
                _ids(row.get("covered_by") or ""),
                row.get("category") or "",
            )
        )
    return dict(phrases)


def _names(expected: Expected, item: MealItem) -> bool:
    if item.status != "ok" or item.intake is None:
        return False
    if expected.foods:
        return item.kind == "food" and item.ref in expected.foods
    return item.kind == "supplement" and all(
        abs((item.intake.amounts.get(key) or 0.0) - value) <= 0.01 * value
        for key, value in expected.amounts.items()
    )


def score_items(items: list[MealItem], expected: list[Expected]) -> list[Outcome]:
    """Match parsed items to one phrase's labelled items (see the module docstring)."""
    resolved = {item.ref for item in items if item.status == "ok" and item.ref}
    used: set[int] = set()
    outcomes = []
    for position, wanted in enumerate(expected):
        if wanted.covered_by & resolved:
            outcomes.append(Outcome(wanted, None, True, True, covered=True))
            continue
        chosen = next(
            (i for i, item in enumerate(items) if i not in used and _names(wanted, item)), None
        )
        if chosen is None and position < len(items) and position not in used:
            chosen = position
        item = None if chosen is None else items[chosen]
        if chosen is not None:
            used.add(chosen)
        right_food = item is not None and _names(wanted, item)
        right_amount = right_food and item is not None and wanted.grams_ok(item.grams)
        outcomes.append(Outcome(wanted, item, right_food, right_amount))
    return outcomes


def score_phrase(parser: MealParser, expected: list[Expected]) -> list[Outcome]:
    return score_items(list(parser.parse(expected[0].phrase).items), expected)


def evaluate(parser: MealParser, split: str = "all", path: Path = PHRASES) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for expected in load(path).values():
        if split != "all" and expected[0].split != split:
            continue
        outcomes.extend(score_phrase(parser, expected))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    """Shares of labelled items: right (``accuracy``), unresolved (the parser asked),
    ``wrong`` (resolved to a wrong food or weight), split into ``wrong_shown`` (an
    assumption is shown) and ``silently_wrong`` (none is)."""
    n = len(outcomes)
    counts = dict.fromkeys(("right", "unresolved", "wrong_shown", "silently_wrong"), 0)
    for outcome in outcomes:
        counts[outcome.result] += 1
    stated = [o for o in outcomes if not o.expected.estimated]
    resolved = n - counts["unresolved"]
    return {
        "items": n,
        "accuracy": counts["right"] / n,
        "unresolved": counts["unresolved"] / n,
        "wrong": (counts["wrong_shown"] + counts["silently_wrong"]) / n,
        "wrong_shown": counts["wrong_shown"] / n,
        "silently_wrong": counts["silently_wrong"] / n,
        "resolved_precision": counts["right"] / resolved if resolved else 0.0,
        "stated_items": len(stated),
        "stated_accuracy": sum(o.right for o in stated) / len(stated) if stated else 0.0,
    }


def nonfood_phrases(path: Path = NONFOOD) -> list[str]:
    """Phrases that name no food: each must come back unresolved."""
    return [row["phrase"] for row in _rows(path)]
