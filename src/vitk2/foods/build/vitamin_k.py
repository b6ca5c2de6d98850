"""Per-vitamer vitamin K values for every SR28 food, with provenance.

Inputs: SR28 nutrients 428 (MK-4), 429 (dihydro-K1), 430 (K1) and 204 (fat), the
FoodData Central Foundation MK-4 table, the curated literature table and its
mapping onto SR28, and the explicit imputation table. Output: one `VitKRecord`
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
* ``k2_ug`` imputed, in this order: the imputation table (``same_type`` donor,
  ``fat_scaled`` donor x fat ratio); MK-4 as K2 in non-fermented meat, poultry,
  fish and egg (a lower bound); 0 for unfermented plant foods.
* ``vitk_ug`` = k1 + k2 (+ dihydro-K1 where measured); unknown if k1 or k2 is.
"""

from __future__ import annotations

import csv
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vitk2.foods.build.sr28 import ANALYTICAL_SRC_CODES, BuildError, SR28Food, SR28Value

MEASURED = "measured"
IMPUTED = "imputed"
UNKNOWN = "unknown"

MENAQUINONES = tuple(f"mk{n}" for n in range(4, 14))
_HOMOLOGUES = MENAQUINONES
# Source-kind rank: lower is preferred for the central value.
_RANK_FDC, _RANK_SR28, _RANK_PRIMARY, _RANK_SECONDARY = 0, 1, 2, 3

ANIMAL_GROUPS = frozenset({"0500", "0700", "1000", "1300", "1500", "1700"})
PLANT_GROUPS = frozenset({"0200", "0900", "1100", "1200", "1600", "2000"})
# Words that make a plant food fermented or mixed with animal foods: the
# unfermented-plant rule never applies to these. Matched as whole words; a
# trailing "*" also matches longer words ("ferment*" matches "fermented").
PLANT_EXCLUDE_WORDS = (
    "natto", "miso", "tempeh", "sauerkraut", "kimchi", "ferment*", "soy sauce", "tamari",
    "vinegar", "pickle*", "cheese*", "butter", "buttered", "cream*", "milk", "egg", "eggs",
    "meat", "beef", "pork", "chicken", "bacon", "ham", "sausage*", "fish", "yogurt",
    "lard", "anchov*", "clam*", "shrimp", "turkey", "with sauce", "au gratin", "scalloped",
    "casserole", "souffle", "prepared from recipe", "frankfurter*", "franks", "gravy",
)  # fmt: skip
_PLANT_EXCLUDE = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in PLANT_EXCLUDE_WORDS
    )
    + r")\b"
)
FERMENTED_ANIMAL_WORDS = ("salami", "pepperoni", "fermented", "summer sausage", "thuringer")


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    source_key: str
    rank: int
    note: str


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


@dataclass(frozen=True, slots=True)
class LiteratureRow:
    index: int
    food: str
    source_key: str
    cells: Mapping[str, str]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(text: str) -> float | None:
    """A literature cell: '' is not reported, 'nd' is not detected (0), else a number."""
    text = text.strip()
    if not text:
        return None
    if text.lower() == "nd":
        return 0.0
    return float(text)


def _nd_note(label: str, cell: str) -> str:
    """Keep "not detected" distinct from a measured 0 in the provenance note."""
    if cell.strip().lower() == "nd":
        return f"{label}; reported as not detected (nd), stored as 0"
    return label


def _fmt(value: float) -> str:
    return f"{value:g}"


def load_literature(data_dir: Path) -> list[LiteratureRow]:
    rows = read_csv(data_dir / "k2_foods_literature.csv")
    return [
        LiteratureRow(index=i, food=row["food"], source_key=row["source_key"], cells=row)
        for i, row in enumerate(rows, start=1)
    ]


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
        homologues = {k: _cell(row.cells[f"{k}_ug"]) for k in _HOMOLOGUES}
        for ndb_text in link["ndb"].split(";"):
            ndb = ndb_text.strip()
            if ndb not in known_ndbs:
                raise BuildError(f"k2_mapping.csv maps literature row {row.index} to unknown {ndb}")
            k1 = _cell(row.cells["k1_ug"])
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
                total = _cell(row.cells["k2_total_ug"])
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
    sources = tuple((e.source_key, f"{_fmt(e.value)} µg/100 g: {e.note}") for e in estimates)
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
        f"{k2.method}; raised from {_fmt(k2.value)} to {_fmt(floor)} µg, the sum of the "
        f"food's own {names} values, which a K2 total cannot be below",
        k2.sources + tuple(s for p in parts for s in p.sources if s not in k2.sources),
    )


def _is_fermented_animal(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in FERMENTED_ANIMAL_WORDS)


def is_unfermented_plant(food: SR28Food) -> bool:
    """True for foods the 'unfermented plant food' rule covers (K2 imputed as 0)."""
    name = food.name.lower()
    if food.group_code in PLANT_GROUPS or (food.group_code == "0400" and name.startswith("oil, ")):
        pass
    else:
        return False
    return _PLANT_EXCLUDE.search(name) is None


