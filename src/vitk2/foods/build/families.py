"""Rule 3 of the K2 imputation: a food's family (``data/k2_families.csv``).

Each row names a family of SR28 foods (``groups``: SR28 food groups; ``include``: a
regular expression the lower-cased name must match; ``exclude``: words it must not
hold, as a regular expression matched at word boundaries),
how to scale (``none``; ``fat`` or ``protein``: K2 per g of fat or protein, so a
cooked or reduced-fat food scales with what it holds; ``cholesterol``: K2 per mg of
cholesterol, for a mixed food whose menaquinones come from its animal ingredients,
whose amount its cholesterol tracks; a member without cholesterol is left to the
other rules) and why. Its donors are the
family's foods that had a K2 value before this rule (measured, or by rules 1-2), or the
foods listed in ``donors``. A member without K2 gets the median of the donors' values
(per 100 g, or per g fat/protein times its own fat/protein) and the range over the
donors' values and ranges. A food is in the first family that matches it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vitk2.foods.build.imputation import Composition
from vitk2.foods.build.records import IMPUTED, MENAQUINONES, VitKRecord, fmt, read_csv
from vitk2.foods.build.sr28 import BuildError, SR28Food

Records = dict[tuple[str, str], VitKRecord]
SCALES = ("none", "fat", "protein", "cholesterol")


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    groups: frozenset[str]
    include: re.Pattern[str]
    exclude: re.Pattern[str] | None
    scale: str
    donors: tuple[str, ...]
    reason: str

    def matches(self, food: SR28Food) -> bool:
        name = food.name.lower()
        return (
            food.group_code in self.groups
            and self.include.search(name) is not None
            and (self.exclude is None or self.exclude.search(name) is None)
        )


def read_families(data_dir: Path) -> list[Family]:
    families = []
    for row in read_csv(data_dir / "k2_families.csv"):
        if row["scale"] not in SCALES:
            raise BuildError(
                f"k2_families.csv family {row['family']}: unknown scale {row['scale']!r}"
            )
        try:
            include = re.compile(row["include"])
            # Exclusions are whole words ("tail" must not exclude "retail").
            exclude = re.compile(rf"\b(?:{row['exclude']})\b") if row["exclude"] else None
        except re.error as error:
            raise BuildError(f"k2_families.csv family {row['family']}: {error}") from error
        families.append(
            Family(
                name=row["family"],
                groups=frozenset(g.strip() for g in row["groups"].split(";")),
                include=include,
                exclude=exclude,
                scale=row["scale"],
                donors=tuple(d.strip() for d in row["donors"].split(";") if d.strip()),
                reason=row["reason"],
            )
        )
    return families


def family_of(food: SR28Food, families: Sequence[Family]) -> Family | None:
    """The first family that matches the food (a food is in one family at most)."""
    return next((family for family in families if family.matches(food)), None)


def _amount(family: Family, composition: Composition, ndb: str) -> float | None:
    if family.scale == "none":
        return 1.0
    if family.scale == "cholesterol":
        return composition.cholesterol_mg.get(ndb)
    table = composition.fat_g if family.scale == "fat" else composition.protein_g
    return table.get(ndb)


def _ratios(
    family: Family, donors: Sequence[VitKRecord], composition: Composition
) -> list[tuple[str, float, float, float]]:
    """(ndb, value, low, high) of each donor per unit of the family's scale."""
    ratios = []
    for donor in donors:
        amount = _amount(family, composition, donor.ndb)
        if donor.value is None or amount is None or amount <= 0.0:
            continue
        low = donor.value if donor.low is None else donor.low
        high = donor.value if donor.high is None else donor.high
        ratios.append((donor.ndb, donor.value / amount, low / amount, high / amount))
    return ratios


def apply_families(
    records: Records,
    foods: Sequence[SR28Food],
    composition: Composition,
    families: Sequence[Family],
) -> None:
    """Impute K2 for every family member that has none (donors are fixed before)."""
    known = {food.ndb for food in foods}
    before: Mapping[tuple[str, str], VitKRecord] = dict(records)
    claimed: set[str] = set()
    for family in families:
        members = [f for f in foods if f.ndb not in claimed and family.matches(f)]
        claimed.update(f.ndb for f in members)
        for ndb in family.donors:
            if ndb not in known or (ndb, "k2") not in before:
                raise BuildError(f"k2_families.csv family {family.name}: donor {ndb} has no K2")
        names = family.donors or tuple(f.ndb for f in members if (f.ndb, "k2") in before)
        donors = [before[(ndb, "k2")] for ndb in names if before[(ndb, "k2")].value is not None]
        ratios = _ratios(family, donors, composition)
        if not ratios:
            continue
        for food in members:
            if (food.ndb, "k2") in records:
                continue
            amount = _amount(family, composition, food.ndb)
            if amount is None:
                continue
            record = _member_record(family, food.ndb, amount, ratios)
            own = round(sum(r.value or 0.0 for k in MENAQUINONES
                            if (r := records.get((food.ndb, k))) is not None), 3)  # fmt: skip
            high = record.value if record.high is None else record.high
            if own > 0.0 and not high:
                continue  # the family says none, the food's own menaquinones say otherwise
            records[(food.ndb, "k2")] = _at_least(record, own)


def _at_least(record: VitKRecord, own: float) -> VitKRecord:
    """Raise a family value to the food's own menaquinones, which K2 cannot be below."""
    if record.value is None or own <= record.value:
        return record
    low = max(own, record.value if record.low is None else record.low)
    high = max(own, record.value if record.high is None else record.high)
    return VitKRecord(
        record.ndb, record.key, own, low if high > low else None, high if high > low else None,
        record.basis,
        f"{record.method} Raised to {fmt(own)} µg, the food's own menaquinones.",
        record.sources,
    )  # fmt: skip


def _member_record(
    family: Family, ndb: str, amount: float, ratios: Sequence[tuple[str, float, float, float]]
) -> VitKRecord:
    central = statistics.median(r[1] for r in ratios) * amount
    low = min(r[2] for r in ratios) * amount
    high = max(r[3] for r in ratios) * amount
    per = "mg" if family.scale == "cholesterol" else "g"
    unit = "" if family.scale == "none" else f" per {per} {family.scale} x {fmt(amount)} {per}"
    listed = ", ".join(f"usda:{r[0]}" for r in ratios)
    method = (
        f"imputed (family {family.name}): median of the {len(ratios)} {family.name} foods "
        f"with a K2 value{unit}; range over them. {family.reason}"
    )
    ranged = round(low, 3) != round(high, 3)
    return VitKRecord(
        ndb, "k2", round(central, 3), round(low, 3) if ranged else None,
        round(high, 3) if ranged else None, IMPUTED, method,
        (("vitk2_rules", f"rule family {family.name}; donors: {listed}"),),
    )  # fmt: skip
