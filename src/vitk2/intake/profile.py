"""The person a diary belongs to: sex, age, body weight, life stage, medications, kidneys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

from vitk2.errors import InvalidOptionError, quoted

__all__ = [
    "KIDNEY_STATES",
    "MEDICATION_MAX_CHARS",
    "SEXES",
    "Kidney",
    "Profile",
    "Sex",
    "age_in_years",
]

Sex = Literal["female", "male"]
SEXES: Final[tuple[Sex, ...]] = ("female", "male")
Kidney = Literal["ckd", "dialysis", "transplant"]
#: A medication name longer than this is a typing error.
MEDICATION_MAX_CHARS: Final = 100
# Kidney status -> what it means (shown in help, docs and `vitk2 profile show`).
KIDNEY_STATES: Final[Mapping[Kidney, str]] = MappingProxyType(
    {
        "ckd": "chronic kidney disease, not on dialysis",
        "dialysis": "on haemodialysis or peritoneal dialysis",
        "transplant": "kidney transplant recipient",
    }
)


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of age on a date (the usual 'age last birthday')."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True)
class Profile:
    """What reference values depend on, plus medications (for safety notes).

    Every field is optional: a report without a profile shows intakes but no
    life-stage reference values. ``kidney`` is the kidney status, one of
    `KIDNEY_STATES` (chronic kidney disease, dialysis, transplant), or None.
    """

    sex: Sex | None = None
    birth_date: date | None = None
    weight_kg: float | None = None
    pregnant: bool = False
    lactating: bool = False
    medications: tuple[str, ...] = ()
    kidney: Kidney | None = None

    def __post_init__(self) -> None:
        if self.sex is not None and self.sex not in SEXES:
            raise InvalidOptionError(f"sex must be 'female' or 'male', got {self.sex!r}.")
        if self.weight_kg is not None and not 0 < self.weight_kg <= 500:
            raise InvalidOptionError(
                f"weight must be between 0 and 500 kg, got {self.weight_kg:g} kg."
            )
        if (self.pregnant or self.lactating) and self.sex == "male":
            raise InvalidOptionError("--pregnant and --lactating need --sex female.")
        if self.birth_date is not None and self.birth_date > date.today():
            raise InvalidOptionError(f"birth date {self.birth_date} is in the future.")
        for name in self.medications:
            if not name.strip() or len(name) > MEDICATION_MAX_CHARS:
                raise InvalidOptionError(
                    f"A medication is named by 1 to {MEDICATION_MAX_CHARS} characters, got "
                    f"{quoted(name)}."
                )
        if self.kidney is not None and self.kidney not in KIDNEY_STATES:
            raise InvalidOptionError(
                f"kidney must be one of {', '.join(KIDNEY_STATES)}, got {self.kidney!r}."
            )

    def age(self, on: date) -> int | None:
        """Age in completed years on a date, or None without a birth date."""
        return None if self.birth_date is None else age_in_years(self.birth_date, on)

    def as_dict(self, on: date) -> dict[str, object]:
        """The JSON shape (`vitk2 profile show --json`), with the age on ``on``."""
        return {
            "sex": self.sex,
            "birth_date": None if self.birth_date is None else self.birth_date.isoformat(),
            "age_years": self.age(on),
            "weight_kg": self.weight_kg,
            "pregnant": self.pregnant,
            "lactating": self.lactating,
            "medications": list(self.medications),
            "kidney": self.kidney,
        }
