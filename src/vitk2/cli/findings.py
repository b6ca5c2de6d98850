"""``vitk2 findings`` and ``vitk2 consistency``, and how findings are printed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

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
from vitk2.cli.output import fmt, line, print_json, stdout, styled
from vitk2.evidence.records import citation, source_reliabilities

_STYLE = {"warning": "bold red", "caution": "bold yellow", "info": "bold cyan"}


def print_findings(findings: Sequence[dict[str, Any]], *, heading: str = "Findings") -> None:
    """Each finding: severity, title, detail with its evidence keys and grade."""
    if not findings:
        stdout.print(line(styled(heading, "bold"), ": none for this period."))
        return
    stdout.print(line(styled(heading, "bold"), f" ({len(findings)})"))
    for f in findings:
        status = f" ({f['status']})" if f.get("status") else ""
        style = _STYLE[f["severity"]]
        stdout.print(line(styled(f["severity"].upper(), style), f"{status} {f['title']}"))
        grade = f["evidence_grade"]
        stdout.print(f"  {f['detail']}")
        stdout.print(
            f"  evidence: {', '.join(f['evidence'])} · grade {grade['grade']}: {grade['meaning']}",
            style="dim",
        )


def _sources(keys: Sequence[str]) -> dict[str, dict[str, str]]:
    return {
        k: {"citation": citation(k), "reliability": ", ".join(source_reliabilities(k))}
        for k in sorted(set(keys))
    }


def register(root: typer.Typer) -> None:
    @root.command("findings")
    def findings_command(
        start: str | None = from_option(),
        end: str | None = to_option(),
        authority: AuthorityChoice = authority_option(),
        baseline_from: str | None = baseline_from_option(),
        baseline_to: str | None = baseline_to_option(),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Safety findings for a period, each citing its evidence: anticoagulant checks,
        upper limits, pregnancy and kidney-disease notes."""
        service = open_service(db)
        report = service.report(
            start=parse_date(start, "--from"),
            end=parse_date(end, "--to"),
            authority=authority.value,
            baseline=baseline_period(baseline_from, baseline_to),
        )
        findings = [f.as_dict() for f in report.findings]
        sources = _sources([k for f in report.findings for k in f.evidence])
        if as_json:
            print_json(
                {
                    "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
                    "life_stage": report.stage,
                    "authority": report.authority,
                    "findings": findings,
                    "sources": sources,
                }
            )
            return
        stdout.print(
            line(
                styled(f"{report.start} to {report.end}", "bold"),
                f": {len(report.days)} logged day(s) · "
                f"{report.authority.upper()} upper limits for {report.stage or 'no profile'}",
            )
        )
        print_findings(findings)
        if sources:
            stdout.print(
                line(styled("Sources", "bold"), " (`vitk2 evidence show KEY` for the records)")
            )
            for key, source in sources.items():
                stdout.print(f"  {key} ({source['reliability']}): {source['citation']}")

    @root.command("consistency")
    def consistency_command(
        start: str | None = from_option(),
        end: str | None = to_option(),
        baseline_from: str | None = baseline_from_option(),
        baseline_to: str | None = baseline_to_option(),
        rolling: bool = typer.Option(
            False, "--rolling", help="Also list the rolling seven-day windows."
        ),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Weekly (and rolling seven-day) K1 and MK-7 intake against your own baseline,
        with INR readings: the vitamin K consistency view for anticoagulant users."""
        service = open_service(db)
        result = service.consistency(
            start=parse_date(start, "--from"),
            end=parse_date(end, "--to"),
            baseline=baseline_period(baseline_from, baseline_to),
        )
        data = result.as_dict()
        if as_json:
            print_json(data)
            return
        _print_consistency(data, rolling=rolling)


_STATUS = {"too_few_days": "too few logged days", "no_baseline": "no baseline yet"}


def _change(window: dict[str, Any], key: str) -> str:
    mean, base = window["mean_ug"][key], window["baseline_ug"][key]
    if window["status"] != "assessed" or mean is None or base is None:
        return ""
    return f"{mean - base:+,.0f}"


def _window_table(windows: Sequence[dict[str, Any]], *, rolling: bool) -> Table:
    title = "7 days to" if rolling else "week from"
    table = Table(
        title, "days", "K1", "K1 base", "Δ", "MK-7", "MK-7 base", "Δ", "K2", "INR", "flag",
        box=None, title_justify="left",
    )  # fmt: skip
    for w in windows:
        mean, base = w["mean_ug"], w["baseline_ug"]
        flag: str | Text = _STATUS.get(w["status"], "")
        if w["departs"]:
            departs = ", ".join("K1" if k == "k1_ug" else "MK-7" for k in w["departs"])
            flag = styled(f"departs: {departs}", "bold red")
        table.add_row(
            w["end"] if rolling else w["start"],
            str(w["logged_days"]),
            fmt(mean["k1_ug"]),
            fmt(base["k1_ug"]),
            _change(w, "k1_ug"),
            fmt(mean["mk7_ug"]) + ("*" if w["incomplete_days"]["mk7_ug"] else ""),
            fmt(base["mk7_ug"]),
            _change(w, "mk7_ug"),
            fmt(mean["k2_ug"]),
            ", ".join(f"{r['inr']:g}" for r in w["inr"]),
            flag,
        )
    return table


def _print_consistency(data: dict[str, Any], *, rolling: bool) -> None:
    period = data["period"]
    t = data["thresholds"]
    stdout.print(
        line(
            styled(f"Vitamin K consistency, {period['from']} to {period['to']}", "bold"),
            " (µg/day, mean of logged days)",
        )
    )
    stdout.print(_window_table(data["weeks"], rolling=False))
    if rolling:
        stdout.print(_window_table(data["rolling"], rolling=True))
    stdout.print(
        f"Baseline: {data['baseline']['text']}. A window is checked when it has "
        f"{t['min_window_days']} logged days and its baseline {t['min_baseline_days']}. "
        f"K1 departs when it changes by {t['k1_change_ug']:g} µg/day or more, or reaches "
        f"{t['k1_ratio_high']:g}× or {t['k1_ratio_low']:g}× the baseline with a change of "
        f"{t['k1_min_change_ug']:g} µg/day or more [jpc_tums, pmid15121490, kurnik2004]; "
        f"MK-7 when it changes by {t['mk7_change_ug']:g} µg/day or more [theuwissen2013]. "
        "Unlogged days are missing, not zero. * MK-7 is unknown for some foods eaten "
        "in that window, so its MK-7 is a lower bound. `vitk2 findings` explains the "
        "thresholds and their evidence."
    )
