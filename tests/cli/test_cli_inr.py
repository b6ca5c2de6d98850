"""`vitk2 inr …` and `vitk2 profile set --kidney` as a user runs them: real processes,
a real SQLite file, and a real PostgreSQL server.

Bad input gives one line on stderr, exit code 1, and leaves the database
byte-for-byte unchanged.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from cli_runner import Cli
from pg_server import PostgresServer


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "diary.sqlite")


def test_add_show_delete_round_trip(cli: Cli) -> None:
    first = cli.json("inr", "add", "2.1", "--date", "2026-11-06", "--note", "clinic [lab]")
    assert first == {"id": 1, "date": "2026-11-06", "inr": 2.1, "note": "clinic [lab]"}
    out = cli.ok("inr", "add", "3.4", "--date", "2026-11-13")
    assert out == "Logged INR 3.4 on 2026-11-13 (reading id 2).\n"
    cli.ok("inr", "add", "2.4", "--date", "2026-11-20", "--note", "home meter")
    cli.ok("inr", "add", "1.9", "--date", "2026-11-01")
    data = cli.json("inr", "show")
    assert set(data) == {"readings", "summary"}
    assert [(r["id"], r["date"], r["inr"], r["note"]) for r in data["readings"]] == [
        (4, "2026-11-01", 1.9, None),
        (1, "2026-11-06", 2.1, "clinic [lab]"),
        (2, "2026-11-13", 3.4, None),
        (3, "2026-11-20", 2.4, "home meter"),
    ]
    assert data["summary"] == {
        "count": 4, "first": "2026-11-01", "last": "2026-11-20",
        "min": 1.9, "median": 2.25, "max": 3.4,
    }  # fmt: skip
    lines = [line.split() for line in cli.ok("inr", "show").splitlines()]
    assert lines[0] == ["id", "date", "INR", "note"]
    assert lines[1] == ["4", "2026-11-01", "1.9"]
    assert lines[2] == ["1", "2026-11-06", "2.1", "clinic", "[lab]"]
    assert lines[4] == ["3", "2026-11-20", "2.4", "home", "meter"]
    assert " ".join(lines[5]) == (
        "4 readings from 2026-11-01 to 2026-11-20; INR min 1.9, median 2.25, max 3.4."
    )
    assert cli.ok("inr", "delete", "4") == "Deleted INR reading 4.\n"
    data = cli.json("inr", "show")
    assert [r["id"] for r in data["readings"]] == [1, 2, 3]
    assert data["summary"]["median"] == 2.4 and data["summary"]["first"] == "2026-11-06"
    assert cli.json("diary", "show") == []  # the INR log is not the food diary


def test_default_date_is_today_and_a_decimal_comma_is_read(cli: Cli) -> None:
    today = date.today().isoformat()
    assert cli.json("inr", "add", "2,4") == {"id": 1, "date": today, "inr": 2.4, "note": None}
    assert cli.ok("inr", "add", " 3,15 ") == f"Logged INR 3.15 on {today} (reading id 2).\n"
    assert [r["inr"] for r in cli.json("inr", "show")["readings"]] == [2.4, 3.15]


def test_from_and_to_filter_the_readings_and_the_summary(cli: Cli) -> None:
    for value, day in [("2.0", "2026-10-30"), ("2.6", "2026-11-06"), ("3.0", "2026-11-13"),
                       ("2.2", "2026-11-20")]:  # fmt: skip
        cli.ok("inr", "add", value, "--date", day)

    def shown(*args: str) -> list[str]:
        return [r["date"] for r in cli.json("inr", "show", *args)["readings"]]

    assert shown("--from", "2026-11-06") == ["2026-11-06", "2026-11-13", "2026-11-20"]
    assert shown("--to", "2026-11-06") == ["2026-10-30", "2026-11-06"]
    assert shown("--from", "2026-11-06", "--to", "2026-11-13") == ["2026-11-06", "2026-11-13"]
    assert shown("--from", "2026-11-13", "--to", "2026-11-13") == ["2026-11-13"]
    summary = cli.json("inr", "show", "--from", "2026-11-06", "--to", "2026-11-13")["summary"]
    assert summary == {"count": 2, "first": "2026-11-06", "last": "2026-11-13",
                       "min": 2.6, "median": 2.8, "max": 3.0}  # fmt: skip
    text = " ".join(cli.ok("inr", "show", "--from", "2026-11-13", "--to", "2026-11-13").split())
    assert text.endswith(
        "1 reading on 2026-11-13; INR min 3, median 3, max 3. "
        "INR against weekly vitamin K intake: `vitk2 consistency`."
    )
    assert shown("--from", "2026-12-01") == []
    empty = cli.ok("inr", "show", "--from", "2026-12-01")
    assert empty.startswith("No INR readings in this period. Add one with `vitk2 inr add 2.4")


def test_an_empty_log_explains_how_to_add_readings(cli: Cli) -> None:
    text = cli.ok("inr", "show")
    assert text == (
        "No INR readings. Add one with `vitk2 inr add 2.4 --date YYYY-MM-DD` "
        "(the day the blood was taken).\n"
    )
    assert cli.json("inr", "show") == {
        "readings": [],
        "summary": {"count": 0, "first": None, "last": None, "min": None, "median": None,
                    "max": None},
    }  # fmt: skip


LATER = (date.today() + timedelta(days=2)).isoformat()  # after the one-day margin


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("inr", "add", "abc"), "INR 'abc' is not a number"),
        (("inr", "add", ""), "is not a number"),
        (("inr", "add", "2.4.1"), "is not a number"),
        (("inr", "add", "nan"), "is not a number"),
        (("inr", "add", "25"), "INR 25 is outside 0.5–15, the range INR meters and laboratories"),
        (("inr", "add", "0,2"), "check the value"),
        (("inr", "add", "--", "-2"), "INR must be above 0, got -2"),
        (("inr", "add", "0"), "INR must be above 0"),
        (("inr", "add", "2.4", "--date", LATER), f"--date {LATER} is in the future"),
        (("inr", "add", "2.4", "--date", "2026-02-30"), "--date '2026-02-30' is not a date"),
        (("inr", "add", "2.4", "--date", "yesterday"), "is not a date"),
        (("inr", "add", "2.4", "--note", "x" * 201), "at most 200 characters, got 201"),
        (("inr", "show", "--from", "2026-03-02", "--to", "2026-03-01"), "is after --to"),
        (("inr", "show", "--to", "soon"), "--to 'soon' is not a date"),
        (("inr", "delete", "99"), "No INR reading with id 99. List readings"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Cli, args: tuple[str, ...], match: str
) -> None:
    cli.ok("inr", "add", "2.5", "--date", "2026-11-20")
    cli.fails(*args, match=match)
    assert [r["inr"] for r in cli.json("inr", "show")["readings"]] == [2.5]


def test_bad_input_creates_no_database(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "never.sqlite")
    cli.fails("inr", "add", "25", match="check the value")
    cli.fails("inr", "add", "2.4", "--date", LATER, match="in the future")
    assert not cli.db.exists()


def test_profile_kidney_set_show_and_clear(cli: Cli) -> None:
    cli.ok("profile", "set", "--sex", "female", "--birth-date", "1950-07-14",
           "--medication", "warfarin")  # fmt: skip
    assert cli.json("profile", "show")["kidney"] is None
    saved = cli.json("profile", "set", "--kidney", "ckd")
    assert saved["kidney"] == "ckd"
    assert saved["sex"] == "female" and saved["medications"] == ["warfarin"]  # others kept
    text = cli.ok("profile", "show")
    assert "kidney: ckd (chronic kidney disease, not on dialysis)" in text
    cli.ok("profile", "set", "--weight-kg", "58")  # kidney kept when other fields change
    assert cli.json("profile", "show")["kidney"] == "ckd"
    cli.ok("profile", "set", "--kidney", "dialysis")
    assert "kidney: dialysis (on haemodialysis or peritoneal dialysis)" in cli.ok("profile", "show")
    cli.ok("profile", "set", "--kidney", "transplant")
    assert "kidney: transplant (kidney transplant recipient)" in cli.ok("profile", "show")
    cleared = cli.json("profile", "set", "--kidney", "none")
    assert cleared["kidney"] is None and cleared["weight_kg"] == 58.0
    assert "kidney: —" in cli.ok("profile", "show")
    before = cli.digest()
    result = cli.run("profile", "set", "--kidney", "liver")  # a usage error: exit 2
    assert result.returncode == 2 and "liver" in result.stderr
    assert cli.digest() == before


def test_profile_help_explains_the_kidney_choices(cli: Cli) -> None:
    text = " ".join(cli.ok("profile", "set", "--help").split())
    for meaning in ("chronic kidney disease", "peritoneal dialysis", "transplant recipient"):
        assert meaning in text


def test_inr_commands_on_postgresql(postgres: PostgresServer, tmp_path: Path) -> None:
    """`inr add/show/delete` and `profile set --kidney` with `--db postgresql://…`."""
    url = postgres.create_database()
    try:
        cli = Cli(tmp_path / "unused.sqlite")
        db = ("--db", url)
        assert cli.json("inr", "add", "2,8", "--date", "2026-11-06", "--note", "clinic", *db) == {
            "id": 1, "date": "2026-11-06", "inr": 2.8, "note": "clinic",
        }  # fmt: skip
        cli.ok("inr", "add", "3.3", "--date", "2026-11-13", *db)
        cli.ok("inr", "add", "2.2", "--date", "2026-11-20", *db)
        cli.fails("inr", "add", "30", *db, match="check the value")
        data = cli.json("inr", "show", "--from", "2026-11-07", *db)
        assert [r["inr"] for r in data["readings"]] == [3.3, 2.2]
        assert data["summary"]["count"] == 2 and data["summary"]["median"] == 2.75
        assert "3 readings from 2026-11-06 to 2026-11-20" in cli.ok("inr", "show", *db)
        cli.ok("inr", "delete", "2", *db)
        cli.fails("inr", "delete", "2", *db, match="No INR reading with id 2")
        assert [r["id"] for r in cli.json("inr", "show", *db)["readings"]] == [1, 3]
        cli.ok("profile", "set", "--sex", "male", "--kidney", "transplant", *db)
        assert cli.json("profile", "show", *db)["kidney"] == "transplant"
        assert not cli.db.exists()
    finally:
        postgres.drop_database(url)
