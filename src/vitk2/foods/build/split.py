"""Each menaquinone of a food: the split of its K2 total into MK-4 … MK-10 where its
homologues were not measured (docs/data.md, section 4, rule 5).

**Profiles and patterns.** A *profile* is a literature row that reports MK-4 and at
least five more of MK-5 … MK-10 (``nd`` counts as reported: 0) with a positive sum;
its *shares* are each reported homologue over that sum. A split family
(``data/k2_split.csv``) names its member foods (their K2 family of
``data/k2_families.csv``, SR28 groups, a name pattern; the first matching row wins) and
its donor profiles (literature rows, or ``family:NAME`` for an earlier split family's
donors). Its *pattern* is, per homologue, the mean share over the donors that report
it (normalised to add up to 1), with the lowest and highest share as its range.

**Rules**, in build order (basis ``imputed``; method ``imputed (split): …``; sources
``vitk2_rules`` and the donors' source keys):

1. `scale_table_homologues`: a food of ``k2_imputation.csv`` takes its donor's
   homologues the way it takes its K2: the same factor (same type, fat, protein), or
   for ``parts`` the grams-weighted mean of the parts'.
2. `extend_from_mk4`: a food whose K2 is its MK-4 (rule ``k2_from_mk4``: MK-4 was
   analysed, the longer menaquinones were not) gets them from its family's ratio to
   MK-4, where MK-4 is the family's main menaquinone (mean share ≥ `MK4_MAIN_SHARE`);
   its K2 becomes the sum. Elsewhere (liver: MK-4 is 3-100 % of a profile) they stay
   unknown.
3. `apply_split`: a food whose K2 is 0 with no range has every menaquinone 0, by the
   rule that made the 0 (not a K2 that is only MK-4 as a lower bound: rule 2 did not
   extend it, so its longer menaquinones stay unknown, even where MK-4 is 0).
   Every other food with a K2 total gets each homologue it has
   no value for as the K2 total × its family's mean share (range: the K2 low × the
   lowest share to the K2 high × the highest), scaled down where needed so that its
   menaquinones never add up to more than its K2 total. A food in no split family
   keeps unknown homologues, and its total.

MK-11 … MK-13: none of the sources reports them, so no pattern holds them.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from vitk2.foods.build.families import Family, family_of
from vitk2.foods.build.imputation import Composition, parse_parts, scale_factor
from vitk2.foods.build.records import (
    IMPUTED,
    MEASURED,
    MENAQUINONES,
    LiteratureRow,
    VitKRecord,
    literature_cell,
    read_csv,
)
from vitk2.foods.build.sr28 import BuildError, SR28Food

__all__ = [
    "MK4_MAIN_SHARE",
    "PATTERN_HOMOLOGUES",
    "SPLIT_FILE",
    "Pattern",
    "Profile",
    "SplitFamily",
    "Splitter",
    "apply_split",
    "extend_from_mk4",
    "label",
    "read_profiles",
    "read_split_families",
    "scale_table_homologues",
]

Records = dict[tuple[str, str], VitKRecord]
SPLIT_FILE: Final = "k2_split.csv"
#: The homologues the literature reports (MK-11 … MK-13: no source has them).
PATTERN_HOMOLOGUES: Final = tuple(f"mk{n}" for n in range(4, 11))
#: A profile reports MK-4 and at least this many of MK-4 … MK-10.
MIN_REPORTED: Final = 6
#: MK-4 is a family's main menaquinone when its mean share is at least this.
MK4_MAIN_SHARE: Final = 0.5
_FAMILY_REF: Final = "family:"
_LOWER_BOUND: Final = "imputed (k2_from_mk4): in non-fermented"


def label(key: str) -> str:
    """``"mk9"`` -> ``"MK-9"``."""
    return f"MK-{key.removeprefix('mk')}"


def _down(value: float) -> float:
    """Thousandths, rounded down: split parts never add up to more than their total."""
    return math.floor(value * 1000 + 1e-9) / 1000


@dataclass(frozen=True, slots=True)
class Profile:
    """The homologues one literature row reports, in µg/100 g."""

    row: int
    food: str
    source_key: str
    values: Mapping[str, float]

    @property
    def total(self) -> float:
        return sum(self.values.values())

    @property
    def shares(self) -> dict[str, float]:
        total = self.total
        return {key: value / total for key, value in self.values.items()}


def read_profiles(literature: Sequence[LiteratureRow]) -> dict[int, Profile]:
    """Every literature row that is a profile, by row number."""
    profiles = {}
    for row in literature:
        values = {}
        for key in PATTERN_HOMOLOGUES:
            value = literature_cell(row.cells[f"{key}_ug"])
            if value is not None:
                values[key] = value
        if "mk4" in values and len(values) >= MIN_REPORTED and sum(values.values()) > 0:
            profiles[row.index] = Profile(row.index, row.food, row.source_key, values)
    return profiles


def rows_text(rows: Sequence[int]) -> str:
    """``[186, 187, 188, 190]`` -> ``"186-188, 190"``."""
    ordered = sorted(set(rows))
    runs: list[list[int]] = []
    for row in ordered:
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A family's homologue pattern: per homologue the mean share over the donors that
    report it, normalised to add up to 1 (``mean``), and the lowest and highest share."""

    donors: tuple[Profile, ...]
    mean: Mapping[str, float]
    low: Mapping[str, float]
    high: Mapping[str, float]

    @classmethod
    def of(cls, donors: Sequence[Profile]) -> Pattern:
        shares = [donor.shares for donor in donors]
        found = {
            key: [share[key] for share in shares if key in share]
            for key in PATTERN_HOMOLOGUES
            if any(key in share for share in shares)
        }
        raw = {key: statistics.fmean(values) for key, values in found.items()}
        total = sum(raw.values())
        return cls(
            donors=tuple(donors),
            mean={key: value / total for key, value in raw.items()},
            low={key: min(values) for key, values in found.items()},
            high={key: max(values) for key, values in found.items()},
        )

    @property
    def rows(self) -> str:
        return rows_text([donor.row for donor in self.donors])

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(sorted({donor.source_key for donor in self.donors}))

    def ratio_to_mk4(self, key: str) -> tuple[float, float, float] | None:
        """MK-n / MK-4: the ratio of the mean shares, and the lowest and highest ratio of
        a donor with MK-4 above 0."""
        ratios = [
            donor.values[key] / donor.values["mk4"]
            for donor in self.donors
            if key in donor.values and donor.values["mk4"] > 0
        ]
        if not ratios or key not in self.mean or self.mean.get("mk4", 0.0) <= 0.0:
            return None
        central = self.mean[key] / self.mean["mk4"]
        return central, min(*ratios, central), max(*ratios, central)


