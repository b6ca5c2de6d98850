"""The findings engine: its rules file (evidence behind every rule, numbers that are
in the cited records) and every rule on real diaries built from the shipped food
database."""

from __future__ import annotations

import doctest
import re
import tomllib
from collections.abc import Sequence
from datetime import date, timedelta
from importlib import resources

import pytest

import vitk2.safety.findings
import vitk2.safety.medications
from vitk2 import FoodDB
from vitk2.assess.finding import Finding
from vitk2.assess.report import Report
from vitk2.errors import DataError
from vitk2.evidence.records import evidence_by_key, load_evidence
from vitk2.intake.diary import DiaryEntry, Meal
from vitk2.intake.meals import MealParser
from vitk2.intake.profile import Profile
from vitk2.safety.findings import assess, load_rules, parse_rules
from vitk2.safety.medications import anticoagulation, classify_medication
from vitk2.safety.rules import placeholders

START = date(2026, 3, 2)  # a Monday
WARFARIN = Profile(sex="female", birth_date=date(1960, 5, 1), medications=("warfarin",))
RULES_TEXT = (resources.files("vitk2") / "data" / "findings.toml").read_text("utf-8")


# -- the rules file ---------------------------------------------------------------------


def test_docstring_examples() -> None:
    for module in (vitk2.safety.findings, vitk2.safety.medications):
        assert doctest.testmod(module, raise_on_error=False).failed == 0


def test_every_rule_cites_existing_evidence() -> None:
    rules = load_rules()
    assert len(rules.rules) >= 20
    for rule in rules.rules:
        assert rule.evidence, rule.id
        for key in rule.evidence:
            assert evidence_by_key(key), (rule.id, key)
        assert rule.grade in rules.grades


def _without_evidence(rule_id: str) -> str:
    start = RULES_TEXT.index(f'id = "{rule_id}"')
    line = RULES_TEXT.index("evidence = [", start)
    end = RULES_TEXT.index("\n", line)
    return RULES_TEXT[:line] + "evidence = []" + RULES_TEXT[end:]


def test_a_rule_without_evidence_cannot_load() -> None:
    with pytest.raises(DataError, match="cites no evidence"):
        parse_rules(_without_evidence("vka-mk7-supplement"))


def test_a_rule_citing_an_unknown_record_cannot_load() -> None:
    text = RULES_TEXT.replace(
        '"theuwissen2013", "schurgers2007"', '"theuwissen2031", "schurgers2007"'
    )
    with pytest.raises(DataError, match="theuwissen2031"):
        parse_rules(text)


def test_a_finding_without_evidence_keys_is_refused() -> None:
    with pytest.raises(DataError, match="cites no evidence"):
        Finding("x", "warning", "title", "detail", evidence=())


def test_rules_and_code_match() -> None:
    start = RULES_TEXT.index('[[rule]]\nid = "doac"')
    end = RULES_TEXT.index("[[rule]]", start + 1)
    with pytest.raises(DataError, match=r"code without a rule \['doac'\]"):
        parse_rules(RULES_TEXT[:start] + RULES_TEXT[end:])


def test_bad_severity_and_grade_are_refused() -> None:
    with pytest.raises(DataError, match="severity"):
        parse_rules(RULES_TEXT.replace('severity = "warning"', 'severity = "danger"', 1))
    with pytest.raises(DataError, match="grade"):
        parse_rules(RULES_TEXT.replace('grade = "C"', 'grade = "Z"', 1))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NAME = re.compile(r"\b(?:MK|K|D|AU|D3)-?\d+\b|\bD3\b|\bK[12]\b")


