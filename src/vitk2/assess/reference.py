"""Reference values (AI, EAR, RDA, AR, PRI, UL) for a person's life stage, and K2 reference points.

Every number comes from one record of the evidence base (:mod:`vitk2.evidence.records`):
:data:`REFERENCE_TABLE` names, for each authority, nutrient key, value type and life
stage, the record index the value is read from (its ``value``, or the ``EAR``/``UL``
figure written in its ``note``). Nothing is typed in twice: the numbers are read from
the records when the table is used, and the tests check every row against its record.

Two authorities are supported: ``"iom"`` (IOM/NASEM, the default) and ``"efsa"``.
IOM's vitamin K AI is compared with total vitamin K (``vitk_ug``); EFSA set its AI for
phylloquinone only, so it is compared with ``k1_ug``. No authority value is shown as a
K2 target: :func:`k2_reference_points` lists published study figures instead.

Age ranges are in completed months of age, half-open ``[from, to)``: IOM "0–6 mo" is
months 0–5, "7–12 mo" months 6–11; EFSA "7–11 mo" months 7–11; "19–50 y" months
228–611. A pregnancy/lactation row applies only to the ages it names; outside them the
sex/age row is used and :func:`reference_notes` says so.

>>> from vitk2.intake.profile import Profile
>>> woman = Profile(sex="female", birth_date=date(1970, 3, 1))
>>> [(v.type, v.value) for v in reference_values(woman, on=date(2025, 6, 1))["calcium_mg"]]
[('EAR', 1000.0), ('RDA', 1200.0), ('UL', 2000.0)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal, NamedTuple

from vitk2.errors import DataError, InvalidOptionError
from vitk2.evidence.records import EvidenceRecord, Reliability, load_evidence
from vitk2.intake.profile import Profile, Sex

__all__ = [
    "AUTHORITIES",
    "REFERENCE_TABLE",
    "Authority",
    "K2Kind",
    "K2ReferencePoint",
    "ReferenceNote",
    "ReferenceRow",
    "ReferenceValue",
    "RowField",
    "age_in_months",
    "k2_reference_points",
    "life_stage",
    "reference_notes",
    "reference_values",
]

Authority = Literal["iom", "efsa"]
AUTHORITIES: Final[tuple[Authority, ...]] = ("iom", "efsa")
_AUTHORITY_NAME: Final[dict[str, str]] = {"iom": "IOM", "efsa": "EFSA"}
_TYPE_ORDER: Final[tuple[str, ...]] = ("AI", "EAR", "RDA", "AR", "PRI", "UL")
_KEY_UNIT: Final[dict[str, str]] = {
    "vitk_ug": "µg/day",
    "k1_ug": "µg/day",
    "vitd_ug": "µg/day",
    "calcium_mg": "mg/day",
}
_KEY_NAME: Final[dict[str, str]] = {
    "vitk_ug": "vitamin K",
    "k1_ug": "vitamin K (phylloquinone)",
    "vitd_ug": "vitamin D",
    "calcium_mg": "calcium",
}
# Nutrient keys per authority and the value types expected for each (alternatives in a tuple).
_EXPECTED: Final[dict[str, dict[str, tuple[tuple[str, ...], ...]]]] = {
    "iom": {
        "vitk_ug": (("AI",),),
        "vitd_ug": (("RDA", "AI"), ("EAR",), ("UL",)),
        "calcium_mg": (("RDA", "AI"), ("EAR",), ("UL",)),
    },
    "efsa": {
        "k1_ug": (("AI",),),
        "vitd_ug": (("AI",), ("UL",)),
        "calcium_mg": (("PRI", "AI"), ("AR",), ("UL",)),
    },
}


@dataclass(frozen=True, slots=True)
class ReferenceValue:
    """One reference value for a life stage, with the evidence record it was read from.

    ``key`` is the nutrient key the value is compared with, ``type`` one of AI, EAR,
    RDA, UL, AR, PRI; ``source``/``record`` cite the evidence record and
    ``population`` is that record's population text. ``reliability`` is the record's
    (see :mod:`vitk2.evidence.records`); ``None`` only for values built by hand.
    """

    key: str
    type: str
    value: float
    unit: str
    source: str
    record: int
    population: str
    note: str | None
    reliability: Reliability | None = None


class ReferenceNote(NamedTuple):
    """A statement shown next to the values: an absence, a fallback or a needed field."""

    key: str
    text: str
    source: str | None


RowField = Literal["value", "note:EAR", "note:UL"]
"""Where a table row's number is read: the record's value, or the EAR/UL in its note."""


@dataclass(frozen=True, slots=True)
class ReferenceRow:
    """One row of :data:`REFERENCE_TABLE` (an age range in completed months, ``to`` exclusive)."""

    authority: Authority
    key: str
    type: str
    months_from: int
    months_to: int | None
    sex: Sex | None
    pregnancy_lactation: bool
    record: int
    source: str
    field: RowField
    note: str | None


def _row(  # noqa: PLR0917
    a: Authority,
    key: str,
    typ: str,
    span: tuple[int, int | None],
    record: int,
    source: str,
    *,
    sex: Sex | None = None,
    preg: bool = False,
    field: RowField = "value",
) -> ReferenceRow:
    parts = (_RECORD_NOTES.get(record), _KEY_NOTES.get((a, key)))
    note = " ".join(p for p in parts if p) or None
    return ReferenceRow(a, key, typ, span[0], span[1], sex, preg, record, source, field, note)


def _y(a: int, b: int | None) -> tuple[int, int | None]:
    """Ages a to b years inclusive (b None: no upper bound), as a half-open month range."""
    return a * 12, None if b is None else (b + 1) * 12


# Notes shown with a value, by (authority, key) and by evidence record; every figure in
# them is copied from the note of the record cited (the tests check it).
_KEY_NOTES: Final[dict[tuple[str, str], str]] = {
    ("iom", "vitk_ug"): "IOM's AI is for vitamin K; vitk2 compares it with total vitamin K.",
    ("efsa", "k1_ug"): "EFSA's AI covers phylloquinone (K1) only, as menaquinone evidence was "
    "insufficient; AI = 1 µg phylloquinone/kg body weight per day.",
    ("efsa", "calcium_mg"): "EFSA: pregnancy/lactation values are those of non-pregnant women "
    "of the same age.",
}
_RECORD_NOTES: Final[dict[int, str]] = {
    150: "IOM: EAR ≈ serum 25(OH)D 40 nmol/L; RDA ≈ 50 nmol/L.",
    156: "IOM set the adult UL 20 % below 5000 IU.",
    207: "Secondary source: a consumer page reproducing the IOM 2011 values.",
    157: "EFSA: target serum 25(OH)D 50 nmol/L; assumes minimal skin synthesis.",
    177: "EFSA: AR = null balance 715 mg/day + 40 mg/day dermal losses.",
}
_M: Final[Sex] = "male"
_F: Final[Sex] = "female"


def _iom_ca(
    record: int, span: tuple[int, int | None], *, sex: Sex | None = None, preg: bool = False
) -> tuple[ReferenceRow, ...]:
    """IOM calcium: the record's value is the RDA; its note holds the EAR and the UL."""
    fields: tuple[tuple[str, RowField], ...] = (
        ("RDA", "value"),
        ("EAR", "note:EAR"),
        ("UL", "note:UL"),
    )
    return tuple(
        _row("iom", "calcium_mg", t, span, record, "iom2011_ca", sex=sex, preg=preg, field=f)
        for t, f in fields
    )


