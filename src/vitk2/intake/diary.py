"""Diary entries: one logged food or supplement item, as stored and reported."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from vitk2.errors import InvalidOptionError

__all__ = ["ENTRY_KINDS", "MEALS", "DiaryEntry", "EntryKind", "Meal", "check_time"]

Meal = Literal["breakfast", "lunch", "dinner", "snack"]
MEALS: Final[tuple[Meal, ...]] = ("breakfast", "lunch", "dinner", "snack")
EntryKind = Literal["food", "supplement"]
ENTRY_KINDS: Final[tuple[EntryKind, ...]] = ("food", "supplement")

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_time(text: str) -> str:
    """Validate a 24-hour ``HH:MM`` time and return it."""
    if not _TIME.match(text):
        raise InvalidOptionError(f"time must be HH:MM (24-hour), got {text!r}.")
    return text


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    """One item of the diary.

    ``kind`` is ``"food"`` (``ref`` is a food id such as ``usda:01022`` and
    ``grams`` the eaten weight) or ``"supplement"`` (``ref`` is the product name,
    ``grams`` is None, and ``amounts`` holds the nutrient amounts of the logged
    quantity, e.g. ``{"mk7_ug": 180.0}``, snapshotted when logged so a later edit
    of the product does not rewrite history). ``id`` is None until stored.
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
