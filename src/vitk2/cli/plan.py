"""``vitk2 plan`` and ``vitk2 substitutes``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from vitk2.cli.common import (
    AuthorityChoice,
    authority_option,
    db_option,
    from_option,
    json_option,
    open_service,
    parse_date,
    to_option,
)
from vitk2.cli.findings import print_findings
from vitk2.cli.output import fmt, fmt_total, line, print_json, stdout, styled
from vitk2.files import output_path, write_text_atomic
from vitk2.intake.dates import parse_day

if TYPE_CHECKING:
    from vitk2.services import DiaryService

_ROWS = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitd_ug", "calcium_mg", "energy_kcal",
         "fat_sat_g", "sodium_mg")  # fmt: skip
_LABELS = {
    "k1_ug": "K1 µg", "mk4_ug": "MK-4 µg", "mk7_ug": "MK-7 µg", "k2_ug": "K2 µg",
    "vitd_ug": "vitamin D µg", "calcium_mg": "calcium mg", "energy_kcal": "energy kcal",
    "fat_sat_g": "saturated fat g", "sodium_mg": "sodium mg",
}  # fmt: skip
_RAMP_SHOWN = 14


def diet_option() -> Any:
    return typer.Option(
        None,
        "--diet",
        help="A diet pattern: omnivore, pescatarian, vegetarian, vegan, dairy-free, egg-free, "
        "soy-free. Repeat to combine.",
    )


def exclude_option() -> Any:
    return typer.Option(
        None,
        "--exclude",
        help="A food you do not eat or cannot get ('natto', 'blue cheese'), or a class: "
        "dairy, eggs, meat, fish, soy, honey. Repeat for several.",
    )


def dishes_option() -> Any:
    return typer.Option(
        False, "--dishes", help="Also suggest FNDDS foods as eaten (dishes), not only foods."
    )


def register(root: typer.Typer) -> None:
    @root.command("plan")
    def plan_command(
        start: str | None = from_option(),
        end: str | None = to_option(),
        typical: str | None = typer.Option(
            None, "--typical", help="Plan from a typical day you type (meal text) instead."
        ),
        diet: list[str] | None = diet_option(),
        exclude: list[str] | None = exclude_option(),
        allow_supplements: bool = typer.Option(
            False, "--allow-supplements", help="Let the plan suggest supplements too."
        ),
        target_k2: str | None = typer.Option(
            None,
            "--target-k2",
            help="The K2 study figure to aim at (e.g. gast2009, knapen2015, "
            "dalmeijer2012:360); without it the plan does not aim at K2.",
        ),
        weeks: int = typer.Option(
            3, "--weeks", help="Weeks over which fermented foods are ramped up (1-12)."
        ),
        ramp_start: str | None = typer.Option(
            None, "--start", help="First day of the ramp-up (default: tomorrow)."
        ),
        ics: str | None = typer.Option(
            None, "--ics", help="Write the ramp-up as a calendar file (.ics)."
        ),
        dishes: bool = dishes_option(),
        max_kcal: float | None = typer.Option(
            None, "--max-kcal", help="At most this much energy added a day (default 300)."
        ),
        max_sat_fat: float | None = typer.Option(
            None, "--max-sat-fat", help="At most this much saturated fat added a day, g (6)."
        ),
        max_sodium: float | None = typer.Option(
            None, "--max-sodium", help="At most this much sodium added a day, mg (600)."
        ),
        authority: AuthorityChoice = authority_option(),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Suggest foods (and supplements if allowed) that bring vitamin D and calcium to
        your reference values and K2 to the study figure you choose, within the upper
        limits; with a ramp-up for fermented foods. Stores nothing."""
        from vitk2.plan.document import run_plan
        from vitk2.plan.options import plan_inputs

        first = parse_date(start, "--from")
        last = parse_date(end, "--to")
        inputs = plan_inputs(
            diets=diet or (), exclude=exclude or (), allow_supplements=allow_supplements,
            target_k2=target_k2, weeks=weeks,
            start=None if ramp_start is None else parse_day(ramp_start, what="--start"),
            dishes=dishes, max_kcal=max_kcal, max_sat_fat=max_sat_fat, max_sodium=max_sodium,
        )  # fmt: skip
        target = None if ics is None else output_path(ics, what="--ics")
        service: DiaryService = open_service(db)  # mypy checks it is a PlanService
        plan = run_plan(
            service, inputs, start=first, end=last, typical=typical, authority=authority.value
        )
        data = plan.as_dict()
        if target is not None:
            write_text_atomic(target, plan.ics())
        if as_json:
            print_json(data)
            return
        _print_plan(data)
        if target is not None:
            stdout.print(f"Wrote the ramp-up calendar to {target} ({len(plan.ramp)} event(s)).")

    @root.command("substitutes")
    def substitutes_command(
        food: str = typer.Argument(..., help="A food id (usda:16113) or name (natto)."),
        grams: float | None = typer.Option(
            None, "--grams", help="The amount to replace, g (default: one household portion)."
        ),
        diet: list[str] | None = diet_option(),
        exclude: list[str] | None = exclude_option(),
        limit: int = typer.Option(10, "--limit", help="How many alternatives (1-100)."),
        dishes: bool = dishes_option(),
        as_json: bool = json_option(),
    ) -> None:
        """Foods closest to FOOD in each menaquinone, K1, calcium, vitamin D and energy,
        each in the amount that gives the same K2, and the closest in each food group."""
        from vitk2.foods.database import FoodDB
        from vitk2.plan.groups import read_exclusions
        from vitk2.plan.substitutes import find_substitutes

        found = find_substitutes(
            FoodDB.default(), food, exclusions=read_exclusions(diet or (), exclude or ()),
            grams=grams, limit=limit, dishes=dishes,
        )  # fmt: skip
        data = found.as_dict()
        if as_json:
            print_json(data)
            return
        _print_substitutes(data)


