"""`vitk2 backup` / `vitk2 restore` and idempotent `vitk2 diary import`, on real SQLite
files: a warfarin user's diary restored into a fresh diary gives byte-identical
reports and findings, and restoring or importing twice changes nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli_runner import InProcessCli
from vitk2 import FoodDB
from warfarin_diary import build_warfarin_diary

FORMULA = '=HYPERLINK("http://example.com")'


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory, db: FoodDB) -> InProcessCli:
    """The warfarin diary plus two products of the user's (one named like a formula),
    a food from a label and a recipe of theirs (in two versions, both eaten), entries
    logged with them, and a deleted entry (so ids have a gap)."""
    cli = InProcessCli(build_warfarin_diary(tmp_path_factory.mktemp("backup"), db))
    cli.ok("supplement", "add", "MyK2", "--per", "capsule", "--mk7", "100ug", "--vitd", "1000IU")
    cli.ok("supplement", "add", FORMULA, "--per", "tablet", "--calcium", "250mg")
    cli.ok("log", f"1 capsule MyK2; 2 tablets {FORMULA}", "--date", "2026-10-08", "--meal", "lunch")
    cli.ok("food", "add", "MyBar", "--per", "1 bar (40 g)", "--calcium", "200mg", "--mk7", "2ug")
    cli.ok(
        "recipe", "add", "stew", "--serves", "4", "500 g beef stew meat, 300 g carrots, 1 cup kale"
    )
    cli.ok("log", "1 serving stew, 1 bar MyBar", "--date", "2026-10-09", "--meal", "dinner")
    cli.ok("recipe", "edit", "stew", "--serves", "5")
    cli.ok("log", "150 g stew", "--date", "2026-10-10")
    gap = cli.json("log", "50 g natto", "--date", "2026-10-01")["stored"][0]["id"]
    cli.ok("diary", "delete", str(gap))
    return cli


def with_own_foods(original: InProcessCli, folder: Path) -> InProcessCli:
    """A fresh diary holding the original's foods and recipes (and profile, products and
    INR readings) but no entries: an export's entries refer to those foods, and only
    a backup carries them (`vitk2 diary import` refuses entries of foods it lacks)."""
    backup = folder / "foods-only.json"
    original.ok("backup", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    backup.write_text(json.dumps({**document, "entries": []}), encoding="utf-8")
    fresh = InProcessCli(folder / "fresh.sqlite")
    fresh.ok("restore", str(backup))
    return fresh


def without_ids(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


COMPARED = [
    ("report",),
    ("report", "--from", "2026-10-05", "--to", "2026-10-11", "--authority", "efsa"),
    ("findings",),
    ("findings", "--from", "2026-10-05"),
    ("consistency",),
    ("inr", "show"),
    ("profile", "show"),
    ("supplement", "list"),
    ("recipe", "list", "--all"),
    ("food", "list", "--all"),
    ("recipe", "show", "stew"),
    ("whatif", "--add", "1 serving stew daily"),
]


def test_a_restored_backup_gives_byte_identical_reports_and_findings(
    original: InProcessCli, tmp_path: Path
) -> None:
    backup = tmp_path / "diary-backup.json"
    original.ok("backup", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert list(document) == [
        "format", "version", "vitk2", "profile", "supplements", "own_foods", "inr_readings",
        "entries",
    ]  # fmt: skip
    assert [(f["name"], f["version"], f["retired"]) for f in document["own_foods"]] == [
        ("MyBar", 1, False), ("stew", 1, True), ("stew", 2, False),
    ]  # fmt: skip
    assert document["profile"]["medications"] == ["warfarin 5 mg"]
    assert document["profile"]["kidney"] == "ckd"
    entries = original.json("diary", "show")
    fresh = InProcessCli(tmp_path / "fresh.sqlite")
    counts = fresh.json("restore", str(backup))
    assert counts == {
        "profile": "set",
        "products": {"added": 2, "unchanged": 0, "replaced": 0},
        "own_foods": {"added": 3, "unchanged": 0, "retired": 0},
        "inr_readings": {"added": 2, "skipped": 0},
        "entries": {"added": len(entries), "skipped": 0},
    }
    for args in COMPARED:
        assert fresh.ok(*args, "--json") == original.ok(*args, "--json"), args
    assert without_ids(fresh.json("diary", "show")) == without_ids(entries)
    assert fresh.json("findings")["findings"][0]["id"] == "vka-mk7-supplement"  # warfarin on

    before = fresh.dump()
    again = fresh.json("restore", str(backup))
    assert again == {
        "profile": "unchanged",
        "products": {"added": 0, "unchanged": 2, "replaced": 0},
        "own_foods": {"added": 0, "unchanged": 3, "retired": 0},
        "inr_readings": {"added": 0, "skipped": 2},
        "entries": {"added": 0, "skipped": len(entries)},
    }
    assert fresh.dump() == before


def test_a_different_profile_or_product_is_kept_unless_replaced(
    original: InProcessCli, tmp_path: Path
) -> None:
    backup = tmp_path / "b.json"
    original.ok("backup", str(backup))
    other = InProcessCli(tmp_path / "other.sqlite")
    other.ok("profile", "set", "--sex", "male", "--birth-date", "1970-01-01")
    message = other.fails("restore", str(backup), match="Add --replace-profile")
    assert "(sex, birth date, medications, kidney)" in message
    other.ok("supplement", "add", "myk2", "--per", "capsule", "--mk7", "45ug")
    other.fails("restore", str(backup), "--replace-profile", match="--replace-products")
    counts = other.json("restore", str(backup), "--replace-profile", "--replace-products")
    assert counts["profile"] == "replaced"
    assert counts["products"] == {"added": 1, "unchanged": 0, "replaced": 1}
    assert other.ok("findings", "--json") == original.ok("findings", "--json")


def test_bad_backups_restore_nothing(original: InProcessCli, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    original.ok("backup", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    head = {key: value for key, value in document.items() if key != "entries"}
    target = InProcessCli(tmp_path / "target.sqlite")
    target.ok("log", "50 g natto", "--date", "2026-11-01")
    cases = {
        "born late": ({**document, "profile": {**document["profile"], "birth_date": "2026-09-20"}},
                      "is before the birth date 2026-09-20"),
        "newer": ({**document, "version": 3}, "backup format version 3"),
        "unknown section": ({**head, "recipes": [], "entries": document["entries"]},
                            "unknown section 'recipes'"),
        "after entries": ({**document, "recipes": []}, "'recipes' comes after 'entries'"),
        "bad amount": ({**document, "supplements": [{**document["supplements"][0],
                        "amounts": {"mk7_ug": 1e9}}]}, "most vitk2 takes in one unit"),
        "bad inr": ({**document, "inr_readings": [{"uid": None, "date": "2026-13-01",
                     "inr": 2.0, "note": None}]}, "date '2026-13-01' is not a date"),
    }  # fmt: skip
    for name, (bad, match) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(bad), encoding="utf-8")
        target.fails("restore", str(path), match=match)
    export = tmp_path / "export.json"
    original.ok("diary", "export", str(export))
    target.fails("restore", str(export), match="import it with `vitk2 diary import`")
    target.fails("diary", "import", str(backup), match="restore it with `vitk2 restore`")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_importing_an_export_twice_adds_nothing(
    original: InProcessCli, tmp_path: Path, fmt: str
) -> None:
    export = tmp_path / f"diary.{fmt}"
    original.ok("diary", "export", str(export))
    fresh = with_own_foods(original, tmp_path)
    count = len(original.json("diary", "show"))
    assert f"Imported {count} entries" in fresh.ok("diary", "import", str(export))
    before = fresh.dump()
    again = "".join(fresh.ok("diary", "import", str(export)).split())  # lines wrap at 80
    said = f"Imported 0 entries from {export}; {count} already in the diary were skipped."
    assert again == "".join(said.split())
    assert fresh.dump() == before
    assert without_ids(fresh.json("diary", "show")) == without_ids(original.json("diary", "show"))


def test_csv_export_neutralises_formulas_and_import_reads_them_back(
    original: InProcessCli, tmp_path: Path
) -> None:
    export = tmp_path / "diary.csv"
    original.ok("diary", "export", str(export))
    with export.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    assert sum(row["ref"] == f"'{FORMULA}" for row in rows) == 1
    fresh = with_own_foods(original, tmp_path)
    fresh.ok("diary", "import", str(export))
    (entry,) = [e for e in fresh.json("diary", "show") if e["kind"] == "supplement" and
                e["unit"] == "tablet"]  # fmt: skip
    assert entry["ref"] == entry["name"] == FORMULA
    assert entry["text"] == f"2 tablets {FORMULA}"
