"""Shared output helpers: the one way the CLI prints text, JSON and numbers.

User text (meal text, medications, product names, file names, evidence records) is
never read as Rich markup: both consoles have markup switched off, so ``[/b]`` in
a meal prints as ``[/b]``. Styling is explicit: `styled` and `line` build Rich
``Text`` objects, which carry their style outside the string.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from rich.console import Console
from rich.text import Text

from vitk2.intake.totals import total_text

__all__ = [
    "ERROR_MAX_CHARS",
    "error_line",
    "file_progress",
    "fmt",
    "fmt_range",
    "fmt_total",
    "line",
    "print_json",
    "stderr",
    "stdout",
    "styled",
]

stdout = Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=False, markup=False, emoji=False)

#: An error line longer than this is cut in the middle (the start names the problem,
#: the end says how to fix it).
ERROR_MAX_CHARS: Final = 600
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def styled(text: str, style: str) -> Text:
    """``text`` printed in a Rich style ("bold", "dim", "bold red" …), never read as markup."""
    return Text(text, style=style)


def line(*parts: str | Text) -> Text:
    """One printable line from plain strings (shown as written) and `styled` parts."""
    return Text.assemble(*parts)


def error_line(message: str) -> str:
    """An error message as exactly one line: whitespace (new lines in user text
    included) collapsed, control characters shown as ``?``, and the middle of an
    over-long message cut."""
    flat = _CONTROL.sub("?", _WHITESPACE.sub(" ", message)).strip()
    if len(flat) <= ERROR_MAX_CHARS:
        return flat
    keep = (ERROR_MAX_CHARS - 3) // 2
    return f"{flat[:keep]} … {flat[-keep:]}"


@contextmanager
def file_progress(path: Path, description: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for reading ``path`` (bytes read of its size), when
    stderr is a terminal; yields the callback to give the reader, or None."""
    if not stderr.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    try:
        total: int | None = os.stat(path).st_size or None
    except OSError:
        total = None
    with Progress(
        f"{description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.update(task, completed=done)


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (UTF-8, units such as 'µg' kept readable)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fmt(value: float | None) -> str:
    """A number with sensible precision; '—' for unknown."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.3f}".rstrip("0").rstrip(".")


def fmt_total(value: float | None, lower_bound: bool = False) -> str:
    """A nutrient total, the one way (`vitk2.intake.totals.total_text`): "≥ 12" when
    it misses unknown values, "unknown" when nothing is known, never 0 for unknown."""
    return total_text(value, lower_bound=lower_bound, number=fmt)


def fmt_range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    return f"{fmt(low)}–{fmt(high)}"
