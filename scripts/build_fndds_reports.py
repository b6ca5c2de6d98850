"""Write src/vitk2/data/fndds_reports.csv: how often each FNDDS 2017-2018 food was
reported eaten in the NHANES 2011-2012 day-1 recalls (reliable recalls only).

Usage: python scripts/build_fndds_reports.py

Reads `data/nhanes/nhanes_2011_2012_day1_foods.csv` (made by ``python -m
vitk2.foods.build.nhanes``: recall rows per food code, each code matched to its FNDDS
2017-2018 food) and sums the rows per FNDDS 2017-2018 food. The search uses the count
as a small tie-breaking prior between foods as eaten that the words name equally well:
"a taco" is the taco most often reported, "Taco or tostada with meat", not the fish
taco (`vitk2.foods.search_priors.REPORTED_PRIOR_MAX`).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parents[1]
SOURCE: Final = REPO / "data" / "nhanes" / "nhanes_2011_2012_day1_foods.csv"
TARGET: Final = REPO / "src" / "vitk2" / "data" / "fndds_reports.csv"


def main() -> int:
    reports: Counter[str] = Counter()
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["fndds_code"]:
                reports[row["fndds_code"]] += int(row["rows"])
    with TARGET.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Reports per FNDDS 2017-2018 food in the NHANES 2011-2012 day-1 recalls "
            "(reliable recalls), from data/nhanes/nhanes_2011_2012_day1_foods.csv by "
            "scripts/build_fndds_reports.py. Public domain (CDC/NCHS, USDA).\n"
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("fndds_code", "reports"))
        for code in sorted(reports):
            writer.writerow((code, reports[code]))
    print(f"wrote {TARGET}: {len(reports)} foods, {sum(reports.values())} reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
