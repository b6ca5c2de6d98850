"""Row encoding shared by the build's table writers: value keys, thousandths, and
inserting value rows with their ranges and methods."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

#: ``value.id = nutrient_id * ID_FACTOR + food key`` (food keys: SR28 NDB numbers up to
#: 5 digits, FNDDS codes of 8 digits). A rowid key keeps the file small and makes one
#: nutrient a contiguous range.
ID_FACTOR: Final = 100_000_000

# (v, basis, src_cd, lo, hi, method) of one value row before insertion.
Row = tuple[int | None, int, int | None, int | None, int | None, str | None]


def value_id(nutrient_id: int, key: int) -> int:
    """The ``value``/``value_detail`` key of one (nutrient, food) pair."""
    return nutrient_id * ID_FACTOR + key


def milli(value: float | None) -> int | None:
    """Thousandths of a unit, the storage form of every value."""
    return None if value is None else round(value * 1000)


def insert_values(connection: sqlite3.Connection, rows: Sequence[tuple[int, Row]]) -> None:
    """Insert value rows, their ranges and methods (each method sentence stored once)."""
    connection.executemany(
        "INSERT INTO value VALUES (?, ?, ?, ?)", ((k, r[0], r[1], r[2]) for k, r in rows)
    )
    methods: dict[str, int] = dict(connection.execute("SELECT text, id FROM method").fetchall())
    details = []
    for key, row in rows:
        text = row[5]
        if text is not None and text not in methods:
            methods[text] = len(methods) + 1
            connection.execute("INSERT INTO method VALUES (?, ?)", (methods[text], text))
        if row[3] is not None or row[4] is not None or text is not None:
            details.append((key, row[3], row[4], None if text is None else methods[text]))
    connection.executemany("INSERT INTO value_detail VALUES (?, ?, ?, ?)", details)
