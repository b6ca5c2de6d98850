"""Report speed: a diary of 365 days x 15 entries (foods and supplements) in a real
SQLite file, then `DiaryService.report` over the whole year.

Usage: python bench/report_speed.py [--days 365] [--per-day 15] [--repeat 5] [--json]

Entries are parsed once from realistic meal phrases and stored with one
`add_entries` call (timed separately). The report time covers reading the entries
back from SQLite, adding them up (NumPy), reference values, adequacy, K2 block,
contributors, notes and findings; `as_dict()` (the JSON document) and the HTML page
are timed on their own.

The same year is then reported for a profile on warfarin: anticoagulant mode adds
the consistency windows, whose baselines need a second pass over the period plus
the 28 days before it (the period starts on day 29 so those days exist), and the
clinician summary of that period is built and rendered.
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
from vitk2.intake.meals import MealParser
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    db = FoodDB.default()
    meal_parser = MealParser(db)
    pool = [e for text in MEALS for e in meal_parser.parse(text).entries(date(2025, 1, 1))]
    rng = random.Random(42)
    start = date(2025, 1, 1)
    entries = [
        replace(rng.choice(pool), day=start + timedelta(days=d))
        for d in range(args.days)
        for _ in range(args.per_day)
    ]
    with tempfile.TemporaryDirectory() as folder:
        store = DiaryStore(str(Path(folder) / "bench.sqlite"))
        t0 = time.perf_counter()
        store.add_entries(entries)
        stored = time.perf_counter() - t0
        store.set_profile(Profile(sex="female", birth_date=date(1968, 3, 1)))
        service = DiaryService(store, db)
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


if __name__ == "__main__":
    main()
