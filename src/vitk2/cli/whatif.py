"""``vitk2 whatif``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from vitk2.cli.common import (
    AuthorityChoice,
    authority_option,
    db_option,
    from_option,
    json_option,
    open_service,
    parse_date,
    to_option,
)
from vitk2.cli.findings import print_findings
from vitk2.cli.output import fmt, fmt_total, line, print_json, stdout, styled
from vitk2.errors import InvalidOptionError

if TYPE_CHECKING:
    from vitk2.services import DiaryService

_ROWS = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg")
_EXAMPLE = '--add "MK-7 100 ug daily" --add "1000 IU vitamin D3 daily"'


def register(root: typer.Typer) -> None:
    @root.command("whatif")
    def whatif_command(
        add: list[str] | None = typer.Option(
            None,
            "--add",
            help=(
                "A supplement with its dose (or a food with its amount) and how often: "
                "'MK-7 100 ug daily', '1 capsule MyK2 twice daily', '50 g natto 3 times a "
                "week'. Repeat for several. Default frequency: daily."
            ),
        ),
        start: str | None = from_option(),
        end: str | None = to_option(),
        authority: AuthorityChoice = authority_option(),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Show the report's means, reference comparisons and upper limits as they would
        be with supplements or foods added, next to the current ones. Stores nothing."""
        first = parse_date(start, "--from")
        last = parse_date(end, "--to")
        if not add:
            raise InvalidOptionError(f"Nothing to add: give at least one --add, e.g. {_EXAMPLE}.")
        from vitk2.plan.whatif import run_whatif

        service: DiaryService = open_service(db)  # mypy checks it is a WhatIfService
        result = run_whatif(service, add, start=first, end=last, authority=authority.value)
        data = result.as_dict()
        if as_json:
            print_json(data)
            return
        _print(data)


def _percent(adequacy: dict[str, Any], key: str) -> str:
    value = (adequacy.get(key) or {}).get("percent_of_target")
    return "—" if value is None else f"{value:.0f}"


def _print(data: dict[str, Any]) -> None:
    period = data["period"]
    stage = data.get("life_stage") or "no profile"
    stdout.print(
        line(
            styled(f"What if, {period['from']} to {period['to']}", "bold"),
            f": {period['days']} logged day(s) · {str(data['authority']).upper()} reference "
            f"values for {stage}",
        )
    )
    for item in data["additions"]:
        per_day = item["per_day"]
        keys = [key for key in _ROWS if key in per_day] or list(per_day)
        amounts = ", ".join(
            f"{key} {'?' if per_day[key] is None else '+' + fmt(per_day[key])}" for key in keys
        )
        default = " (default)" if item["frequency_default"] else ""
        if abs(item["doses_in_period"] - item["doses_per_day"] * period["days"]) > 1e-3:
            in_period = ", ".join(
                f"{key} +{fmt(item['mean_in_period'][key])}"
                for key in keys
                if item["mean_in_period"].get(key) is not None
            )
            amounts += f" per day; over this period's logged days {in_period}"
        else:
            amounts += " per day"
        stdout.print(
            f"+ {item['product']}, {item['frequency']}{default}: {amounts}; {item['schedule']}."
        )
    now, then = data["current"], data["with_additions"]
    table = Table(
        "nutrient", "current", "with additions", "reference", "% now → % then", "UL", box=None
    )
    for key in _ROWS:
        ref = now["reference"].get(key)
        shown = (
            f"{ref['type']} {fmt(ref['value'])} [{ref['source']}]"
            if ref
            else ("no target (none set)" if key.startswith(("k2", "mk")) else "—")
        )
        percent = (
            ""
            if ref is None
            else f"{_percent(now['adequacy'], key)} → {_percent(then['adequacy'], key)}"
        )
        table.add_row(key, fmt_total(now["mean"][key], key in now["incomplete"]),
                      fmt_total(then["mean"][key], key in then["incomplete"]), shown, percent,
                      _upper(now["adequacy"].get(key), then["adequacy"].get(key)))  # fmt: skip
    stdout.print(table)
    stdout.print(styled("Notes with the additions", "bold"))
    for note in then["notes"]:
        stdout.print(f"• {note}")
    print_findings(data["findings"], heading="Findings with the additions")
    if data["findings_resolved"]:
        stdout.print("Findings the additions would remove: " + ", ".join(data["findings_resolved"]))


def _upper(now: dict[str, Any] | None, then: dict[str, Any] | None) -> str:
    if not now or now.get("ul") is None or not then:
        return ""
    before, after = len(now["days_over_ul"]), len(then["days_over_ul"])
    over = f" (over on {before} → {after} d)" if before or after else ""
    return fmt(now["ul"]) + over
