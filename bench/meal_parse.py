"""Meal parsing: latency per item (parse + food match + grams + nutrients) and the
accuracy on the labelled phrase sets (tests/data/meal_phrases.csv, the old set with
amounts, and tests/data/everyday_phrases.csv, everyday phrases mostly without one).

Usage: python bench/meal_parse.py [--rounds N] [--json] [--failures] [--classify]

Every labelled phrase of both sets is parsed `rounds` times with one parser (the
first round is cold: food vectors and spelling caches empty). Latency is per phrase
divided by its number of items, measured with time.perf_counter; the food database
is already open and its search index built (both reported separately).
``--failures`` lists every labelled item that is not right, with what was parsed.
``--classify`` sorts the everyday set's failures by what would fix them: the FNDDS
foods and portions (not in the database yet), or the search and the parser.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from meal_scoring import EVERYDAY, PHRASES, Outcome, evaluate, load, nonfood_phrases, summary
from vitk2 import FoodDB
from vitk2.intake.meals import MealParser


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def rounded(values: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) for key, value in values.items()}


def by_category(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.expected.category].append(outcome)
    return {name: rounded(summary(group)) for name, group in sorted(groups.items())}


def describe(outcome: Outcome) -> str:
    item = outcome.item
    wanted = outcome.expected
    label = f"[{wanted.grams_low:g}-{wanted.grams_high:g} g]" if wanted.grams_low else ""
    if item is None:
        got = "no item"
    elif item.status != "ok":
        got = f"unresolved: {item.problem}"
    else:
        got = f"{item.ref} {item.name} {item.grams:g} g" if item.grams else f"{item.ref}"
        if item.notes:
            got += f"  notes: {'; '.join(item.notes)}"
    return f"{outcome.result:15} {wanted.phrase_id} {wanted.phrase!r} {label} -> {got}"


def classify(outcome: Outcome) -> str:
    """What a failure on the everyday set waits for, from the failure and its label."""
    item = outcome.item
    in_sr28 = any(food.startswith("usda:") for food in outcome.expected.foods)
    if item is None:
        return "FNDDS: one item where the label has two, or the reverse"
    if item.status != "ok":
        problem = item.problem or ""
        if problem.startswith("How much"):
            return "FNDDS: an amount-free item whose SR28 food has no portion for it"
        if not in_sr28:
            return "FNDDS: the food is in FNDDS only"
        if "measure in SR28" in problem:
            return "FNDDS: a unit only FNDDS has for the food"
        return "search/parser: SR28 has an accepted food, the words did not find it"
    if not in_sr28:
        return "FNDDS: a wrong food where the dish is in FNDDS only"
    if item.ref in outcome.expected.foods:
        return "FNDDS: the right SR28 food, its SR28 portion outside FNDDS's range"
    return "search/parser: another SR28 food than the accepted ones"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="at least 2: the first is cold")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--classify", action="store_true")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2 (the first round is cold)")

    started = time.perf_counter()
    db = FoodDB(FoodDB.default().path)
    db.search("warm up the index")
    ready = time.perf_counter()
    meal_parser = MealParser(db)
    phrases = [group[0].phrase for path in (PHRASES, EVERYDAY) for group in load(path).values()]
    per_item: list[float] = []
    cold: list[float] = []
    for round_number in range(args.rounds):
        for phrase in phrases:
            t0 = time.perf_counter()
            meal = meal_parser.parse(phrase)
            elapsed = (time.perf_counter() - t0) * 1000.0 / max(len(meal.items), 1)
            (cold if round_number == 0 else per_item).append(elapsed)
    outcomes = {
        name: {split: evaluate(MealParser(db), split, path) for split in ("dev", "holdout", "all")}
        for name, path in (("meal_phrases", PHRASES), ("everyday_phrases", EVERYDAY))
    }
    nonfood = [MealParser(db).parse(text).items for text in nonfood_phrases()]
    resolved_nonfood = [
        f"{items[0].text!r} -> {items[0].name}" for items in nonfood if items[0].status == "ok"
    ]
    result = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "index_build_s": round(ready - started, 3),
        "phrases": len(phrases),
        "cold_ms_per_item": {
            "median": round(statistics.median(cold), 3),
            "p95": round(percentile(cold, 0.95), 3),
        },
        "warm_ms_per_item": {
            "median": round(statistics.median(per_item), 3),
            "p95": round(percentile(per_item, 0.95), 3),
            "max": round(max(per_item), 3),
        },
        "accuracy": {
            name: {split: rounded(summary(values)) for split, values in sets.items()}
            for name, sets in outcomes.items()
        },
        "everyday_by_category": by_category(outcomes["everyday_phrases"]["all"]),
        "nonfood": {"phrases": len(nonfood), "resolved": resolved_nonfood},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"index build {result['index_build_s']} s; {len(phrases)} phrases x {args.rounds}")
    print(f"cold  per item: {result['cold_ms_per_item']}")
    print(f"warm  per item: {result['warm_ms_per_item']}")
    for name, sets in result["accuracy"].items():  # type: ignore[attr-defined]
        for split, values in sets.items():
            print(f"{name:17} {split:8} {values}")
    for category, values in result["everyday_by_category"].items():  # type: ignore[attr-defined]
        print(f"everyday {category:10} {values}")
    print(f"non-food phrases resolved to a food: {len(resolved_nonfood)} of {len(nonfood)}")
    for line in resolved_nonfood:
        print(f"  {line}")
    if args.classify:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in outcomes["everyday_phrases"]["all"]:
            if not outcome.right:
                groups[classify(outcome)].append(outcome)
        for reason, failed in sorted(groups.items()):
            print(f"\n== {reason}: {len(failed)}")
            for outcome in failed:
                print(describe(outcome))
    if args.failures:
        for name, sets in outcomes.items():
            print(f"\n== {name}")
            for outcome in sets["all"]:
                if not outcome.right:
                    print(describe(outcome))


if __name__ == "__main__":
    main()
