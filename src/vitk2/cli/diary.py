"""``vitk2 parse``, ``vitk2 log`` and ``vitk2 diary show | delete | edit | export | import``."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from vitk2.cli.common import db_option, json_option, open_service, parse_date
from vitk2.cli.output import (
    file_progress,
    fmt,
    fmt_total,
    line,
    print_json,
    stderr,
    stdout,
    styled,
)
from vitk2.errors import InvalidOptionError, MealParseError
from vitk2.files import output_path
from vitk2.foods.database import FoodDB
from vitk2.intake.dates import check_period
from vitk2.intake.diary import check_time
from vitk2.intake.diary_io import entry_record
from vitk2.intake.meals import MealParser, ParsedMeal
from vitk2.locations import diary_file

app = typer.Typer(help="Show, edit, delete, export and import diary entries.")


class MealChoice(StrEnum):
    breakfast = "breakfast"
    lunch = "lunch"
    dinner = "dinner"
    snack = "snack"


class FormatChoice(StrEnum):
    csv = "csv"
    json = "json"


_TABLE_KEYS = ("k1_ug", "k2_ug", "vitd_ug", "calcium_mg")


def _meal_table(parsed: ParsedMeal) -> Table:
    """One row per item (numbered), then the totals, marked the one way. An item
    whose row ends in "*" has notes or suggestions: `_item_notes` lists them."""
    table = Table("#", "item", "food", "amount", "g", "K1 µg", "K2 µg", "D µg", "Ca mg", box=None)
    for number, item in enumerate(parsed.items, start=1):
        mark = f"{number}*" if item.notes or item.suggestions else str(number)
        if item.status != "ok":
            problem = line(styled("unresolved", "red"), f": {item.problem or ''}")
            table.add_row(mark, item.text, problem, "", "", "", "", "", "")
            continue
        amounts = item.intake.amounts if item.intake else {}
        partial = item.intake.incomplete if item.intake else frozenset()
        amount = f"{item.quantity:g} {item.unit}" if item.quantity is not None else ""
        table.add_row(
            mark,
            item.text,
            item.name or "",
            amount,
            fmt(item.grams),
            *(
                fmt_total(amounts.get(k), k in partial) if k in partial else fmt(amounts.get(k))
                for k in _TABLE_KEYS
            ),
        )
    totals = parsed.totals
    table.add_row(
        "", styled("total", "bold"), "", "", "",
        *(totals.total(k).text(fmt) for k in _TABLE_KEYS),
    )  # fmt: skip
    return table


def _item_notes(parsed: ParsedMeal) -> list[str]:
    """Every note (each assumption the JSON's ``notes`` has) and, for an unresolved
    item, its suggestions, by item number: printed right under the table."""
    lines: list[str] = []
    for number, item in enumerate(parsed.items, start=1):
        lines.extend(f"{number}* {note}" for note in item.notes)
        if item.suggestions:
            lines.append(f"{number}* try: " + "; ".join(item.suggestions))
    return lines


def _print_meal(parsed: ParsedMeal) -> None:
    stdout.print(_meal_table(parsed))
    for note_line in _item_notes(parsed):
        stdout.print(note_line)


def _k2_line(parsed: ParsedMeal) -> str:
    t = parsed.totals
    c = t.coverage
    k2 = t.total("k2_ug")
    span = t.k2_range()
    shown = f"K2 {k2.text(fmt)}" + ("" if k2.value is None else " µg")
    if span is not None and span[0] != span[1]:
        shown += f" (range {fmt(span[0])}–{fmt(span[1])})"
    return (
        f"{shown}; food with measured K2 {fmt(c.measured_g)} g, imputed {fmt(c.imputed_g)} g, "
        f"unknown {fmt(c.unknown_g)} g; from supplements {fmt(c.supplement_ug)} µg. "
        "'≥' marks a total that misses foods with unknown values; 'unknown', one with "
        "nothing known."
    )


def register(root: typer.Typer) -> None:
    """Add `parse` and `log` to the top-level app."""

    @root.command("parse")
    def parse_command(
        text: str = typer.Argument(..., help="What you ate, e.g. '2 slices of gouda, 50 g natto'."),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Parse meal text into foods, grams and nutrients (stores nothing).

        Exits with code 1 when an item is unresolved (the output says why)."""
        products, own_foods = _products_if_any(db)
        parsed = MealParser(FoodDB.default(), products, own_foods=own_foods).parse(text)
        if as_json:
            print_json(parsed.as_dict())
        else:
            _print_meal(parsed)
            stdout.print(_k2_line(parsed))
        if parsed.unresolved:
            raise MealParseError(
                f"{len(parsed.unresolved)} item(s) unresolved: "
                + "; ".join(f"{i.text!r}: {i.problem}" for i in parsed.unresolved)
            )

    @root.command("log")
    def log_command(
        text: str = typer.Argument(..., help="What you ate, e.g. '2 slices of gouda, 50 g natto'."),
        day: str | None = typer.Option(
            None, "--date", help="Day eaten (YYYY-MM-DD; default today)."
        ),
        time: str | None = typer.Option(None, "--time", help="Time eaten (HH:MM, 24-hour)."),
        meal: MealChoice | None = typer.Option(None, "--meal", help="Which meal."),
        partial: bool = typer.Option(
            False, "--partial", help="Store the resolved items even if some are unresolved."
        ),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Parse meal text and store every item in the diary, in one transaction."""
        when = parse_date(day, "--date", default=date.today())
        assert when is not None
        if time is not None:
            check_time(time)
        service = open_service(db)
        result = service.log(
            text, day=when, time=time, meal=None if meal is None else meal.value, partial=partial
        )
        if as_json:
            print_json(
                {
                    **result.meal.as_dict(),
                    "stored": [entry_record(e) for e in result.stored],
                    "skipped": [item.text for item in result.skipped],
                }
            )
            return
        _print_meal(result.meal)
        stdout.print(
            f"Logged {len(result.stored)} item(s) on {when.isoformat()} "
            f"(entry ids {', '.join(str(e.id) for e in result.stored)})."
        )
        if result.skipped:
            stderr.print(
                f"Skipped {len(result.skipped)} unresolved item(s): "
                + "; ".join(repr(i.text) for i in result.skipped)
            )


def _products_if_any(db: str | None) -> tuple[list[Any], list[Any]]:
    """User products and own foods from the diary when it exists. `parse` stores
    nothing, so it never creates a diary (nor loads SQLAlchemy when there is none)."""
    path = diary_file(db)  # None: a server database, which opening does not create
    if path is not None and not path.exists():
        return [], []
    store = open_service(db).store
    return list(store.supplements()), list(store.own_foods(retired=True))


@app.command("show")
def show_command(
    day: str | None = typer.Option(None, "--date", help="One day (YYYY-MM-DD)."),
    start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD)."),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """List diary entries (all of them, one day, or a period) with their ids."""
    if day is not None and (start is not None or end is not None):
        raise InvalidOptionError("Use either --date or --from/--to, not both.")
    one_day = day is not None
    first = parse_date(day if one_day else start, "--date" if one_day else "--from")
    last = parse_date(day if one_day else end, "--date" if one_day else "--to")
    check_period(first, last)
    service = open_service(db)
    entries = service.store.entries(start=first, end=last)
    if as_json:
        print_json([entry_record(e) for e in entries])
        return
    if not entries:
        stdout.print("No diary entries in this period. Add some with `vitk2 log TEXT`.")
        return
    table = Table(
        "id", "date", "time", "meal", "item", "food / supplement", "amount", "g", box=None
    )
    for e in entries:
        table.add_row(
            str(e.id), e.day.isoformat(), e.time or "", e.meal or "", e.text, e.name,
            f"{e.quantity:g} {e.unit}", fmt(e.grams),
        )  # fmt: skip
    stdout.print(table)


# "-1" is read as an id (and refused as unknown), not as an unknown option.
_IDS = {"ignore_unknown_options": True}


@app.command("delete", context_settings=_IDS)
def delete_command(
    entry_id: int = typer.Argument(..., help="Entry id (see `vitk2 diary show`)."),
    db: str | None = db_option(),
) -> None:
    """Delete one diary entry."""
    open_service(db).store.delete_entry(entry_id)
    stdout.print(f"Deleted entry {entry_id}.")


@app.command("edit", context_settings=_IDS)
def edit_command(
    entry_id: int = typer.Argument(..., help="Entry id (see `vitk2 diary show`)."),
    grams: float | None = typer.Option(None, "--grams", help="New weight in grams (foods)."),
    text: str | None = typer.Option(None, "--text", help="New item text, parsed again."),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Change an entry's grams, or replace it by new text (one item)."""
    entry = open_service(db).edit(entry_id, grams=grams, text=text)
    if as_json:
        print_json(entry_record(entry))
        return
    stdout.print(f"Entry {entry.id}: {entry.name}, {entry.quantity:g} {entry.unit}.")


@app.command("export")
def export_command(
    path: str = typer.Argument(..., help="File to write."),
    fmt_choice: FormatChoice | None = typer.Option(
        None,
        "--format",
        help="csv or json (both round-trip every field); default: from the file name "
        "(.json, else csv).",
    ),
    db: str | None = db_option(),
) -> None:
    """Write every diary entry to a CSV or JSON file (entries only: `vitk2 backup`
    saves the whole diary)."""
    target = output_path(path)
    count = open_service(db).export(target, None if fmt_choice is None else fmt_choice.value)
    stdout.print(
        f"Exported {count} entries to {target}. (Entries only: `vitk2 backup FILE` saves the "
        "profile, medications, INR readings and products too.)"
    )


@app.command("import")
def import_command(
    path: Path = typer.Argument(..., help="A CSV or JSON file written by `diary export`."),
    db: str | None = db_option(),
) -> None:
    """Add the entries of an export file; any bad row means nothing is imported.
    Entries already in the diary (imported before) are skipped."""
    service = open_service(db)
    with file_progress(path, "Importing") as progress:
        counts = service.import_file(path, progress=progress)
    skipped = f"; {counts.skipped} already in the diary were skipped" if counts.skipped else ""
    stdout.print(f"Imported {counts.added} entries from {path}{skipped}.")
