"""Build the shipped food database from USDA SR28, USDA FNDDS 2017-2018 and the curated K2
tables: SR28 reading (`sr28`), vitamin K by vitamer (`vitamin_k`, `records`,
`imputation`, `families`), each menaquinone where only a K2 total is known (`split`, checked
by `split_check`), FNDDS reading and recipe calculation (`fndds`, `recipe`, `fndds_tables`),
the writer (`writer`, `rows`), and the coverage tables of docs/data.md (`coverage`,
`fndds_coverage`, `homologue_coverage`, with the NHANES summary of `nhanes`).

Run ``python scripts/build_fooddb.py`` (or ``python -m vitk2.foods.build``);
``--check`` rebuilds into a temporary file and fails if the shipped database differs.
"""

from vitk2.foods.build.sr28 import BuildError
from vitk2.foods.build.writer import build_database

__all__ = ["BuildError", "build_database"]
