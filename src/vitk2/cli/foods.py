"""``vitk2 foods search | show | top``."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from vitk2.cli.output import fmt, fmt_range, line, print_json, stdout, styled
from vitk2.errors import quoted
from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import MENAQUINONE_KEYS, NUTRIENTS, VITAMIN_K_KEYS, resolve_nutrient
from vitk2.foods.records import food_record, hit_record, ranked_record
from vitk2.foods.values import NutrientValue, Recipe

app = typer.Typer(help="Search foods, show a food's nutrients, rank foods by a nutrient.")

# Shown by `foods show` without --all (vitamin K is always shown per vitamer).
_SUMMARY_KEYS = (
    "energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "sodium_mg", "calcium_mg",
    "phosphorus_mg", "magnesium_mg", "vitd_ug",
)  # fmt: skip


class PerChoice(StrEnum):
    g100 = "100g"
    serving = "serving"
    kcal100 = "100kcal"


def _limit_option(default: int) -> Any:
    return typer.Option(default, "--limit", "-n", min=1, max=1000, help="How many foods to list.")


def _dishes_option(help_text: str) -> Any:
    return typer.Option(False, "--dishes", help=help_text)


@app.command("groups")
def groups_command(
    dishes: bool = _dishes_option("List the WWEIA categories of the FNDDS foods instead."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the SR28 food groups (for `foods top --group`), or the FNDDS categories."""
    db = FoodDB.default()
    groups = db.categories if dishes else db.groups
    if as_json:
        print_json(list(groups))
        return
    for name in groups:
        stdout.print(name)


