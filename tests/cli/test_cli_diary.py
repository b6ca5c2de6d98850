"""The diary commands as a user runs them: real processes, a real SQLite file.

Bad input of every kind gives one line on stderr, exit code 1, and leaves the
database byte-for-byte unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import Cli
from pg_server import PostgresServer


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "diary.sqlite")


def test_log_show_edit_delete(cli: Cli) -> None:
    out = cli.json(
        "log", "2 slices of gouda, a boiled egg and 50 g natto; 1 cup whole milk",
        "--date", "2026-11-20", "--time", "08:15", "--meal", "breakfast",
    )  # fmt: skip
    assert [e["ref"] for e in out["stored"]] == [
        "usda:01022", "usda:01129", "usda:16113", "usda:01077"
    ]  # fmt: skip
    entries = cli.json("diary", "show", "--date", "2026-11-20")
    assert len(entries) == 4
    assert {e["meal"] for e in entries} == {"breakfast"}
    assert entries[2]["grams"] == 50.0
    natto = entries[2]["id"]
    edited = cli.json("diary", "edit", str(natto), "--grams", "80")
    assert edited["grams"] == 80.0 and edited["id"] == natto
    assert edited["text"] == "80 g Natto"
    replaced = cli.json("diary", "edit", str(natto), "--text", "1 cup sauerkraut")
    assert replaced["name"].startswith("Sauerkraut") and replaced["id"] == natto
    cli.ok("diary", "delete", str(natto))
    assert len(cli.json("diary", "show")) == 3
    assert cli.json("diary", "show", "--from", "2026-11-21", "--to", "2026-11-30") == []
    text = cli.ok("diary", "show")
    assert "Cheese, gouda" in text


def test_unresolved_item_stores_nothing_unless_partial(cli: Cli) -> None:
    cli.ok("log", "1 cup whole milk", "--date", "2026-11-20")
    message = cli.fails(
        "log", "1 cup whole milk, 100 g xyzzy plumbus", "--date", "2026-11-21",
        match="Nothing logged: 1 of 2 item(s) unresolved",
    )  # fmt: skip
    assert "--partial" in message
    assert len(cli.json("diary", "show")) == 1
    out = cli.json("log", "1 cup whole milk, 100 g xyzzy plumbus", "--partial")
    assert len(out["stored"]) == 1 and out["skipped"] == ["100 g xyzzy plumbus"]
    assert len(cli.json("diary", "show")) == 2


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("log", ""), "Nothing to parse"),
        (("log", "   "), "Nothing to parse"),
        (("log", "100 g xyzzy plumbus"), "No food clearly matches"),
        (("log", "--", "-3 g butter"), "above 0"),
        (("log", "1 cup milk, 2 slices gouda, -3 g butter"), "above 0"),
        (("log", "10000 cups milk"), "at most 5 kg"),
        (("log", "1 cup milk", "--date", "2026-13-45"), "is not a date"),
        (("log", "1 cup milk", "--date", "yesterday"), "is not a date"),
        (("log", "1 cup milk", "--time", "25:00"), "HH:MM"),
        (("diary", "show", "--from", "2026-02-30"), "is not a date"),
        (("diary", "show", "--from", "2026-03-02", "--to", "2026-03-01"), "is after"),
        (("diary", "delete", "999"), "No diary entry with id 999"),
        (("diary", "edit", "999", "--grams", "5"), "No diary entry with id 999"),
        (("diary", "edit", "1", "--grams", "-5"), "above 0"),
        (("diary", "edit", "1"), "exactly one of --grams or --text"),
        (("diary", "edit", "1", "--text", "100 g xyzzy plumbus"), "Entry unchanged"),
        (("diary", "import", "/nonexistent/file.csv"), "no such file"),
        (("supplement", "add", "X", "--per", "capsule", "--mk7", "lots"), "Cannot read"),
        (("supplement", "add", "X", "--per", "bucket", "--mk7", "1ug"), "Unknown supplement unit"),
        (("supplement", "add", "X", "--per", "capsule", "--mk7", "10IU"), "IU is defined"),
        (("supplement", "add", "X", "--per", "capsule", "--zinc9", "1mg"), "Unknown nutrient"),
        (("supplement", "remove", "Nope"), "No supplement named"),
        (("profile", "set", "--weight-kg", "-70"), "weight must be"),
        (("profile", "set", "--birth-date", "01/02/1970"), "is not a date"),
        (("profile", "set", "--sex", "male", "--pregnant"), "need --sex female"),
        (("report",), "The diary is empty"),
        (("report", "--to", "2020-01-01"), "before the first diary day"),
        (("profile", "set", "--medication", "x", "--no-medication"), "not both"),
        (("parse", "100 g xyzzy plumbus"), "unresolved"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Cli, args: tuple[str, ...], match: str
) -> None:
    cli.ok("log", "1 cup whole milk", "--date", "2026-11-20")
    if args == ("report",):
        cli.ok("diary", "delete", "1")
    cli.fails(*args, match=match)


def test_unreachable_database(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.sqlite")
    for url, match in [
        ("postgresql://bob:secret@127.0.0.1:1/diary", "Cannot open the diary database"),
        (f"sqlite:///{tmp_path}/no/such/folder/diary.sqlite", "Cannot open the diary database"),
    ]:
        result = cli.run("diary", "show", "--db", url)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and match in result.stderr
        assert "secret" not in result.stderr


def test_export_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    cli.ok("supplement", "add", "MyK2", "--per", "capsule", "--mk7", "100ug", "--vitd", "1000IU")
    cli.ok("log", "2 slices of gouda, ½ cup crème fraîche", "--date", "2026-11-20",
           "--meal", "lunch", "--time", "12:30")  # fmt: skip
    cli.ok("log", "1 capsule MyK2; 1000 IU vitamin D3", "--date", "2026-11-21")
    for fmt in ("csv", "json"):
        first = tmp_path / f"first.{fmt}"
        cli.ok("diary", "export", str(first))  # the format follows the file name
        fresh = Cli(tmp_path / f"fresh-{fmt}.sqlite")
        fresh.ok("diary", "import", str(first))
        second = tmp_path / f"second.{fmt}"
        fresh.ok("diary", "export", str(second), "--format", fmt)
        assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    rows = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))["entries"]
    assert rows[2]["amounts"] == {"mk7_ug": 100.0, "k2_ug": 100.0, "vitk_ug": 100.0,
                                  "vitd_ug": 25.0}  # fmt: skip


def test_broken_import_reports_line_numbers_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.ok("log", "1 cup whole milk", "--date", "2026-11-20")
    good = tmp_path / "good.csv"
    cli.ok("diary", "export", str(good))
    lines = good.read_text(encoding="utf-8").splitlines()
    row = lines[1].split(",")
    bad_date = ",".join([row[0], "2026-02-30", *row[2:]])
    bad_food = lines[1].replace("usda:01077", "usda:99999")
    bad_grams = lines[1].replace(",244.0,", ",abc,")
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join([lines[0], lines[1], bad_date, bad_food, bad_grams]) + "\n")
    message = cli.fails("diary", "import", str(broken), match="3 bad row(s)")
    assert "line 3: date '2026-02-30'" in message
    assert "line 4: unknown food id 'usda:99999'" in message
    assert "line 5: grams 'abc' is not a number" in message
    not_json = tmp_path / "x.json"
    not_json.write_text("{not json")
    cli.fails("diary", "import", str(not_json), match="not valid JSON")
    a_list = tmp_path / "list.json"
    a_list.write_text("[1, 2]")
    cli.fails("diary", "import", str(a_list), match="not a vitk2 diary export")
    header_only = tmp_path / "h.csv"
    header_only.write_text("date,kind\n")
    cli.fails("diary", "import", str(header_only), match="the header lacks")


def test_profile_and_report(cli: Cli, tmp_path: Path) -> None:
    cli.ok("profile", "set", "--sex", "female", "--birth-date", "1968-03-01",
           "--weight-kg", "64", "--medication", "Warfarin")  # fmt: skip
    profile = cli.json("profile", "show")
    assert profile["sex"] == "female" and profile["medications"] == ["warfarin"]
    cli.ok("profile", "set", "--weight-kg", "65")  # other fields keep their value
    assert cli.json("profile", "show")["sex"] == "female"
    cli.ok("log", "2 slices of gouda, 50 g natto, 1 cup whole milk", "--date", "2026-11-20")
    cli.ok("log", "1 cup spinach, 2 tablets calcium carbonate 500 mg", "--date", "2026-11-22")
    html = tmp_path / "report.html"
    data = cli.json("report", "--from", "2026-11-20", "--to", "2026-11-22", "--html", str(html))
    assert data["period"] == {"from": "2026-11-20", "to": "2026-11-22", "days": 2,
                              "calendar_days": 3}  # fmt: skip
    assert data["reference"]["calcium_mg"]["value"] == 1200.0  # IOM women 51-70 RDA
    assert data["reference"]["calcium_mg"]["source"] == "iom2011_ca"
    assert "k2_ug" not in data["reference"]
    assert data["k2"]["reference_points"]
    assert data["days"][1]["supplements"]["calcium_mg"] == 1000.0
    findings = {f["id"]: f for f in data["findings"]}
    assert set(findings) == {"vka-mode", "calcium-per-occasion"}  # 2 tablets at once
    assert "warfarin" in findings["vka-mode"]["title"]
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "iom2011_ca" in page
    efsa = cli.json("report", "--authority", "efsa")
    assert efsa["reference"]["calcium_mg"]["source"] == "efsa2015_ca"
    assert "k1_ug" in efsa["reference"]  # EFSA's AI covers phylloquinone only


def test_parse_stores_nothing_and_creates_no_database(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "never.sqlite")
    data = cli.json("parse", "2 slices of gouda, 1 cup whole milk")
    assert [item["food"]["id"] for item in data["items"]] == ["usda:01022", "usda:01077"]
    assert not cli.db.exists()


def test_terminal_report_shows_reference_notes(cli: Cli) -> None:
    cli.ok("profile", "set", "--sex", "male", "--birth-date", "1980-01-01")
    cli.ok("log", "1 cup whole milk", "--date", "2026-11-20")
    text = " ".join(cli.ok("report").split())
    assert "No UL is established for vitamin K" in text
    assert "AI 120 [iom2001_k]" in text


def test_the_commands_on_postgresql(postgres: PostgresServer, tmp_path: Path) -> None:
    """The same user journey with `--db postgresql://…` on a real server."""
    url = postgres.create_database()
    try:
        cli = Cli(tmp_path / "unused.sqlite")
        db = ("--db", url)
        cli.ok("profile", "set", "--sex", "female", "--birth-date", "1990-06-01", *db)
        cli.ok("supplement", "add", "MyK2", "--per", "capsule", "--mk7", "100ug", *db)
        stored = cli.json("log", "2 slices of gouda, 50 g natto; 1 capsule MyK2",
                          "--date", "2026-11-20", *db)["stored"]  # fmt: skip
        assert [e["ref"] for e in stored] == ["usda:01022", "usda:16113", "MyK2"]
        cli.fails("log", "1 cup milk, 100 g xyzzy plumbus", *db, match="Nothing logged")
        assert len(cli.json("diary", "show", *db)) == 3
        report = cli.json("report", *db)
        assert report["reference"]["calcium_mg"]["value"] == 1000.0  # IOM women 19-50 RDA
        assert report["k2"]["from_supplements_ug"] == 100.0
        exported = tmp_path / "pg.json"
        cli.ok("diary", "export", str(exported), *db)
        sqlite = Cli(tmp_path / "copy.sqlite")
        sqlite.ok("diary", "import", str(exported))
        again = tmp_path / "copy.json"
        sqlite.ok("diary", "export", str(again))
        assert exported.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")
        assert not cli.db.exists()
    finally:
        postgres.drop_database(url)
