"""Ranges and source keys of one nutrient for many foods (for rankings and diary
vectors of `vitk2.foods.database`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence


def read_ranges(
    cursor: sqlite3.Cursor, nutrient_id: int, ndbs: Sequence[int], id_factor: int
) -> dict[int, tuple[float | None, float | None]]:
    """(low, high) per 100 g of the foods that have a range row."""
    if not ndbs:
        return {}
    ids = [nutrient_id * id_factor + ndb for ndb in ndbs]
    rows = cursor.execute(
        f"SELECT id - ?, lo, hi FROM value_detail WHERE id IN ({','.join('?' * len(ids))})",
        [nutrient_id * id_factor, *ids],
    ).fetchall()
    return {
        ndb: (None if lo is None else lo / 1000.0, None if hi is None else hi / 1000.0)
        for ndb, lo, hi in rows
    }


def read_source_keys(
    cursor: sqlite3.Cursor, nutrient_id: int, ndbs: Sequence[int], names: Mapping[int, str]
) -> dict[int, tuple[str, ...]]:
    """The source keys behind each food's value (vitamin K only has them), in order."""
    if not ndbs:
        return {}
    rows = cursor.execute(
        "SELECT ndb, source_id FROM value_source WHERE nutrient_id = ? "
        f"AND ndb IN ({','.join('?' * len(ndbs))}) ORDER BY ndb, seq",
        [nutrient_id, *ndbs],
    ).fetchall()
    found: dict[int, list[str]] = {}
    for ndb, source_id in rows:
        keys = found.setdefault(ndb, [])
        if names[source_id] not in keys:
            keys.append(names[source_id])
    return {ndb: tuple(keys) for ndb, keys in found.items()}