REFERENCE_TABLE: Final[tuple[ReferenceRow, ...]] = (
    # IOM 2001 vitamin K AI (no UL: see reference_notes)
    _row("iom", "vitk_ug", "AI", (0, 6), 100, "iom2001_k"),
    _row("iom", "vitk_ug", "AI", (6, 12), 101, "iom2001_k"),
    _row("iom", "vitk_ug", "AI", _y(1, 3), 102, "iom2001_k"),
    _row("iom", "vitk_ug", "AI", _y(4, 8), 103, "iom2001_k"),
    _row("iom", "vitk_ug", "AI", _y(9, 13), 104, "iom2001_k"),
    _row("iom", "vitk_ug", "AI", _y(14, 18), 105, "iom2001_k"),
    _row("iom", "vitk_ug", "AI", _y(19, None), 106, "iom2001_k", sex=_M),
    _row("iom", "vitk_ug", "AI", _y(19, None), 107, "iom2001_k", sex=_F),
    _row("iom", "vitk_ug", "AI", _y(0, 18), 108, "iom2001_k", preg=True),
    _row("iom", "vitk_ug", "AI", _y(19, 50), 109, "iom2001_k", preg=True),
    # IOM 2011 vitamin D
    _row("iom", "vitd_ug", "AI", (0, 12), 147, "iom2011"),
    _row("iom", "vitd_ug", "RDA", _y(1, 70), 148, "iom2011"),
    _row("iom", "vitd_ug", "RDA", _y(71, None), 149, "iom2011"),
    _row("iom", "vitd_ug", "EAR", _y(1, None), 150, "ross2011"),
    _row("iom", "vitd_ug", "UL", (0, 6), 151, "iom2011_ul"),
    _row("iom", "vitd_ug", "UL", (6, 12), 152, "iom2011_ul"),
    _row("iom", "vitd_ug", "UL", _y(1, 3), 153, "iom2011_ul"),
    _row("iom", "vitd_ug", "UL", _y(4, 8), 154, "iom2011_ul"),
    _row("iom", "vitd_ug", "UL", _y(9, 18), 155, "iom2011_ul"),
    _row("iom", "vitd_ug", "UL", _y(19, None), 156, "iom2011_ul"),
    _row("iom", "vitd_ug", "UL", _y(14, 50), 207, "doctorsay_d", preg=True),
    # IOM 2011 calcium: RDA is the record's value; EAR and UL are in its note
    _row("iom", "calcium_mg", "AI", (0, 6), 166, "iom2011_ca"),
    _row("iom", "calcium_mg", "UL", (0, 6), 166, "iom2011_ca", field="note:UL"),
    _row("iom", "calcium_mg", "AI", (6, 12), 167, "iom2011_ca"),
    _row("iom", "calcium_mg", "UL", (6, 12), 167, "iom2011_ca", field="note:UL"),
    *_iom_ca(168, _y(1, 3)),
    *_iom_ca(169, _y(4, 8)),
    *_iom_ca(170, _y(9, 18)),
    *_iom_ca(171, _y(19, 50)),
    *_iom_ca(172, _y(51, 70), sex=_M),
    *_iom_ca(173, _y(51, 70), sex=_F),
    *_iom_ca(174, _y(71, None)),
    *_iom_ca(175, _y(14, 18), preg=True),
    *_iom_ca(176, _y(19, 50), preg=True),
    # EFSA 2017 vitamin K AI, phylloquinone only (no UL: see reference_notes)
    _row("efsa", "k1_ug", "AI", (7, 12), 111, "efsa2017_k"),
    _row("efsa", "k1_ug", "AI", _y(1, 3), 112, "efsa2017_k"),
    _row("efsa", "k1_ug", "AI", _y(4, 6), 113, "efsa2017_k"),
    _row("efsa", "k1_ug", "AI", _y(7, 10), 114, "efsa2017_k"),
    _row("efsa", "k1_ug", "AI", _y(11, 14), 115, "efsa2017_k"),
    _row("efsa", "k1_ug", "AI", _y(15, 17), 116, "efsa2017_k"),
    _row("efsa", "k1_ug", "AI", _y(18, None), 117, "efsa2017_k"),
    # EFSA vitamin D: AI 2016, UL 2012 (infants 2018)
    _row("efsa", "vitd_ug", "AI", (7, 12), 158, "efsa2016_d"),
    _row("efsa", "vitd_ug", "AI", _y(1, None), 157, "efsa2016_d"),
    _row("efsa", "vitd_ug", "UL", (0, 6), 162, "efsa2018_dul"),
    _row("efsa", "vitd_ug", "UL", (6, 12), 163, "efsa2018_dul"),
    _row("efsa", "vitd_ug", "UL", _y(1, 10), 161, "efsa2012_dul"),
    _row("efsa", "vitd_ug", "UL", _y(11, 17), 160, "efsa2012_dul"),
    _row("efsa", "vitd_ug", "UL", _y(18, None), 159, "efsa2012_dul"),
    # EFSA 2015 calcium AR/PRI, 2012 UL (adults only)
    _row("efsa", "calcium_mg", "AR", _y(25, None), 177, "efsa2015_ca"),
    _row("efsa", "calcium_mg", "AI", (7, 12), 178, "efsa2015_ca"),
    _row("efsa", "calcium_mg", "PRI", _y(1, 3), 179, "efsa2015_ca"),
    _row("efsa", "calcium_mg", "PRI", _y(4, 10), 180, "efsa2015_ca"),
    _row("efsa", "calcium_mg", "PRI", _y(11, 17), 181, "efsa2015_ca"),
    _row("efsa", "calcium_mg", "PRI", _y(18, 24), 182, "efsa2015_ca"),
    _row("efsa", "calcium_mg", "PRI", _y(25, None), 183, "efsa2015_ca"),
    _row("efsa", "calcium_mg", "UL", _y(18, None), 184, "efsa2012_caul"),
)
"""The reference-value table: one row per authority, nutrient, type and life stage."""