@dataclass(frozen=True, slots=True)
class SplitFamily:
    """One row of ``k2_split.csv``: which foods, and the pattern they are split by."""

    name: str
    k2_families: frozenset[str]
    groups: frozenset[str]
    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    pattern: Pattern
    pooled: bool  # its donors are other families' (``family:NAME``)
    reason: str

    def matches(self, food: SR28Food, k2_family: str | None) -> bool:
        name = food.name.lower()
        return (
            (not self.k2_families or k2_family in self.k2_families)
            and (not self.groups or food.group_code in self.groups)
            and (self.include is None or self.include.search(name) is not None)
            and (self.exclude is None or self.exclude.search(name) is None)
        )

    @property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """The provenance rows of a value this family's pattern made."""
        note = "homologue pattern"
        rule = ("vitk2_rules", f"rule split {self.name}")
        return (rule, *((key, note) for key in self.pattern.source_keys))


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def read_split_families(
    data_dir: Path, literature: Sequence[LiteratureRow], k2_families: Sequence[str]
) -> list[SplitFamily]:
    """The split families of ``k2_split.csv``, their donors checked and resolved."""
    profiles = read_profiles(literature)
    known_k2 = set(k2_families)
    families: list[SplitFamily] = []
    for row in read_csv(data_dir / SPLIT_FILE):
        name = row["family"]
        where = f"{SPLIT_FILE} family {name}"
        wanted = frozenset(_split(row["k2_families"]))
        if wanted - known_k2:
            raise BuildError(f"{where}: unknown K2 family {sorted(wanted - known_k2)[0]!r}")
        if not wanted and not row["include"]:
            raise BuildError(f"{where}: give its K2 families or a name pattern")
        donors: dict[int, Profile] = {}
        pooled = False
        for token in _split(row["donors"]):
            if token.startswith(_FAMILY_REF):
                ref = next((f for f in families if f.name == token[len(_FAMILY_REF) :]), None)
                if ref is None:
                    raise BuildError(f"{where}: {token} is not an earlier family")
                donors.update((d.row, d) for d in ref.pattern.donors)
                pooled = True
            elif not token.isdigit() or int(token) not in profiles:
                raise BuildError(
                    f"{where}: literature row {token} is not a profile (MK-4 and at least "
                    f"{MIN_REPORTED - 1} more of MK-5 … MK-10 reported, with a positive sum)"
                )
            else:
                donors[int(token)] = profiles[int(token)]
        if not donors:
            raise BuildError(f"{where}: no donors")
        try:
            include = re.compile(row["include"]) if row["include"] else None
            exclude = re.compile(rf"\b(?:{row['exclude']})\b") if row["exclude"] else None
        except re.error as error:
            raise BuildError(f"{where}: {error}") from error
        families.append(
            SplitFamily(
                name=name,
                k2_families=wanted,
                groups=frozenset(_split(row["groups"])),
                include=include,
                exclude=exclude,
                pattern=Pattern.of(sorted(donors.values(), key=lambda d: d.row)),
                pooled=pooled,
                reason=row["reason"],
            )
        )
    return families


