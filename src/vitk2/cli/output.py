"""Shared output helpers: one Rich console, JSON printing, number formatting."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

from vitk2.intake.totals import total_text

stdout = Console(highlight=False, soft_wrap=False)


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


stderr = Console(stderr=True, highlight=False, soft_wrap=False)
