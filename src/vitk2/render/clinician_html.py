"""The printable clinician summary: one self-contained HTML page for a period, for
the anticoagulation clinic, the dietitian or the GP.

It brings together the findings with their evidence, the weekly vitamin K
consistency table with a chart of weekly K1 and MK-7 against the baseline and the
INR readings, the INR log, the supplements taken, mean intakes against reference
values, and every source with its reliability. Inline CSS and SVG only: no
scripts, no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from importlib import resources
from typing import Any, Final

from jinja2 import Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from vitk2 import __version__
from vitk2.assess.report import Report
from vitk2.evidence.records import RELIABILITY_MEANINGS, citation, source_reliabilities
from vitk2.foods.nutrients import MENAQUINONE_KEYS
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.profile import KIDNEY_STATES
from vitk2.render.report_html import COLOURS, fmt_number, fmt_total
from vitk2.safety.consistency import Consistency
from vitk2.safety.inr import InrReading
from vitk2.safety.medications import anticoagulation

__all__ = ["ClinicianSummary", "SupplementUse", "render_clinician_html", "supplement_use"]

_IU_PER_UG: Final = 40
_WIDTH: Final = 720
_HEIGHT: Final = 200
_LEFT: Final = 64
_RIGHT: Final = 56
_BOTTOM: Final = 30
_TOP: Final = 12
_INR_COLOUR: Final = "#6a3d9a"
_SHOWN: Final = ("k1_ug", "mk4_ug", "mk7_ug", "other_mk_ug", "vitd_ug", "calcium_mg")


@dataclass(frozen=True, slots=True)
class SupplementUse:
    """One product over the period: on how many days, and the mean amount per day
    it was taken (``amounts`` keys as in `_SHOWN`; ``other_mk_ug`` is MK-5 … MK-13
    and MK-4 is apart)."""

    product: str
    days: int
    first: date
    last: date
    amounts: dict[str, float]


def supplement_use(entries: Sequence[DiaryEntry]) -> tuple[SupplementUse, ...]:
    """The supplement entries grouped by product, in order of first use."""
    by_product: dict[str, dict[date, dict[str, float]]] = {}
    for entry in entries:
        if entry.kind != "supplement":
            continue
        day = by_product.setdefault(entry.name, {}).setdefault(entry.day, {})
        for key, value in entry.amounts.items():
            shown = "other_mk_ug" if key in MENAQUINONE_KEYS and key not in _SHOWN else key
            if shown in _SHOWN:
                day[shown] = day.get(shown, 0.0) + float(value)
    uses = []
    for product, days in by_product.items():
        keys = {k for amounts in days.values() for k in amounts}
        mean: dict[str, float] = {
            k: sum(a.get(k, 0.0) for a in days.values()) / len(days) for k in _SHOWN if k in keys
        }
        uses.append(SupplementUse(product, len(days), min(days), max(days), mean))
    return tuple(sorted(uses, key=lambda u: (u.first, u.product)))


@dataclass(frozen=True, slots=True)
class ClinicianSummary:
    """What the page shows."""

    report: Report
    consistency: Consistency
    inr: tuple[InrReading, ...]
    supplements: tuple[SupplementUse, ...]


def _week_chart(
    title: str, windows: Sequence[dict[str, Any]], key: str, inr: Sequence[InrReading]
) -> Markup:
    """Weekly bars of ``key`` (µg/day) with each week's baseline as a dashed tick,
    departing weeks outlined in red, unassessed weeks pale, and INR readings as
    points on a right-hand axis placed at their day within the period."""
    n = max(len(windows), 1)
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    values = [w["mean_ug"][key] or 0.0 for w in windows]
    bases = [w["baseline_ug"][key] or 0.0 for w in windows]
    top = max([*values, *bases, 1.0]) * 1.1
    inr_top = max([4.0, *(r.value + 0.5 for r in inr)])
    step = plot_w / n
    bar = max(min(step * 0.6, 60), 2)

    def y(value: float) -> float:
        return _TOP + plot_h * (1 - value / top)

    def y_inr(value: float) -> float:
        return _TOP + plot_h * (1 - value / inr_top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{_LEFT}" y1="{y(0):.1f}" x2="{_LEFT + plot_w}" y2="{y(0):.1f}" stroke="#555"/>',
        f'<text x="{_LEFT - 6}" y="{y(top / 1.1):.1f}" text-anchor="end" font-size="10">'
        f"{fmt_number(top / 1.1)} µg/d</text>",
        f'<text x="{_LEFT - 6}" y="{y(0):.1f}" text-anchor="end" font-size="10">0</text>',
    ]
    for i, (w, value, base) in enumerate(zip(windows, values, bases, strict=True)):
        x = _LEFT + i * step + (step - bar) / 2
        assessed = w["status"] == "assessed"
        departs = key in w["departs"]
        label = (
            f"week from {w['start']}: {fmt_number(w['mean_ug'][key])} µg/day, baseline "
            f"{fmt_number(w['baseline_ug'][key])}, {w['status'].replace('_', ' ')}"
        )
        parts.append(
            f'<rect class="week{" departs" if departs else ""}" x="{x:.1f}" y="{y(value):.1f}" '
            f'width="{bar:.1f}" height="{y(0) - y(value):.1f}" fill="{COLOURS["foods"]}" '
            f'fill-opacity="{1 if assessed else 0.35}"'
            + (' stroke="#c8352f" stroke-width="3"' if departs else "")
            + f"><title>{escape(label)}</title></rect>"
        )
        if w["baseline_ug"][key] is not None:
            parts.append(
                f'<line class="baseline" x1="{x - 4:.1f}" y1="{y(base):.1f}" '
                f'x2="{x + bar + 4:.1f}" y2="{y(base):.1f}" stroke="{COLOURS["reference"]}" '
                'stroke-width="2" stroke-dasharray="4 2"/>'
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{_HEIGHT - 12}" text-anchor="middle" '
            f'font-size="9">{date.fromisoformat(w["start"]).strftime("%d %b")}</text>'
        )
    if inr and windows:
        first = date.fromisoformat(windows[0]["start"])
        days = (date.fromisoformat(windows[-1]["end"]) - first).days + 1
        for tick in (1, 2, 3, 4):
            if tick <= inr_top:
                parts.append(
                    f'<text x="{_LEFT + plot_w + 6}" y="{y_inr(tick) + 3:.1f}" font-size="9" '
                    f'fill="{_INR_COLOUR}">INR {tick}</text>'
                )
        for reading in inr:
            offset = (reading.day - first).days + 0.5
            x = _LEFT + plot_w * offset / days
            parts.append(
                f'<circle class="inr" cx="{x:.1f}" cy="{y_inr(reading.value):.1f}" r="4" '
                f'fill="{_INR_COLOUR}"><title>INR {reading.value:g} on {reading.day}</title>'
                "</circle>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _sources(report: Report) -> list[dict[str, str]]:
    keys = set(report.as_dict()["sources"])
    return [
        {
            "key": key,
            "citation": citation(key),
            "reliability": ", ".join(source_reliabilities(key)),
        }
        for key in sorted(keys)
    ]


def render_clinician_html(summary: ClinicianSummary) -> str:
    """The clinician summary as one self-contained HTML page."""
    environment = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    text = (resources.files("vitk2.render") / "templates" / "clinician.html").read_text("utf-8")
    report = summary.report
    profile = report.profile
    consistency = summary.consistency.as_dict()
    drugs = anticoagulation(profile.medications if profile else ())
    charts = [
        {"title": f"Weekly {label}, µg/day", "svg": _week_chart(label, consistency["weeks"], key,
                                                                 summary.inr)}
        for key, label in (("k1_ug", "K1"), ("mk7_ug", "MK-7"))
    ]  # fmt: skip
    return environment.from_string(text).render(
        r=report.as_dict(),
        c=consistency,
        inr=summary.inr,
        supplements=summary.supplements,
        charts=charts,
        drugs=drugs,
        kidney=None if profile is None or profile.kidney is None else KIDNEY_STATES[profile.kidney],
        sources=_sources(report),
        meanings=RELIABILITY_MEANINGS,
        colours={**COLOURS, "inr": _INR_COLOUR},
        iu=_IU_PER_UG,
        version=__version__,
        generated=date.today().isoformat(),
        fmt=fmt_number,
        total=fmt_total,
    )
