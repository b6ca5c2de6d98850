"""`vitk2 cohort intake → usual → summary` as a researcher runs it, on a generated
cohort of 80 persons with two recalls each and the shipped food database; bad input
is one line on stderr, exit 1, and no file."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from cli_runner import InProcessCli

FOODS = ("usda:01022", "usda:01009", "usda:05028", "fndds:58106230", "fndds:11111000", "natto")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[InProcessCli, Path]:
    folder = tmp_path_factory.mktemp("cohort")
    rng = np.random.default_rng(7)
    with (folder / "records.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["person_id", "day", "food", "grams"])
        for person in range(1, 81):
            for day in (1, 2):
                for food in rng.choice(FOODS, size=3, replace=False):
                    out.writerow([f"P{person}", day, food, round(float(rng.uniform(20, 300)), 1)])
            if person % 10 == 0:
                out.writerow([f"P{person}", 1, "1 capsule MK-7 90 µg", ""])
    with (folder / "persons.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["person_id", "sex", "age", "survey_weight"])
        for person in range(1, 81):
            out.writerow([f"P{person}", "female" if person % 2 else "male", 20 + person % 50, 1000])
    return InProcessCli(folder / "diary.sqlite"), folder


def test_intake_usual_summary_from_the_command_line(study: tuple[InProcessCli, Path]) -> None:
    cli, folder = study
    intake = cli.json(
        "cohort", "intake", str(folder / "records.csv"), "--persons", str(folder / "persons.csv"),
        "--out", str(folder / "intake.parquet"),
    )  # fmt: skip
    assert intake["person_days"] == 160 and intake["counts"]["supplement_rows"] == 8
    assert "k2_ug" in intake["nutrients"] and intake["engine"] == "duckdb"
    text = cli.ok(
        "cohort", "usual", str(folder / "intake.parquet"), "--by", "sex", "--nutrients",
        "k1_ug,calcium_mg", "--replicates", "4", "--out", str(folder / "dist.parquet"),
    )  # fmt: skip
    flat = " ".join(text.split())
    assert "Wrote 4 distributions" in flat and "80 persons with a survey weight" in flat
    summary = cli.json("cohort", "summary", str(folder / "dist.parquet"))
    assert summary["by"] == ["sex"] and summary["replicates"] == 4
    calcium = next(n for n in summary["nutrients"] if n["nutrient"] == "calcium_mg")
    assert [g["group"]["sex"] for g in calcium["groups"]] == ["female", "male"]
    female = calcium["groups"][0]
    assert female["persons"] == 40 and female["mean"]["value"] > 0
    assert female["prevalence"]["below_ear"]["value"] is not None
    shown = cli.ok(
        "cohort", "summary", str(folder / "dist.parquet"), "--html", str(folder / "s.html")
    )
    assert "calcium_mg (mg/day), usual intake" in shown
    page = (folder / "s.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 4 and "calcium_mg (mg/day)" in page


def test_bad_rows_stop_the_command_with_one_line(
    study: tuple[InProcessCli, Path], tmp_path: Path
) -> None:
    cli, folder = study
    records = tmp_path / "records.csv"
    lines = (folder / "records.csv").read_text(encoding="utf-8").splitlines()
    records.write_text(
        "\n".join([*lines[:3], "P1,1,gouda,lots", *lines[3:]]) + "\n", encoding="utf-8"
    )
    out = tmp_path / "o.parquet"
    args = [
        "cohort",
        "intake",
        str(records),
        "--persons",
        str(folder / "persons.csv"),
        "--out",
        str(out),
    ]
    cli.fails(*args, match="records.csv: 1 bad row (line 4: grams 'lots'")
    assert not out.exists()
    result = cli.json(*args, "--skip-bad")
    assert result["counts"]["bad_rows_skipped"] == 1 and out.exists()
    cli.fails(*args, "--engine", "flink", match="Unknown --engine 'flink'")
    cli.fails("cohort", "summary", str(out), match="is not a usual-intake file")
    cli.fails(
        "cohort", "usual", str(out), "--by", "shoe_size", "--out", str(tmp_path / "d.parquet"),
        match="has no column 'shoe_size'",
    )  # fmt: skip
