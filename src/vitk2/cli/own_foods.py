"""``vitk2 recipe add | show | list | edit | delete`` and ``vitk2 food add | show | list |
delete``: your own recipes and foods from a label."""

from __future__ import annotations

from typing import Any, Final

import typer
from rich.table import Column, Table

from vitk2.cli.common import db_option, json_option, label_args, open_service
from vitk2.cli.output import fmt, fmt_range, fmt_total, line, print_json, stdout, styled
from vitk2.errors import InvalidOptionError
from vitk2.foods.amounts import read_decimal
from vitk2.foods.nutrients import MENAQUINONE_KEYS, NUTRIENTS
from vitk2.foods.values import FoodVector
from vitk2.intake.own_foods import OwnFood, OwnKind
from vitk2.intake.own_records import own_food_json, own_food_list_json, per_serving
from vitk2.intake.own_values import OwnFoodDetail

recipe_app = typer.Typer(
    help="Your recipes: ingredients in meal text, logged like any food ('1 serving lasagne')."
)
food_app = typer.Typer(
    help="Your own foods from a label, logged like any food ('1 bar MyBar'). "
    "(`vitk2 foods` searches the shipped food database.)"
)

#: The nutrients a list or the summary of a show prints (JSON has every key).
_LIST_KEYS: Final = ("k1_ug", "k2_ug", "vitd_ug", "calcium_mg", "energy_kcal")
#: The columns of the list table (80 characters wide; energy is in show and --json).
_TABLE_KEYS: Final = _LIST_KEYS[:4]
_ALWAYS: Final = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg")
_MORE: Final = ("energy_kcal", "protein_g", "fat_g", "carbs_g")
_MAX_NOTE_CHARS: Final = 200
_SHORT: Final = {
    "k1_ug": "K1",
    "k2_ug": "K2",
    "vitd_ug": "vitamin D",
    "calcium_mg": "calcium",
    "energy_kcal": "energy",
}
_IDS = {"ignore_unknown_options": True}


def _note(text: str | None) -> str | None:
    if text is not None and len(text) > _MAX_NOTE_CHARS:
        raise InvalidOptionError(f"--note has at most {_MAX_NOTE_CHARS} characters.")
    return text or None


def _number(text: str | None, option: str) -> float | None:
    return None if text is None else read_decimal(text, what=option)


# -- shapes --------------------------------------------------------------------------------


# -- printing ------------------------------------------------------------------------------


def _value(value: float | None, lower_bound: bool) -> str:
    return fmt_total(value, lower_bound)


def _print_detail(detail: OwnFoodDetail, entries: int, recipes: tuple[str, ...]) -> None:
    food = detail.food
    status = "  retired: kept for the entries logged with it" if food.retired else ""
    stdout.print(line(styled(food.title, "bold"), f"  {food.ref}{status}"))
    if food.serving is not None:
        stdout.print(
            f"From your label, per {food.serving.text} ({food.serving.grams:g} g). "
            "A nutrient the label does not state is unknown."
        )
    else:
        cooked = f"cooked weight {food.total_g:g} g, " if food.yield_g is not None else ""
        stdout.print(
            f"Serves {food.serves:g}: {food.serving_g:g} g a serving ({cooked}ingredients "
            f"{food.raw_g:g} g)."
        )
        table = Table("#", "ingredient", "food", "g", "K1 µg", "K2 µg", "D µg", "Ca mg", box=None)
        for number, part in enumerate(detail.ingredients, start=1):
            table.add_row(
                str(number),
                part.ingredient.text,
                f"{part.ingredient.name} ({part.ingredient.ref})",
                fmt(part.ingredient.grams),
                *(fmt(part.amounts[k]) for k in ("k1_ug", "k2_ug", "vitd_ug", "calcium_mg")),
            )
        stdout.print(table)
    if food.note:
        stdout.print(f"Note: {food.note}")
    keys = [
        k
        for k in ("k1_ug", "dk1_ug", *MENAQUINONE_KEYS, "k2_ug", "vitk_ug", "vitd_ug")
        if k in _ALWAYS or detail.nutrients[k].per_100g is not None
    ]
    recipe = food.kind == "recipe"
    columns = ["nutrient", "per 100 g", "per serving", *(["known for"] if recipe else [])]
    values = Table(*columns, "sources", box=None)
    for key in (*keys, "calcium_mg", *_MORE):
        value = detail.nutrients[key]
        per_100g = _value(value.per_100g, value.lower_bound)
        if value.low is not None and value.high is not None and value.low != value.high:
            per_100g += f" ({fmt_range(value.low, value.high)})"
        share = [] if value.known_share is None else [f"{value.known_share:.0%}"]
        values.add_row(
            f"{NUTRIENTS[key].name} ({value.unit})",
            per_100g,
            _value(value.per_serving, value.lower_bound),
            *share,
            ", ".join(value.sources[:4]) + (" …" if len(value.sources) > 4 else ""),
        )
    stdout.print(values)
    if recipe:
        measured, imputed, unknown = detail.k2_shares
        stdout.print(
            f"K2 known for {measured + imputed:.0%} of the grams (measured {measured:.0%}, "
            f"imputed {imputed:.0%}, unknown {unknown:.0%}). 'unknown': nothing known; '≥': "
            "a lower bound (an ingredient's value is unknown). `--json` has every nutrient "
            "with its method."
        )
    else:
        stdout.print(
            "'unknown': not on your label, never counted as 0. Label values count as imputed "
            "(a manufacturer's claim). `--json` has every nutrient with its method."
        )
    used = []
    if entries:
        used.append(f"{entries} diary entr{'y' if entries == 1 else 'ies'}")
    if recipes:
        used.append("recipe(s) " + ", ".join(recipes))
    if used:
        stdout.print(f"Used by {' and '.join(used)}.")