def _numbers(text: str) -> set[str]:
    text = re.sub(r"\{[^}]*\}", " ", text)  # placeholders: user data or params
    text = re.sub(r"\[[a-z0-9_, ]+\]|\bvitk2\b", " ", text)  # citation keys, our name
    text = _NAME.sub(" ", text)  # MK-7, K1, D3 are names
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _record_numbers(keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for key in keys:
        for record in evidence_by_key(key):
            fields = (record.claim, record.value, record.unit, record.population, record.n,
                      record.dose, record.duration, record.note)  # fmt: skip
            text = " ".join(str(v) for v in fields if v is not None)
            found |= {n.replace(",", "") for n in _NUMBER.findall(text)}
            found |= {f"{float(n):g}" for n in list(found)}
    return found


@pytest.mark.parametrize("rule", load_rules().rules, ids=lambda r: r.id)
def test_numbers_in_a_rule_are_in_its_evidence(rule: object) -> None:
    """No invented figures: every number a rule writes, and every threshold it uses,
    is in the text of a record it cites."""
    from vitk2.safety.rules import Rule

    assert isinstance(rule, Rule)
    known = _record_numbers(rule.evidence)
    written = _numbers(rule.title) | _numbers(rule.detail)
    assert written <= known, (rule.id, sorted(written - known))
    for name, value in rule.params.items():
        shown = value
        if "ratio" in name:  # a ratio threshold is a percentage change in the record:
            # 5 times = the "+500 %" read cautiously, 0.2 times = "-80 %"
            shown = 100 * value if value > 1 else 100 * (1 - value)
        assert f"{shown:g}" in known, (rule.id, name, value)


def test_every_citation_in_a_detail_is_a_declared_key() -> None:
    for rule in load_rules().rules:
        cited = set(re.findall(r"\[([a-z0-9_, ]+)\]", rule.detail))
        keys = {k.strip() for group in cited for k in group.split(",")}
        assert keys <= set(rule.evidence), (rule.id, keys - set(rule.evidence))
        assert placeholders(rule.title) | placeholders(rule.detail) is not None


def test_consistency_settings_are_vitk2_choices() -> None:
    data = tomllib.loads(RULES_TEXT)
    assert data["consistency"] == {"min_window_days": 4, "baseline_days": 28,
                                   "min_baseline_days": 7}  # fmt: skip


# -- statements about the evidence file that rules make ----------------------------------


def test_no_k2_trial_included_pregnant_or_lactating_women() -> None:
    """pregnancy-lactation and pregnancy-k2-supplement say so."""
    trials = [r for r in load_evidence() if r.topic != "E_DRV"]  # all but reference values
    assert trials
    for record in trials:
        assert not re.search(r"pregnan|lactat", record.text, re.I), record


def test_no_study_of_other_menaquinones_with_anticoagulants() -> None:
    """vka-mk-supplement says no study measured MK-4 (or MK-8 …) with a VKA."""
    for record in load_evidence():
        if record.topic == "C_VKA":
            assert not re.search(r"MK-(?!7)\d", record.text), record


def test_no_upper_limit_for_kidney_disease() -> None:
    """The kidney rules say the file has no UL for kidney disease."""
    for record in load_evidence():
        if record.topic == "E_DRV":
            assert not re.search(r"kidney|renal|CKD|dialys", record.text, re.I), record


# -- medications -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("warfarin", ("vka", "warfarin")),
        ("Coumadin 5mg", ("vka", "warfarin")),
        ("SINTROM", ("vka", "acenocoumarol")),
        ("Marcumar", ("vka", "phenprocoumon")),
        ("phenprocoumon 3 mg", ("vka", "phenprocoumon")),
        ("apixaban", ("doac", "apixaban")),
        ("Xarelto", ("doac", "rivaroxaban")),
        ("dabigatran etexilate", ("doac", "dabigatran")),
        ("metformin", None),
        ("warfarinex", None),
    ],
)
def test_classify_medication(name: str, expected: object) -> None:
    assert classify_medication(name) == expected


def test_anticoagulation_lists_each_generic_once() -> None:
    result = anticoagulation(["Coumadin", "warfarin 3 mg", "Eliquis", "aspirin"])
    assert result.vka == ("warfarin",)
    assert result.doac == ("apixaban",)


# -- rules on real diaries -----------------------------------------------------------------


def _entries(
    parser: MealParser, days: dict[date, str], meal: Meal | None = None
) -> list[DiaryEntry]:
    out: list[DiaryEntry] = []
    for day, text in days.items():
        parsed = parser.parse(text)
        assert not parsed.unresolved, [i.text for i in parsed.unresolved]
        out += parsed.entries(day, meal=meal)
    return out


def _weeks(parser: MealParser, texts: Sequence[str], start: date = START) -> list[DiaryEntry]:
    """One text per week, logged every day of that week."""
    days = {
        start + timedelta(days=7 * w + d): text for w, text in enumerate(texts) for d in range(7)
    }
    return _entries(parser, days)


