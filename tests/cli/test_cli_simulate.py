"""`vitk2 supplement simulate` as a real process: JSON shape, plots, population,
errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if db is not None:
        env["VITK2_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "vitk2", "supplement", "simulate", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
        env=env,
    )


def run_json(*args: str, db: Path | None = None) -> Any:
    result = run(*args, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_shape_of_the_issue() -> None:
    data = run_json("--form", "mk7", "--dose", "180ug", "--every", "24h", "--days", "84")
    keys = ["form", "dose_ug", "interval_h", "days", "t_h", "conc_nmol_l", "low", "high"]
    keys += ["tmax_h", "steady_state_day", "accumulation_ratio", "status", "sources"]
    assert set(keys) <= set(data)
    assert (data["form"], data["dose_ug"], data["interval_h"], data["days"]) == ("mk7", 180, 24, 84)
    assert len(data["t_h"]) == len(data["conc_nmol_l"]) == len(data["low"]) == len(data["high"])
    assert data["t_h"][-1] == 84 * 24
    assert data["tmax_h"] == 4.0 and data["steady_state_day"] == 10.0
    assert set(data["status"]) == {"dp_ucmgp_change_pct", "ucoc_change_pct"}
    mgp = data["status"]["dp_ucmgp_change_pct"]
    assert mgp["low"] <= mgp["value"] <= mgp["high"] < 0
    assert "agingwiki_vitk2" in data["sources"]
    assert {p["reliability"] for p in data["parameters"]} >= {"secondary", "assumption"}
    assert 7 <= data["comparison"]["mk7_to_k1_mass_ratio"] <= 8


def test_status_refuses_to_extrapolate_silently() -> None:
    data = run_json("--form", "mk7", "--dose", "5000ug", "--days", "28")
    assert data["status"]["dp_ucmgp_change_pct"]["value"] is None
    assert data["status"]["dp_ucmgp_change_pct"]["note"]
    forced = run_json("--form", "mk7", "--dose", "5000ug", "--days", "28", "--allow-extrapolation")
    assert forced["status"]["dp_ucmgp_change_pct"]["value"] is not None
    k1 = run_json("--form", "k1", "--dose", "1mg", "--days", "7")
    assert k1["dose_ug"] == 1000 and k1["status"]["ucoc_change_pct"]["value"] is None


def test_population_and_skipped_doses() -> None:
    data = run_json("--form", "mk7", "--dose", "90ug", "--days", "30", "--population", "500")
    assert data["subjects"] == 500 and set(data["percentiles"]) == {"5", "50", "95"}
    assert len(data["percentiles"]["50"]) == len(data["t_h"]) == 30 * 24 + 1
    skipped = run_json("--form", "mk7", "--dose", "90ug", "--days", "5", "--skip", "3")
    regular = run_json("--form", "mk7", "--dose", "90ug", "--days", "5")
    assert max(skipped["conc_nmol_l"]) < max(regular["conc_nmol_l"])


@pytest.mark.parametrize("suffix", [".png", ".html"])
def test_plot_files(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sim{suffix}"
    result = run("--form", "mk7", "--dose", "180ug", "--days", "28", "--plot", str(path))
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000
    else:
        assert b"<script src=" not in data and b"plotly" in data


def test_with_diary_adds_food_intake(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite"
    logged = subprocess.run(
        [sys.executable, "-m", "vitk2", "log", "50 g natto", "--date", "2026-11-20"],
        capture_output=True, text=True, check=False, env={**os.environ, "VITK2_DB": str(db)},
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    data = run_json("--form", "mk7", "--dose", "90ug", "--days", "7", "--with-diary", db=db)
    assert data["background_ug_per_day"] == pytest.approx(428.5, rel=0.01)  # natto's MK-7


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("--form", "mk7", "--dose", "180"), "Cannot read the amount"),
        (("--form", "mk7", "--dose", "100IU"), "IU is defined for vitamin D only"),
        (("--form", "mk7", "--dose", "0ug"), "must be above 0"),
        (("--form", "mk7", "--dose", "90ug", "--every", "daily"), "--every 'daily'"),
        (("--form", "mk7", "--dose", "90ug", "--days", "0"), "days must be"),
        (("--form", "mk7", "--dose", "90ug", "--skip", "0"), "--skip counts doses from 1"),
        (("--form", "mk7", "--dose", "90ug", "--plot", "x.svg"), ".png"),
        (("--form", "mk7", "--dose", "90ug", "--population", "0"), "subjects must be"),
    ],
)
def test_errors_are_one_line(args: tuple[str, ...], match: str, tmp_path: Path) -> None:
    result = run(*args)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and match in result.stderr
    assert not (tmp_path / "x.svg").exists()