def _value(values: dict[str, Any], key: str, incomplete: list[str]) -> str:
    return fmt_total(values.get(key), key in incomplete)


def _print_plan(data: dict[str, Any]) -> None:
    period = data["period"]
    basis = (
        "a typical day you typed"
        if "typical_day" in period
        else f"your diary {period['from']} to {period['to']} ({period['days']} logged day(s))"
    )
    stdout.print(
        line(
            styled("Plan", "bold"),
            f" from {basis} · {str(data['authority']).upper()} reference values for "
            f"{data['life_stage']}",
        )
    )
    if not data["feasible"]:
        stdout.print(styled("No plan fits:", "bold"))
    elif data["additions"]:
        stdout.print(styled("Add", "bold"))
    for item in data["additions"]:
        already = " (you already eat it)" if item["already_eaten"] else ""
        stdout.print(f"+ {item['name']}: {item['amount']} {item['frequency']}{already}")
    table = Table("nutrient", "now", "with the plan", "low–high", "aim", "upper limit", box=None)
    ref = data["reference"]
    k2 = ref["k2"]
    for key in _ROWS:
        aim = ""
        upper = ""
        if key in ("vitd_ug", "calcium_mg") and ref[key]["value"] is not None:
            aim = f"{ref[key]['type']} {fmt(ref[key]['value'])} [{ref[key]['source']}]"
            upper = "" if ref[key]["ul"] is None else fmt(ref[key]["ul"])
        if k2 is not None and key == k2["compared_with"]:
            aim = f"{fmt(k2['value_ug_per_day'])} ({k2['ref']}; a study figure)"
        if key in ("energy_kcal", "fat_sat_g", "sodium_mg"):
            aim = f"adds ≤ {fmt(ref['budgets'][key])}"
        ends = ""
        if key in data["after_low"] and data["after_low"][key] is not None:
            ends = f"{fmt(data['after_low'][key])}–{fmt(data['after_high'][key])}"
        table.add_row(
            _LABELS[key],
            _value(data["before"], key, data["before_incomplete"]),
            _value(data["after"], key, data["after_incomplete"]) if data["feasible"] else "—",
            ends if data["feasible"] else "",
            aim,
            upper,
        )
    stdout.print(table)
    for sentence in data["explanation"]:
        stdout.print(f"• {sentence}")
    ramp = data["ramp_up"]
    if ramp:
        stdout.print(styled("Ramp-up", "bold"))
        days = Table("date", "food", "grams", "week", "of the planned amount", box=None)
        for day in ramp[:_RAMP_SHOWN]:
            days.add_row(day["date"], day["name"], fmt(day["grams"]), str(day["week"]),
                         f"{day['share_of_planned']:.0%} of {day['planned_amount']}")  # fmt: skip
        stdout.print(days)
        if len(ramp) > _RAMP_SHOWN:
            stdout.print(
                f"… {len(ramp) - _RAMP_SHOWN} more day(s) to {ramp[-1]['date']} (--json or "
                "--ics FILE for all)."
            )
    shown = [f for f in data["findings"] if f.get("status") != "unchanged"]
    if shown:
        print_findings(shown, heading="Findings with the plan (new or changed)")
    stdout.print(styled(data["note"], "dim"))


def _print_substitutes(data: dict[str, Any]) -> None:
    food = data["food"]
    amounts = data["amounts"]
    stdout.print(
        line(
            styled(f"Substitutes for {food['name']}", "bold"),
            f" ({food['id']}), {data['portion']['amount']} ({fmt(data['portion']['grams'])} g): "
            f"K2 {fmt(amounts['k2_ug'])} µg, MK-7 {fmt_total(amounts['mk7_ug'])} µg, K1 "
            f"{fmt_total(amounts['k1_ug'])} µg, calcium {fmt_total(amounts['calcium_mg'])} mg, "
            f"vitamin D {fmt_total(amounts['vitd_ug'])} µg, {fmt_total(amounts['energy_kcal'])} "
            "kcal",
        )
    )
    for title, rows in (("Closest", data["alternatives"]), ("Closest per group", data["by_group"])):
        stdout.print(styled(title, "bold"))
        table = Table("food", "group", "for the same K2", "usual?", "MK-7", "K1", "calcium",
                      "vitamin D", "kcal", box=None)  # fmt: skip
        for row in rows:
            a = row["amounts"]
            amount = row["household"] or f"{fmt(row['grams_for_same_k2'])} g"
            table.add_row(
                row["name"], row["group"], f"{amount} ({fmt(row['grams_for_same_k2'])} g)",
                "yes" if row["realistic"] else "no, more than people eat",
                fmt_total(a["mk7_ug"]), fmt_total(a["k1_ug"]), fmt_total(a["calcium_mg"]),
                fmt_total(a["vitd_ug"]), fmt_total(a["energy_kcal"]),
            )  # fmt: skip
        stdout.print(table)
    for note in data["notes"]:
        stdout.print(f"• {note}")
    stdout.print(styled(data["method"], "dim"))
