"""The unknown-word threshold: right and silently wrong items against it.

Usage: python bench/unknown_words.py [--json]

A word no food name holds resolves only when the nearest food word is at least
`vitk2.intake.meals.UNKNOWN_WORD_MIN_SIMILARITY` similar to it (rapidfuzz ratio,
0..1). This script parses the labelled sets at a range of thresholds and prints,
for each: right / unresolved / silently wrong / wrong on the old set
(tests/data/meal_phrases.csv) and the everyday set (tests/data/everyday_phrases.csv),
how many of the 23 non-food phrases (tests/data/nonfood_phrases.csv) still resolve
to a food, and how many of the 26 labelled search typos (tests/data/search_queries.csv,
category "typo", written as "100 g <query>") still resolve to an accepted food.
docs/benchmarks.md has the table and the chosen threshold.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from meal_scoring import DATA, EVERYDAY, PHRASES, evaluate, nonfood_phrases, summary
from vitk2 import FoodDB
from vitk2.intake import meals
from vitk2.intake.meals import MealParser

THRESHOLDS = (0.0, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 1.01)


def typos() -> list[tuple[str, frozenset[str]]]:
    with (DATA / "search_queries.csv").open(encoding="utf-8", newline="") as handle:
        return [
            (row["query"], frozenset(f"usda:{n.strip()}" for n in row["expected"].split(";")))
            for row in csv.DictReader(handle)
            if row["category"] == "typo"
        ]


def at(threshold: float, db: FoodDB) -> dict[str, object]:
    meals.UNKNOWN_WORD_MIN_SIMILARITY = threshold  # type: ignore[misc]
    parser = MealParser(db)
    result: dict[str, object] = {"threshold": threshold}
    for name, path in (("old", PHRASES), ("everyday", EVERYDAY)):
        values = summary(evaluate(parser, "all", path))
        keys = ("accuracy", "unresolved", "silently_wrong", "wrong")
        result[name] = {k: round(values[k], 4) for k in keys}
    result["nonfood_resolved"] = sum(
        1 for text in nonfood_phrases() if parser.parse(text).items[0].status == "ok"
    )
    right = 0
    for query, accepted in typos():
        item = parser.parse(f"100 g {query}").items[0]
        right += item.status == "ok" and item.ref in accepted
    result["typos_right"] = right
    return result


def main() -> None:
    argument = argparse.ArgumentParser()
    argument.add_argument("--json", action="store_true")
    args = argument.parse_args()
    db = FoodDB(FoodDB.default().path)
    rows = [at(threshold, db) for threshold in THRESHOLDS]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("threshold | old right / unresolved / silently wrong / wrong | everyday right / "
          "unresolved / silently wrong / wrong | non-food resolved | typos right")  # fmt: skip
    for row in rows:
        old, new = row["old"], row["everyday"]
        assert isinstance(old, dict) and isinstance(new, dict)
        cells = [
            f"{row['threshold']:.2f}",
            " / ".join(f"{100 * old[k]:.1f}" for k in old),
            " / ".join(f"{100 * new[k]:.1f}" for k in new),
            f"{row['nonfood_resolved']} of {len(nonfood_phrases())}",
            f"{row['typos_right']} of {len(typos())}",
        ]
        print(" | ".join(cells))


if __name__ == "__main__":
    main()
