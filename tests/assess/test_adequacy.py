"""IOM individual assessment of usual intake against the EAR."""

from __future__ import annotations

import dataclasses
import doctest
import math
from datetime import date

import pytest

import vitk2.assess.adequacy
from vitk2.assess.adequacy import METHOD, Adequacy, assess_adequacy, normal_cdf
from vitk2.assess.reference import ReferenceValue, reference_values
from vitk2.errors import InvalidOptionError
from vitk2.intake.profile import Profile

ON = date(2025, 6, 15)


def ref(typ: str, value: float, key: str = "calcium_mg", record: int = 171) -> ReferenceValue:
    return ReferenceValue(key, typ, value, "mg/day", "iom2011_ca", record, "19-50 y", None)


# EAR 800 / RDA 1000 mg/day: IOM calcium, 19-50 y (evidence record 171)
REFS = [ref("EAR", 800.0), ref("RDA", 1000.0), ref("UL", 2500.0)]


def test_all_names_exist_and_docstring_examples() -> None:
    for name in vitk2.assess.adequacy.__all__:
        assert hasattr(vitk2.assess.adequacy, name)
    assert doctest.testmod(vitk2.assess.adequacy, raise_on_error=False).failed == 0


def test_hand_computed_example() -> None:
    days = [700.0, 900.0, 1100.0, 900.0]
    # written out by hand: mean 900; deviations -200, 0, 200, 0 -> sum of squares 80000;
    # sample variance 80000 / 3; SD_req = (1000 - 800) / 2 = 100;
    # z = (900 - 800) / sqrt(100**2 + (80000 / 3) / 4) = 100 / sqrt(16666.67) = 0.7746
    z = 100 / math.sqrt(100**2 + (80000 / 3) / 4)
    assert z == pytest.approx(0.774597, abs=1e-6)
    phi = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    # standard normal table: Φ(0.77) = 0.7794, Φ(0.78) = 0.7823; linear interpolation at 0.7746
    assert phi == pytest.approx(0.7794 + 0.46 * (0.7823 - 0.7794), abs=1e-4)
    result = assess_adequacy("calcium_mg", days, REFS)
    assert isinstance(result, Adequacy)
    assert result.days == 4 and result.mean == 900.0
    assert (result.ear, result.rda, result.sd_requirement) == (800.0, 1000.0, 100.0)
    assert result.sd_within == pytest.approx(math.sqrt(80000 / 3))
    assert result.z == pytest.approx(z)
    assert result.confidence == pytest.approx(phi)
    assert result.conclusion == "Usual intake is adequate with about 78 % confidence."
    assert result.method == METHOD
    assert result.note is not None
    assert "own SD of 4 daily totals (sample SD, n − 1)" in result.note
    assert "pooled population estimate" in result.note
    assert "iom2011_ca (record 171)" in result.note


def test_second_hand_computed_example_below_ear() -> None:
    # vitamin D, EAR 10 / RDA 15 µg/day (IOM); days 6, 8, 7 -> mean 7, sample SD 1
    refs = [
        ReferenceValue("vitd_ug", "EAR", 10.0, "µg/day", "ross2011", 150, ">1 y", None),
        ReferenceValue("vitd_ug", "RDA", 15.0, "µg/day", "iom2011", 148, "1-70 y", None),
    ]
    result = assess_adequacy("vitd_ug", [6.0, 8.0, 7.0], refs)
    z = (7 - 10) / math.sqrt(2.5**2 + 1**2 / 3)
    assert result.z == pytest.approx(z)
    assert result.confidence == pytest.approx(0.5 * (1 + math.erf(z / math.sqrt(2))))
    assert result.conclusion == "Usual intake is inadequate with about 88 % confidence."
    assert result.note is not None and "ross2011 (record 150)" in result.note
    assert "iom2011 (record 148)" in result.note


def test_higher_mean_gives_higher_confidence() -> None:
    previous = -1.0
    for shift in range(-400, 401, 50):
        days = [700.0 + shift, 900.0 + shift, 1100.0 + shift, 900.0 + shift]
        confidence = assess_adequacy("calcium_mg", days, REFS).confidence
        assert confidence is not None and confidence > previous
        previous = confidence


@pytest.mark.parametrize("pattern", [[850.0, 950.0, 1050.0], [650.0, 700.0, 800.0]])
def test_more_days_move_confidence_away_from_one_half(pattern: list[float]) -> None:
    distances = []
    for repeats in (1, 2, 4, 8):
        confidence = assess_adequacy("calcium_mg", pattern * repeats, REFS).confidence
        assert confidence is not None
        distances.append(abs(confidence - 0.5))
    assert distances == sorted(distances) and distances[0] < distances[-1]


