"""`vitk2 whatif`: frequencies, the addition arithmetic against `build_report`, and
the command as a user runs it (real processes, a real SQLite file that must not
change)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_runner import Cli
from vitk2 import FoodDB
from vitk2.assess.build import build_report
from vitk2.assess.report import Report
from vitk2.errors import InvalidOptionError, MealParseError, Vitk2Error
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.meals import MealParser
from vitk2.intake.profile import Profile
from vitk2.intake.supplements import define_product
from vitk2.plan.whatif import Frequency, WhatIf, build_whatif, parse_addition, parse_frequency
from vitk2.safety.findings import assess

DAYS = (date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23))
MEALS = ("4 cups whole milk, 2 slices of gouda", "1 cup spinach, 1 cup whole milk",
         "50 g natto, 3 cups whole milk")  # fmt: skip
PROFILE = Profile(sex="female", birth_date=date(1960, 5, 1))  # IOM 51-70: Ca UL 2000 mg
MY_K2 = define_product("MyK2", "capsule", {"mk7": "100ug", "vitd": "1000IU"})


# -- frequencies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rest", "label", "per_day"),
    [
        ("MK-7 100 ug", "MK-7 100 ug", "daily", Fraction(1)),
        ("MK-7 100 ug daily", "MK-7 100 ug", "daily", Fraction(1)),
        ("MK-7 100 ug every day", "MK-7 100 ug", "daily", Fraction(1)),
        ("MK-7 100 ug once a day", "MK-7 100 ug", "daily", Fraction(1)),
        ("MK-7 100 ug/day", "MK-7 100 ug", "daily", Fraction(1)),
        ("1 capsule MyK2 every morning", "1 capsule MyK2", "daily", Fraction(1)),
        ("MK-7 100 ug twice daily", "MK-7 100 ug", "twice daily", Fraction(2)),
        ("MK-7 100 ug twice a day", "MK-7 100 ug", "twice daily", Fraction(2)),
        ("MK-7 100 ug 2x daily", "MK-7 100 ug", "twice daily", Fraction(2)),
        ("MK-7 100 ug three times a day", "MK-7 100 ug", "3 times daily", Fraction(3)),
        ("MK-7 100 ug every other day", "MK-7 100 ug", "every other day", Fraction(1, 2)),
        ("MK-7 100 ug on alternate days", "MK-7 100 ug", "every other day", Fraction(1, 2)),
        ("MK-7 100 ug 3 times a week", "MK-7 100 ug", "3 times a week", Fraction(3, 7)),
        ("MK-7 100 ug 3x/week", "MK-7 100 ug", "3 times a week", Fraction(3, 7)),
        ("MK-7 100 ug 2/week", "MK-7 100 ug", "2 times a week", Fraction(2, 7)),
        ("MK-7 100 ug twice a week", "MK-7 100 ug", "2 times a week", Fraction(2, 7)),
        ("MK-7 100 ug weekly", "MK-7 100 ug", "weekly", Fraction(1, 7)),
        ("MK-7 100 ug once a week", "MK-7 100 ug", "weekly", Fraction(1, 7)),
        ("50 g natto  DAILY ", "50 g natto", "daily", Fraction(1)),
    ],
)
def test_frequency_is_read_off_the_end(text: str, rest: str, label: str, per_day: Fraction) -> None:
    got_rest, frequency = parse_frequency(text)
    assert (got_rest, frequency.label, frequency.per_day) == (rest, label, per_day)
    assert frequency.default == (text == "MK-7 100 ug")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("MK-7 100 ug every 3 days", "Unknown frequency"),
        ("MK-7 100 ug monthly", "Unknown frequency"),
        ("MK-7 100 ug twice", "Unknown frequency"),
        ("MK-7 100 ug bid", "Unknown frequency"),
        ("MK-7 100 ug 2 daily", "what does the number"),
        ("MK-7 100 ug 0 times a week", "at least one dose"),
        ("MK-7 100 ug 20 times a day", "more than 10 doses a day"),
    ],
)
def test_unreadable_frequency_is_an_error(text: str, match: str) -> None:
    with pytest.raises(InvalidOptionError, match=match):
        parse_frequency(text)


@pytest.mark.parametrize(
    ("per_day", "n", "doses"),
    [
        (Fraction(1), 3, (1, 1, 1)),
        (Fraction(2), 3, (2, 2, 2)),
        (Fraction(1, 2), 5, (1, 0, 1, 0, 1)),
        (Fraction(3, 7), 7, (1, 0, 1, 0, 1, 0, 0)),
        (Fraction(1, 7), 9, (1, 0, 0, 0, 0, 0, 0, 1, 0)),
        (Fraction(1, 2), 0, ()),
    ],
)
def test_doses_are_spread_over_the_logged_days(
    per_day: Fraction, n: int, doses: tuple[int, ...]
) -> None:
    assert Frequency("x", per_day).doses(n) == doses


@given(st.integers(1, 70), st.integers(0, 400))
def test_doses_follow_the_rate(per_week: int, n: int) -> None:
    rate = Fraction(per_week, 7)
    doses = Frequency("x", rate).doses(n)
    assert sum(doses) == math.ceil(n * rate)
    assert all(d >= 0 for d in doses)
    for i in range(n + 1):  # every stretch from the first day is within one dose of the rate
        assert 0 <= sum(doses[:i]) - i * rate < 1
    if n:
        assert doses[0] >= 1


def test_docstring_examples_run() -> None:
    import doctest

    import vitk2.plan.whatif

    result = doctest.testmod(vitk2.plan.whatif, raise_on_error=False)
    assert result.attempted >= 2 and result.failed == 0


# -- the arithmetic against build_report --------------------------------------------


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db, [MY_K2])


@pytest.fixture(scope="module")
def entries(parser: MealParser) -> list[DiaryEntry]:
    return [
        e for day, text in zip(DAYS, MEALS, strict=True) for e in parser.parse(text).entries(day)
    ]


@pytest.fixture(scope="module")
def current(entries: list[DiaryEntry], db: FoodDB) -> Report:
    return build_report(entries, PROFILE, db, start=DAYS[0], end=DAYS[-1])


def _whatif(
    texts: list[str], parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> WhatIf:
    return build_whatif(current, entries, [parse_addition(t, parser) for t in texts], db)


def _changed(result: WhatIf) -> dict[str, float]:
    return {k: v for k, v in result.difference().items() if v}


def test_daily_mk7_raises_the_means_by_exactly_the_dose(
    parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> None:
    result = _whatif(["MK-7 100 ug daily"], parser, current, entries, db)
    assert _changed(result) == {"mk7_ug": 100.0, "k2_ug": 100.0, "vitk_ug": 100.0}
    for key in ("mk7_ug", "k2_ug", "vitk_ug"):
        assert result.with_additions.mean(key) == pytest.approx(current.mean(key) + 100, abs=1e-9)
    assert result.with_additions.days == current.days  # no day is invented
    data = result.as_dict()
    assert data["with_additions"]["k2"]["from_supplements_ug"] == 100.0
    assert data["current"] == {
        k: current.as_dict()[k]
        for k in ("mean", "mean_supplements", "incomplete", "reference", "adequacy", "k2", "notes")
    }


def test_vitamin_d_in_iu(
    parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> None:
    result = _whatif(["1000 IU vitamin D3 daily"], parser, current, entries, db)
    assert _changed(result) == {"vitd_ug": 25.0, "vitd3_ug": 25.0}
    (addition,) = result.as_dict()["additions"]
    assert addition["per_day"] == {"vitd_ug": 25.0, "vitd3_ug": 25.0}
    assert addition["product"] == "D3 25 µg (1000 IU)" and addition["doses_in_period"] == 3


def test_calcium_twice_daily_shows_the_days_over_the_ul(
    parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> None:
    result = _whatif(["calcium carbonate 500 mg twice daily"], parser, current, entries, db)
    assert _changed(result) == {"calcium_mg": 1000.0}
    now = result.as_dict()["current"]["adequacy"]["calcium_mg"]
    then = result.as_dict()["with_additions"]["adequacy"]["calcium_mg"]
    assert now["ul"] == then["ul"] == 2000.0
    expected = [
        d.isoformat()
        for d, v in zip(DAYS, current.daily("calcium_mg"), strict=True)
        if v + 1000 > 2000
    ]
    assert now["days_over_ul"] == [] and then["days_over_ul"] == expected != []
    assert then["percent_of_target"] > now["percent_of_target"]
    assert any("above the tolerable upper intake level" in n for n in result.with_additions.notes)
    assert result.as_dict()["additions"][0]["doses_in_period"] == 6


def test_every_other_day_over_the_logged_days(
    parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> None:
    result = _whatif(["MK-7 100 ug every other day"], parser, current, entries, db)
    (addition,) = result.as_dict()["additions"]
    assert addition["dose_days"] == ["2026-11-20", "2026-11-23"]  # logged days 1 and 3
    assert addition["per_day"]["mk7_ug"] == 50.0  # nominal
    assert addition["mean_in_period"]["mk7_ug"] == pytest.approx(200 / 3, abs=1e-4)
    assert result.difference()["mk7_ug"] == pytest.approx(200 / 3, abs=1e-3)
    assert "spread evenly over the logged days" in addition["schedule"]


def test_a_food_adds_its_grams(
    parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> None:
    result = _whatif(["50 g natto daily"], parser, current, entries, db)
    assert result.difference()["mk7_ug"] == 428.5  # 857 µg/100 g, measured
    (addition,) = result.as_dict()["additions"]
    assert addition["kind"] == "food" and addition["ref"] == "usda:16113"
    assert addition["grams_per_dose"] == 50.0
    assert addition["per_day"]["mk11_ug"] is None  # unknown for natto: missing, not zero
    assert result.with_additions.as_dict()["contributors"]["mk7_ug"][0]["name"] == "Natto"


def test_additions_add_up_and_user_products_resolve(
    parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> None:
    both = _whatif(["1 capsule MyK2 twice daily", "D3 25 ug"], parser, current, entries, db)
    one = _whatif(["1 capsule MyK2 twice daily"], parser, current, entries, db)
    other = _whatif(["D3 25 ug"], parser, current, entries, db)
    for key, value in both.difference().items():
        assert value == pytest.approx(one.difference()[key] + other.difference()[key], abs=2e-3)
    assert one.difference()["mk7_ug"] == 200.0 and one.difference()["vitd_ug"] == 50.0
    assert both.as_dict()["additions"][0]["product"] == "MyK2"
    assert both.as_dict()["additions"][1]["frequency_default"] is True


def test_the_shape(
    parser: MealParser, current: Report, entries: list[DiaryEntry], db: FoodDB
) -> None:
    data = _whatif(["MK-7 100 ug"], parser, current, entries, db).as_dict()
    assert {"period", "additions", "current", "with_additions", "difference", "findings",
            "findings_resolved", "findings_note"} <= set(data)  # fmt: skip
    assert set(data["additions"][0]) >= {"text", "product", "per_day", "frequency",
                                         "doses_in_period"}  # fmt: skip
    assert data["current"].keys() == data["with_additions"].keys()


def test_findings_with_the_additions(parser: MealParser, db: FoodDB) -> None:
    """On warfarin, adding MK-7 raises a new warning; the VKA note was there before."""
    warfarin = replace(PROFILE, medications=("warfarin",))
    logged = [e for day, text in zip(DAYS, MEALS, strict=True)
              for e in parser.parse(text).entries(day)]  # fmt: skip
    now = assess(logged, warfarin, db, start=DAYS[0], end=DAYS[-1])
    data = _whatif(["MK-7 45 ug daily"], parser, now, logged, db).as_dict()
    status = {f["id"]: f["status"] for f in data["findings"]}
    assert status["vka-mk7-supplement"] == "new"
    assert status["vka-mode"] == "unchanged"
    assert data["findings"][0]["id"] == "vka-mk7-supplement"
    assert "theuwissen2013" in data["findings"][0]["evidence"]
    assert data["findings_resolved"] == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "names no supplement or food"),
        ("daily", "names no supplement or food"),
        ("xyzzy plumbus daily", "No food clearly matches"),
        ("MK-7 daily", "without its dose"),
        ("vitamin K2 100 ug daily", "which vitamin K2"),
        ("MK-7 100 ug and D3 25 ug", "holds 2 items"),
        ("1 tablet MyK2", "counted in capsules"),
    ],
)
def test_an_addition_must_be_one_resolved_item(parser: MealParser, text: str, match: str) -> None:
    with pytest.raises(Vitk2Error, match=match) as error:
        parse_addition(text, parser)
    assert isinstance(error.value, InvalidOptionError | MealParseError)


def test_nothing_to_add_is_an_error(current: Report, entries: list[DiaryEntry], db: FoodDB) -> None:
    with pytest.raises(InvalidOptionError, match="at least one --add"):
        build_whatif(current, entries, [], db)


# -- the command ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def diary_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A diary logged once through the CLI: a profile, a product, three days."""
    cli = Cli(tmp_path_factory.mktemp("whatif") / "diary.sqlite")
    cli.ok("profile", "set", "--sex", "female", "--birth-date", "1960-05-01")
    cli.ok("supplement", "add", "MyK2", "--per", "capsule", "--mk7", "100ug", "--vitd", "1000IU")
    for day, text in zip(DAYS, MEALS, strict=True):
        cli.ok("log", text, "--date", day.isoformat())
    return cli.db


