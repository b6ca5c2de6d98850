"""Build the shipped food database from USDA SR28 and the curated K2 tables.

Run ``python scripts/build_fooddb.py`` (or ``python -m vitk2.foods.build``);
``--check`` rebuilds into a temporary file and fails if the shipped database differs.
"""

from vitk2.foods.build.sr28 import BuildError
from vitk2.foods.build.writer import build_database

__all__ = ["BuildError", "build_database"]
