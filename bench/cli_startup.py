"""Wall time of whole `vitk2` commands (process start to exit), median of N runs.

Usage: python bench/cli_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = [
    ["foods", "top", "k2"],
    ["foods", "top", "calcium", "--per", "serving"],
    ["foods", "search", "gouda"],
    ["foods", "show", "usda:16113"],
    ["parse", "2 slices of gouda, a boiled egg and 50 g natto; 1 cup whole milk"],
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    executable = shutil.which("vitk2")
    base = [executable] if executable else [sys.executable, "-m", "vitk2"]
    for command in COMMANDS:
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([*base, *command, "--json"], check=True, capture_output=True)
            times.append((time.perf_counter() - t0) * 1000.0)
        print(f"vitk2 {' '.join(command)}: median {statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
