"""Top-1 / top-3 accuracy of food search on the labelled set tests/data/search_queries.csv.

Usage: python bench/search_accuracy.py [--failures] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import zlib
from collections import defaultdict
from pathlib import Path

from vitk2 import FoodDB
from vitk2.foods import database as fooddb

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
QUERIES = DATA / "search_queries.csv"
# Written independently after the search was tuned on QUERIES; never tuned on.
HOLDOUT = DATA / "search_queries_holdout.csv"


def held_out(query: str) -> bool:
    """About a quarter of the labelled queries, never looked at while tuning search."""
    return zlib.crc32(query.encode()) % 4 == 0


def evaluate(db: FoodDB, split: str = "all") -> dict[str, object]:
    source = HOLDOUT if split == "holdout" else QUERIES
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if split == "dev":
        rows = [r for r in rows if not held_out(r["query"])]
    elif split == "heldout":
        rows = [r for r in rows if held_out(r["query"])]
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    failures = []
    top1 = top3 = 0
    for row in rows:
        expected = {f"usda:{ndb}" for ndb in row["expected"].split(";")}
        hits = db.search(row["query"], limit=3)
        ids = [hit.id for hit in hits]
        first = bool(ids) and ids[0] in expected
        within = any(i in expected for i in ids)
        top1 += first
        top3 += within
        stats = per_category[row["category"]]
        stats[0] += 1
        stats[1] += first
        stats[2] += within
        if not first:
            failures.append(
                {
                    "query": row["query"],
                    "expected": sorted(expected),
                    "got": [f"{h.id} {h.name} ({h.score})" for h in hits],
                    "top3": within,
                }
            )
    total = len(rows)
    return {
        "queries": total,
        "top1": top1 / total,
        "top3": top3 / total,
        "categories": {
            name: {"n": n, "top1": a / n, "top3": b / n}
            for name, (n, a, b) in sorted(per_category.items())
        },
        "failures": failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--split", choices=["all", "dev", "heldout", "holdout"], default="all")
    parser.add_argument(
        "--no-defaults", action="store_true", help="rank without data/search_defaults.csv"
    )
    args = parser.parse_args()
    db = FoodDB.default()
    if args.no_defaults:
        fooddb.search_defaults = lambda: {}
    result = evaluate(db, args.split)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['queries']} queries: top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%}")
    for name, stats in result["categories"].items():  # type: ignore[attr-defined]
        print(f"  {name:10s} n={stats['n']:3d} top-1 {stats['top1']:.1%} top-3 {stats['top3']:.1%}")
    if args.failures:
        for failure in result["failures"]:  # type: ignore[attr-defined]
            mark = "  (in top 3)" if failure["top3"] else ""
            print(f"- {failure['query']!r} expected {failure['expected']}{mark}")
            for got in failure["got"]:
                print(f"      {got}")


if __name__ == "__main__":
    main()