@pytest.fixture
def cli(diary_file: Path, tmp_path: Path) -> Cli:
    return Cli(diary_file).copied(tmp_path)


def test_cli_json_and_nothing_is_stored(cli: Cli) -> None:
    before = cli.digest()
    entries = cli.json("diary", "show")
    data = cli.json("whatif", "--add", "MK-7 100 ug daily", "--add", "D3 25 ug every other day",
                    "--add", "calcium carbonate 500 mg twice daily")  # fmt: skip
    assert cli.digest() == before
    assert cli.json("diary", "show") == entries
    assert data["period"] == {"from": "2026-11-20", "to": "2026-11-23", "days": 3,
                              "calendar_days": 4}  # fmt: skip
    mk7, d3, calcium = data["additions"]
    assert mk7["text"] == "MK-7 100 ug daily" and mk7["per_day"]["mk7_ug"] == 100.0
    assert mk7["frequency"] == "daily" and mk7["doses_in_period"] == 3
    assert d3["frequency"] == "every other day" and d3["doses_in_period"] == 2
    assert calcium["doses_in_period"] == 6
    assert data["difference"]["k2_ug"] == 100.0 and data["difference"]["calcium_mg"] == 1000.0
    report = cli.json("report")
    assert data["current"]["mean"] == report["mean"]
    assert data["current"]["adequacy"] == report["adequacy"]
    then = data["with_additions"]
    assert then["mean"]["mk7_ug"] == pytest.approx(report["mean"]["mk7_ug"] + 100, abs=1e-3)
    assert then["adequacy"]["calcium_mg"]["days_over_ul"] == ["2026-11-20"]
    assert [(f["id"], f["status"]) for f in data["findings"]] == [("calcium-days-over-ul", "new")]
    assert "iom2011_ca" in data["sources"]


