"""Scoring the meal parser against the labelled phrases in tests/data/meal_phrases.csv.

An expected item counts as right when the parser returns a resolved item for it
with an accepted food id and grams within ±25 % of the label (supplements: every
labelled nutrient amount within ±1 %). Parsed items are matched to labelled items
in order; a labelled item is matched to the first unused parsed item naming one of
its accepted foods (or supplement nutrients), so an extra or merged item costs only
the items it really gets wrong.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from vitk2.intake.meals import MealItem, MealParser

PHRASES = Path(__file__).resolve().parent / "data" / "meal_phrases.csv"
TOLERANCE = 0.25


@dataclass(frozen=True)
class Expected:
    phrase_id: str
    split: str
    phrase: str
    foods: frozenset[str]
    amounts: dict[str, float]
    grams: float | None
    note: str = ""

    @property
    def estimated(self) -> bool:
        """The label's weight is the labeller's estimate (no amount, or an informal
        measure such as a handful that SR28 does not have)."""
        lowered = self.note.lower()
        return "estimated" in lowered or "no quantity" in lowered


@dataclass(frozen=True)
class Outcome:
    expected: Expected
    item: MealItem | None
    right_food: bool
    right_amount: bool

    @property
    def right(self) -> bool:
        return self.right_food and self.right_amount


def load(path: Path = PHRASES) -> dict[str, list[Expected]]:
    phrases: dict[str, list[Expected]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            expected = row["expected"].strip()
            foods: frozenset[str] = frozenset()
            amounts: dict[str, float] = {}
            if expected.startswith("usda:"):
                foods = frozenset(x.strip() for x in expected.split("|"))
            else:
                for pair in expected.split(";"):
                    key, _, value = pair.partition("=")
                    amounts[key.strip()] = float(value)
            grams = float(row["grams"]) if row["grams"].strip() else None
            phrases[row["phrase_id"]].append(
                Expected(
                    row["phrase_id"],
                    row["split"],
                    row["phrase"],
                    foods,
                    amounts,
                    grams,
                    row.get("note") or "",
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


def score_phrase(parser: MealParser, expected: list[Expected]) -> list[Outcome]:
    items = list(parser.parse(expected[0].phrase).items)
    used: set[int] = set()
    outcomes = []
    for position, wanted in enumerate(expected):
        chosen = next(
            (i for i, item in enumerate(items) if i not in used and _names(wanted, item)), None
        )
        if chosen is None and position < len(items) and position not in used:
            chosen = position
        item = None if chosen is None else items[chosen]
        if chosen is not None:
            used.add(chosen)
        right_food = item is not None and _names(wanted, item)
        right_amount = right_food and (
            wanted.grams is None
            or (
                item is not None
                and item.grams is not None
                and abs(item.grams - wanted.grams) <= TOLERANCE * wanted.grams
            )
        )
        outcomes.append(Outcome(wanted, item, right_food, right_amount))
    return outcomes


def evaluate(parser: MealParser, split: str = "all") -> list[Outcome]:
    outcomes: list[Outcome] = []
    for expected in load().values():
        if split != "all" and expected[0].split != split:
            continue
        outcomes.extend(score_phrase(parser, expected))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    """Shares of labelled items: right, unresolved (the parser asked), and silently
    wrong (resolved to a wrong food or a weight off by more than 25 %)."""
    n = len(outcomes)
    unresolved = sum(1 for o in outcomes if o.item is None or o.item.status != "ok")
    right = sum(1 for o in outcomes if o.right)
    stated = [o for o in outcomes if not o.expected.estimated]
    return {
        "items": n,
        "accuracy": right / n,
        "unresolved": unresolved / n,
        "silently_wrong": (n - right - unresolved) / n,
        "resolved_precision": right / (n - unresolved) if n > unresolved else 0.0,
        "stated_items": len(stated),
        "stated_accuracy": sum(o.right for o in stated) / len(stated) if stated else 0.0,
    }
