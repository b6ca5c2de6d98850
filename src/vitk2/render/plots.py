"""Plots of a supplement simulation: a readable PNG (matplotlib) or an interactive,
self-contained HTML page (Plotly, with plotly.js embedded inline: no CDN, nothing
fetched when the page is opened).

matplotlib and plotly are the optional extra ``vitk2[plot]``; they are imported only
when a plot is drawn, so the rest of vitk2 works without them.

Both formats show the same things: a title naming the regimen, time in days, the rise
above baseline in nmol/L, the central curve, the band (the range from the parameter
ranges, or the percentile band of a population run), the steady state if known, and
the source keys and notes in a footer.
"""

from __future__ import annotations

import html
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vitk2.errors import InvalidOptionError
from vitk2.files import write_bytes_atomic, write_text_atomic
from vitk2.models.results import Array, PopulationResult, SimulationResult, StatusEstimate

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PLOT_SUFFIXES", "html_page", "png_bytes", "write_plot"]

PLOT_SUFFIXES = (".png", ".html")
PNG_DPI = 150
MISSING_EXTRA = "Plots need matplotlib and plotly: pip install 'vitk2[plot]'"

FORM_LABELS = {"k1": "Vitamin K1", "mk4": "MK-4", "mk7": "MK-7"}
STATUS_LABELS = {"dp_ucmgp_change_pct": "dp-ucMGP", "ucoc_change_pct": "ucOC"}
BAND_LABEL = "range from the parameter ranges"
Y_LABEL = "rise above baseline, nmol/L"
X_LABEL = "time, days"

# Colours (matplotlib's tab10 blue and a neutral grey), shared by both formats.
LINE_COLOUR = "#1f77b4"
BAND_RGB = (31, 119, 180)
MARK_COLOUR = "#555555"

# plotly.js's mode bar offers "Share chart…", which uploads the figure to Plotly Cloud:
# switched off, so nothing on the page talks to a server.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
}


@dataclass(frozen=True, slots=True)
class _Band:
    label: str
    low: Array
    high: Array
    opacity: float


@dataclass(frozen=True, slots=True)
class _Spec:
    """What a plot shows, independent of the library that draws it."""

    title: str
    subtitle: str
    days: Array
    line_label: str
    line: Array
    bands: tuple[_Band, ...]  # outermost first
    steady_state_day: float | None
    footer: tuple[str, ...]


def write_plot(result: SimulationResult | PopulationResult, path: Path) -> None:
    """Draw ``result`` to ``path``: a PNG for ``.png``, a self-contained interactive
    HTML page for ``.html``. The file is replaced atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        shown = f"{path.suffix!r}" if path.suffix else "no suffix"
        raise InvalidOptionError(
            f"Cannot plot to {path}: {shown} is not a plot format; "
            "use a file name ending in .png (image) or .html (interactive page)."
        )
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InvalidOptionError(f"Cannot write {path}: folder {folder} does not exist.")
    if path.is_dir():
        raise InvalidOptionError(f"Cannot write {path}: it is a folder.")
    if suffix == ".png":
        write_bytes_atomic(path, png_bytes(result))
    else:
        write_text_atomic(path, html_page(result))


def png_bytes(result: SimulationResult | PopulationResult) -> bytes:
    """The plot as PNG bytes (matplotlib's Agg renderer; no display is needed)."""
    figure = _matplotlib_figure(_spec(result))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white")
    return buffer.getvalue()


def html_page(result: SimulationResult | PopulationResult) -> str:
    """The plot as a complete HTML page with plotly.js inline (a few MB; opens offline)."""
    spec = _spec(result)
    go, pio = _plotly()
    figure = _plotly_figure(spec, go)
    chart = pio.to_html(
        figure,
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=False,
        config=dict(PLOTLY_CONFIG),
        default_width="100%",
        default_height="600px",
    )
    footer = "\n".join(f"<p>{html.escape(line)}</p>" for line in spec.footer)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(spec.title)}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;margin:1rem 2rem;color:#222}"
        "footer p{font-size:.85rem;color:#555;margin:.25rem 0}</style>\n"
        f"</head>\n<body>\n{chart}\n<footer>\n{footer}\n</footer>\n</body>\n</html>\n"
    )