class Splitter:
    """Each food's split family (by its K2 family and its name), found once."""

    def __init__(
        self,
        foods: Sequence[SR28Food],
        k2_families: Sequence[Family],
        families: Sequence[SplitFamily],
    ) -> None:
        self.families = tuple(families)
        self._of: dict[str, SplitFamily | None] = {}
        for food in foods:
            k2_family = family_of(food, k2_families)
            k2_name = None if k2_family is None else k2_family.name
            self._of[food.ndb] = next((f for f in families if f.matches(food, k2_name)), None)

    def family(self, ndb: str) -> SplitFamily | None:
        return self._of.get(ndb)


def _range(value: float, low: float, high: float) -> tuple[float | None, float | None]:
    low, high = min(low, value), max(high, value)
    return (None, None) if low == high == value else (low, high)


def _bounds(record: VitKRecord) -> tuple[float, float, float]:
    value = record.value
    assert value is not None
    low = value if record.low is None else record.low
    high = value if record.high is None else record.high
    return value, low, high


def scale_table_homologues(records: Records, data_dir: Path, composition: Composition) -> None:
    """Rule 1: the homologues of the ``k2_imputation.csv`` foods, from their donors."""
    for row in read_csv(data_dir / "k2_imputation.csv"):
        ndb, rule = row["ndb"], row["rule"]
        parts = parse_parts(row["donor_ndb"])
        for key in MENAQUINONES:
            if (ndb, key) in records:
                continue
            found = [records.get((donor, key)) for donor, _ in parts]
            donors = [f for f in found if f is not None and f.value is not None]
            if len(donors) != len(parts):
                continue
            if rule == "parts":
                total_g = sum(grams for _, grams in parts)
                sums = [0.0, 0.0, 0.0]
                for record, (_, grams) in zip(donors, parts, strict=True):
                    for index, figure in enumerate(_bounds(record)):
                        sums[index] += figure * grams / total_g
                mix = " + ".join(f"{grams:g} g usda:{donor}" for donor, grams in parts)
                how = f"the grams-weighted mean of the parts' {label(key)} ({mix}), as for K2"
                value, low, high = _down(sums[0]), _down(sums[1]), round(sums[2], 3)
                rule_note = f"rule split from {mix}"
            else:
                factor, text = scale_factor(rule, ndb, parts[0][0], composition)
                bounds = _bounds(donors[0])
                value, low = _down(bounds[0] * factor), _down(bounds[1] * factor)
                high = round(bounds[2] * factor, 3)
                how = f"the {label(key)} of usda:{parts[0][0]} scaled as its K2 ({rule}: {text})"
                rule_note = f"rule split from usda:{parts[0][0]}"
            sources = tuple(
                (source, f"{note} (for usda:{donor})")
                for (donor, _), d in zip(parts, donors, strict=True)
                for source, note in d.sources
            )
            records[(ndb, key)] = VitKRecord(
                ndb, key, value, *_range(value, low, high), IMPUTED,
                f"imputed (split): {how}. {row['reason']}".strip(),
                (*sources, ("vitk2_rules", rule_note)),
            )  # fmt: skip


