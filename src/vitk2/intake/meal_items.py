"""Parsed meal items: what the meal parser (`vitk2.intake.meals`) returns for each
item of meal text and for the whole text, in the JSON shape of `vitk2 parse --json`,
and the diary entries they become. `vitk2.intake.meals` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from vitk2.intake.diary import DiaryEntry, Meal
from vitk2.intake.totals import ItemIntake, Totals

__all__ = ["ItemStatus", "MealItem", "ParsedMeal"]

ItemStatus = Literal["ok", "unresolved"]


@dataclass(frozen=True, slots=True)
class MealItem:
    """One parsed item. ``status`` is ``"ok"`` (food or supplement known, amount
    known) or ``"unresolved"`` (``problem`` says why; ``suggestions`` say what to
    write instead)."""

    text: str
    status: ItemStatus
    kind: Literal["food", "supplement"] | None = None
    ref: str | None = None
    name: str | None = None
    quantity: float | None = None
    unit: str | None = None
    grams: float | None = None
    intake: ItemIntake | None = field(default=None, repr=False)
    problem: str | None = None
    suggestions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `vitk2 parse --json`."""
        food = None
        if self.ref is not None:
            food = {"id": self.ref, "name": self.name, "kind": self.kind}
        nutrients: dict[str, float | None] = {}
        if self.intake is not None:
            nutrients = {
                k: None if v is None else round(v, 4) for k, v in self.intake.amounts.items()
            }
        return {
            "text": self.text,
            "food": food,
            "quantity": self.quantity,
            "unit": self.unit,
            "grams": None if self.grams is None else round(self.grams, 2),
            "nutrients": nutrients,
            "incomplete": sorted(self.intake.incomplete) if self.intake is not None else [],
            "status": self.status,
            "problem": self.problem,
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class ParsedMeal:
    text: str
    items: tuple[MealItem, ...]
    totals: Totals

    @property
    def unresolved(self) -> tuple[MealItem, ...]:
        return tuple(item for item in self.items if item.status != "ok")

    def as_dict(self) -> dict[str, object]:
        return {
            "items": [item.as_dict() for item in self.items],
            "totals": self.totals.as_dict(),
        }

    def entries(
        self, day: date, *, time: str | None = None, meal: Meal | None = None
    ) -> list[DiaryEntry]:
        """Diary entries for the resolved items, eaten on ``day``."""
        entries = []
        for item in self.items:
            if item.status != "ok" or item.ref is None or item.kind is None:
                continue
            amounts: dict[str, float] = {}
            if item.kind == "supplement" and item.intake is not None:
                amounts = {k: v for k, v in item.intake.amounts.items() if v}
            entries.append(
                DiaryEntry(
                    day=day,
                    text=item.text,
                    kind=item.kind,
                    ref=item.ref,
                    name=item.name or item.ref,
                    quantity=item.quantity or 1.0,
                    unit=item.unit or "",
                    grams=item.grams,
                    amounts=amounts,
                    time=time,
                    meal=meal,
                )
            )
        return entries