def test_one_day_is_not_enough() -> None:
    result = assess_adequacy("calcium_mg", [900.0], REFS)
    assert result.confidence is None and result.z is None and result.sd_within is None
    assert result.days == 1 and result.mean == 900.0
    assert result.note is not None and result.note.startswith("needs at least 2 days")
    assert result.conclusion.startswith("Adequacy cannot be judged")


def test_ai_only_nutrient_is_not_judged() -> None:
    refs = reference_values(Profile(sex="female", birth_date=date(1970, 1, 1)), on=ON)
    assert [r.type for r in refs["vitk_ug"]] == ["AI"]
    above = assess_adequacy("vitk_ug", [100.0, 95.0, 120.0], refs["vitk_ug"])
    assert above.confidence is None and above.ear is None
    assert above.note is not None and "an AI cannot be used" in above.note
    assert "below the AI, no conclusion about adequacy can be drawn" in above.note
    assert "AI (90 µg/day, iom2001_k)" in above.conclusion
    assert "at or above the AI" in above.conclusion
    below = assess_adequacy("vitk_ug", [30.0, 40.0], refs["vitk_ug"])
    assert below.confidence is None and "below the AI" in below.conclusion


def test_infant_calcium_has_only_an_ai() -> None:
    infant = Profile(birth_date=date(2025, 2, 1))
    refs = reference_values(infant, on=ON)["calcium_mg"]
    result = assess_adequacy("calcium_mg", [250.0, 270.0], refs)
    assert result.confidence is None and result.note is not None and "AI" in result.note


def test_real_reference_values_woman_55() -> None:
    refs = reference_values(Profile(sex="female", birth_date=date(1970, 1, 1)), on=ON)
    result = assess_adequacy("calcium_mg", [1100.0, 1300.0, 1200.0], refs["calcium_mg"])
    assert (result.ear, result.rda, result.sd_requirement) == (1000.0, 1200.0, 100.0)
    assert result.confidence is not None and result.confidence > 0.5


def test_no_reference_or_only_efsa_values() -> None:
    assert assess_adequacy("calcium_mg", [900.0, 950.0], []).confidence is None
    efsa = reference_values(
        Profile(sex="female", birth_date=date(1970, 1, 1)), on=ON, authority="efsa"
    )
    result = assess_adequacy("calcium_mg", [900.0, 950.0], efsa["calcium_mg"])
    assert result.confidence is None
    assert result.note is not None and "EFSA's AR (efsa2015_ca) is not used" in result.note
    only_ear = assess_adequacy("calcium_mg", [900.0, 950.0], [ref("EAR", 800.0)])
    assert only_ear.confidence is None and "RDA" in only_ear.conclusion


def test_other_keys_are_ignored() -> None:
    refs = [ref("EAR", 800.0, key="other_mg"), ref("RDA", 1000.0, key="other_mg")]
    assert assess_adequacy("calcium_mg", [900.0, 950.0], refs).confidence is None


def test_zero_spread_cannot_be_judged() -> None:
    result = assess_adequacy("calcium_mg", [900.0, 900.0], [ref("EAR", 800.0), ref("RDA", 800.0)])
    assert result.confidence is None


def test_bad_totals() -> None:
    with pytest.raises(InvalidOptionError, match="at least one day"):
        assess_adequacy("calcium_mg", [], REFS)
    with pytest.raises(InvalidOptionError, match="finite"):
        assess_adequacy("calcium_mg", [900.0, float("nan")], REFS)
    with pytest.raises(InvalidOptionError, match="finite"):
        assess_adequacy("calcium_mg", [900.0, -1.0], REFS)


def test_normal_cdf() -> None:
    assert normal_cdf(0.0) == 0.5
    assert normal_cdf(1.96) == pytest.approx(0.975, abs=1e-4)
    assert normal_cdf(-1.0) == pytest.approx(1 - normal_cdf(1.0))


def test_extreme_confidence_wording() -> None:
    result = assess_adequacy("calcium_mg", [2000.0, 2010.0, 1990.0], REFS)
    assert result.conclusion == "Usual intake is adequate with more than 99 % confidence."


def test_result_is_frozen() -> None:
    result = assess_adequacy("calcium_mg", [900.0, 950.0], REFS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.mean = 1.0  # type: ignore[misc]