def extend_from_mk4(records: Records, foods: Sequence[SR28Food], splitter: Splitter) -> None:
    """Rule 2: the longer menaquinones of foods whose K2 is their MK-4."""
    for food in foods:
        ndb = food.ndb
        k2 = records.get((ndb, "k2"))
        family = splitter.family(ndb)
        if k2 is None or not k2.method.startswith("imputed (k2_from_mk4)") or family is None:
            continue
        pattern = family.pattern
        if pattern.mean.get("mk4", 0.0) < MK4_MAIN_SHARE:
            continue
        mk4, mk4_low, mk4_high = _bounds(records[(ndb, "mk4")])
        for key in pattern.mean:
            ratio = pattern.ratio_to_mk4(key)
            if key == "mk4" or (ndb, key) in records or ratio is None:
                continue
            central, low, high = ratio
            value = round(mk4 * central, 3)
            records[(ndb, key)] = VitKRecord(
                ndb, key, value, *_range(value, round(mk4_low * low, 3), round(mk4_high * high, 3)),
                IMPUTED,
                f"imputed (split): MK-4 x the {family.name} family's ratio {label(key)}/MK-4, "
                f"{central:.3f} (range {low:.3f}-{high:.3f}) over its {len(pattern.donors)} "
                f"measured profiles (literature rows {pattern.rows}); this food's longer "
                f"menaquinones were not analysed. {family.reason}",
                family.sources,
            )  # fmt: skip
        parts = [records[(ndb, k)] for k in MENAQUINONES if (ndb, k) in records]
        bounds = [_bounds(part) for part in parts]
        value = round(sum(b[0] for b in bounds), 3)
        low, high = round(sum(b[1] for b in bounds), 3), round(sum(b[2] for b in bounds), 3)
        records[(ndb, "k2")] = VitKRecord(
            ndb, "k2", value, *_range(value, low, high), IMPUTED,
            "imputed (k2_from_mk4): MK-4 as analysed in this non-fermented meat, poultry, fish "
            f"or egg, plus its longer menaquinones from the {family.name} family's ratios to "
            "MK-4 (rule split)",
            (*k2.sources, *family.sources[:1]),
        )  # fmt: skip


def _zero_method(k2: VitKRecord) -> tuple[str, tuple[tuple[str, str], ...]]:
    if k2.basis == MEASURED:
        return (
            "imputed (zero): the food's K2 total is a measured 0, so each menaquinone is 0",
            (*k2.sources, ("vitk2_rules", "rule split: K2 is 0")),
        )
    return k2.method, k2.sources


def apply_split(records: Records, foods: Sequence[SR28Food], splitter: Splitter) -> None:
    """Rule 3: zeros where K2 is 0, and the split of every other K2 total."""
    for food in foods:
        ndb = food.ndb
        k2 = records.get((ndb, "k2"))
        if k2 is None or k2.value is None or k2.method.startswith(_LOWER_BOUND):
            # K2 = MK-4 as a lower bound (rule k2_from_mk4, not extended by rule 2): the
            # longer menaquinones were not analysed and stay unknown, even where MK-4 is 0.
            continue
        if k2.value == 0.0 and not k2.high:
            method, sources = _zero_method(k2)
            for key in MENAQUINONES:
                if (ndb, key) not in records:
                    records[(ndb, key)] = VitKRecord(
                        ndb, key, 0.0, None, None, IMPUTED, method, sources
                    )
            continue
        family = splitter.family(ndb)
        if family is not None:
            _split_total(records, ndb, k2, family)


def _split_total(records: Records, ndb: str, k2: VitKRecord, family: SplitFamily) -> None:
    pattern = family.pattern
    missing = [key for key in pattern.mean if (ndb, key) not in records]
    if not missing:
        return
    own = sum(r.value or 0.0 for k in MENAQUINONES if (r := records.get((ndb, k))) is not None)
    total, total_low, total_high = _bounds(k2)
    wanted = total * sum(pattern.mean[key] for key in missing)
    scale = 1.0 if wanted <= 0.0 else min(1.0, max(0.0, total - own) / wanted)
    scaled = (
        " Scaled down so that the food's menaquinones add up to no more than its K2 total."
        if scale < 1.0
        else ""
    )
    for key in missing:
        share, low, high = pattern.mean[key], pattern.low[key], pattern.high[key]
        value = _down(total * share * scale)
        records[(ndb, key)] = VitKRecord(
            ndb, key, value,
            *_range(value, _down(total_low * low * scale), round(total_high * high, 3)),
            IMPUTED,
            f"imputed (split): the K2 total x the mean {label(key)} share of the "
            f"{len(pattern.donors)} measured profiles of family {family.name} "
            f"({100 * share:.1f} %, range {100 * low:.1f}-{100 * high:.1f} %; literature rows "
            f"{pattern.rows}); the range is the K2 range x the lowest and highest share."
            f"{scaled} {family.reason}",
            family.sources,
        )  # fmt: skip
