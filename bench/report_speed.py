"""Report speed: a diary of 365 days x 15 entries (foods and supplements) in a real
SQLite file, then `DiaryService.report` over the whole year.

Usage: python bench/report_speed.py [--days 365] [--per-day 15] [--repeat 5] [--own] [--json]

Entries are parsed once from realistic meal phrases and stored with one
`add_entries` call (timed separately). The report time covers reading the entries
back from SQLite, adding them up (NumPy), reference values, adequacy, K2 block,
contributors, notes and findings; `as_dict()` (the JSON document) and the HTML page
are timed on their own.

The same year is then reported for a profile on warfarin: anticoagulant mode adds
the consistency windows, whose baselines need a second pass over the period plus
the 28 days before it (the period starts on day 29 so those days exist), and the
clinician summary of that period is built and rendered.

``--own`` adds two recipes of the user's (one holding a food from a label) and that
label food to the meals, so about a fifth of the entries are the user's own foods,
whose values are computed from their ingredients on every report.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from vitk2 import FoodDB
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.profile import Profile
from vitk2.render.clinician_html import render_clinician_html
from vitk2.render.report_html import render_html
from vitk2.services import DiaryService
from vitk2.store import DiaryStore

MEALS = [
    "2 slices of gouda, a boiled egg and 50 g natto; 1 cup whole milk",
    "2 slices whole wheat bread, 1 tbsp butter, 1 medium apple",
    "3 oz salmon, 1 cup cooked rice, 1/2 cup broccoli",
    "1 cup spinach, 25 g parmesan, 1 tbsp olive oil",
    "1 capsule MK-7 90 µg, 1000 IU vitamin D3",
    "2 tablets calcium carbonate 500 mg",
    "1 cup plain yogurt, 1 banana, 30 g walnuts",
    "100 g sauerkraut, 2 links pork sausage, 1 medium potato",
    "1 cup kale, 2 large eggs, 1 slice cheddar",
    "200 ml orange juice, 1 croissant, 1 cup coffee",
]
#: The user's own foods for --own, and meals that use them.
OWN_MEALS = [
    "1 serving lasagne, 1 cup kale",
    "150 g lasagne",
    "1 serving bar crumble, 1 bar MyBar",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--own", action="store_true", help="add the user's own foods")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    db = FoodDB.default()
    with tempfile.TemporaryDirectory() as folder:
        store = DiaryStore(str(Path(folder) / "bench.sqlite"))
        service = DiaryService(store, db)
        start = date(2025, 1, 1)
        entries = year_of_entries(service, start, args.days, args.per_day, own=args.own)
        t0 = time.perf_counter()
        store.add_entries(entries)
        stored = time.perf_counter() - t0
        store.set_profile(Profile(sex="female", birth_date=date(1968, 3, 1)))
        end = start + timedelta(days=args.days - 1)
        service.report(start=start, end=end)  # warm-up: food vectors, evidence file
        report_ms, dict_ms, html_ms = [], [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = service.report(start=start, end=end)
            t1 = time.perf_counter()
            report.as_dict()
            t2 = time.perf_counter()
            render_html(report)
            t3 = time.perf_counter()
            report_ms.append((t1 - t0) * 1000)
            dict_ms.append((t2 - t1) * 1000)
            html_ms.append((t3 - t2) * 1000)
        store.set_profile(
            Profile(sex="female", birth_date=date(1968, 3, 1), medications=("warfarin",))
        )
        vka_start = start + timedelta(days=28)
        service.report(start=vka_start, end=end)
        vka_ms = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = service.report(start=vka_start, end=end)
            vka_ms.append((time.perf_counter() - t0) * 1000)
        findings = len(report.findings)
        summary_ms = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            render_clinician_html(service.clinician_summary(start=vka_start, end=end))
            summary_ms.append((time.perf_counter() - t0) * 1000)
        store.close()
    result = {
        "entries": len(entries),
        "own_food_entries": sum(e.ref.startswith("my:") for e in entries),
        "days": args.days,
        "store_all_entries_s": round(stored, 3),
        "report_ms_median": round(statistics.median(report_ms), 1),
        "report_ms_max": round(max(report_ms), 1),
        "as_dict_ms_median": round(statistics.median(dict_ms), 1),
        "html_ms_median": round(statistics.median(html_ms), 1),
        "warfarin_report_ms_median": round(statistics.median(vka_ms), 1),
        "warfarin_report_ms_max": round(max(vka_ms), 1),
        "warfarin_findings": findings,
        "clinician_summary_ms_median": round(statistics.median(summary_ms), 1),
    }
    print(json.dumps(result, indent=2) if args.json else result)


def year_of_entries(
    service: DiaryService, start: date, days: int, per_day: int, *, own: bool
) -> list[DiaryEntry]:
    """``per_day`` entries a day drawn from the parsed meals (with ``own``, also from
    meals of the user's own foods, which are stored first)."""
    texts = MEALS
    if own:
        add_own_foods(service)
        texts = [*MEALS, *OWN_MEALS]
    meal_parser = service.parser()
    pool = [e for text in texts for e in meal_parser.parse(text).entries(start)]
    rng = random.Random(42)
    return [
        replace(rng.choice(pool), day=start + timedelta(days=d))
        for d in range(days)
        for _ in range(per_day)
    ]


def add_own_foods(service: DiaryService) -> None:
    """A lasagne recipe, a label food and a recipe that holds it."""
    service.add_recipe(
        "lasagne",
        "250 g lasagna pasta, 500 g minced beef, 700 g tomato sauce, 200 g mozzarella, "
        "50 g parmesan, 100 g spinach",
        serves=6,
        yield_g=1800,
    )
    service.add_label_food(
        "MyBar", "1 bar", grams=40, label={"calcium": "200mg", "vitd": "2ug", "mk7": "5ug"}
    )
    service.add_recipe("bar crumble", "2 bars MyBar, 100 g oats, 200 g apples", serves=2)


if __name__ == "__main__":
    main()