def _print_saved(saved: Any, as_json: bool, service: Any, notes: list[str] | None = None) -> None:
    food: OwnFood = saved.food
    detail, uses = service.own_food_detail(food.ref, food.kind)
    if as_json:
        data = own_food_json(detail, uses.entries, uses.recipes)
        print_json(data if notes is None else {**data, "notes": notes})
        return
    old: OwnFood | None = saved.replaced
    if old is None:
        stdout.print(line("Saved ", styled(food.title, "bold"), f" ({food.ref})."))
    elif saved.replaced_uses:
        stdout.print(
            line(
                "Saved ",
                styled(food.title, "bold"),
                f" ({food.ref}). The earlier version {old.ref} is kept, retired, because "
                f"it is used by {saved.replaced_uses.text()}.",
            )
        )
    else:
        stdout.print(
            line("Saved ", styled(food.title, "bold"), f" ({food.ref}), replacing {old.ref}.")
        )
    per = per_serving(food, detail.vector)
    partial = detail.vector.partial
    shown = ", ".join(
        f"{_SHORT[k]} {_value(per[k], k in partial)}"
        + ("" if per[k] is None else f" {NUTRIENTS[k].unit}")
        for k in _LIST_KEYS
    )
    stdout.print(f"Per serving ({food.serving_g:g} g): {shown}.")
    for note in notes or ():
        stdout.print(f"* {note}")
    stdout.print(
        f'Log it: vitk2 log "{food.log_text}". Details: vitk2 {food.noun} show {food.ref}.'
    )


def _print_list(rows: list[tuple[OwnFood, FoodVector]], kind: OwnKind) -> None:
    if not rows:
        hint = (
            'vitk2 recipe add NAME --serves N "200 g spaghetti, 150 g minced beef"'
            if kind == "recipe"
            else "vitk2 food add NAME --per '1 bar' --grams 40 --calcium 200mg"
        )
        stdout.print(f"No {kind if kind == 'recipe' else 'food'}s of your own yet. Add one: {hint}")
        return
    retired = any(food.retired for food, _ in rows)
    columns: list[str | Column] = [
        Column("id", no_wrap=True, min_width=11),
        Column("name", overflow="fold", min_width=10),
        "v.",
    ]
    columns += ["serves", "g"] if kind == "recipe" else ["per", "g"]
    numbers = ("K1 µg", "K2 µg", "D µg", "Ca mg")
    columns += [Column(n, justify="right", no_wrap=True, min_width=7) for n in numbers]
    columns += [""] if retired else []
    table = Table(*columns, box=None, padding=(0, 1), pad_edge=False)
    for food, vector in rows:
        per = per_serving(food, vector)
        size = (
            fmt(food.serves)
            if food.kind == "recipe"
            else (food.serving.text if food.serving else "")
        )
        table.add_row(
            food.ref,
            food.name,
            str(food.version),
            size,
            fmt(food.serving_g),
            *(_value(per[k], k in vector.partial) for k in _TABLE_KEYS),
            *(("retired" if food.retired else "",) if retired else ()),
        )
    stdout.print(table)
    stdout.print("Amounts per serving of g grams. 'unknown': nothing known; '≥': a lower bound.")


def _delete(kind: OwnKind, which: str, db: str | None) -> None:
    food, uses = open_service(db).store.delete_own_food(which, kind=kind)
    if uses:
        stdout.print(
            f"Retired {food.noun} {food.name} ({food.ref}): it is used by {uses.text()}, so "
            f"it is kept for them (`vitk2 {food.noun} list --all`); meal text no longer finds it."
        )
    else:
        stdout.print(f"Deleted {food.noun} {food.name} ({food.ref}).")


# -- recipes -------------------------------------------------------------------------------


