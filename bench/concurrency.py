"""Several vitk2 processes writing one SQLite diary at once: 8 processes x 50 logs into a
brand-new diary, and logs run while a large import writes. Counts lost writes and
"database is locked" failures, and the wall time.

Usage: python bench/concurrency.py [--processes 8] [--logs 50] [--import-rows 200000]
(the same runs, smaller, are a test: tests/store/test_concurrency.py)
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from concurrent_logs import run_loggers, start_loggers, wait_loggers
from import_speed import write_export


def count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM entry").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--logs", type=int, default=50)
    parser.add_argument("--import-megabytes", type=float, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "new.sqlite"
        outcome = run_loggers(db, args.processes, args.logs)
        locked = sum("locked" in message for _, message in outcome.failures)
        print(
            f"{args.processes} processes x {args.logs} logs into a new diary: "
            f"{outcome.logs - count(db)} lost, {len(outcome.failures)} failed "
            f"({locked} 'database is locked'), wall {outcome.seconds:.1f} s"
        )
        export = Path(folder) / "big.csv"
        rows = write_export(export, args.import_megabytes, with_uid=True)
        db = Path(folder) / "busy.sqlite"
        run_loggers(db, 1, 1)
        started = time.perf_counter()
        importer = subprocess.Popen(
            [sys.executable, "-m", "vitk2", "diary", "import", str(export), "--db", str(db)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(1.0)
        during = wait_loggers(start_loggers(db, 4, 10), 10)
        _, err = importer.communicate()
        wall = time.perf_counter() - started
        stored = count(db) - 1 - rows
        print(
            f"4 processes x 10 logs during a {rows:,}-row import "
            f"(import exit {importer.returncode}{': ' + err.strip() if err.strip() else ''}): "
            f"{40 - stored} lost, {len(during.failures)} failed, "
            f"longest logger {during.seconds:.1f} s, all done in {wall:.1f} s"
        )


if __name__ == "__main__":
    main()
