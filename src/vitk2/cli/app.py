"""Entry point: builds the Typer app and turns every `Vitk2Error` into one line."""

from __future__ import annotations

import os
import sys

import typer

from vitk2 import __version__
from vitk2.cli import clinician, diary, evidence, foods, inr, profile, report, serve, supplements
from vitk2.cli import findings as findings_cli
from vitk2.cli import whatif as whatif_cli
from vitk2.cli.common import close_stores
from vitk2.cli.output import print_json, stdout
from vitk2.errors import Vitk2Error
from vitk2.foods.nutrients import NUTRIENTS

app = typer.Typer(
    name="vitk2",
    help=(
        "Vitamin K2 (each menaquinone), K1, vitamin D and calcium: a K2-aware food "
        "database with search and rankings. vitk2 informs; it does not diagnose or prescribe."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(foods.app, name="foods")
app.add_typer(diary.app, name="diary")
app.add_typer(profile.app, name="profile")
app.add_typer(supplements.app, name="supplement")
app.add_typer(inr.app, name="inr")
app.add_typer(evidence.app, name="evidence")
diary.register(app)
report.register(app)
findings_cli.register(app)
clinician.register(app)
whatif_cli.register(app)
serve.register(app)


def _version(value: bool) -> None:
    if value:
        stdout.print(f"vitk2 {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """vitk2 command line."""


@app.command("nutrients")
def nutrients_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List every nutrient key with its unit and SR28 nutrient number."""
    rows = [
        {"key": n.key, "name": n.name, "unit": n.unit, "sr28": n.sr_number}
        for n in NUTRIENTS.values()
    ]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("key", "name", "unit", "SR28", box=None)
    for row in rows:
        table.add_row(row["key"], row["name"], row["unit"], row["sr28"] or "literature")
    stdout.print(table)


def main() -> None:
    """Console-script entry point: usage errors exit 2 (Typer's own message);
    every `Vitk2Error` becomes one line on stderr and exit code 1."""
    try:
        app()
    except Vitk2Error as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
    finally:
        close_stores()


if __name__ == "__main__":
    main()
