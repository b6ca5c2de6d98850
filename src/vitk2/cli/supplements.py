"""``vitk2 supplement add | list | remove``."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from vitk2.cli.common import db_option, json_option, open_service
from vitk2.cli.output import fmt, print_json, stdout
from vitk2.errors import InvalidOptionError
from vitk2.supplements import SupplementProduct, define_product

app = typer.Typer(help="Supplement products: define yours from the label, list them.")


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
    label = _label(ctx.args)
    product = define_product(name, per, label)
    service = open_service(db)
    service.store.save_supplement(product)
    if as_json:
        print_json(product_json(product))
        return
    amounts = ", ".join(f"{key} {fmt(value)}" for key, value in product.amounts.items())
    stdout.print(f"Saved {product.name}: per {product.unit}: {amounts}.")
    stdout.print(f'Log it in meal text, e.g. `vitk2 log "1 {product.unit} {product.name}"`.')


def _label(args: list[str]) -> dict[str, str]:
    label: dict[str, str] = {}
    index = 0
    while index < len(args):
        option = args[index]
        if not option.startswith("--"):
            raise InvalidOptionError(
                f"Unexpected {option!r}: give label amounts as --KEY AMOUNT, e.g. --mk7 100ug."
            )
        key, _, inline = option[2:].partition("=")
        if inline:
            value = inline
        elif index + 1 < len(args):
            index += 1
            value = args[index]
        else:
            raise InvalidOptionError(f"{option} needs an amount, e.g. {option} 100ug.")
        if key.replace("-", "_") in label:
            raise InvalidOptionError(f"{option} is given twice.")
        label[key.replace("-", "_")] = value
        index += 1
    return label


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
