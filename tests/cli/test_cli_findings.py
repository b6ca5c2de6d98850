"""`vitk2 findings` and `vitk2 consistency` as a user runs them: real processes on a
real SQLite diary (imported from an export the parser wrote, then logged to)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import Cli
from vitk2 import FoodDB
from warfarin_diary import build_warfarin_diary


@pytest.fixture(scope="module")
def diary_file(tmp_path_factory: pytest.TempPathFactory, db: FoodDB) -> Path:
    return build_warfarin_diary(tmp_path_factory.mktemp("findings"), db)


@pytest.fixture
def cli(diary_file: Path, tmp_path: Path) -> Cli:
    return Cli(diary_file).copied(tmp_path)


def test_findings_json_warns_and_cites(cli: Cli) -> None:
    before = cli.digest()
    data = cli.json("findings", "--from", "2026-10-05")
    assert cli.digest() == before
    ids = [f["id"] for f in data["findings"]]
    assert ids[:2] == ["vka-mk7-supplement", "vka-k1-consistency"]
    assert ids[-2:] == ["vka-mode", "kidney-ckd"]  # info last, in rule order
    mk7 = data["findings"][0]
    assert mk7["severity"] == "warning" and "theuwissen2013" in mk7["evidence"]
    assert mk7["evidence_grade"]["grade"] == "C"
    assert data["sources"]["theuwissen2013"]["reliability"] == "abstract"
    assert "Theuwissen" in data["sources"]["theuwissen2013"]["citation"]
    (week,) = data["findings"][1]["applies_to"]["weeks"]
    assert week["start"] == "2026-10-05" and week["ratio"] >= 5


def test_a_source_read_partly_second_hand_says_so(cli: Cli) -> None:
    cli.ok("log", "2 capsules MK-7 45 µg", "--date", "2026-10-07")  # MK-7 week +19 µg/day
    data = cli.json("findings", "--from", "2026-10-05")
    assert "vka-mk7-consistency" in [f["id"] for f in data["findings"]]
    # sato2012 has records read in the abstract and others second-hand: both are named
    assert data["sources"]["sato2012"]["reliability"] == "abstract, secondary"


def test_the_report_carries_the_same_findings(cli: Cli) -> None:
    report = cli.json("report", "--from", "2026-10-05")
    findings = cli.json("findings", "--from", "2026-10-05")
    assert report["findings"] == findings["findings"]
    assert "theuwissen2013" in report["sources"]


def test_findings_text(cli: Cli) -> None:
    flat = " ".join(cli.ok("findings", "--from", "2026-10-05").split())
    assert "WARNING MK-7 supplement while taking warfarin" in flat
    assert "WARNING K1 intake departs from your baseline in 1 week(s)" in flat
    assert "evidence: theuwissen2013, schurgers2007, schurgers2004 · grade C" in flat
    assert "Sources (`vitk2 evidence show KEY` for the records)" in flat


def test_consistency_json(cli: Cli) -> None:
    data = cli.json("consistency")
    weeks = data["weeks"]
    assert weeks[0]["start"] == "2026-09-07" and len(weeks) == 5
    assert weeks[0]["status"] == "no_baseline" and weeks[0]["departs"] == []
    assert weeks[-1]["departs"] == ["k1_ug"]
    assert weeks[-1]["inr"] == [{"date": "2026-10-09", "inr": 1.8}]
    assert weeks[-2]["inr"] == [{"date": "2026-09-30", "inr": 2.5}]
    assert weeks[-1]["mean_ug"]["mk7_ug"] == pytest.approx(45 / 7, abs=0.1)
    assert data["thresholds"]["k1_change_ug"] == 100
    assert data["baseline"]["kind"] == "trailing"
    assert len(data["rolling"]) == 35


def test_consistency_text_and_rolling(cli: Cli) -> None:
    text = cli.ok("consistency", "--rolling", "--from", "2026-10-05")
    assert "departs: K1" in text
    assert "7 days" in text
    assert "No guideline" not in text  # the explanation lives in `vitk2 findings`
    assert "jpc_tums" in text


def test_a_fixed_baseline(cli: Cli) -> None:
    data = cli.json("consistency", "--baseline-from", "2026-09-07", "--baseline-to",
                    "2026-09-20")  # fmt: skip
    assert data["baseline"]["kind"] == "fixed"
    assert data["baseline"]["text"] == "mean of the logged days from 2026-09-07 to 2026-09-20"
    assert data["weeks"][0]["status"] == "assessed"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("findings", "--baseline-from", "2026-09-07"), "Give both --baseline-from"),
        (("consistency", "--baseline-to", "2026-09-07"), "Give both --baseline-from"),
        (("consistency", "--baseline-from", "2026-09-20", "--baseline-to", "2026-09-07"),
         "is after --baseline-to"),
        (("findings", "--from", "2026-13-01"), "is not a date"),
        (("consistency", "--from", "2020-01-01", "--to", "2020-01-31"), "No diary entries"),
        (("consistency", "--from", "2999-01-01"), "is in the future"),
        (("findings", "--to", "2020-01-01"), "before the first diary day"),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_change_nothing(
    cli: Cli, args: tuple[str, ...], match: str
) -> None:
    cli.fails(*args, match=match)


def test_a_doac_gets_no_vka_warning(cli: Cli) -> None:
    cli.ok("profile", "set", "--medication", "apixaban")
    data = cli.json("findings", "--from", "2026-10-05")
    assert [f["id"] for f in data["findings"]] == ["doac", "kidney-ckd"]


def test_an_empty_diary(tmp_path: Path) -> None:
    Cli(tmp_path / "empty.sqlite").fails("findings", match="The diary is empty")
