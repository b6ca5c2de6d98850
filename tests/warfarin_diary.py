"""One diary for the anticoagulant tests: five weeks from Monday 2026-09-07, four
usual (20 g broccoli and a cup of milk a day) and one with 110 g broccoli (K1 more
than five times the baseline), on warfarin with CKD, one MK-7 45 µg capsule, two
days of vitamin D3 1000 IU and two INR readings. Built through the real CLI on a
real SQLite file (the meals imported from an export the parser wrote)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from cli_runner import Cli
from vitk2 import FoodDB
from vitk2.intake.diary_io import write_entries
from vitk2.intake.meals import MealParser

__all__ = ["START", "build_warfarin_diary"]

START = date(2026, 9, 7)


def build_warfarin_diary(folder: Path, db: FoodDB) -> Path:
    parser = MealParser(db, ())
    entries = []
    for i in range(35):
        grams = 20 if i < 28 else 110
        entries += parser.parse(f"{grams} g broccoli, 1 cup whole milk").entries(
            START + timedelta(days=i)
        )
    export = folder / "diary.csv"
    write_entries(entries, export, "csv")
    cli = Cli(folder / "diary.sqlite")
    cli.ok("diary", "import", str(export))
    cli.ok("profile", "set", "--sex", "female", "--birth-date", "1960-05-01",
           "--medication", "Warfarin 5 mg", "--kidney", "ckd")  # fmt: skip
    cli.ok("log", "1 capsule MK-7 45 µg", "--date", "2026-10-06")
    cli.ok("log", "1000 IU vitamin D3", "--date", "2026-10-06")
    cli.ok("log", "1000 IU vitamin D3", "--date", "2026-10-07")
    cli.ok("inr", "add", "2.5", "--date", "2026-09-30", "--note", "clinic")
    cli.ok("inr", "add", "1.8", "--date", "2026-10-09")
    return cli.db