@app.command("search")
def search_command(
    text: str = typer.Argument(..., help="What you would call the food: 'gouda', 'boiled egg'."),
    limit: int = _limit_option(10),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Find foods by name; the food you most likely mean comes first."""
    hits = FoodDB.default().search(text, limit=limit)
    if as_json:
        print_json([hit_record(h) for h in hits])
        return
    if not hits:
        stdout.print(f"No foods match {quoted(text)}.")
        return
    table = Table("id", "name", "group", "score", box=None)
    for hit in hits:
        table.add_row(hit.id, hit.name, hit.group, f"{hit.score:.2f}")
    stdout.print(table)


def _print_recipe(recipe: Recipe) -> None:
    table = Table(
        "ingredient", "grams", "",
        title=f"Recipe (FNDDS): {fmt(recipe.total_g)} g of ingredients, "
        f"{fmt(recipe.yield_pct)} % after cooking ({recipe.yield_source})",
        title_justify="left",
    )  # fmt: skip
    for ingredient in recipe.ingredients:
        table.add_row(f"{ingredient.id} {ingredient.name}", fmt(ingredient.grams), ingredient.note)
    stdout.print()
    stdout.print(table)


@app.command("show")
def show_command(
    food_id: str = typer.Argument(
        ..., metavar="ID", help="Food id, e.g. usda:01022 or fndds:58106230."
    ),
    show_all: bool = typer.Option(False, "--all", help="Show every nutrient, not a summary."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (always every nutrient)."),
) -> None:
    """Show a food's nutrients per 100 g, vitamin K per vitamer, and household portions."""
    db = FoodDB.default()
    food = db.get(food_id)
    if as_json:
        print_json(food_record(food))
        return
    stdout.print(line(styled(food.name, "bold"), f"  ({food.id}, {food.group})"))
    stdout.print("Values per 100 g edible portion. '—' = not known (never counted as 0).\n")

    vitk = Table(
        "vitamer", "µg", "range", "basis", "sources", title="Vitamin K", title_justify="left"
    )
    for key in VITAMIN_K_KEYS:
        value = food.nutrients[key]
        if value.basis == "unknown" and key not in ("k1_ug", "mk4_ug", "k2_ug", "vitk_ug"):
            continue
        vitk.add_row(
            NUTRIENTS[key].name,
            fmt(value.value),
            fmt_range(value.low, value.high),
            value.basis,
            ", ".join(value.sources),
        )
    stdout.print(vitk)
    k2 = food.nutrients["k2_ug"]
    if k2.method:
        stdout.print(f"K2: {k2.method}", style="dim")
    for source, note in k2.estimates:
        stdout.print(f"  [{source}] {note}", style="dim")
    _print_menaquinone_notes(food.nutrients)
    if food.recipe is not None:
        _print_recipe(food.recipe)

    keys = [k for k in NUTRIENTS if k not in VITAMIN_K_KEYS] if show_all else _SUMMARY_KEYS
    table = Table(
        "nutrient", "value", "unit", "range", "basis", title="Nutrients", title_justify="left"
    )
    for key in keys:
        value = food.nutrients[key]
        if show_all and value.basis == "unknown":
            continue
        table.add_row(
            key, fmt(value.value), value.unit, fmt_range(value.low, value.high), value.basis
        )
    stdout.print()
    stdout.print(table)
    if food.portions:
        portions = Table("portion", "grams", title="Household portions", title_justify="left")
        for portion in food.portions:
            portions.add_row(portion.name, fmt(portion.grams))
        stdout.print()
        stdout.print(portions)
    stdout.print(
        "\nSources: usda_sr28 = USDA SR28, usda_fndds_2017_2018 = USDA FNDDS 2017-2018; "
        "other keys: see docs/data.md.",
        style="dim",
    )


def _print_menaquinone_notes(nutrients: Mapping[str, NutrientValue]) -> None:
    """How each menaquinone with a value was found: a measured one's estimates, an
    imputed one's rule (e.g. ``split``: the K2 total by its family's pattern)."""
    for key in MENAQUINONE_KEYS:
        value = nutrients[key]
        if value.basis == "unknown":
            continue
        label = NUTRIENTS[key].name
        if value.method:
            stdout.print(f"{label}: {value.method}", style="dim")
        elif value.estimates:
            stdout.print(f"{label}:", style="dim")
        for source, note in value.estimates:
            stdout.print(f"  [{source}] {note}", style="dim")


@app.command("top")
def top_command(
    nutrient: str = typer.Argument(..., help="Nutrient key or alias: k2, mk7, k1, vitd, calcium…"),
    per: PerChoice = typer.Option(
        PerChoice.g100, "--per", help="Rank per 100 g, per serving or per 100 kcal."
    ),
    group: str | None = typer.Option(
        None, "--group", help="Only foods of this food group (part of its name)."
    ),
    limit: int = _limit_option(20),
    measured_only: bool = typer.Option(False, "--measured-only", help="Leave out imputed values."),
    dishes: bool = _dishes_option(
        "Also rank the FNDDS foods as eaten (dishes, sandwiches, drinks); --group may then "
        "name a WWEIA category."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Foods richest in a nutrient. Foods whose value is unknown are never ranked."""
    key = resolve_nutrient(nutrient).key
    rows = FoodDB.default().top(
        key,
        per=per.value,
        group=group,
        limit=limit,
        include_imputed=not measured_only,
        dishes=dishes,
    )
    if as_json:
        print_json([ranked_record(row) for row in rows])
        return
    unit = NUTRIENTS[key].unit
    per_text = {"100g": "per 100 g", "serving": "per serving", "100kcal": "per 100 kcal"}[per.value]
    table = Table(
        "#", "id", "name", f"{unit} {per_text}", "range", "basis",
        title=f"{NUTRIENTS[key].name} ({key}), {per_text}", title_justify="left",
    )  # fmt: skip
    with_sources = key in VITAMIN_K_KEYS
    if with_sources:
        table.add_column("sources")
    if per is PerChoice.serving:
        table.add_column("serving")
    for index, row in enumerate(rows, start=1):
        cells = [
            str(index),
            row.id,
            row.name,
            fmt(row.value),
            fmt_range(row.low, row.high),
            row.basis,
        ]
        if with_sources:
            cells.append(", ".join(row.sources))
        if per is PerChoice.serving:
            cells.append(f"{row.serving.name} ({fmt(row.serving.grams)} g)" if row.serving else "")
        table.add_row(*cells)
    stdout.print(table)
    if key in VITAMIN_K_KEYS and key != "k1_ug":
        stdout.print(
            "Menaquinone content varies several-fold between batches and brands; "
            "ranges show the spread of published estimates. No authority sets a K2 intake target.",
            style="dim",
        )
