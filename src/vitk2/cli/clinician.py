"""``vitk2 clinician-summary``: the printable page for the clinic."""

from __future__ import annotations

import typer

from vitk2.cli.common import (
    AuthorityChoice,
    authority_option,
    baseline_from_option,
    baseline_period,
    baseline_to_option,
    db_option,
    from_option,
    json_option,
    open_service,
    parse_date,
    to_option,
)
from vitk2.cli.output import print_json, stdout


def register(root: typer.Typer) -> None:
    @root.command("clinician-summary")
    def clinician_summary_command(
        path: str = typer.Argument(..., help="The HTML file to write, e.g. summary.html."),
        start: str | None = from_option(),
        end: str | None = to_option(),
        authority: AuthorityChoice = authority_option(),
        baseline_from: str | None = baseline_from_option(),
        baseline_to: str | None = baseline_to_option(),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Write a printable, self-contained HTML summary of a period for the clinic:
        findings, weekly vitamin K consistency with INR, supplements, intakes, sources."""
        from vitk2.files import output_path, write_text_atomic
        from vitk2.render.clinician_html import render_clinician_html

        target = output_path(path)
        service = open_service(db)
        summary = service.clinician_summary(
            start=parse_date(start, "--from"),
            end=parse_date(end, "--to"),
            authority=authority.value,
            baseline=baseline_period(baseline_from, baseline_to),
        )
        write_text_atomic(target, render_clinician_html(summary))
        report = summary.report
        info = {
            "file": str(target),
            "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
            "findings": len(report.findings),
            "weeks": len(summary.consistency.weeks),
            "weeks_departing": len(summary.consistency.departing_weeks),
            "inr_readings": len(summary.inr),
        }
        if as_json:
            print_json(info)
            return
        stdout.print(
            f"Clinician summary for {report.start} to {report.end} written to {target}: "
            f"{info['findings']} finding(s), {info['weeks_departing']} of {info['weeks']} "
            f"week(s) departing from the baseline, {info['inr_readings']} INR reading(s)."
        )
