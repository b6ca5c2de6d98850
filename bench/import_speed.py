"""`vitk2 diary import` of a large CSV export: wall time, CPU time and peak memory of
the whole command (a real process on a fresh SQLite diary), then the same file again
(every entry skipped: already in the diary).

Usage: python bench/import_speed.py [--megabytes 50] [--python PATH]
(--python runs another vitk2, e.g. an older checkout's .venv/bin/python, for a
before/after figure; a vitk2 without uids gets the file without the uid column.)
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HEADER = ["id", "date", "time", "meal", "kind", "ref", "name", "quantity", "unit", "grams",
          "amounts", "text", "uid"]  # fmt: skip
ROWS = [
    ["food", "usda:16113", "Natto", 50.0, "g", 50.0, "", "50 g natto"],
    ["food", "usda:01022", "Cheese, gouda", 2.0, "slice", 56.0, "", "2 slices of gouda"],
    ["supplement", "MK-7 90 µg", "MK-7 90 µg", 1.0, "capsule", "",
     '{"k2_ug": 90.0, "mk7_ug": 90.0, "vitk_ug": 90.0}', "1 capsule MK-7 90 µg"],
]  # fmt: skip


def write_export(path: Path, megabytes: float, *, with_uid: bool) -> int:
    header = HEADER if with_uid else HEADER[:-1]
    count = 0
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        while stream.tell() < megabytes * 1_000_000:
            row = ROWS[count % len(ROWS)]
            day = f"20{20 + count // 100_000 % 6}-{count % 12 + 1:02d}-{count % 28 + 1:02d}"
            values = [count + 1, day, "08:00", "breakfast", *row]
            writer.writerow([*values, uuid.uuid4()] if with_uid else values)
            count += 1
    return count


def run(python: str, args: list[str]) -> tuple[float, float, float, str]:
    """Wall s, CPU s and peak RSS MB of one command (resource of the waited child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "vitk2", *args], check=False, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"vitk2 failed: {done.stderr.strip()}")
    return wall, cpu, after.ru_maxrss / 1024, " ".join(done.stdout.split())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--no-uid", action="store_true", help="a file without the uid column")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "diary.csv"
        rows = write_export(export, args.megabytes, with_uid=not args.no_uid)
        size = export.stat().st_size / 1_000_000
        db = str(Path(folder) / "diary.sqlite")
        print(f"{size:.1f} MB CSV, {rows:,} entries")
        for label in ("import into a fresh diary", "the same file again"):
            wall, cpu, rss, said = run(args.python, ["diary", "import", str(export), "--db", db])
            print(f"{label}: wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {rss:.0f} MB ({said})")


if __name__ == "__main__":
    main()
