"""Per-vitamer vitamin K values for every SR28 food, with provenance.

Inputs: SR28 nutrients 428 (MK-4), 429 (dihydro-K1), 430 (K1), 204 (fat), 203
(protein) and 601 (cholesterol), the FoodData Central Foundation MK-4 table, the
curated literature table and its mapping onto SR28, the imputation table and the
food families. Output: one `VitKRecord`
per (food, vitamer) that has a value, plus explicit `unknown` records for the
core keys (k1, mk4, k2, vitk) so "not known" is stored, never implied.

Rules (each recorded in the record's ``method`` and documented in docs/data.md):

* Several estimates for one food and vitamer: the central value is the median of
  the estimates of the best-ranked source kind (FoodData Central Foundation >
  SR28 > primary literature > secondary literature); low/high span every
  estimate and SR28's own Min/Max.
* ``k2_ug`` measured: median of the literature K2 totals mapped to the food
  (a row's ``k2_total_ug``, or the sum of its homologues where the mapping says
  the row is a complete profile).
* ``k2_ug`` imputed by the rules of `vitk2.foods.build.imputation` (the imputation
  table, MK-4 as K2 in unfermented animal foods, 0 where no menaquinone source
  exists) and `vitk2.foods.build.families` (food families), in that order.
* ``mk4_ug`` … ``mk10_ug`` not measured: by the split rules of
  `vitk2.foods.build.split` (from an imputation donor, MK-4's family ratio, 0 where K2
  is 0, or the K2 total split by the family's measured homologue pattern).
* ``vitk_ug`` = k1 + k2 (+ dihydro-K1 where measured); unknown if k1 or k2 is.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vitk2.foods.build.families import apply_families, read_families
from vitk2.foods.build.imputation import (
    Composition,
    apply_k2_from_mk4,
    apply_plant_rules,
    apply_table,
)
from vitk2.foods.build.records import (
    IMPUTED,
    MEASURED,
    MENAQUINONES,
    UNKNOWN,
    LiteratureRow,
    VitKRecord,
    fmt,
    literature_cell,
    load_literature,
    read_csv,
)
from vitk2.foods.build.split import (
    Splitter,
    apply_split,
    extend_from_mk4,
    read_split_families,
    scale_table_homologues,
)
from vitk2.foods.build.sr28 import ANALYTICAL_SRC_CODES, BuildError, SR28Food, SR28Value

__all__ = [
    "IMPUTED",
    "MEASURED",
    "MENAQUINONES",
    "UNKNOWN",
    "VitKRecord",
    "build_vitamin_k",
    "read_csv",
]

_HOMOLOGUES = MENAQUINONES
# Source-kind rank: lower is preferred for the central value.
_RANK_FDC, _RANK_SR28, _RANK_PRIMARY, _RANK_SECONDARY = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    source_key: str
    rank: int
    note: str


def _nd_note(label: str, cell: str) -> str:
    """Keep "not detected" distinct from a measured 0 in the provenance note."""
    if cell.strip().lower() == "nd":
        return f"{label}; reported as not detected (nd), stored as 0"
    return label


def load_reliability(data_dir: Path) -> dict[str, str]:
    return {row["key"]: row["reliability"] for row in read_csv(data_dir / "sources.csv")}


class _Collector:
    """Gathers estimates per (ndb, vitamer) and K2-total estimates per ndb."""

    def __init__(self) -> None:
        self.estimates: dict[tuple[str, str], list[Estimate]] = defaultdict(list)
        self.sr_ranges: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.k2_totals: dict[str, list[Estimate]] = defaultdict(list)

    def add(self, ndb: str, key: str, estimate: Estimate) -> None:
        if estimate not in self.estimates[(ndb, key)]:
            self.estimates[(ndb, key)].append(estimate)


def _literature_estimates(
    collector: _Collector,
    literature: Sequence[LiteratureRow],
    data_dir: Path,
    reliability: Mapping[str, str],
    known_ndbs: set[str],
) -> None:
    mapping = read_csv(data_dir / "k2_mapping.csv")
    if len(mapping) != len(literature):
        raise BuildError(
            f"k2_mapping.csv has {len(mapping)} rows but the literature table has "
            f"{len(literature)}; every literature row needs one mapping row."
        )
    for row, link in zip(literature, mapping, strict=True):
        if int(link["lit_row"]) != row.index or link["lit_food"] != row.food:
            raise BuildError(
                f"k2_mapping.csv row for lit_row {link['lit_row']} names {link['lit_food']!r}, "
                f"but literature row {row.index} is {row.food!r}."
            )
        if link["use"] != "yes":
            continue
        rank = _RANK_SECONDARY if reliability.get(row.source_key) == "secondary" else _RANK_PRIMARY
        label = f"{row.food} (literature row {row.index})"
        homologues = {k: literature_cell(row.cells[f"{k}_ug"]) for k in _HOMOLOGUES}
        for ndb_text in link["ndb"].split(";"):
            ndb = ndb_text.strip()
            if ndb not in known_ndbs:
                raise BuildError(f"k2_mapping.csv maps literature row {row.index} to unknown {ndb}")
            k1 = literature_cell(row.cells["k1_ug"])
            if k1 is not None:
                note = _nd_note(label, row.cells["k1_ug"])
                collector.add(ndb, "k1", Estimate(k1, row.source_key, rank, note))
            for key, value in homologues.items():
                if value is not None:
                    note = _nd_note(label, row.cells[f"{key}_ug"])
                    collector.add(ndb, key, Estimate(value, row.source_key, rank, note))
            total: float | None = None
            how = link["k2_total_from"]
            if how == "total":
                total = literature_cell(row.cells["k2_total_ug"])
            elif how == "sum":
                parts = [v for v in homologues.values() if v is not None]
                total = sum(parts) if parts else None
            if total is not None:
                note = (
                    _nd_note(label, row.cells["k2_total_ug"])
                    if how == "total"
                    else f"{label}; sum of reported menaquinones"
                )
                collector.k2_totals[ndb].append(Estimate(total, row.source_key, rank, note))


def _fdc_estimates(collector: _Collector, data_dir: Path, known_ndbs: set[str]) -> None:
    values = {row["food_id"]: row for row in read_csv(data_dir / "fdc_foundation_mk4.csv")}
    seen: set[tuple[str, str, float]] = set()
    for link in read_csv(data_dir / "fdc_mapping.csv"):
        if link["use"] != "yes":
            continue
        if link["ndb"] not in known_ndbs:
            raise BuildError(f"fdc_mapping.csv maps FDC {link['fdc_id']} to unknown {link['ndb']}")
        row = values.get(link["fdc_id"])
        if row is None:
            raise BuildError(
                f"fdc_mapping.csv names FDC {link['fdc_id']}, which is not in "
                "fdc_foundation_mk4.csv"
            )
        # The same description and value listed under two FDC ids is one measurement.
        measurement = (link["ndb"], row["description"], float(row["value"]))
        if measurement in seen:
            continue
        seen.add(measurement)
        note = f"{row['description']} (FDC {row['food_id']})"
        estimate = Estimate(measurement[2], row["source"], _RANK_FDC, note)
        collector.add(link["ndb"], "mk4", estimate)


def _sr28_estimates(collector: _Collector, sr_values: Iterable[SR28Value]) -> None:
    keys = {"428": "mk4", "429": "dk1", "430": "k1"}
    for value in sr_values:
        key = keys.get(value.nutr_no)
        if key is None:
            continue
        how = "analytical" if value.src_cd in ANALYTICAL_SRC_CODES else "calculated"
        note = f"SR28 nutrient {value.nutr_no}, Src_Cd {value.src_cd} ({how})"
        collector.add(value.ndb, key, Estimate(value.value, "usda_sr28", _RANK_SR28, note))
        for bound in (value.low, value.high):
            if bound is not None:
                collector.sr_ranges[(value.ndb, key)].append(bound)


def _combine(
    ndb: str, key: str, estimates: Sequence[Estimate], extra_bounds: Sequence[float] = ()
) -> VitKRecord:
    best = min(e.rank for e in estimates)
    central_pool = [e.value for e in estimates if e.rank == best]
    central = statistics.median(central_pool)
    everything = [e.value for e in estimates] + list(extra_bounds)
    low: float | None = min(everything)
    high: float | None = max(everything)
    if low == high == central:
        low = high = None  # a single figure: no range is known
    # The basis is that of the central value: an SR28 figure that SR28 itself
    # calculated stays "imputed" even when literature values widen its range.
    central_estimates = [e for e in estimates if e.rank == best]
    calculated = all(
        e.source_key == "usda_sr28" and "(calculated)" in e.note for e in central_estimates
    )
    basis = IMPUTED if calculated else MEASURED
    if len(estimates) == 1:
        method = f"single estimate: {estimates[0].note}"
    else:
        kinds = {
            _RANK_FDC: "FDC Foundation",
            _RANK_SR28: "SR28",
            _RANK_PRIMARY: "primary literature",
            _RANK_SECONDARY: "secondary literature",
        }
        central_text = (
            f"{kinds[best]} value"
            if len(central_pool) == 1
            else f"median of {len(central_pool)} {kinds[best]} estimates"
        )
        method = f"{central_text}; range over all {len(estimates)} estimates"
    sources = tuple((e.source_key, f"{fmt(e.value)} µg/100 g: {e.note}") for e in estimates)
    return VitKRecord(ndb, key, central, low, high, basis, method, sources)


def _at_least_homologues(
    k2: VitKRecord, records: Mapping[tuple[str, str], VitKRecord]
) -> VitKRecord:
    """A K2 total cannot be below the sum of the food's own menaquinone values.

    Totals and homologues often come from different countries' samples (e.g. a
    Dutch K2 total against a US MK-4); where the total is lower, it is raised to the
    sum and the range widened to keep the original estimates.
    """
    parts = [records[(k2.ndb, k)] for k in _HOMOLOGUES if (k2.ndb, k) in records]
    floor = round(sum(p.value or 0.0 for p in parts), 3)
    if k2.value is None or floor <= k2.value:
        return k2
    low = min(v for v in (k2.low, k2.value) if v is not None)
    high = max(v for v in (k2.high, floor) if v is not None)
    names = " + ".join(p.key for p in parts)
    return VitKRecord(
        k2.ndb,
        "k2",
        floor,
        low,
        high,
        k2.basis,
        f"{k2.method}; raised from {fmt(k2.value)} to {fmt(floor)} µg, the sum of the "
        f"food's own {names} values, which a K2 total cannot be below",
        k2.sources + tuple(s for p in parts for s in p.sources if s not in k2.sources),
    )


def build_vitamin_k(
    foods: Sequence[SR28Food],
    sr_values: Iterable[SR28Value],
    fat_g: Mapping[str, float],
    data_dir: Path,
) -> list[VitKRecord]:
    """All vitamin K records for the database, sorted by (ndb, key)."""
    known = {food.ndb for food in foods}
    values = list(sr_values)
    # Cholesterol only comes from animal foods: above 0, a "plant" dish holds some.
    composition = Composition(
        fat_g=fat_g,
        protein_g={v.ndb: v.value for v in values if v.nutr_no == "203"},
        cholesterol_mg={v.ndb: v.value for v in values if v.nutr_no == "601"},
    )
    collector = _Collector()
    literature = load_literature(data_dir)
    reliability = load_reliability(data_dir)
    _sr28_estimates(collector, values)
    _fdc_estimates(collector, data_dir, known)
    _literature_estimates(collector, literature, data_dir, reliability, known)

    records: dict[tuple[str, str], VitKRecord] = {}
    for (ndb, key), estimates in collector.estimates.items():
        records[(ndb, key)] = _combine(ndb, key, estimates, collector.sr_ranges[(ndb, key)])
    for ndb, totals in collector.k2_totals.items():
        records[(ndb, "k2")] = _at_least_homologues(_combine(ndb, "k2", totals), records)

    families = read_families(data_dir)
    splitter = Splitter(
        foods, families, read_split_families(data_dir, literature, [f.name for f in families])
    )
    apply_table(records, data_dir, composition, known)
    scale_table_homologues(records, data_dir, composition)
    for food in foods:
        apply_k2_from_mk4(records, food)
    extend_from_mk4(records, foods, splitter)
    for food in foods:
        apply_plant_rules(records, food, composition.cholesterol_mg.get(food.ndb))
    apply_families(records, foods, composition, families)
    apply_split(records, foods, splitter)
    for food in foods:
        _add_vitk(records, food.ndb)
        for key in ("k1", "mk4", "k2"):
            if (food.ndb, key) not in records:
                records[(food.ndb, key)] = VitKRecord(
                    food.ndb,
                    key,
                    None,
                    None,
                    None,
                    UNKNOWN,
                    "no measurement and no imputation rule",
                )
    return [records[k] for k in sorted(records)]


def _weakest(bases: Sequence[str]) -> str:
    if UNKNOWN in bases:
        return UNKNOWN
    return IMPUTED if IMPUTED in bases else MEASURED


def _add_vitk(records: dict[tuple[str, str], VitKRecord], ndb: str) -> None:
    k1, k2, dk1 = records.get((ndb, "k1")), records.get((ndb, "k2")), records.get((ndb, "dk1"))
    if k1 is None or k2 is None or k1.value is None or k2.value is None:
        records[(ndb, "vitk")] = VitKRecord(
            ndb, "vitk", None, None, None, UNKNOWN, "K1 or K2 unknown, so the sum is unknown"
        )
        return
    parts = [k1, k2] + ([dk1] if dk1 is not None and dk1.value is not None else [])
    value = round(sum(p.value or 0.0 for p in parts), 3)
    has_range = any(p.low is not None for p in parts)
    low = round(sum(p.low if p.low is not None else (p.value or 0.0) for p in parts), 3)
    high = round(sum(p.high if p.high is not None else (p.value or 0.0) for p in parts), 3)
    names = " + ".join(p.key for p in parts)
    records[(ndb, "vitk")] = VitKRecord(
        ndb,
        "vitk",
        value,
        low if has_range else None,
        high if has_range else None,
        _weakest([p.basis for p in parts]),
        f"sum of {names}" + ("" if dk1 is not None else " (dihydro-K1 not measured)"),
        (),
    )
