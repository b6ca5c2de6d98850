"""Reference values by life stage, checked row by row against evidence.json."""

from __future__ import annotations

import doctest
import json
import re
from datetime import date
from importlib import resources

import pytest

import vitk2.assess.reference
from vitk2.assess.reference import (
    REFERENCE_TABLE,
    ReferenceRow,
    ReferenceValue,
    age_in_months,
    k2_reference_points,
    life_stage,
    reference_notes,
    reference_values,
)
from vitk2.errors import InvalidOptionError
from vitk2.intake.profile import Profile

ON = date(2025, 6, 15)


def raw_records() -> list[dict[str, object]]:
    text = (resources.files("vitk2") / "data" / "evidence.json").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, list)
    return data


RAW = raw_records()


def numbers(text: str) -> set[float]:
    """Figures in a text; digits glued to a letter ("vitk2", "K1", "D3") are not figures."""
    return {float(x) for x in re.findall(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?", text)}


def record_text(index: int) -> str:
    rec = RAW[index]
    fields = ("claim", "value", "population", "dose", "duration", "note", "citation")
    return " ".join(str(rec[f]) for f in fields)


def born(years: int, months: int = 0) -> date:
    """A birth date giving exactly `years` y `months` mo of age on ON (plus a few days)."""
    total = ON.year * 12 + ON.month - 1 - years * 12 - months
    return date(total // 12, total % 12 + 1, 1)


def person(sex: str | None, years: int, months: int = 0, **kw: bool) -> Profile:
    return Profile(sex=sex, birth_date=born(years, months), **kw)  # type: ignore[arg-type]


def table(p: Profile, authority: str = "iom") -> dict[str, dict[str, float]]:
    vals = reference_values(p, on=ON, authority=authority)  # type: ignore[arg-type]
    return {k: {v.type: v.value for v in lst} for k, lst in vals.items()}


def test_all_names_exist_and_docstring_examples() -> None:
    for name in vitk2.assess.reference.__all__:
        assert hasattr(vitk2.assess.reference, name)
    assert doctest.testmod(vitk2.assess.reference, raise_on_error=False).failed == 0


# --- every table row against its record ------------------------------------------------------


def expected_number(row: ReferenceRow) -> float:
    """The figure a row must show, parsed here independently of vitk2.assess.reference."""
    rec = RAW[row.record]
    if row.field == "value":
        value = rec["value"]
        if isinstance(value, int | float):
            return float(value)
        assert isinstance(value, str) and value.endswith("(AI)"), row
        return float(value.split()[0])
    label = row.field.split(":")[1]
    note = str(rec["note"])
    match = re.search(label + r" (\d+)", note)
    assert match, (row, note)
    return float(match.group(1))


def parse_population(text: str, authority: str) -> tuple[int, int | None, str | None, bool]:
    """(from month, to month exclusive, sex, pregnancy/lactation) that a population names.

    Month conventions: "0–6 mo" is months 0–5; IOM "7–12 mo" and "6–12 mo" are months 6–11
    (the second half-year); EFSA "7–11 mo" is months 7–11; "a–b y" is a*12 … (b+1)*12.
    EFSA "adults" start at 18 y (its youngest other group ends at 17 y), IOM's at 19 y.
    """
    t = text.lower()
    sex = "male" if t.startswith("men") else "female" if t.startswith("women") else None
    preg = t.startswith("pregnan")
    adult = 18 * 12 if authority == "efsa" else 19 * 12
    if t.startswith("adults incl") or t == "adults":
        return adult, None, sex, preg
    if m := re.search(r"(\d+)-(\d+) mo", t):
        a, b = int(m.group(1)), int(m.group(2))
        start = 6 if (a, b) == (7, 12) else a
        return start, (b if b in (6, 12) else b + 1), sex, preg
    if m := re.search(r"(\d+)-(\d+) y", t):
        a, b = int(m.group(1)), int(m.group(2))
        return a * 12, (None if "adults" in t else (b + 1) * 12), sex, preg
    if m := re.search(r">=(\d+) y", t):
        return int(m.group(1)) * 12, None, sex, preg
    if m := re.search(r"<=(\d+) y", t):
        return 0, (int(m.group(1)) + 1) * 12, sex, preg
    if t == ">1 y":  # beyond infancy: evidence.md lists the EAR 10 for "1–3 y"
        return 12, None, sex, preg
    if m := re.search(r">(\d+) y", t):
        return (int(m.group(1)) + 1) * 12, None, sex, preg
    raise AssertionError(f"unparsed population {text!r}")


def profile_for(row: ReferenceRow) -> Profile:
    months = row.months_from + 1 if row.months_from < 12 else row.months_from + 6
    sex = row.sex or ("female" if row.pregnancy_lactation else "male")
    return person(sex, months // 12, months % 12, pregnant=row.pregnancy_lactation)


@pytest.mark.parametrize("row", REFERENCE_TABLE, ids=lambda r: f"{r.authority}-{r.key}-{r.record}")
def test_row_matches_its_record(row: ReferenceRow) -> None:
    rec = RAW[row.record]
    assert rec["source_key"] == row.source
    assert rec["topic"] == "E_DRV"
    unit = {"calcium_mg": "mg/day"}.get(row.key, "ug/day")
    assert rec["unit"] == unit
    # the type named by the record: "(AI)" marks an AI in a table of RDAs/PRIs
    claim = str(rec["claim"])
    if row.field == "value":
        is_ai = "(AI)" in claim or "(AI)" in str(rec["value"])
        assert (row.type == "AI") == (is_ai or " AI" in claim), (row.type, claim)
        if row.type != "AI":
            assert row.type in claim
    # the population the record names is the row's life stage
    assert parse_population(str(rec["population"]), row.authority) == (
        row.months_from,
        row.months_to,
        row.sex,
        row.pregnancy_lactation,
    )
    # and the value vitk2 shows for a person of that life stage is the record's number
    shown = reference_values(profile_for(row), on=ON, authority=row.authority)[row.key]
    hits = [v for v in shown if v.record == row.record and v.type == row.type]
    assert len(hits) == 1
    assert hits[0].value == expected_number(row)
    assert hits[0].population == rec["population"]
    assert hits[0].unit == unit.replace("ug", "µg")


def test_table_rows_do_not_overlap() -> None:
    for i, a in enumerate(REFERENCE_TABLE):
        for b in REFERENCE_TABLE[i + 1 :]:
            same = (a.authority, a.key, a.type, a.sex, a.pregnancy_lactation) == (
                b.authority,
                b.key,
                b.type,
                b.sex,
                b.pregnancy_lactation,
            )
            if same:
                a_to = a.months_to if a.months_to is not None else 10**6
                b_to = b.months_to if b.months_to is not None else 10**6
                assert a_to <= b.months_from or b_to <= a.months_from, (a, b)


def test_every_figure_in_a_value_note_is_in_its_record() -> None:
    for row in REFERENCE_TABLE:
        if row.note is None:
            continue
        assert numbers(row.note) <= numbers(record_text(row.record)), row


# --- profiles -------------------------------------------------------------------------------

IOM_CASES = {
    "woman 30": (
        person("female", 30),
        {"vitk_ug": {"AI": 90}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100},
         "calcium_mg": {"EAR": 800, "RDA": 1000, "UL": 2500}},
    ),
    "woman 55": (
        person("female", 55),
        {"vitk_ug": {"AI": 90}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100},
         "calcium_mg": {"EAR": 1000, "RDA": 1200, "UL": 2000}},
    ),
    "woman 60": (
        person("female", 60),
        {"vitk_ug": {"AI": 90}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100},
         "calcium_mg": {"EAR": 1000, "RDA": 1200, "UL": 2000}},
    ),
    "man 60": (
        person("male", 60),
        {"vitk_ug": {"AI": 120}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100},
         "calcium_mg": {"EAR": 800, "RDA": 1000, "UL": 2000}},
    ),
    "man 75": (
        person("male", 75),
        {"vitk_ug": {"AI": 120}, "vitd_ug": {"EAR": 10, "RDA": 20, "UL": 100},
         "calcium_mg": {"EAR": 1000, "RDA": 1200, "UL": 2000}},
    ),
    "pregnant 17": (
        person("female", 17, pregnant=True),
        {"vitk_ug": {"AI": 75}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100},
         "calcium_mg": {"EAR": 1100, "RDA": 1300, "UL": 3000}},
    ),
    "lactating 25": (
        person("female", 25, lactating=True),
        {"vitk_ug": {"AI": 90}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100},
         "calcium_mg": {"EAR": 800, "RDA": 1000, "UL": 2500}},
    ),
    "child 5": (
        person(None, 5),
        {"vitk_ug": {"AI": 55}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 75},
         "calcium_mg": {"EAR": 800, "RDA": 1000, "UL": 2500}},
    ),
    "teen 15": (
        person("male", 15),
        {"vitk_ug": {"AI": 75}, "vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100},
         "calcium_mg": {"EAR": 1100, "RDA": 1300, "UL": 3000}},
    ),
    "infant 3 mo": (
        person(None, 0, 3),
        {"vitk_ug": {"AI": 2.0}, "vitd_ug": {"AI": 10, "UL": 25},
         "calcium_mg": {"AI": 200, "UL": 1000}},
    ),
    "infant 9 mo": (
        person(None, 0, 9),
        {"vitk_ug": {"AI": 2.5}, "vitd_ug": {"AI": 10, "UL": 37.5},
         "calcium_mg": {"AI": 260, "UL": 1500}},
    ),
}  # fmt: skip

