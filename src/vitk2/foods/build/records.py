"""The vitamin K record the build writes for one (food, vitamer), its bases, and small
helpers the vitamin K modules share."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

MEASURED: Final = "measured"
IMPUTED: Final = "imputed"
UNKNOWN: Final = "unknown"
MENAQUINONES: Final = tuple(f"mk{n}" for n in range(4, 14))


@dataclass(frozen=True, slots=True)
class VitKRecord:
    ndb: str
    key: str  # nutrient key without the unit suffix: k1, dk1, mk4..mk13, k2, vitk
    value: float | None
    low: float | None
    high: float | None
    basis: str
    method: str
    sources: tuple[tuple[str, str], ...] = field(default=())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def fmt(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class LiteratureRow:
    """One row of ``data/k2_foods_literature.csv`` (``index`` counts from 1)."""

    index: int
    food: str
    source_key: str
    cells: Mapping[str, str]


def literature_cell(text: str) -> float | None:
    """A literature cell: '' is not reported, 'nd' is not detected (0), else a number."""
    text = text.strip()
    if not text:
        return None
    if text.lower() == "nd":
        return 0.0
    return float(text)


def load_literature(data_dir: Path) -> list[LiteratureRow]:
    rows = read_csv(data_dir / "k2_foods_literature.csv")
    return [
        LiteratureRow(index=i, food=row["food"], source_key=row["source_key"], cells=row)
        for i, row in enumerate(rows, start=1)
    ]
