"""INR readings: the blood-clotting test of people on vitamin K antagonists.

People taking warfarin, acenocoumarol or phenprocoumon log their INR (international
normalised ratio) so it can be shown next to their vitamin K intake. This module
holds the values and their input checks; it makes no clinical judgement of a reading.

>>> from datetime import date
>>> reading = InrReading(day=date(2024, 5, 1), value=parse_inr("2,4"), note="clinic")
>>> reading.value
2.4
>>> summary = summarize_inr([reading, InrReading(day=date(2024, 5, 8), value=3.1)])
>>> (summary.count, summary.first, summary.last, summary.median)
(2, datetime.date(2024, 5, 1), datetime.date(2024, 5, 8), 2.75)
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from vitk2.errors import InvalidOptionError
from vitk2.intake.dates import check_day

__all__ = [
    "INR_MAX",
    "INR_MIN",
    "NOTE_MAX_CHARS",
    "InrReading",
    "InrSummary",
    "parse_inr",
    "summarize_inr",
]

# The range INR point-of-care meters and laboratories report values in. A value
# outside it is almost certainly a typing error; this is an input check only.
INR_MIN: Final = 0.5
INR_MAX: Final = 15.0
NOTE_MAX_CHARS: Final = 200

_NUMBER: Final = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


def parse_inr(text: str) -> float:
    """An INR as typed: ``2.4`` or, with a decimal comma, ``2,4``.

    Only the number is parsed here; `InrReading` checks its range.
    """
    cleaned = text.strip()
    if not _NUMBER.match(cleaned):
        raise InvalidOptionError(
            f"INR {text!r} is not a number: write it as your meter or lab reports it, "
            "e.g. 2.4 (or 2,4)."
        )
    return float(cleaned.replace(",", "."))


@dataclass(frozen=True, slots=True)
class InrReading:
    """One INR measurement on the day the blood was taken.

    ``value`` must be finite and within ``INR_MIN``–``INR_MAX`` (what meters and
    labs report); ``note`` has at most ``NOTE_MAX_CHARS`` characters (blank means
    none). ``id`` is None until stored; ``uid`` is its identity across diaries (a UUID
    the store gives it, kept by backups), not part of its value. A new reading (no
    id) follows the date rule (`vitk2.intake.dates`: not after tomorrow, not before
    1900); stored readings are not re-checked against today's date, so a database
    shared across time zones still loads.
    """

    day: date
    value: float
    note: str | None = None
    id: int | None = None
    uid: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidOptionError(f"INR must be a number, got {value!r}.")
        if not math.isfinite(value):
            raise InvalidOptionError(f"INR must be a finite number, got {value!r}.")
        if value <= 0:
            raise InvalidOptionError(f"INR must be above 0, got {value:g}.")
        if not INR_MIN <= value <= INR_MAX:
            raise InvalidOptionError(
                f"INR {value:g} is outside {INR_MIN:g}–{INR_MAX:g}, the range INR meters and "
                "laboratories report; check the value."
            )
        object.__setattr__(self, "value", float(value))
        note = None if self.note is None else self.note.strip() or None
        if note is not None and len(note) > NOTE_MAX_CHARS:
            raise InvalidOptionError(
                f"An INR note has at most {NOTE_MAX_CHARS} characters, got {len(note)}; shorten it."
            )
        object.__setattr__(self, "note", note)
        if self.id is None:  # the date rule (`vitk2.intake.dates`); the store adds the birth date
            check_day(self.day, what="INR date")

    def as_dict(self) -> dict[str, object]:
        """The JSON shape (`vitk2 inr show --json`)."""
        return {"id": self.id, "date": self.day.isoformat(), "inr": self.value, "note": self.note}


@dataclass(frozen=True, slots=True)
class InrSummary:
    """Count, first and last day, and the lowest, median and highest INR of readings."""

    count: int
    first: date | None = None
    last: date | None = None
    min: float | None = None
    median: float | None = None
    max: float | None = None

    def as_dict(self) -> dict[str, object]:
        """The JSON shape (``summary`` of `vitk2 inr show --json`)."""
        return {
            "count": self.count,
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
            "min": self.min,
            "median": self.median,
            "max": self.max,
        }


def summarize_inr(readings: Sequence[InrReading]) -> InrSummary:
    """The summary of readings in any order; all None but the count when empty.

    The median is rounded to 3 decimals (readings have 1 or 2).
    """
    if not readings:
        return InrSummary(count=0)
    values = [reading.value for reading in readings]
    days = [reading.day for reading in readings]
    return InrSummary(
        count=len(readings),
        first=min(days),
        last=max(days),
        min=min(values),
        median=round(float(statistics.median(values)), 3),  # no float noise: (2.3 + 2.4) / 2
        max=max(values),
    )
