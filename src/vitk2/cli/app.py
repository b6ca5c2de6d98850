"""Entry point: builds the Typer app and turns every `Vitk2Error` into one line."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
import typer.main

from vitk2 import __version__
from vitk2.cli import (
    backup,
    clinician,
    cohort,
    diary,
    evidence,
    foods,
    inr,
    own_foods,
    profile,
    report,
    serve,
    supplements,
)
from vitk2.cli import findings as findings_cli
from vitk2.cli import plan as plan_cli
from vitk2.cli import whatif as whatif_cli
from vitk2.cli.common import close_stores
from vitk2.cli.output import error_line, print_json, stdout
from vitk2.errors import InvalidOptionError, Vitk2Error
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
app.add_typer(own_foods.recipe_app, name="recipe")
app.add_typer(own_foods.food_app, name="food")
app.add_typer(cohort.app, name="cohort")
diary.register(app)
report.register(app)
findings_cli.register(app)
clinician.register(app)
whatif_cli.register(app)
plan_cli.register(app)
backup.register(app)
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


def _click_error() -> type[Exception]:
    """Click's base error class (usage errors and bad option values). Typer vendors
    Click, so it is found from Typer's public `BadParameter` rather than imported."""
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == "ClickException":
            return cls
    return typer.BadParameter  # pragma: no cover - every Click has ClickException


_CLICK_ERROR = _click_error()


def _check_arguments(args: Sequence[str]) -> None:
    """Refuse arguments that are not valid UTF-8 (Python keeps their bytes as lone
    surrogates, which no output can print)."""
    for position, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as error:
            byte = ord(arg[error.start]) - 0xDC00
            raise InvalidOptionError(
                f"Argument {position} is not valid UTF-8 text (byte 0x{byte:02x} at "
                f"character {error.start + 1}); give text in UTF-8."
            ) from None


def _fail(message: str, code: int) -> NoReturn:
    print(f"error: {error_line(message)}", file=sys.stderr)
    raise SystemExit(code)


@functools.cache
def _command() -> Any:
    """The Click command Typer builds from `app` (built once per process)."""
    return typer.main.get_command(app)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``argv`` defaults to the process arguments).

    Every failure prints exactly one line on stderr: a `Vitk2Error` exits with code 1,
    a usage error (unknown option, invalid choice) with Click's code 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        _check_arguments(args)
        code = _command().main(args=args, prog_name="vitk2", standalone_mode=False)
    except Vitk2Error as error:
        _fail(str(error), 1)
    except _CLICK_ERROR as error:
        exit_code = int(getattr(error, "exit_code", 2))
        if type(error).__name__ == "NoArgsIsHelpError":  # help was printed
            raise SystemExit(exit_code) from None
        context = getattr(error, "ctx", None)
        hint = f" See `{context.command_path} --help`." if context is not None else ""
        message = error.format_message()  # type: ignore[attr-defined]
        _fail(f"{message.rstrip('.')}.{hint}", exit_code)
    except typer.Abort:
        _fail("Aborted.", 1)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
    finally:
        close_stores()
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
