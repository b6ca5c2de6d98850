"""The unit table is the exact definitions, as pint knows them; label amounts."""

from __future__ import annotations

import pint
import pytest

from vitk2.errors import InvalidOptionError
from vitk2.foods.units import (
    GRAMS_PER_UNIT,
    MASS_UNITS,
    MILLILITRES_PER_UNIT,
    VOLUME_UNITS,
    grams_per,
    label_amount,
    millilitres_per,
)

REGISTRY = pint.UnitRegistry()


@pytest.mark.parametrize("unit", sorted(GRAMS_PER_UNIT))
def test_mass_factors_match_pint(unit: str) -> None:
    expected = REGISTRY.Quantity(1, unit).to("gram").magnitude
    assert GRAMS_PER_UNIT[unit] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("unit", sorted(MILLILITRES_PER_UNIT))
def test_volume_factors_match_pint(unit: str) -> None:
    expected = REGISTRY.Quantity(1, unit).to("milliliter").magnitude
    assert MILLILITRES_PER_UNIT[unit] == pytest.approx(expected, rel=1e-12)


def test_every_word_has_a_factor() -> None:
    for word in MASS_UNITS:
        assert grams_per(word) > 0
    for word in VOLUME_UNITS:
        assert millilitres_per(word) > 0
    assert grams_per("LB") == pytest.approx(453.59237)
    assert millilitres_per("tbsp") * 16 == pytest.approx(millilitres_per("cup"))


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("100ug", "mk7_ug", 100.0),
        ("100 µg", "mk7_ug", 100.0),
        ("100 mcg", "mk7_ug", 100.0),
        ("1.5 mg", "mk4_ug", 1500.0),
        ("1000IU", "vitd_ug", 25.0),
        ("500mg", "calcium_mg", 500.0),
        ("0,5 g", "calcium_mg", 500.0),
    ],
)
def test_label_amounts(text: str, key: str, value: float) -> None:
    assert label_amount(text, key) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "key", "match"),
    [
        ("100", "mk7_ug", "Cannot read"),
        ("lots", "mk7_ug", "Cannot read"),
        ("10 IU", "mk7_ug", "IU is defined for vitamin D only"),
        ("5 mg", "energy_kcal", "cannot be given"),
    ],
)
def test_bad_label_amounts(text: str, key: str, match: str) -> None:
    with pytest.raises(InvalidOptionError, match=match):
        label_amount(text, key)
