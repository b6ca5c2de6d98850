"""The report's K2 section per menaquinone (issue 17): a cheese-rich week on the shipped
food database names MK-9 and MK-8 as its main menaquinones, with ranges and the foods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vitk2 import FoodDB
from vitk2.assess.build import build_report
from vitk2.intake.diary import DiaryEntry

START = date(2026, 11, 1)
# (food id, name, grams) eaten every day of the week.
DAY = (
    ("usda:01022", "Cheese, gouda", 60.0),
    ("usda:01018", "Cheese, edam", 30.0),
    ("usda:01006", "Cheese, brie", 40.0),
    ("usda:01123", "Egg, whole, raw, fresh", 50.0),
)


def _or(bound: float | None, value: float | None) -> float:
    """A range end, or the value where the food has no range."""
    found = value if bound is None else bound
    assert found is not None
    return found


def _week() -> list[DiaryEntry]:
    return [
        DiaryEntry(START + timedelta(days=d), f"{g:g} g {name}", "food", ref, name, g, "g", g)
        for d in range(7)
        for ref, name, g in DAY
    ]


def test_a_cheese_week_names_mk9_and_mk8_with_ranges_and_foods(db: FoodDB) -> None:
    report = build_report(_week(), None, db, start=START, end=START + timedelta(days=6))
    rows = report.as_dict()["k2"]["menaquinones"]
    labels = [row["label"] for row in rows]
    assert labels[0] == "MK-9" and "MK-8" in labels[:3]
    assert sum(row["share_pct"] for row in rows) == pytest.approx(100.0, abs=0.5)
    for row in rows:
        # The mean, low and high are the foods' values, lows and highs times the grams.
        foods = [db.get(ref).nutrient(row["key"]) for ref, _, _ in DAY]
        known = [(v, g) for v, (_, _, g) in zip(foods, DAY, strict=True) if v.value is not None]
        mean = sum((v.value or 0.0) * g / 100 for v, g in known)
        low = sum(_or(v.low, v.value) * g / 100 for v, g in known)
        high = sum(_or(v.high, v.value) * g / 100 for v, g in known)
        assert row["mean_ug"] == pytest.approx(mean, abs=2e-3), row["label"]
        assert (row["low_ug"], row["high_ug"]) == pytest.approx((low, high), abs=2e-3)
        assert row["low_ug"] <= row["mean_ug"] <= row["high_ug"]
        # Lower bound exactly where a food eaten has it unknown.
        assert row["lower_bound"] == (len(known) < len(DAY)), row["label"]
    mk9 = rows[0]
    assert mk9["from"][0]["name"] == "Cheese, gouda"
    assert {c["name"] for c in mk9["from"]} <= {name for _, name, _ in DAY}


def test_a_supplement_adds_to_its_menaquinone_without_a_range(db: FoodDB) -> None:
    entries = [
        *_week()[:4],
        DiaryEntry(START, "MK-7 180 µg", "supplement", "MK-7", "MK-7", 1, "capsule",
                   amounts={"mk7_ug": 180.0, "k2_ug": 180.0}),
    ]  # fmt: skip
    rows = build_report(entries, None, db, start=START, end=START).as_dict()["k2"]["menaquinones"]
    mk7 = rows[0]
    assert mk7["label"] == "MK-7" and mk7["from"][0]["name"] == "MK-7"
    cheese_mk7 = mk7["mean_ug"] - 180.0
    assert mk7["low_ug"] >= 180.0 and mk7["high_ug"] - mk7["low_ug"] <= cheese_mk7 + 1e-6
