"""Meal parsing: latency per item (parse + food match + grams + nutrients) and the
accuracy on the labelled phrases (tests/data/meal_phrases.csv).

Usage: python bench/meal_parse.py [--rounds N] [--json]

Every labelled phrase is parsed `rounds` times with one parser (the first round is
cold: food vectors and spelling caches empty). Latency is per phrase divided by its
number of items, measured with time.perf_counter; the food database is already open
and its search index built (both reported separately).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from meal_scoring import evaluate, load, summary
from vitk2 import FoodDB
from vitk2.intake.meals import MealParser


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    db = FoodDB(FoodDB.default().path)
    db.search("warm up the index")
    ready = time.perf_counter()
    meal_parser = MealParser(db)
    phrases = [group[0].phrase for group in load().values()]
    per_item: list[float] = []
    cold: list[float] = []
    for round_number in range(args.rounds):
        for phrase in phrases:
            t0 = time.perf_counter()
            meal = meal_parser.parse(phrase)
            elapsed = (time.perf_counter() - t0) * 1000.0 / max(len(meal.items), 1)
            (cold if round_number == 0 else per_item).append(elapsed)
    accuracy = {
        split: summary(evaluate(MealParser(db), split)) for split in ("dev", "holdout", "all")
    }
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
            split: {key: round(value, 4) for key, value in values.items()}
            for split, values in accuracy.items()
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"index build {result['index_build_s']} s; {len(phrases)} phrases x {args.rounds}")
    print(f"cold  per item: {result['cold_ms_per_item']}")
    print(f"warm  per item: {result['warm_ms_per_item']}")
    for split, values in result["accuracy"].items():  # type: ignore[attr-defined]
        print(f"{split:8} {values}")


if __name__ == "__main__":
    main()
