"""Each menaquinone in the CLI (issue 17), as a user runs it: `foods show` says how each
menaquinone was found, `foods top mk9` ranks the cheeses with their sources, and the
report of a cheese-rich week names MK-9 and MK-8 with ranges and foods."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WEEK = "60 g gouda, 30 g edam, 40 g brie, 1 egg"


def _run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    if db is not None:
        env["VITK2_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "vitk2", *args],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=120, env=env,
    )  # fmt: skip


def test_show_says_how_each_menaquinone_was_found() -> None:
    result = _run("foods", "show", "usda:01031")  # Neufchatel: K2 by family, split
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Menaquinone-9 (MK-9): imputed (split): the K2 total x the mean MK-9 share" in text
    assert "family cheese_fresh" in text
    gouda = " ".join(_run("foods", "show", "usda:01022").stdout.split())
    assert "reported as not detected (nd), stored as 0" in gouda


def test_top_mk9_ranks_cheeses_with_their_sources() -> None:
    result = _run("foods", "top", "mk9", "--limit", "5")
    assert result.returncode == 0, result.stderr
    assert "sources" in result.stdout and "k2viewer2026" in result.stdout
    rows = json.loads(_run("foods", "top", "mk9", "--limit", "5", "--json").stdout)
    assert all(row["name"].startswith("Cheese") for row in rows)
    assert all(row["sources"] for row in rows)
    assert {"Cheese, gouda", "Cheese, edam"} <= {row["name"] for row in rows}


def test_report_of_cheese_days_names_mk9_and_mk8(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite"
    for day in (1, 2):  # two days keep the test short; the domain test has the week
        logged = _run("log", WEEK, "--date", f"2026-11-0{day}", db=db)
        assert logged.returncode == 0, logged.stderr
    period = ("--from", "2026-11-01", "--to", "2026-11-02")
    result = _run("report", *period, db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("K2 by menaquinone"))
    first, second = lines[start + 1].split(), lines[start + 2].split()
    assert first[0] == "MK-9" and "(range" in lines[start + 1]
    assert "from Cheese, gouda" in lines[start + 1]
    assert second[0] in {"MK-4", "MK-8"}
    assert any(line.split()[0] == "MK-8" for line in lines[start + 1 : start + 4])
    data = json.loads(_run("report", *period, "--json", db=db).stdout)
    main = data["k2"]["menaquinones"][0]
    assert main["label"] == "MK-9" and main["low_ug"] < main["mean_ug"] <= main["high_ug"]
