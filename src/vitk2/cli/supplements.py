"""``vitk2 supplement add | list | remove``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from vitk2.cli.common import db_option, json_option, label_args, open_service
from vitk2.cli.output import fmt, print_json, stdout, styled
from vitk2.files import output_path
from vitk2.intake.supplements import SupplementProduct, define_product

app = typer.Typer(
    help="Supplement products: define yours from the label, list them, simulate a regimen."
)


def product_json(product: SupplementProduct) -> dict[str, Any]:
    return {
        "name": product.name,
        "unit": product.unit,
        "amounts": dict(product.amounts),
        "builtin": product.builtin,
        "note": product.note,
    }


@app.command(
    "add",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def add_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Product name as you will write it in meals."),
    per: str = typer.Option(..., "--per", help="The unit the label amounts are for: capsule …"),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Define a product from its label: any nutrient key with an amount and unit.

    Example: vitk2 supplement add MyK2 --per capsule --mk7 100ug --vitd 25ug --calcium 500mg
    (vitamin D also in IU: --vitd 1000IU)."""
    label = label_args(ctx.args, example="--mk7 100ug")
    product = define_product(name, per, label)
    service = open_service(db)
    service.store.save_supplement(product)
    if as_json:
        print_json(product_json(product))
        return
    amounts = ", ".join(f"{key} {fmt(value)}" for key, value in product.amounts.items())
    stdout.print(f"Saved {product.name}: per {product.unit}: {amounts}.")
    stdout.print(f'Log it in meal text, e.g. `vitk2 log "1 {product.unit} {product.name}"`.')


@app.command("list")
def list_command(as_json: bool = json_option(), db: str | None = db_option()) -> None:
    """List your products and the built-in generic ones."""
    products = open_service(db).products()
    if as_json:
        print_json([product_json(p) for p in products])
        return
    table = Table("name", "per", "contains", "kind", box=None)
    for p in products:
        contains = ", ".join(f"{k} {fmt(v)}" for k, v in p.amounts.items())
        table.add_row(p.name, p.unit, contains, "built-in" if p.builtin else "yours")
    stdout.print(table)


@app.command("remove")
def remove_command(
    name: str = typer.Argument(..., help="Product name."), db: str | None = db_option()
) -> None:
    """Remove one of your products (entries already logged keep their amounts)."""
    open_service(db).store.delete_supplement(name)
    stdout.print(f"Removed {name}.")


class FormChoice(StrEnum):
    mk7 = "mk7"
    mk4 = "mk4"
    k1 = "k1"