# What to draw -------------------------------------------------------------------------


def _spec(result: SimulationResult | PopulationResult) -> _Spec:
    if isinstance(result, SimulationResult):
        return _simulation_spec(result)
    if isinstance(result, PopulationResult):
        return _population_spec(result)
    raise InvalidOptionError(
        f"Cannot plot a {type(result).__name__}: expected a SimulationResult or PopulationResult."
    )


def _simulation_spec(result: SimulationResult) -> _Spec:
    t_h = _array(result.t_h, "t_h", None)
    n = len(t_h)
    form = FORM_LABELS.get(result.form, result.form)
    title = (
        f"{form} {_number(result.dose_ug)} µg {_interval(result.interval_h)} "
        f"for {_count(result.days, 'day')}: typical person"
    )
    facts: list[str] = []
    if result.tmax_h is not None:
        facts.append(f"peak {_number(result.tmax_h)} h after a dose")
    if result.steady_state_day is not None:
        facts.append(f"steady state ≈ day {_number(result.steady_state_day)}")
    if result.accumulation_ratio is not None:
        facts.append(f"accumulation ratio {_number(result.accumulation_ratio)}×")
    footer: list[str] = []
    status = [_status_text(key, estimate) for key, estimate in result.status.items()]
    if status:
        footer.append("Predicted status change: " + "; ".join(status) + ".")
    if result.comparison:
        footer.append(_comparison_text(result.comparison))
    footer.extend(_notes_and_sources(result.notes, result.sources))
    return _Spec(
        title=title,
        subtitle=" · ".join(facts),
        days=t_h / 24.0,
        line_label="typical person",
        line=_array(result.conc_nmol_l, "conc_nmol_l", n),
        bands=(
            _Band(BAND_LABEL, _array(result.low, "low", n), _array(result.high, "high", n), 0.25),
        ),
        steady_state_day=result.steady_state_day,
        footer=tuple(footer),
    )


def _population_spec(result: PopulationResult) -> _Spec:
    t_h = _array(result.t_h, "t_h", None)
    n = len(t_h)
    if not result.percentiles:
        raise InvalidOptionError("Cannot plot a population result without percentiles.")
    curves = {
        int(p): _array(a, f"percentile {p}", n) for p, a in sorted(result.percentiles.items())
    }
    keys = sorted(curves)
    centre = min(keys, key=lambda p: (abs(p - 50), p))
    line_label = "median" if centre == 50 else f"{_ordinal(centre)} percentile"
    bands: list[_Band] = []
    lower = [p for p in keys if p < centre]
    upper = [p for p in keys if p > centre][::-1]
    for depth, (lo, hi) in enumerate(zip(lower, upper, strict=False)):
        label = f"{_ordinal(lo)}–{_ordinal(hi)} percentile"
        bands.append(_Band(label, curves[lo], curves[hi], 0.18 + 0.14 * depth))
    days = t_h / 24.0
    span = float(days[-1] - days[0]) if n > 1 else 0.0
    form = FORM_LABELS.get(result.form, result.form)
    title = (
        f"{form} in {_count(result.subjects, 'virtual subject')} over {_count(round(span), 'day')}"
    )
    return _Spec(
        title=title,
        subtitle="percentiles over subjects at each time point",
        days=days,
        line_label=line_label,
        line=curves[centre],
        bands=tuple(bands),
        steady_state_day=None,
        footer=tuple(_notes_and_sources(result.notes, result.sources)),
    )


def _notes_and_sources(notes: Sequence[str], sources: Sequence[str]) -> list[str]:
    lines = [f"Note: {note}" for note in notes]
    if sources:
        lines.append("Sources: " + ", ".join(sources))
    return lines


