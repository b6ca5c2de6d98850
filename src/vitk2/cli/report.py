"""``vitk2 report``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from vitk2.cli.output import fmt, fmt_range, fmt_total, line, print_json, stdout, styled
from vitk2.files import output_path


def register(root: typer.Typer) -> None:
    @root.command("report")
    def report_command(
        start: str | None = from_option(),
        end: str | None = to_option(),
        authority: AuthorityChoice = authority_option(),
        as_json: bool = json_option(),
        html: str | None = typer.Option(
            None, "--html", help="Also write a printable, self-contained HTML report here."
        ),
        db: str | None = db_option(),
    ) -> None:
        """Assess intake over a period: per day and mean, foods and supplements, against
        reference values for your life stage, with K2 study reference points."""
        target = None if html is None else output_path(html, what="--html")
        service = open_service(db)
        report = service.report(
            start=parse_date(start, "--from"),
            end=parse_date(end, "--to"),
            authority=authority.value,
        )
        if target is not None:
            _write_html(report, target)
        data = report.as_dict()
        if as_json:
            print_json(data)
            return
        _print(data)
        if target is not None:
            stdout.print(f"HTML report written to {target}.")


def _write_html(report: object, path: Path) -> None:
    from vitk2.assess.report import Report
    from vitk2.files import write_text_atomic
    from vitk2.render.report_html import render_html

    assert isinstance(report, Report)
    write_text_atomic(path, render_html(report))


def _print(data: dict[str, object]) -> None:
    period = data["period"]
    assert isinstance(period, dict)
    stage = data.get("life_stage") or "no profile"
    stdout.print(
        line(
            styled(f"{period['from']} to {period['to']}", "bold"),
            f": {period['days']} logged day(s) · "
            f"{str(data['authority']).upper()} reference values for {stage}",
        )
    )
    mean = data["mean"]
    reference = data["reference"]
    adequacy = data["adequacy"]
    incomplete = data["incomplete"]
    assert isinstance(mean, dict) and isinstance(reference, dict) and isinstance(adequacy, dict)
    assert isinstance(incomplete, list)
    table = Table("nutrient", "mean/day", "reference", "%", "UL", "assessment", box=None)
    for key in ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg"):
        ref = reference.get(key)
        ad = adequacy.get(key) or {}
        shown = (
            f"{ref['type']} {fmt(ref['value'])} [{ref['source']}]"
            if ref
            else ("no target (none set)" if key.startswith(("k2", "mk")) else "—")
        )
        percent = ad.get("percent_of_target")
        ul = ad.get("ul")
        over = ad.get("days_over_ul") or []
        table.add_row(
            key,
            fmt_total(mean[key], key in incomplete),
            shown,
            "" if percent is None else ("≥ " if ad.get("lower_bound") else "") + f"{percent:.0f}",
            "" if ul is None else fmt(ul) + (f" (over on {len(over)} d)" if over else ""),
            str(ad.get("conclusion") or ""),
        )
    stdout.print(table)
    k2 = data["k2"]
    assert isinstance(k2, dict)
    _print_menaquinones(k2["menaquinones"])
    findings = data["findings"]
    assert isinstance(findings, list)
    print_findings(findings)
    for note in data["notes"]:  # type: ignore[attr-defined]
        stdout.print(f"• {note}")
    for note in data["reference_notes"]:  # type: ignore[attr-defined]
        source = f" [{note['source']}]" if note.get("source") else ""
        stdout.print(f"• {note['text']}{source}")


def _print_menaquinones(rows: list[dict[str, Any]]) -> None:
    """Which menaquinones, from which foods: the K2 section in text."""
    if not rows:
        stdout.print("K2 by menaquinone: no menaquinone with a known amount above 0.")
        return
    stdout.print(
        "K2 by menaquinone (mean per day; range: the foods' lowest and highest published "
        "values; no target exists):"
    )
    for row in rows:
        low, high = row["low_ug"], row["high_ug"]
        spread = fmt_range(low, high) if low != high else ""
        foods = ", ".join(f"{c['name']} {fmt(c['share_pct'])} %" for c in row["from"])
        stdout.print(
            f"  {row['label']:<6} {fmt_total(row['mean_ug'], row['lower_bound'])} µg"
            + (f" (range {spread})" if spread else "")
            + f", {fmt(row['share_pct'])} % of known K2"
            + (f" — from {foods}" if foods else "")
        )
