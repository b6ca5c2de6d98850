"""INR readings: input checks, the decimal-comma parser and the summary."""

from __future__ import annotations

import dataclasses
import doctest
import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vitk2.safety.inr
from vitk2.errors import InvalidOptionError, UnknownInrReadingError, Vitk2Error
from vitk2.safety.inr import (
    INR_MAX,
    INR_MIN,
    InrReading,
    InrSummary,
    parse_inr,
    summarize_inr,
)

D = date(2024, 5, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [("2.4", 2.4), ("2,4", 2.4), (" 3 ", 3.0), ("1,25", 1.25), (".9", 0.9), ("4.", 4.0)],
)
def test_parse_inr(text: str, value: float) -> None:
    assert parse_inr(text) == value


@pytest.mark.parametrize("text", ["", "abc", "2.4.1", "2,4,1", "1,234.5", "nan", "inf", "2 4"])
def test_parse_inr_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(InvalidOptionError, match=r"is not a number: .*e\.g\. 2\.4 \(or 2,4\)"):
        parse_inr(text)


@given(st.decimals(min_value="0.5", max_value="15", places=2))
def test_parse_inr_reads_point_and_comma_alike(value: object) -> None:
    text = str(value)
    assert parse_inr(text) == parse_inr(text.replace(".", ",")) == float(text)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (math.nan, "finite"),
        (math.inf, "finite"),
        (0.0, "above 0"),
        (-2.0, "above 0"),
        (0.4, "outside 0.5–15, the range INR meters and laboratories report; check the value"),
        (15.1, "outside 0.5–15"),
        (True, "must be a number"),
    ],
)
def test_bad_values_are_refused(value: float, match: str) -> None:
    with pytest.raises(InvalidOptionError, match=match):
        InrReading(day=D, value=value)


def test_the_range_limits_are_accepted() -> None:
    assert InrReading(day=D, value=INR_MIN).value == 0.5
    assert InrReading(day=D, value=INR_MAX).value == 15.0
    assert isinstance(InrReading(day=D, value=3).value, float)


def test_notes() -> None:
    assert InrReading(day=D, value=2, note="  clinic ").note == "clinic"
    assert InrReading(day=D, value=2, note="   ").note is None
    assert InrReading(day=D, value=2, note="x" * 200).note == "x" * 200
    with pytest.raises(InvalidOptionError, match="at most 200 characters, got 201"):
        InrReading(day=D, value=2, note="x" * 201)


def test_a_new_reading_follows_the_date_rule() -> None:
    assert InrReading(day=date.today(), value=2).day == date.today()
    tomorrow = date.today() + timedelta(days=1)  # the margin for time zones
    assert InrReading(day=tomorrow, value=2).day == tomorrow
    later = tomorrow + timedelta(days=1)
    with pytest.raises(InvalidOptionError, match=rf"INR date {later} is in the future"):
        InrReading(day=later, value=2)
    with pytest.raises(InvalidOptionError, match="INR date 1899-12-31 is before 1900-01-01"):
        InrReading(day=date(1899, 12, 31), value=2)
    # A stored reading (it has an id) loads even where it is already later.
    assert InrReading(day=later, value=2, id=7).id == 7


def test_readings_are_frozen_values() -> None:
    reading = InrReading(day=D, value=2.4, note="clinic")
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.value = 3.0  # type: ignore[misc]
    assert reading.as_dict() == {"id": None, "date": "2024-05-01", "inr": 2.4, "note": "clinic"}


def test_summary() -> None:
    assert summarize_inr([]) == InrSummary(count=0)
    assert summarize_inr([]).as_dict() == {
        "count": 0, "first": None, "last": None, "min": None, "median": None, "max": None,
    }  # fmt: skip
    readings = [
        InrReading(day=date(2024, 5, 8), value=2.4),
        InrReading(day=date(2024, 5, 1), value=3.4),
        InrReading(day=date(2024, 5, 15), value=2.3),
        InrReading(day=date(2024, 5, 3), value=1.9),
    ]
    summary = summarize_inr(readings)
    assert summary.as_dict() == {
        "count": 4, "first": "2024-05-01", "last": "2024-05-15",
        "min": 1.9, "median": 2.35, "max": 3.4,
    }  # fmt: skip
    assert summarize_inr(readings[:3]).median == 2.4


def test_unknown_reading_error() -> None:
    error = UnknownInrReadingError(12)
    assert isinstance(error, LookupError) and isinstance(error, Vitk2Error)
    assert str(error) == (
        "No INR reading with id 12. List readings and their ids with `vitk2 inr show`."
    )


def test_public_api_and_docstring_examples() -> None:
    assert vitk2.safety.inr.__all__ == [
        "INR_MAX", "INR_MIN", "NOTE_MAX_CHARS", "InrReading", "InrSummary",
        "parse_inr", "summarize_inr",
    ]  # fmt: skip
    result = doctest.testmod(vitk2.safety.inr, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0