def _comparison_text(comparison: dict[str, float]) -> str:
    """MK-7 against K1 on the same daily dose, as `vitk2.models.pk.simulate` reports it;
    other keys are listed as they are."""
    molar = comparison.get("mk7_to_k1_molar_ratio")
    if molar is None:
        pairs = (f"{key.replace('_', ' ')} {_number(v)}" for key, v in comparison.items())
        return "Comparison: " + "; ".join(pairs) + "."
    daily = comparison.get("daily_dose_ug")
    text = "MK-7 against K1"
    if daily is not None:
        text += f" at the same {_number(daily)} µg a day"
    text += f": steady-state mean rise {_number(molar)}× in nmol/L"
    mass = comparison.get("mk7_to_k1_mass_ratio")
    if mass is not None:
        text += f", {_number(mass)}× in ng/mL"
    return text + "."


def _array(values: object, name: str, length: int | None) -> Array:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or len(array) == 0:
        raise InvalidOptionError(f"Cannot plot: {name} must be a non-empty 1-D array.")
    if length is not None and len(array) != length:
        raise InvalidOptionError(
            f"Cannot plot: {name} has {len(array)} values but t_h has {length}."
        )
    return array


def _status_text(key: str, estimate: StatusEstimate) -> str:
    label = STATUS_LABELS.get(key, key.replace("_", " "))
    if estimate.value is None:
        return f"{label} not estimated ({estimate.note})" if estimate.note else f"{label} n/a"
    text = f"{label} {_signed(estimate.value)} %"
    if estimate.low is not None and estimate.high is not None:
        text += f" ({_signed(estimate.low)} to {_signed(estimate.high)})"
    return text


def _number(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _signed(value: float) -> str:
    return ("−" if value < 0 else "+" if value > 0 else "") + _number(abs(value))


def _count(n: float, noun: str) -> str:
    return f"{n:,.0f} {noun}" + ("" if n == 1 else "s")


def _interval(hours: float) -> str:
    named = {24.0: "daily", 168.0: "weekly", 12.0: "twice daily"}
    return named.get(float(hours), f"every {_number(hours)} h")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _y_top(spec: _Spec) -> float:
    values = np.concatenate([spec.line, *(b.high for b in spec.bands)])
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if len(finite) else 0.0
    return top * 1.08 if top > 0 else 1.0


def _steady_state_shown(spec: _Spec) -> bool:
    day = spec.steady_state_day
    return day is not None and float(spec.days[0]) <= day <= float(spec.days[-1])


# matplotlib ---------------------------------------------------------------------------


def _matplotlib_figure(spec: _Spec) -> Figure:
    try:
        import matplotlib  # noqa: F401 (fails early and clearly when the extra is missing)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise InvalidOptionError(MISSING_EXTRA) from None

    width_in = 10.0
    footer = [
        wrapped
        for line in spec.footer
        for wrapped in textwrap.wrap(line, 150, subsequent_indent="  ")
    ]
    line_in = 0.16
    plot_in = 5.5
    footer_in = 0.25 + line_in * len(footer) if footer else 0.0
    height_in = plot_in + footer_in
    # A bare Figure on an Agg canvas: no pyplot, so no display, no backend chosen from
    # the environment and no global list of figures to close.
    figure = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(figure)
    bottom = (footer_in + 0.6) / height_in
    figure.subplots_adjust(left=0.075, right=0.98, top=1 - 1.0 / height_in, bottom=bottom)
    axes = figure.add_subplot()
    figure.suptitle(spec.title, fontsize=13, fontweight="bold", y=1 - 0.12 / height_in)
    if spec.subtitle:
        axes.set_title(spec.subtitle, fontsize=9.5, color="#444444", pad=26)
    for band in spec.bands:
        axes.fill_between(
            spec.days,
            band.low,
            band.high,
            color=LINE_COLOUR,
            alpha=band.opacity,
            linewidth=0,
            label=band.label,
        )
    # Above the spines, so that a curve lying on zero (MK-4) still shows; thinner when
    # months of daily peaks would merge into a thick bar.
    span = float(spec.days[-1] - spec.days[0])
    axes.plot(
        spec.days,
        spec.line,
        color=LINE_COLOUR,
        linewidth=1.4 if span <= 120 else 0.8,
        label=spec.line_label,
        zorder=3,
        clip_on=False,
    )
    if _steady_state_shown(spec):
        assert spec.steady_state_day is not None
        axes.axvline(
            spec.steady_state_day,
            color=MARK_COLOUR,
            linestyle="--",
            linewidth=1,
            label=f"steady state ≈ day {_number(spec.steady_state_day)}",
        )
    axes.set_xlim(float(spec.days[0]), float(spec.days[-1]) if len(spec.days) > 1 else 1.0)
    axes.set_ylim(0, _y_top(spec))
    axes.set_xlabel(X_LABEL)
    axes.set_ylabel(Y_LABEL)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    # One row above the plot: inside, it would hide peaks of some curve or other.
    handles, labels = axes.get_legend_handles_labels()
    axes.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=len(labels),
        fontsize=9,
        frameon=False,
        borderaxespad=0.2,
        handlelength=1.8,
    )
    for index, line in enumerate(footer):
        figure.text(
            0.075 * 0.5,
            (footer_in - 0.12 - line_in * index) / height_in,
            line,
            fontsize=7.5,
            color="#555555",
            va="top",
            ha="left",
        )
    return figure


