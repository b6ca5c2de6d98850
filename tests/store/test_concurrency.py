"""Several vitk2 processes on one SQLite diary: nothing lost, never "database is locked".

Real processes on a real file (tests/concurrent_logs.py); the figures of the same runs
at full size are in docs/benchmarks.md (bench/concurrency.py).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from concurrent_logs import run_loggers, start_loggers, wait_loggers, write_export


def count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM entry").fetchone()[0])


def test_eight_processes_log_into_a_brand_new_diary(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"  # does not exist: all eight create and migrate it at once
    outcome = run_loggers(db, processes=8, logs=50)
    assert outcome.failures == []
    assert count(db) == 400
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        grams = sorted(row[0] for row in connection.execute("SELECT grams FROM entry"))
    assert grams == sorted(float(n) for n in range(1, 51) for _ in range(8))


def test_logs_during_a_long_import_wait_and_are_all_stored(tmp_path: Path) -> None:
    db = tmp_path / "diary.sqlite"
    big = tmp_path / "big.csv"
    write_export(big, 20_000)
    assert run_loggers(db, processes=1, logs=1).failures == []  # the diary exists
    importer = subprocess.Popen(
        [sys.executable, "-m", "vitk2", "diary", "import", str(big), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)  # the import is reading and writing; now log alongside it
    loggers = start_loggers(db, processes=3, logs=5)
    outcome = wait_loggers(loggers, logs=5)
    out, err = importer.communicate(timeout=600)
    assert importer.returncode == 0, err
    assert "Imported 20000 entries" in " ".join(out.split())
    assert outcome.failures == []
    assert count(db) == 1 + 20_000 + 15