def is_unfermented_animal(food: SR28Food) -> bool:
    """True for meat, poultry, fish and egg foods where MK-4 stands in for K2."""
    if _is_fermented_animal(food.name):
        return False
    if food.group_code in ANIMAL_GROUPS:
        return True
    return food.group_code == "0100" and food.name.lower().startswith("egg")


_PLANT_NOTE = (
    "unfermented plant food: menaquinones come from bacterial fermentation or from "
    "animal conversion of K1, neither present; FDC Foundation Foods measured MK-4 = 0 "
    "in kale, cabbage, lettuce, nuts, oils, potatoes and bananas"
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
    cholesterol = {v.ndb: v.value for v in values if v.nutr_no == "601"}
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

    _apply_imputation_table(records, data_dir, fat_g, known)
    for food in foods:
        _apply_rules(records, food, cholesterol.get(food.ndb, 0.0))
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


def _apply_imputation_table(
    records: dict[tuple[str, str], VitKRecord],
    data_dir: Path,
    fat_g: Mapping[str, float],
    known: set[str],
) -> None:
    for row in read_csv(data_dir / "k2_imputation.csv"):
        ndb, donor, rule = row["ndb"], row["donor_ndb"], row["rule"]
        if ndb not in known or donor not in known:
            raise BuildError(f"k2_imputation.csv row {ndb} <- {donor}: unknown NDB number")
        if (ndb, "k2") in records:
            raise BuildError(f"k2_imputation.csv imputes {ndb}, which has its own K2 measurement")
        source = records.get((donor, "k2"))
        if source is None or source.basis != MEASURED or source.value is None:
            raise BuildError(f"k2_imputation.csv donor {donor} for {ndb} has no measured K2")
        if rule == "same_type":
            factor = 1.0
            how = f"same cheese type as usda:{donor}"
        elif rule == "fat_scaled":
            if fat_g.get(donor, 0.0) <= 0.0 or ndb not in fat_g:
                raise BuildError(f"k2_imputation.csv fat_scaled {ndb} <- {donor}: fat unknown")
            factor = fat_g[ndb] / fat_g[donor]
            how = (
                f"usda:{donor} scaled by fat {_fmt(fat_g[ndb])} g / {_fmt(fat_g[donor])} g "
                f"(x{factor:.3f})"
            )
        else:
            raise BuildError(f"k2_imputation.csv: unknown rule {rule!r} for {ndb}")

        def scaled(value: float | None, factor: float = factor) -> float | None:
            return None if value is None else round(value * factor, 3)

        records[(ndb, "k2")] = VitKRecord(
            ndb,
            "k2",
            scaled(source.value),
            scaled(source.low),
            scaled(source.high),
            IMPUTED,
            f"imputed ({rule}): {how}. {row['reason']}".strip(),
            (*source.sources, ("vitk2_rules", f"rule {rule} from usda:{donor}")),
        )


def _apply_rules(
    records: dict[tuple[str, str], VitKRecord], food: SR28Food, cholesterol_mg: float
) -> None:
    ndb = food.ndb
    if (ndb, "k2") in records:
        return
    mk4 = records.get((ndb, "mk4"))
    if is_unfermented_animal(food) and mk4 is not None and mk4.value is not None:
        longer = [records[(ndb, k)] for k in _HOMOLOGUES[1:] if (ndb, k) in records]
        extra = sum(r.value or 0.0 for r in longer)
        records[(ndb, "k2")] = VitKRecord(
            ndb,
            "k2",
            round(mk4.value + extra, 3),
            None if mk4.low is None else round(mk4.low + extra, 3),
            None if mk4.high is None else round(mk4.high + extra, 3),
            IMPUTED,
            "imputed (k2_from_mk4): in non-fermented meat, poultry, fish and egg MK-4 is the "
            "menaquinone measured; longer-chain menaquinones were not measured, so this is a "
            "lower bound",
            (*mk4.sources, ("vitk2_rules", "rule k2_from_mk4")),
        )
    elif (
        is_unfermented_plant(food)
        and cholesterol_mg <= 0.0
        and not (mk4 is not None and (mk4.value or 0.0) > 0.0)
    ):
        # Cholesterol above 0 means an animal ingredient (egg pasta, chili with meat);
        # a measured MK-4 above 0 contradicts the rule. Either way K2 stays unknown.
        if (ndb, "mk4") not in records:
            records[(ndb, "mk4")] = VitKRecord(
                ndb, "mk4", 0.0, None, None, IMPUTED, f"imputed (plant_unfermented): {_PLANT_NOTE}",
                (("vitk2_rules", "rule plant_unfermented"),),
            )  # fmt: skip
        records[(ndb, "k2")] = VitKRecord(
            ndb, "k2", 0.0, None, None, IMPUTED, f"imputed (plant_unfermented): {_PLANT_NOTE}",
            (("vitk2_rules", "rule plant_unfermented"),),
        )  # fmt: skip


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
