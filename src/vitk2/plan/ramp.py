"""A gentle start for fermented foods: over N weeks, each occasion's amount rises from
1/N of the planned amount to all of it, on the same days of the week as the plan, as
a day-by-day table and, if asked, an iCalendar (.ics) file.

>>> occasion_days(3)
(0, 2, 4)
>>> [round(share, 2) for share in week_shares(3)]
[0.33, 0.67, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from vitk2.errors import InvalidOptionError

__all__ = [
    "MAX_WEEKS",
    "RampDay",
    "RampFood",
    "ics_text",
    "occasion_days",
    "ramp_up",
    "week_shares",
]

#: A ramp-up lasts 1 to this many weeks.
MAX_WEEKS: Final = 12
_PRODUCT: Final = "-//vitk2//plan ramp-up//EN"


def occasion_days(times: int) -> tuple[int, ...]:
    """The days of a week (0 = the first) a food eaten ``times`` a week comes on,
    spread evenly, starting on the first day."""
    return tuple(d for d in range(7) if math.ceil((d + 1) * times / 7) > math.ceil(d * times / 7))


def week_shares(weeks: int) -> tuple[float, ...]:
    """The share of the planned amount eaten in each week of the ramp-up."""
    return tuple((w + 1) / weeks for w in range(weeks))


@dataclass(frozen=True, slots=True)
class RampFood:
    """A fermented food of the plan: ``grams`` per occasion, ``times`` a week."""

    ref: str
    name: str
    grams: float
    times: int
    amount: str


@dataclass(frozen=True, slots=True)
class RampDay:
    """One day of the ramp-up for one food."""

    day: date
    week: int
    ref: str
    name: str
    grams: float
    planned_grams: float
    planned_amount: str

    @property
    def share(self) -> float:
        return self.grams / self.planned_grams

    def text(self, weeks: int) -> str:
        return (
            f"{self.name}: {round(self.grams, 1):g} g (week {self.week} of {weeks}; planned "
            f"{self.planned_amount})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "week": self.week,
            "ref": self.ref,
            "name": self.name,
            "grams": round(self.grams, 1),
            "share_of_planned": round(self.share, 3),
            "planned_grams": round(self.planned_grams, 1),
            "planned_amount": self.planned_amount,
        }


def ramp_up(foods: Sequence[RampFood], *, weeks: int, start: date) -> tuple[RampDay, ...]:
    """Every occasion of the first ``weeks`` weeks from ``start``, by date then food.
    Each week's amount is that share of the planned occasion, in whole grams (at
    least 1 g); the last week is the planned amount."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidOptionError(f"--weeks must be from 1 to {MAX_WEEKS}, got {weeks}.")
    days = []
    for food in foods:
        for week, share in enumerate(week_shares(weeks), start=1):
            grams = food.grams if week == weeks else max(1.0, float(round(food.grams * share)))
            for offset in occasion_days(food.times):
                day = start + timedelta(days=7 * (week - 1) + offset)
                days.append(
                    RampDay(day, week, food.ref, food.name, grams, food.grams,
                            food.amount)
                )  # fmt: skip
    return tuple(sorted(days, key=lambda d: (d.day, d.name)))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 folding: lines of at most 75 octets, continued with a space."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def ics_text(days: Sequence[RampDay], *, weeks: int, stamp: datetime) -> str:
    """An iCalendar file with one all-day event per ramp-up day and food (``stamp``:
    when it was made, UTC)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODUCT}", "CALSCALE:GREGORIAN"]
    made = stamp.strftime("%Y%m%dT%H%M%SZ")
    for day in days:
        grams = round(day.grams, 1)
        summary = f"{day.name}: {grams:g} g"
        detail = (
            f"vitk2 plan ramp-up, week {day.week} of {weeks}: {grams:g} g of the planned "
            f"{day.planned_amount}. Start small; if it upsets your stomach stay longer at a "
            "smaller amount."
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{day.day.strftime('%Y%m%d')}-{day.ref.replace(':', '-')}@vitk2",
            f"DTSTAMP:{made}",
            f"DTSTART;VALUE=DATE:{day.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day.day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(detail)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
