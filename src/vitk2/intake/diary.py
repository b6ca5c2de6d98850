"""Diary entries: one logged food or supplement item, as stored and reported."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from vitk2.errors import InvalidOptionError, quoted
from vitk2.foods.amounts import (
    MAX_ITEM_GRAMS,
    MAX_UNITS_PER_ITEM,
    check_amount,
    check_grams,
    check_per_unit,
)
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.intake.dates import check_day

__all__ = [
    "ENTRY_KINDS",
    "MAX_ENTRY_TEXT_CHARS",
    "MEALS",
    "DiaryEntry",
    "EntryKind",
    "Meal",
    "check_new_entry",
    "check_time",
    "new_uid",
    "normal_uid",
]

Meal = Literal["breakfast", "lunch", "dinner", "snack"]
MEALS: Final[tuple[Meal, ...]] = ("breakfast", "lunch", "dinner", "snack")
EntryKind = Literal["food", "supplement"]
ENTRY_KINDS: Final[tuple[EntryKind, ...]] = ("food", "supplement")

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
#: An entry's text (the item as written) has at most this many characters.
MAX_ENTRY_TEXT_CHARS: Final = 5000


def new_uid() -> str:
    """A new stable identity for an entry or a reading (a random UUID)."""
    return str(uuid.uuid4())


def normal_uid(text: str) -> str:
    """A stable identity as written in a file, in its canonical form (a UUID)."""
    try:
        return str(uuid.UUID(text.strip()))
    except (ValueError, AttributeError):
        raise InvalidOptionError(
            f"uid {quoted(text)} is not a UUID (like 0b5e2c6e-8f0a-4c7e-9d1e-3f2a1b4c5d6e)."
        ) from None


def check_time(text: str) -> str:
    """Validate a 24-hour ``HH:MM`` time and return it."""
    if not _TIME.match(text):
        raise InvalidOptionError(f"time must be HH:MM (24-hour), got {quoted(text)}.")
    return text


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    """One item of the diary.

    ``kind`` is ``"food"`` (``ref`` is a food id such as ``usda:01022`` and
    ``grams`` the eaten weight) or ``"supplement"`` (``ref`` is the product name,
    ``grams`` is None, and ``amounts`` holds the nutrient amounts of the logged
    quantity, e.g. ``{"mk7_ug": 180.0}``, snapshotted when logged so a later edit
    of the product does not rewrite history). ``id`` is None until stored; ``uid`` is
    the entry's identity across diaries (a UUID the store gives it, kept by exports,
    backups and edits), not part of its value.
    """

    day: date
    text: str
    kind: EntryKind
    ref: str
    name: str
    quantity: float
    unit: str
    grams: float | None = None
    amounts: Mapping[str, float] = field(default_factory=dict)
    time: str | None = None
    meal: Meal | None = None
    id: int | None = None
    uid: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in ENTRY_KINDS:
            raise InvalidOptionError(f"entry kind must be food or supplement, got {self.kind!r}.")
        if self.meal is not None and self.meal not in MEALS:
            raise InvalidOptionError(f"meal must be one of {', '.join(MEALS)}, got {self.meal!r}.")
        if self.time is not None:
            check_time(self.time)
        if self.kind == "food" and (self.grams is None or not self.grams > 0):
            raise InvalidOptionError(f"a food entry needs grams above 0, got {self.grams!r}.")
        if self.kind == "supplement" and not self.amounts:
            raise InvalidOptionError("a supplement entry needs its nutrient amounts.")
        if any(not math.isfinite(v) or v < 0 for v in self.amounts.values()):
            raise InvalidOptionError("supplement amounts must be finite numbers of 0 or more.")
        if not self.quantity > 0:
            raise InvalidOptionError(f"quantity must be above 0, got {self.quantity:g}.")


def check_new_entry(
    entry: DiaryEntry, *, birth_date: date | None = None, today: date | None = None
) -> DiaryEntry:
    """The rules an entry must meet when it is written (logged, edited, imported): the
    date rule (`vitk2.intake.dates`: within the person's life) and the amount rule
    (`vitk2.foods.amounts`: a food at most 5 kg, a supplement at most 50 units and the
    per-unit maximum of each nutrient). Stored entries are not re-checked when read."""
    check_day(entry.day, what="date", birth_date=birth_date, today=today)
    if len(entry.text) > MAX_ENTRY_TEXT_CHARS:
        raise InvalidOptionError(
            f"An entry's text has at most {MAX_ENTRY_TEXT_CHARS} characters, got {len(entry.text)}."
        )
    if entry.kind == "food":
        assert entry.grams is not None  # checked by DiaryEntry
        check_grams(entry.grams)
        check_amount(entry.quantity, what="quantity", unit=entry.unit, maximum=MAX_ITEM_GRAMS)
        return entry
    check_amount(entry.quantity, what="quantity", unit=entry.unit, maximum=MAX_UNITS_PER_ITEM)
    for key, amount in entry.amounts.items():
        nutrient = NUTRIENTS.get(key)
        if nutrient is None:
            raise InvalidOptionError(f"Unknown nutrient key {quoted(key)} in a supplement entry.")
        if amount:
            check_per_unit(amount, nutrient.unit, what=key, units=max(entry.quantity, 1.0))
    return entry