# Statements for a key that hold at every life stage: (authority, key, record, text).
_ALWAYS: Final[tuple[tuple[str, str, int, str], ...]] = (
    ("iom", "vitk_ug", 110, "No UL is established for vitamin K: no adverse effect has been "
     "reported for higher intakes from food or supplements."),
    ("efsa", "k1_ug", 118, "No UL is established in Europe for any form of vitamin K."),
)  # fmt: skip
# Why a type is absent at some ages: (authority, key, type, months from, to, record, text).
_GAPS: Final[tuple[tuple[str, str, str, int, int, int, str], ...]] = (
    ("iom", "vitd_ug", "EAR", 0, 12, 150, "IOM's vitamin D EAR is set for ages over 1 year; "
     "infants have an AI."),
    ("iom", "calcium_mg", "EAR", 0, 12, 166, "IOM set an AI, not an EAR or RDA, for infants."),
    ("efsa", "calcium_mg", "UL", 0, 216, 184, "EFSA set no calcium UL for infants, children or "
     "adolescents."),
)  # fmt: skip


def age_in_months(birth_date: date, on: date) -> int:
    """Completed months of age on a date."""
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    if on.day < birth_date.day:
        months -= 1
    if months < 0:
        raise InvalidOptionError(f"date {on} is before the birth date {birth_date}.")
    return months


