"""The date rule: which dates vitk2 accepts, for every command, import file and write.

- **Written as** ISO ``YYYY-MM-DD`` only: ``2026-12-01``. ``20261201``, ``2026-W01-1``
  and ``01/12/2026`` are refused.
- **A diary date** (a diary entry, an INR reading) lies within the person's life: not
  before the profile's birth date when it has one, never before `EARLIEST_DATE`, and
  not after today plus `FUTURE_MARGIN_DAYS` (one day, for the date line).
- **A birth date** lies between `EARLIEST_DATE` and today.
- **A period** (``--from``/``--to``, ``--baseline-from``/``--baseline-to``) has both
  ends between `EARLIEST_DATE` and today plus the margin, the first not after the last.

`shift_day` moves a date by whole days without running off the calendar, so no report
crashes on a date near ``0001-01-01`` or ``9999-12-31`` that an older vitk2 stored.

>>> parse_day("2026-12-01", what="--date")
datetime.date(2026, 12, 1)
>>> parse_day("20261201", what="--date")
Traceback (most recent call last):
...
vitk2.errors.InvalidOptionError: --date '20261201' is not a date: write YYYY-MM-DD, e.g. 2026-12-01.
>>> shift_day(date.min, -28)
datetime.date(1, 1, 1)
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from vitk2.errors import InvalidOptionError, quoted

__all__ = [
    "EARLIEST_DATE",
    "FUTURE_MARGIN_DAYS",
    "check_birth_date",
    "check_day",
    "check_period",
    "latest_day",
    "parse_day",
    "shift_day",
]

#: No date before this is taken: not a birth date, not a diary date, not a period bound.
EARLIEST_DATE: Final = date(1900, 1, 1)
#: A diary date or period bound may be at most this many days after today (time zones).
FUTURE_MARGIN_DAYS: Final = 1

_ISO: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def latest_day(today: date | None = None) -> date:
    """The last date vitk2 takes: today plus the margin."""
    return (today or date.today()) + timedelta(days=FUTURE_MARGIN_DAYS)


def parse_day(text: str, *, what: str) -> date:
    """A date written ``YYYY-MM-DD`` (the format only; `check_day` checks the range)."""
    cleaned = text.strip()
    if _ISO.match(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    raise InvalidOptionError(
        f"{what} {quoted(text)} is not a date: write YYYY-MM-DD, e.g. 2026-12-01."
    )


def _check_range(day: date, what: str, today: date | None) -> date:
    latest = latest_day(today)
    if day < EARLIEST_DATE:
        raise InvalidOptionError(
            f"{what} {day.isoformat()} is before {EARLIEST_DATE.isoformat()}: vitk2 takes "
            f"dates from {EARLIEST_DATE.isoformat()} to {latest.isoformat()} (tomorrow)."
        )
    if day > latest:
        raise InvalidOptionError(
            f"{what} {day.isoformat()} is in the future: vitk2 takes dates up to "
            f"{latest.isoformat()} (tomorrow)."
        )
    return day


def check_day(
    day: date, *, what: str = "date", birth_date: date | None = None, today: date | None = None
) -> date:
    """A diary date: within the person's life (not before ``birth_date``), not before
    `EARLIEST_DATE` and not after `latest_day`."""
    _check_range(day, what, today)
    if birth_date is not None and day < birth_date:
        raise InvalidOptionError(
            f"{what} {day.isoformat()} is before the birth date {birth_date.isoformat()} in "
            "the profile: a diary date lies within the person's life. Check the date, or "
            "the birth date (`vitk2 profile show`)."
        )
    return day


def check_birth_date(day: date, *, today: date | None = None) -> date:
    """A birth date: from `EARLIEST_DATE` to today."""
    now = today or date.today()
    if day < EARLIEST_DATE:
        raise InvalidOptionError(
            f"birth date {day.isoformat()} is before {EARLIEST_DATE.isoformat()}: check the year."
        )
    if day > now:
        raise InvalidOptionError(f"birth date {day.isoformat()} is in the future.")
    return day


def check_period(
    start: date | None,
    end: date | None,
    *,
    names: tuple[str, str] = ("--from", "--to"),
    today: date | None = None,
) -> None:
    """Both ends of a period in range, the first not after the last (either may be None)."""
    if start is not None:
        _check_range(start, names[0], today)
    if end is not None:
        _check_range(end, names[1], today)
    if start is not None and end is not None and start > end:
        raise InvalidOptionError(
            f"{names[0]} {start.isoformat()} is after {names[1]} {end.isoformat()}: "
            "give the first day first."
        )


def shift_day(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the ends of the calendar instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max