def test_cli_terminal_table(cli: Cli) -> None:
    text = cli.ok("whatif", "--add", "calcium carbonate 500 mg twice daily", "--add",
                  "1 capsule MyK2")  # fmt: skip
    flat = " ".join(text.split())
    for column in ("nutrient", "current", "with additions", "reference", "% now → % then", "UL"):
        assert column in text
    assert "+ MyK2, daily (default): mk7_ug +100" in flat
    assert "2,000 (over on 0 → 1 d)" in flat
    assert "Findings with the additions (1) CAUTION (new) Calcium above the upper limit" in flat


def test_cli_period_authority_and_foods(cli: Cli) -> None:
    data = cli.json("whatif", "--add", "50 g natto 3x/week", "--from", "2026-11-21",
                    "--to", "2026-11-23", "--authority", "efsa")  # fmt: skip
    assert data["period"]["from"] == "2026-11-21" and data["period"]["days"] == 2
    assert data["authority"] == "efsa"
    (natto,) = data["additions"]
    assert natto["kind"] == "food" and natto["dose_days"] == ["2026-11-21"]
    assert natto["schedule"].startswith("1 dose(s) on 1 of the 2 logged day(s)")
    assert data["difference"]["mk7_ug"] == 214.25  # one 50 g dose over 2 logged days


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((), "Nothing to add: give at least one --add"),
        (("--add", "xyzzy plumbus daily"), "No food clearly matches"),
        (("--add", "MK-7 daily"), "without its dose"),
        (("--add", "MK-7 100 ug every 3 days"), "Unknown frequency"),
        (("--add", "MK-7 100 ug and D3 25 ug"), "one --add per item"),
        (("--add", "MK-7 100 ug", "--from", "2026-13-01"), "is not a date"),
        (("--add", "MK-7 100 ug", "--from", "2026-11-23", "--to", "2026-11-20"), "is after"),
        (("--add", "MK-7 100 ug", "--to", "2020-01-01"), "before the first diary day"),
        (
            ("--add", "MK-7 100 ug", "--from", "2026-11-22", "--to", "2026-11-22"),
            "No diary entries",
        ),
    ],
)
def test_cli_errors_are_one_line_and_change_nothing(
    cli: Cli, args: tuple[str, ...], match: str
) -> None:
    cli.fails("whatif", *args, match=match)


def test_cli_empty_diary(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "empty.sqlite")
    cli.ok("profile", "set", "--sex", "male")
    cli.fails("whatif", "--add", "MK-7 100 ug daily", match="The diary is empty")