_NUM = r"(\d+(?:\.\d+)?)"


def _number(rec: EvidenceRecord, field: str) -> float:
    """The figure a table row reads: the record's value or a labelled number in its note."""
    if field == "value":
        if isinstance(rec.value, int | float):
            return float(rec.value)
        m = re.fullmatch(_NUM + r"\s*\(AI\)", str(rec.value).strip())
    else:
        m = re.search(rf"\b{field.removeprefix('note:')}\s+{_NUM}", rec.note or "")
    if m is None:
        raise DataError(f"evidence record {rec.index} has no {field} number ({rec.value!r}).")
    return float(m.group(1))


def _value(row: ReferenceRow, records: Sequence[EvidenceRecord]) -> ReferenceValue:
    rec = records[row.record]
    unit = (rec.unit or "").replace("ug/", "µg/")
    if rec.source_key != row.source or unit != _KEY_UNIT[row.key]:
        raise DataError(
            f"evidence record {row.record} is {rec.source_key!r} in {rec.unit!r}, but the "
            f"reference table expects {row.source!r} in {_KEY_UNIT[row.key]!r}."
        )
    return ReferenceValue(
        key=row.key,
        type=row.type,
        value=_number(rec, row.field),
        unit=unit,
        source=rec.source_key,
        record=rec.index,
        population=rec.population or "",
        note=row.note,
        reliability=rec.reliability,
    )


