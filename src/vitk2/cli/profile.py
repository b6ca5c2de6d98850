"""``vitk2 profile set | show``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Any

import typer

from vitk2.cli.common import db_option, json_option, open_service
from vitk2.cli.output import print_json, stdout
from vitk2.errors import InvalidOptionError, quoted
from vitk2.intake.dates import parse_day
from vitk2.intake.profile import KIDNEY_STATES, Profile

app = typer.Typer(help="The person the diary belongs to (sets the reference values).")


class SexChoice(StrEnum):
    female = "female"
    male = "male"


class KidneyChoice(StrEnum):
    ckd = "ckd"
    dialysis = "dialysis"
    transplant = "transplant"
    none = "none"


_KIDNEY_HELP = (
    "Kidney status: "
    + "; ".join(f"{key} = {meaning}" for key, meaning in KIDNEY_STATES.items())
    + "; none clears it."
)


def profile_json(profile: Profile | None, on: date | None = None) -> dict[str, Any] | None:
    return None if profile is None else profile.as_dict(on or date.today())


@app.command("set")
def set_command(
    sex: SexChoice | None = typer.Option(None, "--sex", help="female or male."),
    birth_date: str | None = typer.Option(None, "--birth-date", help="YYYY-MM-DD."),
    weight_kg: float | None = typer.Option(None, "--weight-kg", help="Body weight in kg."),
    pregnant: bool | None = typer.Option(None, "--pregnant/--not-pregnant", help="Pregnancy."),
    lactating: bool | None = typer.Option(
        None, "--lactating/--not-lactating", help="Breastfeeding."
    ),
    medication: list[str] | None = typer.Option(
        None, "--medication", help="A medication you take (repeat for several), e.g. warfarin."
    ),
    no_medication: bool = typer.Option(False, "--no-medication", help="Clear the medication list."),
    kidney: KidneyChoice | None = typer.Option(None, "--kidney", help=_KIDNEY_HELP),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Set profile fields; fields you leave out keep their stored value."""
    if medication and no_medication:
        raise InvalidOptionError("Use either --medication or --no-medication, not both.")
    for name in medication or []:
        if not name.strip():
            raise InvalidOptionError(
                f"--medication {quoted(name)} names no medication: give its name (e.g. "
                "--medication warfarin), or --no-medication to clear the list."
            )
    born = None if birth_date is None else parse_day(birth_date, what="--birth-date")
    service = open_service(db)
    current = service.store.profile() or Profile()
    changes: dict[str, Any] = {}
    if sex is not None:
        changes["sex"] = sex.value
    if birth_date is not None:
        changes["birth_date"] = born
    if weight_kg is not None:
        changes["weight_kg"] = weight_kg
    if pregnant is not None:
        changes["pregnant"] = pregnant
    if lactating is not None:
        changes["lactating"] = lactating
    if no_medication:
        changes["medications"] = ()
    if medication:
        names = tuple(dict.fromkeys(" ".join(m.lower().split()) for m in medication))
        changes["medications"] = names
    if kidney is not None:
        changes["kidney"] = None if kidney is KidneyChoice.none else kidney.value
    profile = replace(current, **changes)
    service.set_profile(profile)
    if as_json:
        print_json(profile_json(profile))
        return
    stdout.print("Profile saved.")
    _print(profile)


@app.command("show")
def show_command(as_json: bool = json_option(), db: str | None = db_option()) -> None:
    """Show the stored profile."""
    profile = open_service(db).store.profile()
    if as_json:
        print_json(profile_json(profile))
        return
    if profile is None:
        stdout.print(
            "No profile yet. Set one with `vitk2 profile set --sex female --birth-date 1970-05-01`."
        )
        return
    _print(profile)


def _print(profile: Profile) -> None:
    data = profile_json(profile) or {}
    for key, value in data.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        if key == "kidney" and profile.kidney is not None:
            shown = f"{profile.kidney} ({KIDNEY_STATES[profile.kidney]})"
        stdout.print(f"{key.replace('_', ' ')}: {'—' if shown in (None, '') else shown}")