# Plotly -------------------------------------------------------------------------------


def _plotly() -> tuple[Any, Any]:
    try:
        import plotly.graph_objects as go  # type: ignore[import-untyped]
        import plotly.io as pio  # type: ignore[import-untyped]
    except ImportError:
        raise InvalidOptionError(MISSING_EXTRA) from None
    return go, pio


def _plotly_figure(spec: _Spec, go: Any) -> Any:
    r, g, b = BAND_RGB
    traces: list[Any] = []
    for band in spec.bands:
        fill = f"rgba({r},{g},{b},{band.opacity})"
        traces.append(
            go.Scatter(
                x=spec.days,
                y=band.high,
                name=f"{band.label} (upper end)",
                legendgroup=band.label,
                showlegend=False,
                mode="lines",
                line={"width": 0, "color": fill},
                hovertemplate=f"{band.label}: up to %{{y:.3g}}<extra></extra>",
            )
        )
        traces.append(
            go.Scatter(
                x=spec.days,
                y=band.low,
                name=band.label,
                legendgroup=band.label,
                mode="lines",
                line={"width": 0, "color": fill},
                fill="tonexty",
                fillcolor=fill,
                hovertemplate=f"{band.label}: from %{{y:.3g}}<extra></extra>",
            )
        )
    traces.append(
        go.Scatter(
            x=spec.days,
            y=spec.line,
            name=spec.line_label,
            mode="lines",
            line={"width": 2, "color": LINE_COLOUR},
            hovertemplate=f"{spec.line_label}: %{{y:.3g}} nmol/L<extra></extra>",
        )
    )
    # Plotly reads titles as pseudo-HTML: escape <, > and & but not quotes.
    title: dict[str, Any] = {"text": html.escape(spec.title, quote=False), "x": 0.01}
    if spec.subtitle:
        title["subtitle"] = {"text": html.escape(spec.subtitle, quote=False)}
    figure = go.Figure(data=traces)
    figure.update_layout(
        title=title,
        template="plotly_white",
        hovermode="x unified",
        legend={"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"},
        margin={"t": 110, "l": 70, "r": 20, "b": 60},
        xaxis={
            "title": {"text": X_LABEL},
            "hoverformat": ".2f",
            "unifiedhovertitle": {"text": "day %{x:.2f}"},
        },
        yaxis={"title": {"text": Y_LABEL}, "range": [0, _y_top(spec)]},
    )
    if _steady_state_shown(spec):
        assert spec.steady_state_day is not None
        figure.add_vline(
            x=spec.steady_state_day,
            line={"dash": "dash", "color": MARK_COLOUR, "width": 1},
            annotation_text=f"steady state ≈ day {_number(spec.steady_state_day)}",
            annotation_position="top right",
            annotation_bgcolor="rgba(255,255,255,0.8)",
        )
    return figure