def _covers(row: ReferenceRow, months: int) -> bool:
    return row.months_from <= months and (row.months_to is None or months < row.months_to)


def _check_authority(authority: str) -> Authority:
    for a in AUTHORITIES:
        if authority == a:
            return a
    raise InvalidOptionError(f"authority must be 'iom' or 'efsa', got {authority!r}.")


def _select(
    profile: Profile, on: date, authority: str
) -> tuple[dict[str, list[ReferenceValue]], list[ReferenceNote]]:
    auth = _check_authority(authority)
    name = _AUTHORITY_NAME[auth]
    records = load_evidence()
    values: dict[str, list[ReferenceValue]] = {}
    notes = [
        ReferenceNote(key, text, records[rec].source_key)
        for a, key, rec, text in _ALWAYS
        if a == auth
    ]
    if profile.birth_date is None:
        for key in _EXPECTED[auth]:
            text = f"{name} reference values for {_KEY_NAME[key]} depend on age: add a birth date."
            notes.append(ReferenceNote(key, text, None))
        return values, notes
    months = age_in_months(profile.birth_date, on)
    preg = profile.pregnant or profile.lactating
    sex: Sex | None = "female" if preg else profile.sex
    for key in _EXPECTED[auth]:
        chosen = _select_key(auth, key, months, sex, preg, notes=notes)
        if chosen:
            values[key] = [_value(r, records) for r in chosen]
    return values, notes


def _select_key(
    auth: Authority,
    key: str,
    months: int,
    sex: Sex | None,
    preg: bool,
    *,
    notes: list[ReferenceNote],
) -> list[ReferenceRow]:
    """The rows for one nutrient and life stage; explanations are appended to ``notes``."""
    name, what, records = _AUTHORITY_NAME[auth], _KEY_NAME[key], load_evidence()
    rows = [r for r in REFERENCE_TABLE if r.authority == auth and r.key == key]
    chosen: list[ReferenceRow] = []
    fallback: list[ReferenceRow] = []
    for typ in _TYPE_ORDER:
        cands = [r for r in rows if r.type == typ]
        special = [r for r in cands if r.pregnancy_lactation and _covers(r, months)]
        general = [
            r
            for r in cands
            if not r.pregnancy_lactation and _covers(r, months) and r.sex in (None, sex)
        ]
        if preg and special:
            chosen.append(special[0])
            continue
        if general:
            chosen.append(general[0])
            if preg:
                fallback.extend(r for r in cands if r.pregnancy_lactation)
    if fallback:
        pops = dict.fromkeys(records[r.record].population or "" for r in fallback)
        text = (
            f"{name}'s pregnancy/lactation values for {what} are given for {'; '.join(pops)}; "
            f"the values for a woman of this age are shown instead."
        )
        notes.append(ReferenceNote(key, text, fallback[0].source))
    found = {r.type for r in chosen}
    need_sex = [
        g for g in _EXPECTED[auth][key] if not found.intersection(g) and sex is None
        and _needs_sex(rows, g, months)
    ]  # fmt: skip
    if need_sex:
        verb = "depends" if len(need_sex) == 1 else "depend"
        types = ", ".join(g[0] for g in need_sex)
        text = f"{name}'s {what} {types} {verb} on sex at this age: add sex to the profile."
        notes.append(ReferenceNote(key, text, None))
    for group in _EXPECTED[auth][key]:
        if found.intersection(group) or group in need_sex:
            continue
        gap = [g for g in _GAPS if g[:3] == (auth, key, group[0]) and g[3] <= months < g[4]]
        if gap:
            notes.append(ReferenceNote(key, gap[0][6], records[gap[0][5]].source_key))
        else:
            text = f"No {name} {' or '.join(group)} for {what} at this life stage in the evidence."
            notes.append(ReferenceNote(key, text, None))
    return chosen


