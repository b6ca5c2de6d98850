"""Command line of the food database build (see the package docstring)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from vitk2.foods.build.sr28 import BuildError, fetch_sr28
from vitk2.foods.build.writer import build_database

REPO = Path(__file__).resolve().parents[4]
DEFAULT_OUTPUT = REPO / "src" / "vitk2" / "data" / "fooddb.sqlite"
DEFAULT_CACHE = REPO / ".cache" / "sr28"


def dump(path: Path) -> Iterator[str]:
    """A logical dump of a database: equal dumps mean equal content."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield from connection.iterdump()
    finally:
        connection.close()


def first_difference(left: Path, right: Path) -> str | None:
    for index, (a, b) in enumerate(zip(dump(left), dump(right), strict=False)):
        if a != b:
            return f"statement {index}:\n  shipped: {a[:300]}\n  rebuilt: {b[:300]}"
    count_a = sum(1 for _ in dump(left))
    count_b = sum(1 for _ in dump(right))
    if count_a != count_b:
        return f"shipped has {count_a} statements, rebuilt has {count_b}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_fooddb", description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--data", type=Path, default=REPO / "data")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary file and compare with --output")  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        sr_dir = fetch_sr28(args.cache)
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                rebuilt = Path(tmp) / "fooddb.sqlite"
                build_database(sr_dir, args.data, rebuilt)
                difference = first_difference(args.output, rebuilt)
            if difference:
                print(f"Shipped database differs from a fresh build: {difference}", file=sys.stderr)
                print("Rebuild it with `python scripts/build_fooddb.py`.", file=sys.stderr)
                return 1
            print(f"{args.output} equals a fresh build ({time.perf_counter() - started:.1f} s)")
            return 0
        counts = build_database(sr_dir, args.data, args.output)
    except (BuildError, OSError, ValueError, KeyError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    size = args.output.stat().st_size / 1e6
    summary = ", ".join(f"{k}={v}" for k, v in counts.items())
    print(
        f"wrote {args.output} ({size:.2f} MB; {summary}) in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
