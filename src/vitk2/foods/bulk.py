"""Whole-table reads of the food database, for the planner: every food's values of
some nutrients as one matrix (NaN where unknown, never 0) with their basis, one
nutrient's ranges, FNDDS recipes as listed, and which foods are survey or branded
foods. `BulkReads` is a part of `vitk2.foods.database.FoodDB`, kept here so that each
module stays small; NumPy is imported only when a matrix is asked for."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Final, Protocol

from vitk2.foods.nutrients import resolve_nutrient
from vitk2.foods.values import food_id

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["ID_FACTOR", "BulkReads"]

#: A value's id in the database is nutrient id x ID_FACTOR + the food's number.
ID_FACTOR: Final = 100_000_000


class _Row(Protocol):
    @property
    def survey(self) -> bool: ...


class BulkReads:
    """The whole-table reads of `FoodDB` (which provides the members declared here)."""

    _foods: Mapping[int, _Row]
    _nutrient_ids: Mapping[str, int]
    _id_table: dict[int, str] | None

    def _cursor(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    def _column(self, key: str, *, dishes: bool = True) -> list[tuple[int, int, int]]:
        raise NotImplementedError

    def _id_of(self, ndb: int) -> str:
        """``food_id(ndb)``, from a table made once (bulk reads format ~300,000 ids)."""
        ids = self._id_table
        if ids is None:
            ids = self._id_table = {key: food_id(key) for key in self._foods}
        return ids.get(ndb) or food_id(ndb)

    def food_ids(self) -> tuple[str, ...]:
        """Every food id, in the row order of `nutrient_matrix`."""
        return tuple(self._id_of(ndb) for ndb in self._foods)

    def nutrient_matrix(
        self, keys: Sequence[str]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8]]:
        """Per-100 g values of ``keys`` for every food at once: a foods x keys matrix
        in `food_ids` order with NaN where the value is unknown (never 0), and the
        basis of each value (0 unknown, 1 measured, 2 imputed)."""
        import numpy as np

        ndbs = np.fromiter(self._foods, dtype=np.int64, count=len(self._foods))
        values = np.full((len(ndbs), len(keys)), np.nan)
        basis = np.zeros((len(ndbs), len(keys)), dtype=np.int8)
        for column, key in enumerate(keys):
            rows = np.array(self._column(resolve_nutrient(key).key), dtype=np.int64)
            if rows.size:
                where = np.searchsorted(ndbs, rows[:, 0])
                values[where, column] = rows[:, 1] / 1000.0
                basis[where, column] = rows[:, 2]
        return values, basis

    def range_matrix(self, key: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The stored low and high per 100 g of one nutrient for every food, in
        `food_ids` order (NaN where the data give no range)."""
        import numpy as np

        ndbs = np.fromiter(self._foods, dtype=np.int64, count=len(self._foods))
        nid = self._nutrient_ids[resolve_nutrient(key).key]
        with self._cursor() as cursor:
            rows = cursor.execute(
                "SELECT id - ?, lo, hi FROM value_detail WHERE id BETWEEN ? AND ?",
                (nid * ID_FACTOR, nid * ID_FACTOR, nid * ID_FACTOR + ID_FACTOR - 1),
            ).fetchall()
        low = np.full(len(ndbs), np.nan)
        high = np.full(len(ndbs), np.nan)
        for ndb, lo, hi in rows:
            i = int(np.searchsorted(ndbs, ndb))
            if lo is not None:
                low[i] = lo / 1000.0
            if hi is not None:
                high[i] = hi / 1000.0
        return low, high

    def recipe_rows(self) -> dict[str, tuple[tuple[str, float], ...]]:
        """Every FNDDS food's recipe as FNDDS lists it (sub-recipes not expanded):
        (ingredient id, grams). An ingredient is a food id (``usda:…`` or, for a
        sub-recipe, ``fndds:…``), or ``special:NNNNNN`` for FNDDS's special codes; a
        special code valued as an SR28 food (docs/data.md) is given as that food."""
        with self._cursor() as cursor:
            rows = cursor.execute(
                "SELECT r.ndb, r.ingredient, r.grams, s.rule, s.ndb FROM recipe r "
                "LEFT JOIN special_code s ON s.code = r.ingredient ORDER BY r.ndb, r.seq"
            ).fetchall()
        table: dict[str, list[tuple[str, float]]] = {}
        for ndb, ingredient, grams, rule, valued_as in rows:
            if rule is None:
                name = self._id_of(ingredient)
            elif valued_as is not None:
                name = self._id_of(valued_as)
            else:
                name = f"special:{ingredient}"
            table.setdefault(self._id_of(ndb), []).append((name, grams))
        return {key: tuple(value) for key, value in table.items()}

    def survey_foods(self) -> frozenset[str]:
        """The ids of the foods used in US dietary surveys (SR28 ``Survey = Y``, and
        every FNDDS food)."""
        return frozenset(self._id_of(ndb) for ndb, row in self._foods.items() if row.survey)

    def branded_foods(self) -> frozenset[str]:
        """The ids of the SR28 foods that name a manufacturer (brand-name products)."""
        with self._cursor() as cursor:
            rows = cursor.execute("SELECT ndb FROM food WHERE manufacturer != ''").fetchall()
        return frozenset(self._id_of(ndb) for (ndb,) in rows)