def _needs_sex(rows: Sequence[ReferenceRow], group: tuple[str, ...], months: int) -> bool:
    return any(r.type in group and r.sex is not None and _covers(r, months) for r in rows)


def reference_values(
    profile: Profile, *, on: date, authority: Authority = "iom"
) -> dict[str, list[ReferenceValue]]:
    """Reference values for the profile's life stage on a date, by nutrient key.

    Keys: ``vitk_ug`` (IOM) or ``k1_ug`` (EFSA), ``vitd_ug`` and ``calcium_mg``; each
    list is ordered AI, EAR, RDA, AR, PRI, UL. A value that needs a profile field the
    profile lacks (birth date; sex from age 19 for IOM vitamin K and from 51 for IOM
    calcium) is left out; :func:`reference_notes` says why.
    """
    return _select(profile, on, authority)[0]


def reference_notes(
    profile: Profile, on: date, authority: Authority = "iom"
) -> list[ReferenceNote]:
    """Statements to show with :func:`reference_values`: absent ULs, gaps, fallbacks, needs.

    Each note is ``(key, text, source_key)``; ``source_key`` is ``None`` for notes
    about the profile itself (a missing birth date or sex).
    """
    return _select(profile, on, authority)[1]


def life_stage(profile: Profile, on: date) -> str:
    """A readable life-stage label in IOM DRI groups, e.g. ``"female 51–70 y"``."""
    stage = "pregnant" if profile.pregnant else "lactating" if profile.lactating else None
    if profile.birth_date is None:
        who = stage or profile.sex or "person"
        return f"{who}, age unknown"
    months = age_in_months(profile.birth_date, on)
    if months < 12:
        return f"infant {'0–6' if months < 6 else '7–12'} mo"
    years = months // 12
    bounds = ((3, "1–3"), (8, "4–8"), (13, "9–13"), (18, "14–18"), (50, "19–50"), (70, "51–70"))
    group = next((label for top, label in bounds if years <= top), "≥71")
    if stage is not None:
        return f"{stage} {'≤18' if years <= 18 else group} y"
    if years <= 8:
        return f"child {group} y"
    return f"{profile.sex or 'person (sex not given)'} {group} y"


# ---------------------------------------------------------------------------------------------
# K2 reference points: published study figures, never targets.

K2Kind = Literal["cohort_mean_intake", "trial_dose", "vka_interaction_dose"]


@dataclass(frozen=True, slots=True)
class K2ReferencePoint:
    """A published K2 (menaquinone) intake or dose figure to compare an intake with.

    Not a target: a cohort's mean intake, a daily MK-7 dose at which a trial saw an
    effect on vitamin K status biomarkers, or an MK-7 dose that lowered the INR of
    people taking a vitamin K antagonist. ``value_ug_per_day`` is ``None`` when the
    study gave a range (``low_ug_per_day`` … ``high_ug_per_day``). ``note`` is built
    from the record's claim, value, duration and note.
    """

    label: str
    value_ug_per_day: float | None
    low_ug_per_day: float | None
    high_ug_per_day: float | None
    kind: K2Kind
    source: str
    record: int
    population: str
    n: int | None
    note: str
    reliability: Reliability

    def as_dict(self) -> dict[str, Any]:
        """The point as the report's JSON gives it."""
        return {
            "label": self.label,
            "value_ug_per_day": self.value_ug_per_day,
            "low": self.low_ug_per_day,
            "high": self.high_ug_per_day,
            "kind": self.kind,
            "source": self.source,
            "record": self.record,
            "population": self.population,
            "note": self.note,
            "reliability": self.reliability,
        }


