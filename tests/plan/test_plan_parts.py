"""The planner's parts: the MILP (`vitk2.plan.model`) on small problems worked by
hand, an infeasible plan's explanation and what relaxes it, supplements only if
allowed, a typical day typed instead of the diary, the ramp-up's calendar file, and
`vitk2 substitutes` against the food database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cli_runner import InProcessCli
from vitk2 import FoodDB
from vitk2.plan.model import Bound, Option, Problem, maximum, solve

COLUMNS = ("a", "b")
TYPICAL = "1 cup coffee, 2 slices white toast, 1 apple, 3 oz roasted chicken, 1 cup cooked rice"


def _option(group: str, a: float, b: float, cost: float, family: str | None = None) -> Option:
    return Option(group, group, 1, 7, np.array([a, b]), cost, family)


def test_model_chooses_the_cheapest_options_meeting_every_bound() -> None:
    options = (
        _option("x", 5, 1, 1.0),
        _option("x", 10, 2, 1.5),  # the same food, more: at most one of the two
        _option("y", 6, 0, 1.2),
        _option("z", 4, 9, 0.5),
    )
    problem = Problem(COLUMNS, options, {"a": Bound(10, None), "b": Bound(None, 3)})
    found = solve(problem)
    assert found is not None and found.optimal
    # z breaks b's limit; x (5) + y (6) = 11 costs 2.2, the larger x alone 1.5
    assert found.chosen == (1,)
    assert found.added == {"a": 10.0, "b": 2.0}
    assert maximum(problem, "a") == 16.0  # larger x and y; z still breaks b


def test_model_keeps_one_option_per_family_and_says_when_nothing_fits() -> None:
    options = (_option("x", 5, 0, 1.0, "milk"), _option("y", 6, 0, 1.0, "milk"))
    problem = Problem(COLUMNS, options, {"a": Bound(10, None)})
    assert solve(problem) is None
    assert maximum(problem, "a") == 6.0
    assert solve(problem.with_bounds(a=Bound(6, None))) is not None
    assert solve(Problem(COLUMNS, (), {"a": Bound(1, None)})) is None


@pytest.fixture(scope="module")
def person(tmp_path_factory: pytest.TempPathFactory) -> InProcessCli:
    """A woman of 45 with no diary: plans from a typical day she types."""
    cli = InProcessCli(tmp_path_factory.mktemp("typical") / "diary.sqlite")
    cli.ok("profile", "set", "--sex", "female", "--birth-date", "1981-03-01")
    return cli


def _plan(cli: InProcessCli, *args: str) -> Any:
    return cli.json("plan", "--typical", TYPICAL, *args)


def test_infeasible_plan_names_the_aim_out_of_reach_and_what_relaxes_it(
    person: InProcessCli,
) -> None:
    plan = _plan(person, "--diet", "vegan", "--exclude", "natto", "--target-k2", "knapen2015")
    assert plan["feasible"] is False
    assert plan["additions"] == []
    assert plan["period"] == {"typical_day": TYPICAL}
    binding = {b["key"]: b for b in plan["binding"]}
    assert set(binding) == {"mk7_ug"}  # vitamin D and calcium are reachable alone
    text = " ".join(plan["explanation"])
    assert "--allow-supplements" in text and "without --exclude 'natto'" in text
    # the relaxation it names works: supplements allowed, MK-7 comes from one
    relaxed = _plan(
        person, "--diet", "vegan", "--exclude", "natto", "--target-k2", "knapen2015",
        "--allow-supplements",
    )  # fmt: skip
    assert relaxed["feasible"] is True
    supplements = [a for a in relaxed["additions"] if a["kind"] == "supplement"]
    assert any((a["per_day"].get("mk7_ug") or 0) > 0 for a in supplements)
    assert relaxed["after"]["mk7_ug"] >= 180


def test_no_supplement_unless_allowed_and_disliked_foods_stay_out(person: InProcessCli) -> None:
    plan = _plan(person, "--target-k2", "gast2009", "--exclude", "mushrooms")
    assert plan["feasible"], plan["explanation"]
    assert all(a["kind"] == "food" for a in plan["additions"])
    assert all("mushroom" not in a["name"].lower() for a in plan["additions"])
    assert plan["choices"]["exclude"] == ["mushrooms"]


def test_a_lower_budget_changes_the_plan_and_is_kept(person: InProcessCli) -> None:
    plan = _plan(person, "--max-kcal", "150", "--max-sodium", "100")
    added = sum(a["per_day"]["energy_kcal"] or 0 for a in plan["additions"])
    sodium = sum(a["per_day"]["sodium_mg"] or 0 for a in plan["additions"])
    if plan["feasible"]:
        assert added <= 150 and sodium <= 100
    else:
        assert plan["binding"]


def test_ramp_up_as_a_calendar_file(person: InProcessCli, tmp_path: Path) -> None:
    start = date.today() + timedelta(days=1)
    out = tmp_path / "ramp.ics"
    args = ("--target-k2", "knapen2015", "--weeks", "2", "--start", start.isoformat())
    plan = _plan(person, *args, "--ics", str(out))
    natto = [a for a in plan["additions"] if a["fermented"]]
    assert natto, plan["additions"]
    ramp = plan["ramp_up"]
    assert ramp[0]["date"] == start.isoformat() or ramp[0]["date"] > start.isoformat()
    assert {d["week"] for d in ramp} == {1, 2}
    assert ramp[-1]["share_of_planned"] == 1.0
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    starts = [line.split(":")[1] for line in unfolded if line.startswith("DTSTART")]
    assert starts == [d["date"].replace("-", "") for d in ramp]
    assert len({line for line in unfolded if line.startswith("UID:")}) == len(ramp)
    # the table says the same and where the file went
    text = person.ok("plan", "--typical", TYPICAL, *args, "--ics", str(tmp_path / "b.ics"))
    assert "Ramp-up" in text and "b.ics" in text


def test_substitutes_give_the_same_k2(person: InProcessCli) -> None:
    db = FoodDB.default()
    data = person.json("substitutes", "gouda")
    gouda = db.get(data["food"]["id"])
    k2 = gouda.nutrient("k2_ug").value
    assert k2 is not None
    same = k2 * data["portion"]["grams"] / 100
    assert data["amounts"]["k2_ug"] == pytest.approx(same, rel=3e-3)  # grams shown to 0.1 g
    assert data["alternatives"] and data["by_group"]
    for row in data["alternatives"]:
        other = db.get(row["id"]).nutrient("k2_ug").value
        assert other is not None and other > 0
        assert other * row["grams_for_same_k2"] / 100 == pytest.approx(same, rel=5e-3)
    assert data["alternatives"][0]["group"] == "Cheese"
    groups = [row["group"] for row in data["by_group"]]
    assert len(groups) == len(set(groups))
    vegan = person.json("substitutes", "gouda", "--diet", "vegan", "--limit", "5")
    assert len(vegan["alternatives"]) <= 5
    for row in vegan["alternatives"]:
        food = db.get(row["id"])
        assert food.group not in {"Dairy and Egg Products", "Cheese"}, food.name
    assert "Substitutes for Cheese, gouda" in person.ok("substitutes", "gouda")
