"""``vitk2 inr add | show | delete``: the INR log of people on vitamin K antagonists."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from vitk2.cli.common import db_option, json_option, open_service, parse_date
from vitk2.cli.output import print_json, stdout
from vitk2.errors import InvalidOptionError
from vitk2.safety.inr import INR_MAX, INR_MIN, InrReading, InrSummary, parse_inr, summarize_inr

app = typer.Typer(
    help=(
        "Your INR readings (for warfarin, acenocoumarol, phenprocoumon), to see them next "
        "to your vitamin K intake. vitk2 stores and shows them; it does not judge them."
    )
)

_HINT = "Add one with `vitk2 inr add 2.4 --date YYYY-MM-DD` (the day the blood was taken)."


def _inr(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@app.command("add")
def add_command(
    value: str = typer.Argument(
        ...,
        help=f"The INR as your meter or lab reports it ({INR_MIN:g} to {INR_MAX:g}), e.g. 2.4 "
        "or 2,4.",
        show_default=False,
    ),
    day: str | None = typer.Option(
        None, "--date", help="Day the blood was taken (YYYY-MM-DD; default today)."
    ),
    note: str | None = typer.Option(
        None, "--note", help="A short note (at most 200 characters), e.g. 'clinic' or 'meter'."
    ),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """Log one INR reading."""
    when = parse_date(day, "--date", default=date.today())
    assert when is not None
    reading = InrReading(day=when, value=parse_inr(value), note=note)  # validate before opening
    stored = open_service(db).add_inr(reading.value, day=reading.day, note=reading.note)
    if as_json:
        print_json(stored.as_dict())
        return
    stdout.print(
        f"Logged INR {_inr(stored.value)} on {stored.day.isoformat()} (reading id {stored.id})."
    )


@app.command("show")
def show_command(
    start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD)."),
    as_json: bool = json_option(),
    db: str | None = db_option(),
) -> None:
    """List INR readings (all of them or a period) with their ids and a summary."""
    first = parse_date(start, "--from")
    last = parse_date(end, "--to")
    if first and last and first > last:
        raise InvalidOptionError(f"--from {first} is after --to {last}.")
    readings = open_service(db).inr_readings(first, last)
    summary = summarize_inr(readings)
    if as_json:
        print_json(
            {"readings": [reading.as_dict() for reading in readings], "summary": summary.as_dict()}
        )
        return
    if not readings:
        period = "" if first is None and last is None else " in this period"
        stdout.print(f"No INR readings{period}. {_HINT}")
        return
    table = Table("id", "date", "INR", "note", box=None)
    for reading in readings:
        table.add_row(
            str(reading.id),
            reading.day.isoformat(),
            _inr(reading.value),
            reading.note or "",
        )
    stdout.print(table)
    stdout.print(_summary_line(summary))
    stdout.print("INR against weekly vitamin K intake: `vitk2 consistency`.")


def _summary_line(summary: InrSummary) -> str:
    assert summary.first is not None and summary.last is not None
    span = (
        f"on {summary.first.isoformat()}"
        if summary.first == summary.last
        else f"from {summary.first.isoformat()} to {summary.last.isoformat()}"
    )
    noun = "reading" if summary.count == 1 else "readings"
    return (
        f"{summary.count} {noun} {span}; INR min {_inr(summary.min)}, "
        f"median {_inr(summary.median)}, max {_inr(summary.max)}."
    )


@app.command("delete", context_settings={"ignore_unknown_options": True})
def delete_command(
    reading_id: int = typer.Argument(..., help="Reading id (see `vitk2 inr show`)."),
    db: str | None = db_option(),
) -> None:
    """Delete one INR reading."""
    open_service(db).delete_inr(reading_id)
    stdout.print(f"Deleted INR reading {reading_id}.")