# (record, kind, study, figure): the figure is "field#i", the i-th number in the record's
# value or dose, or "field#i..j" for a range (digits glued to a letter, as in "MK-7" or
# "D3", are not numbers). A study name with ":" is the whole label; else the dose follows.
_K2_TABLE: Final[tuple[tuple[int, K2Kind, str, str], ...]] = (
    (75, "cohort_mean_intake", "Gast 2009: mean menaquinone (K2) intake", "value#1"),
    (24, "trial_dose", "Dalmeijer 2012", "dose#0"),
    (26, "trial_dose", "Dalmeijer 2012", "dose#0"),
    (25, "trial_dose", "Dalmeijer 2012", "dose#0"),
    (27, "trial_dose", "Dalmeijer 2012", "dose#0"),
    (28, "trial_dose", "Knapen 2015", "dose#0"),
    (29, "trial_dose", "Knapen 2013", "dose#0"),
    (40, "trial_dose", "de Vries 2025", "dose#0"),
    (37, "trial_dose", "Inaba 2015: lowest MK-7 dose with a significant effect", "value#0"),
    (204, "trial_dose", "Chinese MK-7 RCT", "dose#0..1"),
    (36, "trial_dose", "Kurnatowska 2015", "dose#0"),
    (33, "trial_dose", "Haemodialysis single-arm study 2011", "dose#0"),
    (34, "trial_dose", "Aoun 2017", "dose#0"),
    (35, "trial_dose", "Kidney-transplant single-arm study 2017", "dose#0"),
    (38, "trial_dose", "Emaus 2010", "dose#0"),
    (39, "trial_dose", "AVADEC, Diederichsen 2022", "dose#0"),
    (47, "vka_interaction_dose", "Theuwissen 2013", "dose#0"),
    (48, "vka_interaction_dose", "Theuwissen 2013", "dose#0"),
    (46, "vka_interaction_dose", "Theuwissen 2013", "dose#0"),
    (2, "vka_interaction_dose", "Schurgers 2007", "value#0"),
)
_FIGURE = re.compile(r"(?<![A-Za-z]-)(?<![A-Za-z\d.])\d+(?:\.\d+)?")


def _figures(rec: EvidenceRecord, spec: str) -> tuple[float, ...]:
    """The figures a K2 table spec names: one value, or the two ends of a range."""
    field, _, where = spec.partition("#")
    raw = rec.value if field == "value" else rec.dose
    if isinstance(raw, int | float):
        return (float(raw),)
    found = _FIGURE.findall(raw or "")
    picks = [int(i) for i in where.split("..")]
    if max(picks) >= len(found):
        raise DataError(f"evidence record {rec.index} has no figure {spec} in {raw!r}.")
    return tuple(float(found[i]) for i in picks)


def _plain(text: str) -> str:
    return re.sub(r"(?<![A-Za-z])ug\b", "µg", text.replace(">=", "≥").replace("+/-", "±"))


def k2_reference_points() -> list[K2ReferencePoint]:
    """Published menaquinone intakes and MK-7 doses, each read from one evidence record.

    Cohort mean intakes come first, then trial doses with what was observed, then the
    MK-7 doses that changed anticoagulation (relevant only with a vitamin K
    antagonist). Nothing here is an intake target and none is a "% of" anything.
    """
    records = load_evidence()
    points = []
    for index, kind, study, spec in _K2_TABLE:
        rec = records[index]
        shown = f"{rec.value:g}" if isinstance(rec.value, int | float) else str(rec.value)
        observed = f"{rec.claim}: {shown}{' ' + rec.unit if rec.unit else ''}"
        # The record's free-text note holds reading remarks for curators ("per brief",
        # where a figure was seen); the report shows what was observed and for how long.
        extra = rec.duration or ""
        label = f"{study}: {rec.dose}" if rec.dose and ":" not in study else study
        figures = _figures(rec, spec)
        single = len(figures) == 1
        points.append(
            K2ReferencePoint(
                label=_plain(label),
                value_ug_per_day=figures[0] if single else None,
                low_ug_per_day=None if single else figures[0],
                high_ug_per_day=None if single else figures[-1],
                kind=kind,
                source=rec.source_key,
                record=index,
                population=rec.population or "",
                n=rec.n,
                note=_plain(f"{observed} ({extra})" if extra else observed),
                reliability=rec.reliability,
            )
        )
    return points
