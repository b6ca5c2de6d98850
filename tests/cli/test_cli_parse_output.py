"""What `vitk2 parse`, `vitk2 log` and `vitk2 report` show: every assumption the JSON
has, and unknown never as 0 (terminal, JSON and HTML). Real processes, a real diary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli_runner import Cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "diary.sqlite")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_table_shows_every_note_and_suggestion_the_json_has(cli: Cli) -> None:
    text = "an apple, coffee with cream, 200 g Käse, 50 g glue, 100 g crème fraîche"
    result = cli.run("parse", text, "--json")
    assert result.returncode == 1  # "coffee" and "glue" are unresolved; the JSON is printed
    data = json.loads(result.stdout)
    terminal = _flat(cli.run("parse", text).stdout)
    shown = 0
    for item in data["items"]:
        for line in (*item["notes"], *item["suggestions"]):
            assert _flat(line) in terminal, line
            shown += 1
    assert shown >= 6
    assert "Käse read as cheese" in terminal
    assert "crème fraîche is in neither SR28 nor FNDDS" in terminal


def test_unknown_is_never_shown_as_zero_in_parse(cli: Cli) -> None:
    data = cli.json("parse", "50 g honey")  # SR28 honey: K2 unknown
    assert data["totals"]["k2_ug"] is None
    assert data["totals"]["k2_low_ug"] is None and "k2_ug" in data["totals"]["unknown"]
    out = cli.ok("parse", "50 g honey")
    total_row = next(line for line in out.splitlines() if line.strip().startswith("total"))
    assert "unknown" in total_row
    assert "K2 unknown;" in _flat(out) and "0–0" not in out
    mixed = cli.ok("parse", "50 g natto, 50 g honey")
    total_row = next(line for line in mixed.splitlines() if line.strip().startswith("total"))
    natto = cli.json("parse", "50 g natto")["totals"]["k2_ug"]
    assert re.search(rf"≥ {natto:.0f}\b", total_row), total_row  # natto's K2, a lower bound


def test_unknown_is_never_shown_as_zero_in_the_report(cli: Cli, tmp_path: Path) -> None:
    cli.ok("log", "50 g honey", "--date", "2026-11-20")
    data = cli.json("report")
    assert data["mean"]["k2_ug"] is None and data["mean_foods"]["k2_ug"] is None
    assert data["k2"]["mean_ug"] is None and data["k2"]["low_ug"] is None
    assert data["days"][0]["totals"]["k2_ug"] is None
    assert data["days"][0]["k2_low_ug"] is None
    assert "k2_ug" in data["unknown"]
    assert data["mean"]["calcium_mg"] == pytest.approx(3.0)  # known values stay numbers
    out = cli.ok("report")
    k2_row = next(line for line in out.splitlines() if line.strip().startswith("k2_ug"))
    assert k2_row.split()[1] == "unknown"
    page = tmp_path / "report.html"
    cli.ok("report", "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert "Mean <b>unknown µg/day</b>" in html
    assert "range 0–0" not in html and "(range" not in html.split("Mean <b>", 1)[1][:80]


def test_a_mean_missing_some_values_is_a_lower_bound_in_the_report(cli: Cli) -> None:
    cli.ok("log", "50 g natto, 50 g honey", "--date", "2026-11-20")
    out = cli.ok("report")
    k2_row = next(line for line in out.splitlines() if line.strip().startswith("k2_ug"))
    assert "≥" in k2_row