@recipe_app.command("add")
def recipe_add_command(
    name: str = typer.Argument(..., help="The recipe's name, as you will write it in meals."),
    text: str = typer.Argument(..., help="The ingredients in meal text: '200 g spaghetti, …'."),
    serves: str = typer.Option(..., "--serves", help="How many servings it makes."),
    yield_g: str | None = typer.Option(
        None, "--yield-g", help="Its cooked weight in grams (default: the ingredients')."
    ),
    note: str | None = typer.Option(None, "--note", help="A note, e.g. where it is from."),
    replace: bool = typer.Option(
        False, "--replace", help="Replace your recipe of this name (entries keep the old one)."
    ),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Add a recipe: its ingredients read like meal text, every one must resolve.

    Example: vitk2 recipe add lasagne --serves 6 "250 g lasagne noodles, 500 g minced
    beef, 700 g tomato sauce, 200 g mozzarella, 50 g parmesan" """
    service = open_service(db)
    result = service.add_recipe(
        name,
        text,
        serves=_number(serves, "--serves") or 0.0,
        yield_g=_number(yield_g, "--yield-g"),
        note=_note(note),
        replace=replace,
    )
    _print_saved(result.saved, as_json, service, result.notes())


@recipe_app.command("edit")
def recipe_edit_command(
    which: str = typer.Argument(..., metavar="NAME|ID", help="The recipe's name or id."),
    text: str | None = typer.Argument(None, help="New ingredients in meal text."),
    serves: str | None = typer.Option(None, "--serves", help="New number of servings."),
    yield_g: str | None = typer.Option(None, "--yield-g", help="New cooked weight in grams."),
    no_yield: bool = typer.Option(
        False, "--no-yield", help="Drop the cooked weight (use the ingredients' weight)."
    ),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Change a recipe's ingredients, servings or cooked weight: a new version, and the
    entries logged with the old one keep it."""
    service = open_service(db)
    result = service.edit_recipe(
        which,
        text=text,
        serves=_number(serves, "--serves"),
        yield_g=_number(yield_g, "--yield-g"),
        drop_yield=no_yield,
    )
    _print_saved(result.saved, as_json, service, result.notes())


@recipe_app.command("show", context_settings=_IDS)
def recipe_show_command(
    which: str = typer.Argument(..., metavar="NAME|ID", help="The recipe's name or id."),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Show a recipe: ingredients, nutrients per 100 g and per serving with their
    sources, and what uses it."""
    _show("recipe", which, as_json, db)


def _show(kind: OwnKind, which: str, as_json: bool, db: str | None) -> None:
    detail, uses = open_service(db).own_food_detail(which, kind)
    if as_json:
        print_json(own_food_json(detail, uses.entries, uses.recipes))
        return
    _print_detail(detail, uses.entries, uses.recipes)


@recipe_app.command("list")
def recipe_list_command(
    show_all: bool = typer.Option(
        False, "--all", help="Also the retired versions kept for past entries."
    ),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """List your recipes with what a serving holds."""
    _list("recipe", show_all, as_json, db)


def _list(kind: OwnKind, show_all: bool, as_json: bool, db: str | None) -> None:
    rows = open_service(db).own_food_list(kind, retired=show_all)
    if as_json:
        print_json([own_food_list_json(food, vector) for food, vector in rows])
        return
    _print_list(rows, kind)


@recipe_app.command("delete", context_settings=_IDS)
def recipe_delete_command(
    which: str = typer.Argument(..., metavar="NAME|ID", help="The recipe's name or id."),
    db: str | None = db_option(),
) -> None:
    """Delete a recipe; one that entries or recipes use is retired (kept for them)."""
    _delete("recipe", which, db)


# -- foods from a label --------------------------------------------------------------------


@food_app.command(
    "add", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def food_add_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The food's name, as you will write it in meals."),
    per: str = typer.Option(
        ..., "--per", help="What the label's figures are for: '1 bar', '2 biscuits', '100 g'."
    ),
    grams: str | None = typer.Option(
        None, "--grams", help="What that weighs, in grams (not needed for '100 g')."
    ),
    note: str | None = typer.Option(None, "--note", help="A note, e.g. the brand."),
    replace: bool = typer.Option(
        False, "--replace", help="Replace your food of this name (entries keep the old one)."
    ),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Add a food from its label: --KEY AMOUNT for each nutrient the label states.

    Example: vitk2 food add MyBar --per "1 bar" --grams 40 --calcium 200mg --vitd 2ug
    --energy 180kcal. A label's plain "vitamin K" is --vitk (K1 and K2 stay unknown)."""
    service = open_service(db)
    saved = service.add_label_food(
        name,
        per,
        grams=_number(grams, "--grams"),
        label=label_args(ctx.args, example="--calcium 200mg"),
        note=_note(note),
        replace=replace,
    )
    _print_saved(saved, as_json, service)


@food_app.command("show", context_settings=_IDS)
def food_show_command(
    which: str = typer.Argument(..., metavar="NAME|ID", help="The food's name or id."),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Show a food of yours: its label, nutrients per 100 g and per serving."""
    _show("label", which, as_json, db)


@food_app.command("list")
def food_list_command(
    show_all: bool = typer.Option(
        False, "--all", help="Also the retired versions kept for past entries."
    ),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """List your foods with what a serving holds."""
    _list("label", show_all, as_json, db)


@food_app.command("delete", context_settings=_IDS)
def food_delete_command(
    which: str = typer.Argument(..., metavar="NAME|ID", help="The food's name or id."),
    db: str | None = db_option(),
) -> None:
    """Delete a food of yours; one that entries or recipes use is retired (kept)."""
    _delete("label", which, db)