def _assess(
    db: FoodDB,
    entries: Sequence[DiaryEntry],
    profile: Profile | None,
    *,
    start: date | None = None,
    end: date | None = None,
    **options: object,
) -> Report:
    days = sorted(e.day for e in entries)
    return assess(entries, profile, db, start=start or days[0], end=end or days[-1], **options)  # type: ignore[arg-type]


def _ids(report: Report) -> list[str]:
    return [f.id for f in report.findings]


def _one(report: Report, rule_id: str) -> Finding:
    found = [f for f in report.findings if f.id == rule_id]
    assert len(found) == 1, _ids(report)
    return found[0]


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db, ())


def test_warfarin_and_an_mk7_capsule_give_a_cited_warning(db: FoodDB, parser: MealParser) -> None:
    entries = _entries(parser, {START: "2 slices of gouda, 1 capsule MK-7 45 µg"})
    finding = _one(_assess(db, entries, WARFARIN), "vka-mk7-supplement")
    assert finding.severity == "warning"
    assert "theuwissen2013" in finding.evidence
    assert "45 µg of MK-7 a day" in finding.detail
    assert "10 µg/day" in finding.detail and "[theuwissen2013]" in finding.detail
    assert finding.applies_to["products"] == ["MK-7 45 µg"]


def test_findings_are_in_the_report_json_with_their_sources(db: FoodDB, parser: MealParser) -> None:
    entries = _entries(parser, {START: "1 capsule MK-7 45 µg"})
    data = _assess(db, entries, WARFARIN).as_dict()
    assert data["findings"][0]["id"] == "vka-mk7-supplement"
    assert set(data["findings"][0]) >= {"id", "severity", "title", "detail", "evidence",
                                        "applies_to"}  # fmt: skip
    for finding in data["findings"]:
        for key in finding["evidence"]:
            assert key in data["sources"]


def test_a_doac_profile_gets_no_vka_warning(db: FoodDB, parser: MealParser) -> None:
    doac = Profile(sex="female", birth_date=date(1960, 5, 1), medications=("apixaban",))
    entries = _weeks(parser, ["100 g broccoli", "100 g broccoli", "500 g broccoli"])
    entries += _entries(parser, {START: "1 capsule MK-7 45 µg"})
    report = _assess(db, entries, doac)
    assert _ids(report) == ["doac"]
    assert "remains to be investigated" in report.findings[0].detail
    assert report.findings[0].severity == "info"


