"""The person a diary belongs to: sex, age, body weight, life stage, medications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from vitk2.errors import InvalidOptionError

__all__ = ["SEXES", "Profile", "Sex", "age_in_years"]

Sex = Literal["female", "male"]
SEXES: Final[tuple[Sex, ...]] = ("female", "male")


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
    life-stage reference values.
    """

    sex: Sex | None = None
    birth_date: date | None = None
    weight_kg: float | None = None
    pregnant: bool = False
    lactating: bool = False
    medications: tuple[str, ...] = ()

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
        }
