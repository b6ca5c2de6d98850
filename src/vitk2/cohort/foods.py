"""The food table the engine joins: per-gram values of the chosen nutrients, read from
the food database at run time (a rebuilt database flows through; nothing is copied).

Values are exact decimals: the database stores thousandths of a unit per 100 g, so a
value per gram is an integer times 10⁻⁵ (`PER_GRAM_SCALE`). With grams read to 10⁻⁶ g
(`GRAMS_SCALE`) every product and sum is exact, in any order, on any engine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Final

from vitk2.cohort._extras import arrow
from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import NUTRIENTS, resolve_nutrient
from vitk2.foods.values import food_id

__all__ = [
    "BASIS_CODES",
    "GRAMS_SCALE",
    "PER_GRAM_SCALE",
    "cohort_keys",
    "fingerprint",
    "food_table",
    "grams_type",
    "per_gram_type",
]

#: Digits after the point of a per-gram value (thousandths per 100 g).
PER_GRAM_SCALE: Final = 5
#: Digits after the point of an amount in grams.
GRAMS_SCALE: Final = 6
#: How the K2 basis of a food is coded in the table.
BASIS_CODES: Final = {"unknown": 0, "measured": 1, "imputed": 2}


def cohort_keys(nutrients: Sequence[str]) -> tuple[str, ...]:
    """The nutrient keys a cohort run adds up: those of the report (K1, dihydro-K1, each
    menaquinone, K2, vitamin K, vitamin D, calcium) and any named ones (``all``: every
    key)."""
    from vitk2.assess.report import FOCUS_KEYS

    named = list(NUTRIENTS) if list(nutrients) == ["all"] else [
        resolve_nutrient(n).key for n in nutrients
    ]  # fmt: skip
    return tuple(dict.fromkeys([*FOCUS_KEYS, *named]))


def fingerprint(db: FoodDB) -> dict[str, str]:
    """Which food database a run read: its file name and sha256."""
    digest = hashlib.sha256()
    with db.path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"file": db.path.name, "sha256": digest.hexdigest()}


def per_gram_type() -> Any:
    return arrow().decimal128(18, PER_GRAM_SCALE)


def grams_type() -> Any:
    return arrow().decimal128(18, GRAMS_SCALE)


def _per_gram(value: float | None) -> Decimal | None:
    """A per-100 g value (a whole number of thousandths) as an exact per-gram decimal."""
    if value is None:
        return None
    return Decimal(round(value * 1000)).scaleb(-PER_GRAM_SCALE)


def food_table(db: FoodDB, ndbs: Iterable[int], keys: Sequence[str]) -> Any:
    """One row per food: ``ndb``, a per-gram column per key of ``keys`` (null where the
    value is unknown), ``k2_low_ug``/``k2_high_ug`` (the K2 range, the central value
    where the food has no range) and ``k2_basis`` (`BASIS_CODES`)."""
    pa = arrow()
    wanted = sorted(set(ndbs))
    vectors = db.vectors([food_id(ndb) for ndb in wanted]) if wanted else {}
    index = {key: i for i, key in enumerate(NUTRIENTS)}
    columns: dict[str, list[Any]] = {key: [] for key in keys}
    lows: list[Decimal | None] = []
    highs: list[Decimal | None] = []
    basis: list[int] = []
    for ndb in wanted:
        vector = vectors[food_id(ndb)]
        for key in keys:
            columns[key].append(_per_gram(vector.values[index[key]]))
        k2 = vector.values[index["k2_ug"]]
        lows.append(
            _per_gram(None if k2 is None else vector.k2_low if vector.k2_low is not None else k2)
        )
        highs.append(
            _per_gram(None if k2 is None else vector.k2_high if vector.k2_high is not None else k2)
        )
        basis.append(BASIS_CODES[vector.k2_basis] if k2 is not None else 0)
    value_type = per_gram_type()
    arrays = {"ndb": pa.array(wanted, pa.int64())}
    arrays |= {key: pa.array(columns[key], value_type) for key in keys}
    arrays |= {
        "k2_low_ug": pa.array(lows, value_type),
        "k2_high_ug": pa.array(highs, value_type),
        "k2_basis": pa.array(basis, pa.int32()),
    }
    return pa.table(arrays)
