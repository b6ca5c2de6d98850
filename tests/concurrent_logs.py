"""Real processes writing one diary at the same time (the concurrency test and bench).

`run_loggers` starts ``processes`` Python processes; each runs the real `vitk2 log`
command (`vitk2.cli.app.main`, what the console script runs) ``logs`` times on the same
diary, each call opening the diary anew as a separate command would. A process
reports every failure with its exit code and message.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Outcome", "run_loggers", "start_loggers", "wait_loggers", "write_export"]

_WORKER = """
import contextlib, io, json, sys, time
from vitk2.cli.app import main
db, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
failures, started = [], time.perf_counter()
for n in range(count):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            main(["log", f"{n + 1} g natto", "--date", "2026-11-20", "--db", db])
            code = 0
        except SystemExit as exit:
            code = exit.code
    if code != 0:
        failures.append([code, err.getvalue().strip()])
print(json.dumps({"tag": tag, "failures": failures, "seconds": time.perf_counter() - started}))
"""


@dataclass(frozen=True)
class Outcome:
    logs: int
    failures: list[tuple[int, str]]
    seconds: float


def start_loggers(db: Path, processes: int, logs: int) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(db), str(logs), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]


def wait_loggers(workers: list[subprocess.Popen[str]], logs: int) -> Outcome:
    failures: list[tuple[int, str]] = []
    seconds = 0.0
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        report = json.loads(out)
        failures += [(code, message) for code, message in report["failures"]]
        seconds = max(seconds, report["seconds"])
    return Outcome(len(workers) * logs, failures, seconds)


def run_loggers(db: Path, processes: int, logs: int) -> Outcome:
    started = time.perf_counter()
    outcome = wait_loggers(start_loggers(db, processes, logs), logs)
    return Outcome(outcome.logs, outcome.failures, time.perf_counter() - started)


def write_export(path: Path, rows: int) -> None:
    """A `vitk2 diary export` CSV of ``rows`` natto entries (each with its own uid)."""
    from vitk2.intake.diary_io import COLUMNS

    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        for n in range(rows):
            writer.writerow(
                [n + 1, f"2026-10-{n % 28 + 1:02d}", "", "", "food", "usda:16113", "Natto",
                 50.0, "g", 50.0, "", "50 g natto", uuid.uuid4()]
            )  # fmt: skip