EFSA_CASES = {
    "woman 30": (
        person("female", 30),
        {"k1_ug": {"AI": 70}, "vitd_ug": {"AI": 15, "UL": 100},
         "calcium_mg": {"AR": 750, "PRI": 950, "UL": 2500}},
    ),
    "woman 22": (
        person("female", 22),
        {"k1_ug": {"AI": 70}, "vitd_ug": {"AI": 15, "UL": 100},
         "calcium_mg": {"PRI": 1000, "UL": 2500}},
    ),
    "man 75": (
        person("male", 75),
        {"k1_ug": {"AI": 70}, "vitd_ug": {"AI": 15, "UL": 100},
         "calcium_mg": {"AR": 750, "PRI": 950, "UL": 2500}},
    ),
    "pregnant 17": (
        person("female", 17, pregnant=True),
        {"k1_ug": {"AI": 65}, "vitd_ug": {"AI": 15, "UL": 100}, "calcium_mg": {"PRI": 1150}},
    ),
    "lactating 25": (
        person("female", 25, lactating=True),
        {"k1_ug": {"AI": 70}, "vitd_ug": {"AI": 15, "UL": 100},
         "calcium_mg": {"AR": 750, "PRI": 950, "UL": 2500}},
    ),
    "child 5": (
        person(None, 5),
        {"k1_ug": {"AI": 20}, "vitd_ug": {"AI": 15, "UL": 50}, "calcium_mg": {"PRI": 800}},
    ),
    "teen 15": (
        person("male", 15),
        {"k1_ug": {"AI": 65}, "vitd_ug": {"AI": 15, "UL": 100}, "calcium_mg": {"PRI": 1150}},
    ),
    "infant 3 mo": (person(None, 0, 3), {"vitd_ug": {"UL": 25}}),
    "infant 9 mo": (
        person(None, 0, 9),
        {"k1_ug": {"AI": 10}, "vitd_ug": {"AI": 10, "UL": 35}, "calcium_mg": {"AI": 280}},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", IOM_CASES)
def test_iom_values(name: str) -> None:
    profile, expected = IOM_CASES[name]
    assert table(profile, "iom") == expected
    assert table(profile) == expected  # IOM is the default


@pytest.mark.parametrize("name", EFSA_CASES)
def test_efsa_values(name: str) -> None:
    profile, expected = EFSA_CASES[name]
    assert table(profile, "efsa") == expected


@pytest.mark.parametrize("cases", [IOM_CASES, EFSA_CASES])
def test_expected_figures_are_in_the_evidence(cases: dict[str, tuple[Profile, dict]]) -> None:  # type: ignore[type-arg]
    """The test vectors themselves are figures of evidence.json (value or note)."""
    everything: set[float] = set()
    for i in range(len(RAW)):
        everything |= numbers(record_text(i))
    for _, expected in cases.values():
        for by_type in expected.values():
            assert set(map(float, by_type.values())) <= everything


def test_value_carries_source_record_and_notes() -> None:
    vals = reference_values(person("female", 55), on=ON)
    ai = vals["vitk_ug"][0]
    assert isinstance(ai, ReferenceValue)
    assert (ai.source, ai.record, ai.unit, ai.population) == (
        "iom2001_k",
        107,
        "µg/day",
        "women >=19 y",
    )
    assert ai.note == "IOM's AI is for vitamin K; vitk2 compares it with total vitamin K."
    assert [v.type for v in vals["calcium_mg"]] == ["EAR", "RDA", "UL"]
    assert {v.source for v in vals["calcium_mg"]} == {"iom2011_ca"}
    assert {v.record for v in vals["calcium_mg"]} == {173}
    efsa = reference_values(person("female", 55), on=ON, authority="efsa")
    assert "vitk_ug" not in efsa
    assert efsa["k1_ug"][0].note is not None and "phylloquinone (K1) only" in efsa["k1_ug"][0].note


def test_secondary_values_are_flagged() -> None:
    ul = reference_values(person("female", 30, pregnant=True), on=ON)["vitd_ug"][-1]
    assert (ul.type, ul.record, ul.reliability) == ("UL", 207, "secondary")
    assert ul.note is not None and ul.note.startswith("Secondary source")
    assert reference_values(person("female", 30), on=ON)["vitd_ug"][-1].reliability == "abstract"


def notes_of(p: Profile, authority: str = "iom") -> list[tuple[str, str, str | None]]:
    return [tuple(n) for n in reference_notes(p, ON, authority)]  # type: ignore[arg-type, misc]


def test_no_ul_for_vitamin_k_is_visible() -> None:
    for p in (person("male", 40), person(None, 2), Profile()):
        assert (
            "vitk_ug",
            "No UL is established for vitamin K: no adverse effect has been reported for "
            "higher intakes from food or supplements.",
            "iom2001_k_summary",
        ) in notes_of(p)
        assert any(n[2] == "vkm" and "No UL" in n[1] for n in notes_of(p, "efsa"))


def test_missing_sex_keeps_sex_free_values() -> None:
    p = person(None, 60)
    assert table(p) == {"vitd_ug": {"EAR": 10, "RDA": 15, "UL": 100}}
    texts = [n[1] for n in notes_of(p) if n[2] is None]
    assert "IOM's vitamin K AI depends on sex at this age: add sex to the profile." in texts
    assert "IOM's calcium RDA, EAR, UL depend on sex at this age: add sex to the profile." in texts
    # at 30 only vitamin K depends on sex
    assert set(table(person(None, 30))) == {"vitd_ug", "calcium_mg"}


def test_missing_birth_date_gives_nothing_and_says_why() -> None:
    for authority in ("iom", "efsa"):
        assert reference_values(Profile(sex="female"), on=ON, authority=authority) == {}
        needs = [n for n in notes_of(Profile(sex="female"), authority) if n[2] is None]
        assert len(needs) == 3
        assert all("add a birth date" in n[1] for n in needs)


def test_pregnancy_outside_the_named_ages_falls_back_with_a_note() -> None:
    p = person("female", 52, pregnant=True)
    assert table(p) == table(person("female", 52))
    notes = [n for n in notes_of(p) if "shown instead" in n[1]]
    assert {n[0] for n in notes} == {"vitk_ug", "vitd_ug", "calcium_mg"}
    vitk = next(n for n in notes if n[0] == "vitk_ug")
    assert "pregnancy/lactation <=18 y; pregnancy/lactation 19-50 y" in vitk[1]
    assert vitk[2] == "iom2001_k"


def test_pregnancy_with_unknown_sex_is_treated_as_female() -> None:
    assert table(person(None, 25, pregnant=True)) == table(person("female", 25, pregnant=True))


def test_gaps_are_explained() -> None:
    infant = notes_of(person(None, 0, 3))
    assert ("calcium_mg", "IOM set an AI, not an EAR or RDA, for infants.", "iom2011_ca") in infant
    assert any(n[0] == "vitd_ug" and n[2] == "ross2011" for n in infant)
    child = notes_of(person(None, 5), "efsa")
    no_ul = "EFSA set no calcium UL for infants, children or adolescents."
    assert ("calcium_mg", no_ul, "efsa2012_caul") in child
    assert any(n[0] == "calcium_mg" and n[1].startswith("No EFSA AR") for n in child)
    assert any(
        n[0] == "k1_ug" and n[1].startswith("No EFSA AI")
        for n in notes_of(person(None, 0, 3), "efsa")
    )


def test_infant_month_boundaries() -> None:
    assert table(person(None, 0, 5))["vitk_ug"] == {"AI": 2.0}
    assert table(person(None, 0, 6))["vitk_ug"] == {"AI": 2.5}
    assert "k1_ug" not in table(person(None, 0, 6), "efsa")  # EFSA's "7-11 mo" starts at 7
    assert table(person(None, 0, 7), "efsa")["k1_ug"] == {"AI": 10}
    assert table(person(None, 1))["vitd_ug"] == {"EAR": 10, "RDA": 15, "UL": 63}


def test_age_boundaries() -> None:
    assert table(person("female", 50))["calcium_mg"]["RDA"] == 1000
    assert table(person("female", 51))["calcium_mg"]["RDA"] == 1200
    assert table(person("male", 70))["vitd_ug"]["RDA"] == 15
    assert table(person("male", 71))["vitd_ug"]["RDA"] == 20
    assert table(person("male", 18))["vitk_ug"] == {"AI": 75}
    assert table(person("male", 19))["vitk_ug"] == {"AI": 120}
    assert table(person("male", 24), "efsa")["calcium_mg"] == {"PRI": 1000, "UL": 2500}
    assert table(person("male", 25), "efsa")["calcium_mg"] == {"AR": 750, "PRI": 950, "UL": 2500}


def test_bad_inputs() -> None:
    with pytest.raises(InvalidOptionError, match="authority"):
        reference_values(person("male", 40), on=ON, authority="who")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="before the birth date"):
        reference_values(Profile(birth_date=date(2020, 5, 2)), on=date(2020, 5, 1))


def test_age_in_months() -> None:
    assert age_in_months(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert age_in_months(date(2024, 1, 31), date(2024, 3, 1)) == 1
    assert age_in_months(date(2000, 6, 15), date(2025, 6, 15)) == 300
    assert age_in_months(date(2000, 6, 15), date(2025, 6, 14)) == 299


@pytest.mark.parametrize(
    ("profile", "label"),
    [
        (person("female", 55), "female 51–70 y"),
        (person("male", 75), "male ≥71 y"),
        (person("female", 30, pregnant=True), "pregnant 19–50 y"),
        (person("female", 17, pregnant=True), "pregnant ≤18 y"),
        (person("female", 25, lactating=True), "lactating 19–50 y"),
        (person(None, 5), "child 4–8 y"),
        (person("male", 15), "male 14–18 y"),
        (person(None, 0, 3), "infant 0–6 mo"),
        (person(None, 0, 9), "infant 7–12 mo"),
        (person(None, 40), "person (sex not given) 19–50 y"),
        (Profile(sex="female"), "female, age unknown"),
    ],
)
def test_life_stage(profile: Profile, label: str) -> None:
    assert life_stage(profile, ON) == label


# --- K2 reference points ------------------------------------------------------------------


def test_k2_points_come_from_their_records() -> None:
    points = k2_reference_points()
    assert len(points) >= 10
    for p in points:
        rec = RAW[p.record]
        assert rec["source_key"] == p.source
        assert rec["topic"] != "NOT_FOUND" and rec["value"] != "NOT FOUND"
        text = record_text(p.record)
        figures = [x for x in (p.value_ug_per_day, p.low_ug_per_day, p.high_ug_per_day) if x]
        assert figures, p
        assert set(figures) <= numbers(text), (p.label, figures)
        assert numbers(p.label) <= numbers(text), p.label
        assert numbers(p.note) <= numbers(text), p.note
        assert p.population == rec["population"]
        assert p.kind in {"cohort_mean_intake", "trial_dose", "vka_interaction_dose"}
        # never a share of a reference value ("% of subjects" in a trial result is fine)
        assert not re.search(r"% of (the )?(AI|RDA|EAR|DRI|PRI|target)", p.label + p.note)
        assert "target" not in p.label.lower()


def test_k2_known_points() -> None:
    points = k2_reference_points()
    gast = next(p for p in points if p.source == "gast2009")
    assert (gast.kind, gast.value_ug_per_day, gast.record) == ("cohort_mean_intake", 29.1, 75)
    assert gast.population == "Prospect-EPIC women 49-70 y" and gast.n == 16057
    dalmeijer = [p for p in points if p.source == "dalmeijer2012"]
    assert {p.value_ug_per_day for p in dalmeijer} == {180.0, 360.0}
    assert "dp-ucMGP change vs baseline: -31 %" in dalmeijer[0].note
    cn = next(p for p in points if p.source == "cn_mk7_2020")
    assert (cn.value_ug_per_day, cn.low_ug_per_day, cn.high_ug_per_day) == (None, 50.0, 90.0)
    inaba = next(p for p in points if p.source == "inaba2015")
    assert inaba.value_ug_per_day == 100.0 and inaba.reliability == "secondary"
    vka = [p.value_ug_per_day for p in points if p.kind == "vka_interaction_dose"]
    assert vka == [10.0, 20.0, 45.0, 50.0]
    assert all("µg" in p.label + p.note for p in points)
    assert all("ug" not in re.findall(r"[a-zµ]+", p.label + p.note) for p in points)