def test_no_anticoagulant_no_vka_findings(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(parser, ["100 g broccoli", "100 g broccoli", "500 g broccoli"])
    entries += _entries(parser, {START: "1 capsule MK-7 45 µg"})
    plain = Profile(sex="female", birth_date=date(1960, 5, 1))
    assert _ids(_assess(db, entries, plain)) == []
    assert _ids(_assess(db, entries, None)) == []


def test_a_week_with_five_times_the_usual_k1_is_flagged(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(parser, ["20 g broccoli"] * 4 + ["100 g broccoli"])
    report = _assess(db, entries, WARFARIN, start=START + timedelta(days=28))
    finding = _one(report, "vka-k1-consistency")
    (week,) = finding.applies_to["weeks"]
    assert week["start"] == "2026-03-30"
    assert week["ratio"] == pytest.approx(5.0)
    assert "5 times the baseline or more" in week["reasons"]
    assert week["change_ug"] < 100  # flagged by the ratio, not the absolute change
    assert "[jpc_tums]" in finding.detail and "[pmid15121490]" in finding.detail


def test_a_smaller_rise_is_not_flagged(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(parser, ["20 g broccoli"] * 4 + ["60 g broccoli"])
    report = _assess(db, entries, WARFARIN, start=START + timedelta(days=28))
    assert "vka-k1-consistency" not in _ids(report)
    assert "vka-mode" in _ids(report)


def test_an_absolute_rise_of_100_ug_is_flagged(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(parser, ["150 g broccoli"] * 4 + ["250 g broccoli"])
    report = _assess(db, entries, WARFARIN, start=START + timedelta(days=28))
    (week,) = _one(report, "vka-k1-consistency").applies_to["weeks"]
    assert week["change_ug"] >= 100
    assert week["reasons"] == ["changed by 100 µg/day or more"]


def test_a_drop_to_a_fifth_is_flagged(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(parser, ["100 g broccoli"] * 4 + ["20 g broccoli"])
    report = _assess(db, entries, WARFARIN, start=START + timedelta(days=28))
    (week,) = _one(report, "vka-k1-consistency").applies_to["weeks"]
    assert "0.2 times the baseline or less" in week["reasons"]


def test_a_week_with_too_few_logged_days_is_not_judged(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(parser, ["20 g broccoli"] * 4)
    last = START + timedelta(days=28)
    entries += _entries(parser, {last + timedelta(days=i): "500 g broccoli" for i in range(3)})
    report = _assess(db, entries, WARFARIN, start=last)
    assert "vka-k1-consistency" not in _ids(report)
    assert "0 of 1 week(s)" in _one(report, "vka-mode").detail


def test_a_fixed_baseline_period(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(
        parser, ["100 g broccoli", "100 g broccoli", "20 g broccoli", "100 g broccoli"]
    )
    baseline = (START, START + timedelta(days=13))
    report = _assess(db, entries, WARFARIN, baseline_period=baseline)
    weeks = _one(report, "vka-k1-consistency").applies_to["weeks"]
    assert [w["start"] for w in weeks] == ["2026-03-16"]


def test_natto_week_flags_mk7(db: FoodDB, parser: MealParser) -> None:
    entries = _weeks(parser, ["2 slices of gouda"] * 4 + ["2 slices of gouda, 10 g natto"])
    report = _assess(db, entries, WARFARIN, start=START + timedelta(days=28))
    finding = _one(report, "vka-mk7-consistency")
    (week,) = finding.applies_to["weeks"]
    assert week["change_ug"] >= 10
    assert "vka-mk7-supplement" not in _ids(report)  # natto is food


@pytest.mark.parametrize(
    ("text", "rule", "severity"),
    [
        ("1 tablet K1 100 µg", "vka-k1-supplement", "caution"),
        ("2 tablets K1 100 µg", "vka-k1-supplement-high", "warning"),
        ("1 capsule MK-4 1.5 mg", "vka-mk-supplement", "warning"),
    ],
)
def test_k1_and_mk4_supplements(
    db: FoodDB, parser: MealParser, text: str, rule: str, severity: str
) -> None:
    report = _assess(db, _entries(parser, {START: text}), WARFARIN)
    finding = _one(report, rule)
    assert finding.severity == severity
    other = {"vka-k1-supplement", "vka-k1-supplement-high"} - {rule}
    assert not other & set(_ids(report))
    if rule == "vka-mk-supplement":
        assert finding.title.startswith("MK-4 supplement")
        assert "No study in the evidence file" in finding.detail


def test_a_large_meal_counts_its_items_together(db: FoodDB, parser: MealParser) -> None:
    # 60 g kale + 60 g spinach: each under 700 µg K1, together over it.
    split = _entries(parser, {START: "60 g kale, 60 g spinach"})
    assert "vka-large-meal" not in _ids(_assess(db, split, WARFARIN))
    meal = _entries(parser, {START: "60 g kale, 60 g spinach"}, meal="dinner")
    finding = _one(_assess(db, meal, WARFARIN), "vka-large-meal")
    assert finding.applies_to["occasions"][0]["occasion"] == "2026-03-02 dinner"


def test_low_intake_note(db: FoodDB, parser: MealParser) -> None:
    report = _assess(db, _entries(parser, {START: "1 cup whole milk"}), WARFARIN)
    finding = _one(report, "vka-low-intake")
    assert finding.severity == "info" and "association" in finding.detail


def _daily(parser: MealParser, text: str, n: int = 3) -> list[DiaryEntry]:
    return _entries(parser, {START + timedelta(days=i): text for i in range(n)})


def test_calcium_over_the_upper_limit_cites_the_ul_source(db: FoodDB, parser: MealParser) -> None:
    profile = Profile(sex="female", birth_date=date(1960, 5, 1))  # IOM 51-70: UL 2000 mg
    entries = _daily(parser, "3 cups whole milk, 4 tablets calcium carbonate 500 mg")
    finding = _one(_assess(db, entries, profile), "calcium-mean-over-ul")
    assert finding.severity == "warning"
    assert finding.evidence == ("iom2011_ca",)
    assert "UL) of 2,000 mg/day" in finding.detail and "[iom2011_ca]" in finding.detail
    efsa = _one(_assess(db, entries, profile, authority="efsa"), "calcium-mean-over-ul")
    assert efsa.evidence == ("efsa2012_caul",) and "2,500" in efsa.detail


def test_calcium_over_on_some_days_only_is_a_caution(db: FoodDB, parser: MealParser) -> None:
    profile = Profile(sex="female", birth_date=date(1960, 5, 1))
    entries = _daily(parser, "1 cup whole milk", 3)
    entries += _entries(parser, {START: "5 tablets calcium carbonate 500 mg"})
    report = _assess(db, entries, profile)
    assert _one(report, "calcium-days-over-ul").severity == "caution"
    assert "calcium-mean-over-ul" not in _ids(report)


def test_vitamin_d_over_the_upper_limit_in_ug_and_iu(db: FoodDB, parser: MealParser) -> None:
    profile = Profile(sex="male", birth_date=date(1980, 1, 1))
    entries = _daily(parser, "6000 IU vitamin D3")
    finding = _one(_assess(db, entries, profile), "vitd-mean-over-ul")
    assert "(4,000 IU)" in finding.detail and "100 µg/day" in finding.detail
    assert finding.evidence == ("iom2011_ul",)


def test_calcium_per_occasion(db: FoodDB, parser: MealParser) -> None:
    at_once = _entries(parser, {START: "2 tablets calcium carbonate 500 mg"})
    finding = _one(_assess(db, at_once, None), "calcium-per-occasion")
    assert finding.applies_to["occasions"][0]["calcium_mg"] == 1000
    split = _entries(parser, {START: "1 tablet calcium carbonate 500 mg"}, meal="breakfast")
    split += _entries(parser, {START: "1 tablet calcium carbonate 500 mg"}, meal="dinner")
    assert "calcium-per-occasion" not in _ids(_assess(db, split, None))


def test_k1_above_the_uk_guidance_level(db: FoodDB, parser: MealParser) -> None:
    report = _assess(db, _entries(parser, {START: "11 tablets K1 100 µg"}), None)
    assert _one(report, "vitk-supplement-guidance").severity == "info"


def test_pregnancy_notes(db: FoodDB, parser: MealParser) -> None:
    pregnant = Profile(sex="female", birth_date=date(1995, 1, 1), pregnant=True)
    plain = _assess(db, _entries(parser, {START: "1 cup whole milk"}), pregnant)
    assert _ids(plain) == ["pregnancy-lactation"]
    with_k2 = _assess(db, _entries(parser, {START: "1 capsule MK-7 90 µg"}), pregnant)
    assert _one(with_k2, "pregnancy-k2-supplement").severity == "caution"


def test_findings_are_most_severe_first(db: FoodDB, parser: MealParser) -> None:
    entries = _entries(parser, {START: "1 cup whole milk, 1 capsule MK-7 45 µg"})
    ranks = [f.rank for f in _assess(db, entries, WARFARIN).findings]
    assert ranks == sorted(ranks, reverse=True)
    assert len(ranks) >= 3


@pytest.mark.parametrize(
    ("kidney", "rule", "key"),
    [
        ("dialysis", "kidney-dialysis", "caluwe2014"),
        ("ckd", "kidney-ckd", "kurnatowska2015"),
        ("transplant", "kidney-transplant", "ktx2017_singlearm"),
    ],
)
def test_kidney_notes(db: FoodDB, parser: MealParser, kidney: str, rule: str, key: str) -> None:
    profile = Profile(sex="male", birth_date=date(1950, 1, 1), kidney=kidney)  # type: ignore[arg-type]
    report = _assess(db, _entries(parser, {START: "1 cup whole milk"}), profile)
    assert _ids(report) == [rule]
    assert f"[{key}]" in report.findings[0].detail
    assert "none for kidney disease" in report.findings[0].detail


def test_a_secondary_ul_source_is_named_and_iu_follow_the_authority(
    db: FoodDB, parser: MealParser
) -> None:
    pregnant = Profile(sex="female", birth_date=date(1995, 1, 1), pregnant=True)
    entries = _daily(parser, "6000 IU vitamin D3")
    finding = _one(_assess(db, entries, pregnant), "vitd-mean-over-ul")
    assert finding.evidence == ("doctorsay_d",)
    assert "[doctorsay_d], a value read in a secondary source;" in finding.detail
    toddler = Profile(sex="male", birth_date=date(2024, 1, 1))  # 1-3 y: UL 63 µg = 2,500 IU
    child = _one(_assess(db, _daily(parser, "4000 IU vitamin D3"), toddler), "vitd-mean-over-ul")
    assert "UL) of 63 µg/day (2,500 IU)" in child.detail
