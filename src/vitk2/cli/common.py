"""Options and helpers shared by the diary, profile, supplement and report commands."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import typer

from vitk2.errors import InvalidOptionError
from vitk2.intake.dates import check_day, check_period, parse_day

DB_HELP = (
    "Diary database: any SQLAlchemy URL (sqlite:///file.db, postgresql://user@host/db) or a "
    "file path. Default: $VITK2_DB, else diary.sqlite in your user data folder."
)


class AuthorityChoice(StrEnum):
    iom = "iom"
    efsa = "efsa"


def from_option() -> Any:
    return typer.Option(None, "--from", help="First day (default: first entry).")


def to_option() -> Any:
    return typer.Option(None, "--to", help="Last day (default: last entry).")


def authority_option() -> Any:
    return typer.Option(
        AuthorityChoice.iom, "--authority", help="Reference values: iom (IOM/NASEM) or efsa."
    )


def baseline_from_option() -> Any:
    return typer.Option(
        None,
        "--baseline-from",
        help="First day of a fixed baseline period (default: the 28 days before each week).",
    )


def baseline_to_option() -> Any:
    return typer.Option(None, "--baseline-to", help="Last day of the fixed baseline period.")


def db_option() -> Any:
    return typer.Option(None, "--db", envvar="VITK2_DB", help=DB_HELP, show_envvar=False)


def json_option() -> Any:
    return typer.Option(False, "--json", help="Print JSON.")


def parse_date(text: str | None, option: str, *, default: date | None = None) -> date | None:
    """A YYYY-MM-DD option value under the date rule (`vitk2.intake.dates`), or
    ``default`` when not given. The birth date and period order are checked where the
    profile and the other end are known (the service and the store)."""
    if text is None:
        return default
    return check_day(parse_day(text, what=option), what=option)


def baseline_period(first: str | None, last: str | None) -> tuple[date, date] | None:
    """The --baseline-from/--baseline-to pair, or None when neither is given."""
    start = parse_date(first, "--baseline-from")
    end = parse_date(last, "--baseline-to")
    if (start is None) != (end is None):
        raise InvalidOptionError("Give both --baseline-from and --baseline-to, or neither.")
    if start is None or end is None:
        return None
    check_period(start, end, names=("--baseline-from", "--baseline-to"))
    return start, end


def label_args(args: list[str], *, example: str) -> dict[str, str]:
    """Label amounts given as extra ``--KEY AMOUNT`` (or ``--KEY=AMOUNT``) options, by
    key as written (``-`` read as ``_``), for `supplement add` and `food add`."""
    label: dict[str, str] = {}
    index = 0
    while index < len(args):
        option = args[index]
        if not option.startswith("--"):
            raise InvalidOptionError(
                f"Unexpected {option!r}: give label amounts as --KEY AMOUNT, e.g. {example}."
            )
        key, _, inline = option[2:].partition("=")
        if inline:
            value = inline
        elif index + 1 < len(args):
            index += 1
            value = args[index]
        else:
            amount = example.rsplit(maxsplit=1)[-1]
            raise InvalidOptionError(f"{option} needs an amount, e.g. {option} {amount}.")
        if key.replace("-", "_") in label:
            raise InvalidOptionError(f"{option} is given twice.")
        label[key.replace("-", "_")] = value
        index += 1
    return label


_OPEN_STORES: list[Any] = []


def open_service(db: str | None) -> Any:
    """A `DiaryService` on the chosen database (imported lazily: SQLAlchemy is slow
    to import and the food commands do not need it). The store is closed when the
    command ends."""
    from vitk2.services import DiaryService
    from vitk2.store import DiaryStore

    store = DiaryStore(db)
    _OPEN_STORES.append(store)
    return DiaryService(store)


def close_stores() -> None:
    """Close every store a command opened (called when the command ends)."""
    while _OPEN_STORES:
        _OPEN_STORES.pop().close()
