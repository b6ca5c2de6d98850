"""The printable HTML report: one self-contained page (inline CSS and SVG charts,
no scripts, no network), for handing to a clinician.

Charts are drawn as inline SVG rather than with Plotly: a static page prints
exactly as it shows, weighs a few kB instead of several MB of JavaScript, and
needs nothing to load.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from importlib import resources
from typing import Any, Final

from jinja2 import Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from vitk2 import __version__
from vitk2.assess.notes import number_text
from vitk2.assess.report import Report
from vitk2.intake.totals import total_text

__all__ = ["COLOURS", "fmt_number", "fmt_total", "render_html"]

_WIDTH: Final = 720
_HEIGHT: Final = 180
_PAD_LEFT: Final = 70
_PAD_BOTTOM: Final = 28
_LABELS: Final = 150  # right-hand margin for the reference-line labels
COLOURS: Final[dict[str, str]] = {
    "foods": "#3b7dd8",
    "supplements": "#e39b2d",
    "reference": "#2c8c4a",
    "ul": "#c8352f",
}


def fmt_number(value: float | None) -> str:
    """A number without false precision: 1,200 / 15 / 14.8 / 0.73; '—' for None."""
    return "—" if value is None else number_text(value)


def fmt_total(value: float | None, lower_bound: bool = False) -> str:
    """A nutrient total, the one way (`vitk2.intake.totals.total_text`): "≥ 12" when
    it misses unknown values, "unknown" when nothing is known."""
    return total_text(value, lower_bound=lower_bound, number=number_text)


def _day_chart(
    title: str,
    *,
    days: Sequence[date],
    foods: Sequence[float],
    supplements: Sequence[float],
    unit: str,
    lines: Sequence[tuple[str, float, str]],
) -> Markup:
    """Stacked daily bars (foods + supplements) with horizontal reference lines."""
    top = max([f + s for f, s in zip(foods, supplements, strict=True)] + [v for _, v, _ in lines])
    top = top * 1.1 if top > 0 else 1.0
    plot_w = _WIDTH - _PAD_LEFT - _LABELS
    plot_h = _HEIGHT - _PAD_BOTTOM - 10
    step = plot_w / max(len(days), 1)
    bar = max(min(step * 0.8, 40), 1)

    def y(value: float) -> float:
        return 10 + plot_h * (1 - value / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{_PAD_LEFT}" y1="{y(0):.1f}" x2="{_PAD_LEFT + plot_w}" y2="{y(0):.1f}" '
        'stroke="#555"/>',
        f'<text x="{_PAD_LEFT - 6}" y="{y(top / 1.1):.1f}" text-anchor="end" '
        f'font-size="10">{fmt_number(top / 1.1)} {escape(unit)}</text>',
        f'<text x="{_PAD_LEFT - 6}" y="{y(0):.1f}" text-anchor="end" font-size="10">0</text>',
    ]
    for i, (day, food, supplement) in enumerate(zip(days, foods, supplements, strict=True)):
        x = _PAD_LEFT + i * step + (step - bar) / 2
        label = (
            f"{day.isoformat()}: foods {fmt_number(food)}, "
            f"supplements {fmt_number(supplement)} {unit}"
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y(food):.1f}" width="{bar:.1f}" '
            f'height="{y(0) - y(food):.1f}" fill="{COLOURS["foods"]}">'
            f"<title>{escape(label)}</title></rect>"
        )
        if supplement > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="{y(food + supplement):.1f}" width="{bar:.1f}" '
                f'height="{y(food) - y(food + supplement):.1f}" fill="{COLOURS["supplements"]}">'
                f"<title>{escape(label)}</title></rect>"
            )
    every = max(1, len(days) // 8)
    for i, day in enumerate(days):
        if i % every == 0:
            x = _PAD_LEFT + i * step + step / 2
            parts.append(
                f'<text x="{x:.1f}" y="{_HEIGHT - 10}" text-anchor="middle" font-size="9">'
                f"{day.strftime('%d %b')}</text>"
            )
    label_y: dict[int, float] = {}
    for index in sorted(range(len(lines)), key=lambda i: -lines[i][1]):
        text_y = y(lines[index][1]) + 3
        while any(abs(text_y - other) < 11 for other in label_y.values()):  # keep labels apart
            text_y += 11
        label_y[index] = text_y
    for index, (label, value, colour) in enumerate(lines):
        text_y = label_y[index]
        parts.append(
            f'<line x1="{_PAD_LEFT}" y1="{y(value):.1f}" x2="{_PAD_LEFT + plot_w}" '
            f'y2="{y(value):.1f}" stroke="{colour}" stroke-dasharray="5 3" stroke-width="1.5"/>'
            f'<text x="{_PAD_LEFT + plot_w + 6}" y="{text_y:.1f}" font-size="10" '
            f'fill="{colour}">{escape(label)} {fmt_number(value)} {escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _charts(report: Report) -> list[dict[str, Any]]:
    from vitk2.intake.totals import KEYS

    charts = []
    index = {key: i for i, key in enumerate(KEYS)}
    for key, title, unit in (
        ("k1_ug", "Vitamin K1", "µg"),
        ("k2_ug", "Vitamin K2 (all menaquinones)", "µg"),
        ("vitd_ug", "Vitamin D", "µg"),
        ("calcium_mg", "Calcium", "mg"),
    ):
        lines: list[tuple[str, float, str]] = []
        target = report.reference(key, ("RDA", "PRI", "AI"))
        if target is not None:
            lines.append((target.type, target.value, COLOURS["reference"]))
        upper = report.reference(key, ("UL",))
        if upper is not None:
            lines.append(("UL", upper.value, COLOURS["ul"]))
        if key == "k1_ug" and target is None:
            vitk = report.reference("vitk_ug", ("AI",))
            if vitk is not None:
                lines.append(("AI (all vitamin K)", vitk.value, COLOURS["reference"]))
        column = index[key]
        svg = _day_chart(
            title,
            days=report.days,
            foods=[float(v) for v in report.food_totals[:, column]],
            supplements=[float(v) for v in report.supplement_totals[:, column]],
            unit=unit,
            lines=lines,
        )
        charts.append({"title": title, "svg": svg})
    return charts


_LABEL_NAMES: Final[dict[str, str]] = {
    "k1_ug": "Vitamin K1",
    "dk1_ug": "Dihydro-K1",
    "k2_ug": "Vitamin K2 (all)",
    "vitk_ug": "Vitamin K (all)",
    "vitd_ug": "Vitamin D",
    "calcium_mg": "Calcium",
    **{f"mk{n}_ug": f"MK-{n}" for n in range(4, 14)},
}


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    environment = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    template_text = (resources.files("vitk2.render") / "templates" / "report.html").read_text(
        encoding="utf-8"
    )
    template = environment.from_string(template_text)
    data = report.as_dict()
    return template.render(
        r=data,
        labels=_LABEL_NAMES,
        charts=_charts(report),
        colours=COLOURS,
        version=__version__,
        generated=date.today().isoformat(),
        fmt=fmt_number,
        total=fmt_total,
    )
