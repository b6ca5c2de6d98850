"""Coverage tables of the food database, as Markdown for docs/data.md.

``python -m vitk2.foods.build.coverage`` prints them; ``--write docs/data.md``
replaces the block between ``<!-- coverage:start -->`` and ``<!-- coverage:end -->``.
A test checks that the block in docs/data.md equals what the shipped database gives.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from vitk2.foods.build.fndds_coverage import basis_rows, fndds_tables
from vitk2.foods.build.homologue_coverage import homologue_tables

START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"
KEYS = ("k2_ug", "mk4_ug", "k1_ug", "dk1_ug", "vitk_ug", "vitd_ug", "calcium_mg")
DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "fooddb.sqlite"
DEFAULT_DATA = Path(__file__).resolve().parents[4] / "data"
SR28 = "ndb < 10000000"  # SR28 NDB numbers; FNDDS food codes have 8 digits


def _n(value: int) -> str:
    return f"{value:,}"


def coverage_markdown(path: Path = DEFAULT_DB, data_dir: Path = DEFAULT_DATA) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        foods = db.execute(f"SELECT count(*) FROM food WHERE {SR28}").fetchone()[0]
        survey = db.execute(f"SELECT count(*) FROM food WHERE survey = 1 AND {SR28}").fetchone()[0]
        lines = [
            f"{_n(foods)} SR28 foods ({_n(survey)} flagged `survey` in SR28). Foods per "
            "nutrient; a food with no row counts as unknown.",
            "",
            "| nutrient | measured | imputed | unknown |",
            "|---|---:|---:|---:|",
        ]
        lines += basis_rows(db, KEYS, SR28, foods)
        lines += ["", "| `k2_ug` imputed by rule | foods |", "|---|---:|"]
        rules = db.execute(
            "SELECT method FROM nutrient_value WHERE nutrient = 'k2_ug' AND basis = 'imputed' "
            f"AND {SR28}"
        ).fetchall()
        counts: dict[str, int] = {}
        for (method,) in rules:
            match = re.match(r"imputed \((\w+(?: \w+)?)\)", method or "")
            rule = match.group(1) if match else "other"
            counts[rule] = counts.get(rule, 0) + 1
        for rule, count in sorted(counts.items(), key=lambda item: -item[1]):
            lines.append(f"| `{rule}` | {_n(count)} |")
        raised = db.execute(
            "SELECT count(*) FROM nutrient_value WHERE nutrient = 'k2_ug' AND method LIKE "
            f"'%raised from%' AND {SR28}"
        ).fetchone()[0]
        lines += [
            "",
            f"K2 totals raised to the sum of the food's own menaquinone values: {raised}.",
            "",
        ]
        lines += fndds_tables(db, data_dir)
        lines += ["", *homologue_tables(db, data_dir)]
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{block}\n{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write", type=Path, help="update the coverage block of this file")
    args = parser.parse_args(argv)
    block = coverage_markdown(args.db, args.data)
    if args.write:
        args.write.write_text(replace_block(args.write.read_text("utf-8"), block), "utf-8")
    else:
        print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
