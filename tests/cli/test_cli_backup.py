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
    entries logged with them, and a deleted entry (so ids have a gap)."""
    cli = InProcessCli(build_warfarin_diary(tmp_path_factory.mktemp("backup"), db))
    cli.ok("supplement", "add", "MyK2", "--per", "capsule", "--mk7", "100ug", "--vitd", "1000IU")
    cli.ok("supplement", "add", FORMULA, "--per", "tablet", "--calcium", "250mg")
    cli.ok("log", f"1 capsule MyK2; 2 tablets {FORMULA}", "--date", "2026-10-08", "--meal", "lunch")
    gap = cli.json("log", "50 g natto", "--date", "2026-10-01")["stored"][0]["id"]
    cli.ok("diary", "delete", str(gap))
    return cli


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
]


def test_a_restored_backup_gives_byte_identical_reports_and_findings(
    original: InProcessCli, tmp_path: Path
) -> None:
    backup = tmp_path / "diary-backup.json"
    original.ok("backup", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert list(document) == [
        "format", "version", "vitk2", "profile", "supplements", "inr_readings", "entries",
    ]  # fmt: skip
    assert document["profile"]["medications"] == ["warfarin 5 mg"]
    assert document["profile"]["kidney"] == "ckd"
    entries = original.json("diary", "show")
    fresh = InProcessCli(tmp_path / "fresh.sqlite")
    counts = fresh.json("restore", str(backup))
    assert counts == {
        "profile": "set",
        "products": {"added": 2, "unchanged": 0, "replaced": 0},
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
        "newer": ({**document, "version": 2}, "backup format version 2"),
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
    fresh = InProcessCli(tmp_path / "fresh.sqlite")
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
    fresh = InProcessCli(tmp_path / "fresh.sqlite")
    fresh.ok("diary", "import", str(export))
    (entry,) = [e for e in fresh.json("diary", "show") if e["kind"] == "supplement" and
                e["unit"] == "tablet"]  # fmt: skip
    assert entry["ref"] == entry["name"] == FORMULA
    assert entry["text"] == f"2 tablets {FORMULA}"
