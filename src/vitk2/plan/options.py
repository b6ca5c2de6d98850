"""The options of `vitk2 plan` (and of ``GET /api/plan``) read and checked once, into
`PlanInputs`: the diet patterns and exclusions, the K2 study figure, the budgets, the
ramp-up's weeks and first day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

from vitk2.errors import InvalidOptionError
from vitk2.intake.dates import latest_day
from vitk2.plan.groups import read_exclusions
from vitk2.plan.planner import PlanInputs
from vitk2.plan.ramp import MAX_WEEKS
from vitk2.plan.targets import DEFAULT_BUDGETS, Budgets, choose_k2_reference

__all__ = ["MAX_EXCLUSIONS", "RAMP_START_DAYS", "plan_inputs"]

#: At most this many --diet and --exclude values each.
MAX_EXCLUSIONS: Final = 50
#: The ramp-up may start up to this many days before or after today.
RAMP_START_DAYS: Final = 366


def plan_inputs(
    *,
    diets: Sequence[str] = (),
    exclude: Sequence[str] = (),
    allow_supplements: bool = False,
    target_k2: str | None = None,
    weeks: int = 3,
    start: date | None = None,
    dishes: bool = False,
    max_kcal: float | None = None,
    max_sat_fat: float | None = None,
    max_sodium: float | None = None,
) -> PlanInputs:
    """Check every option and build the planner's inputs."""
    for name, values in (("--diet", diets), ("--exclude", exclude)):
        if len(values) > MAX_EXCLUSIONS:
            raise InvalidOptionError(f"At most {MAX_EXCLUSIONS} {name} values, got {len(values)}.")
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidOptionError(f"--weeks must be from 1 to {MAX_WEEKS}, got {weeks}.")
    today = latest_day() - timedelta(days=1)
    if start is not None and abs((start - today).days) > RAMP_START_DAYS:
        raise InvalidOptionError(
            f"--start {start.isoformat()} is more than a year from today: give a day within a year."
        )
    budgets = Budgets(
        DEFAULT_BUDGETS["energy_kcal"] if max_kcal is None else max_kcal,
        DEFAULT_BUDGETS["fat_sat_g"] if max_sat_fat is None else max_sat_fat,
        DEFAULT_BUDGETS["sodium_mg"] if max_sodium is None else max_sodium,
    )
    return PlanInputs(
        exclusions=read_exclusions(diets, exclude),
        allow_supplements=allow_supplements,
        k2=None if target_k2 is None else choose_k2_reference(target_k2),
        budgets=budgets,
        dishes=dishes,
        weeks=weeks,
        start=start,
    )
