"""Hypothesis properties over the command line: random text, dates and amounts fed to
`parse`, `log` and `diary import` (in-process, through the real entry point).

Whatever comes in: no traceback; exit 0, or exit 1 with exactly one line on stderr
and the diary exactly as it was; and what exit 0 stored is what the rules allow.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_runner import InProcessCli
from vitk2.intake.diary_io import COLUMNS

BIRTH = date(1960, 5, 1)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> InProcessCli:
    diary = InProcessCli(tmp_path_factory.mktemp("properties") / "diary.sqlite")
    diary.ok("profile", "set", "--sex", "female", "--birth-date", BIRTH.isoformat())
    diary.ok("log", "50 g natto", "--date", "2026-11-20")
    return diary


def entry_count(cli: InProcessCli) -> int:
    return len(cli.json("diary", "show"))


def checked(cli: InProcessCli, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command; assert the invariants of every outcome; return the result."""
    before = cli.dump()
    result = cli.run(*args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    if result.returncode == 1:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        assert cli.dump() == before, "a failed command changed the diary"
    return result


@SETTINGS
@given(text=st.text(max_size=120))
def test_parse_takes_any_text(cli: InProcessCli, text: str) -> None:
    before = cli.dump()
    result = checked(cli, "parse", "--json", "--", text)
    if result.stdout:
        items = json.loads(result.stdout)["items"]
        assert result.returncode == int(any(i["status"] != "ok" for i in items))
    assert cli.dump() == before  # parse stores nothing


@SETTINGS
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_log_takes_any_text(cli: InProcessCli, text: str) -> None:
    count = entry_count(cli)
    result = checked(cli, "log", "--json", "--date", "2026-11-21", "--", text)
    if result.returncode == 0:
        stored = json.loads(result.stdout)["stored"]
        assert stored and entry_count(cli) == count + len(stored)
        for entry in stored:
            assert entry["kind"] == "supplement" or 0 < entry["grams"] <= 5000


def date_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
        st.dates(min_value=date(1899, 1, 1), max_value=date.today() + timedelta(days=400)).map(
            date.isoformat
        ),
        st.text(alphabet="0123456789-W/T: ", max_size=12),
    )


@SETTINGS
@given(day=date_texts())
def test_log_takes_exactly_the_dates_of_the_date_rule(cli: InProcessCli, day: str) -> None:
    result = checked(cli, "log", "--json", "--date", day, "--", "1 capsule MK-7 90 µg")
    allowed = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day))
    if allowed:
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            allowed = False
        else:
            allowed = BIRTH <= parsed <= date.today() + timedelta(days=1)
    assert result.returncode == (0 if allowed else 1), (day, result.stderr)
    if allowed:
        assert json.loads(result.stdout)["stored"][0]["date"] == day


def amount_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.floats(min_value=0.001, max_value=9999).map(lambda x: f"{x:.3f}"),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.text(alphabet="0123456789.,-+eEx/ ½", min_size=1, max_size=25),
    )


@SETTINGS
@given(amount=amount_texts())
def test_log_stores_an_amount_only_within_the_amount_rule(cli: InProcessCli, amount: str) -> None:
    result = checked(cli, "log", "--json", "--date", "2026-11-21", "--", f"{amount} g natto")
    if result.returncode == 0:
        (entry,) = json.loads(result.stdout)["stored"]
        assert 0 < entry["grams"] <= 5000
        if re.fullmatch(r"\d+(\.\d+)?", amount.strip()):
            assert entry["grams"] == pytest.approx(float(amount))
    elif re.fullmatch(r"\d{1,4}(\.\d{1,3})?", amount.strip()) and 0 < float(amount) <= 5000:
        pytest.fail(f"{amount} g natto was refused: {result.stderr}")


ROW = {
    "date": "2026-11-20", "time": "", "meal": "", "kind": "food", "ref": "usda:01009",
    "name": "Cheese, cheddar", "quantity": "28.0", "unit": "g", "grams": "28.0",
    "amounts": "", "text": "28 g cheddar", "uid": "",
}  # fmt: skip


@SETTINGS
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from([c for c in COLUMNS if c != "id"]),
            st.one_of(amount_texts(), date_texts(), st.text(max_size=20)),
        ),
        max_size=4,
    ),
    rows=st.integers(min_value=1, max_value=3),
    cut=st.integers(min_value=0, max_value=200),
)
def test_import_takes_any_rows_all_or_nothing(
    cli: InProcessCli, tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[str, str]],
    rows: int, cut: int,
) -> None:  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for _ in range(rows):
        writer.writerow({"id": "", **ROW, **dict(cells)})
    text = buffer.getvalue()
    text = text[: len(text) - cut] if cut < 40 else text  # sometimes a truncated file
    path: Path = tmp_path_factory.mktemp("import") / "rows.csv"
    path.write_text(text, encoding="utf-8")
    count = entry_count(cli)
    result = checked(cli, "diary", "import", str(path))
    if result.returncode == 0:
        assert entry_count(cli) == count + rows