@app.command("simulate")
def simulate_command(
    form: FormChoice = typer.Option(..., "--form", help="mk7, mk4 or k1."),
    dose: str = typer.Option(..., "--dose", help="Amount per dose with its unit: 180ug, 1.5mg."),
    every: str = typer.Option("24h", "--every", help="Dosing interval: 24h, 12h, 2d, 1w."),
    days: int = typer.Option(84, "--days", help="How many days to simulate (1–3650)."),
    skip: list[int] | None = typer.Option(
        None, "--skip", help="Leave out dose number N (1 = the first); repeat for several."
    ),
    with_diary: bool = typer.Option(
        False, "--with-diary", help="Add your diary's mean daily intake of this form from food."
    ),
    population_size: int | None = typer.Option(
        None, "--population", help="Simulate N virtual people and give percentiles instead."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed for --population."),
    allow_extrapolation: bool = typer.Option(
        False,
        "--allow-extrapolation",
        help="Give the status estimate even beyond the doses and durations of the trials.",
    ),
    as_json: bool = json_option(),
    plot: str | None = typer.Option(
        None, "--plot", help="Write a plot: FILE.png (matplotlib) or FILE.html (Plotly, offline)."
    ),
    db: str | None = db_option(),
) -> None:
    """Simulate a supplement regimen: serum rise over time with its uncertainty band,
    time to steady state, accumulation, and the predicted change in vitamin K status."""
    from vitk2.foods.units import label_amount
    from vitk2.models.regimen import parse_interval, simulate_regimen, simulation_document

    key = f"{form.value}_ug"
    dose_ug = label_amount(dose, key)
    plot_path = None if plot is None else output_path(plot, what="--plot")
    interval_h = parse_interval(every)
    background = _diary_background(form.value, db) if with_diary else 0.0
    if population_size is not None:
        _population(
            form.value, dose_ug, interval_h, days, population_size, seed, plot_path, as_json
        )
        return
    result = simulate_regimen(
        form.value, dose_ug, interval_h=interval_h, days=days,
        skip_doses=[n - 1 for n in skip or []], background_ug_per_day=background,
        allow_extrapolation=allow_extrapolation,
    )  # fmt: skip
    if plot_path is not None:
        _write_plot(result, plot_path, quiet=as_json)
    data = simulation_document(result, background_ug_per_day=background)
    if as_json:
        print_json(data)
        return
    _print_simulation(data)


def _population(
    form: str,
    dose_ug: float,
    interval_h: float,
    days: int,
    subjects: int,
    seed: int,
    plot: Path | None,
    as_json: bool,
) -> None:
    from vitk2.models.regimen import population_document

    result, document = population_document(
        form, dose_ug, interval_h=interval_h, days=days, subjects=subjects, seed=seed
    )
    if plot is not None:
        _write_plot(result, plot, quiet=as_json)
    if as_json:
        print_json(document)
        return
    last = ", ".join(f"p{q} {fmt(float(v[-1]))}" for q, v in result.percentiles.items())
    stdout.print(
        f"{result.subjects} virtual people, {form} {fmt(dose_ug)} µg every {interval_h:g} h "
        f"for {days} days: rise on the last day {last} nmol/L."
    )


def _diary_background(form: str, db: str | None) -> float:
    """Mean daily intake of this form from foods over the whole diary."""
    report = open_service(db).report()
    return round(float(report.mean(f"{form}_ug", source="foods")), 3)


def _write_plot(result: Any, path: Path, *, quiet: bool) -> None:
    """Write the plot and say so (not with --json: stdout holds the JSON)."""
    from vitk2.render.plots import write_plot

    write_plot(result, path)
    if not quiet:
        stdout.print(f"Plot written to {path}.")


def _print_simulation(data: dict[str, Any]) -> None:
    conc = data["conc_nmol_l"]
    low, high = data["low"], data["high"]
    stdout.print(
        styled(
            f"{data['form'].upper()} {fmt(data['dose_ug'])} µg every {data['interval_h']:g} h, "
            f"{data['days']} days",
            "bold",
        )
    )
    ratio = fmt(data["accumulation_ratio"])
    stdout.print(
        f"peak after one dose at {data['tmax_h']} h; steady state (90 %) after "
        f"{fmt(data['steady_state_day'])} days; accumulation ratio {ratio}"
    )
    stdout.print(
        f"rise above baseline on the last day: up to {fmt(max(conc[-96:]))} nmol/L "
        f"(range {fmt(max(low[-96:]))}–{fmt(max(high[-96:]))})"
    )
    comparison = data.get("comparison")
    if comparison:
        mk7, k1 = comparison["mk7_steady_mean_ng_ml"], comparison["k1_steady_mean_ng_ml"]
        stdout.print(
            f"MK-7 vs K1 at {fmt(comparison['daily_dose_ug'])} µg/day: steady-state mean "
            f"{fmt(mk7)} vs {fmt(k1)} ng/mL ({fmt(comparison['mk7_to_k1_mass_ratio'])}×)"
        )
    for name, status in data["status"].items():
        if status["value"] is None:
            stdout.print(f"{name}: {status['note']}")
        else:
            stdout.print(
                f"{name}: {fmt(status['value'])} % (range {fmt(status['low'])} to "
                f"{fmt(status['high'])}) [{', '.join(status['sources'])}]"
            )
    for note in data["notes"]:
        stdout.print(f"• {note}")
