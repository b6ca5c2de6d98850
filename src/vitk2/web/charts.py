"""What the pages draw, as data: the day's bars and the Plotly figure specifications of
the report, the simulation and the consistency view. Built from the JSON documents
the services return; computes no nutrition, only positions, labels and colours.

Honesty rules carried into the drawing: a nutrient with nothing known is drawn as
*unknown*, never as an empty bar at 0; a total that misses foods with unknown values
carries a hatched "unknown part" and is labelled "at least"; K2 and the menaquinones
are drawn against published study reference points, never as a percentage of a target.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from vitk2.web.templating import NUTRIENT_LABELS, fmt

__all__ = [
    "COLOURS",
    "Bar",
    "Mark",
    "consistency_figure",
    "day_bars",
    "report_figures",
    "simulation_figure",
    "unknown_menaquinones",
]

COLOURS: Final[dict[str, str]] = {
    "foods": "#2f6fbf",
    "supplements": "#b86e00",
    "reference": "#1e7a3c",
    "ul": "#b3261e",
    "band": "rgba(47,111,191,0.2)",
    "inr": "#6b3fa0",
}
_MK_COLOURS: Final = ("#2f6fbf", "#5fa2e0", "#1e7a3c", "#7fbf7f", "#8c564b", "#b86e00")
_BAR_KEYS: Final = ("k1_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg")
_MENAQUINONES: Final = tuple(f"mk{n}_ug" for n in range(4, 14))
_PLOT_CONFIG: Final[dict[str, Any]] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["sendDataToCloud"],
}


@dataclass(frozen=True, slots=True)
class Mark:
    """A line across a bar: a reference value, an upper limit or a study figure."""

    label: str
    value: float
    percent: float  # position along the bar, 0-100
    kind: str  # "reference", "ul" or "study"
    source: str | None


@dataclass(frozen=True, slots=True)
class Bar:
    """One nutrient of a day. ``value`` is None when nothing about it is known."""

    key: str
    label: str
    unit: str
    value: float | None
    at_least: bool  # some foods eaten have no value for it: the total is a lower bound
    filled: float  # width of the known part, 0-100
    marks: tuple[Mark, ...]
    text: str  # the bar said in words, for everyone (and screen readers)


def _unit(key: str) -> str:
    return "mg" if key.endswith("_mg") else "µg"


def _reference_marks(
    key: str, reference: Mapping[str, Any], adequacy: Mapping[str, Any]
) -> list[tuple[str, float, str, str | None]]:
    found: list[tuple[str, float, str, str | None]] = []
    ref = reference.get(key)
    if key == "k1_ug" and ref is None:
        ref = reference.get("vitk_ug")
        if ref is not None:
            ref = {**ref, "type": f"{ref['type']} (all vitamin K)"}
    if ref is not None and ref["type"] != "UL":
        found.append((ref["type"], float(ref["value"]), "reference", ref.get("source")))
    upper = (adequacy.get(key) or {}).get("ul")
    if upper is not None:
        source = next(
            (v["source"] for v in (reference.get(key) or {}).get("all", []) if v["type"] == "UL"),
            None,
        )
        found.append(("UL", float(upper), "ul", source))
    return found


def _study_marks(k2: Mapping[str, Any]) -> list[tuple[str, float, str, str | None]]:
    seen: dict[float, tuple[str, float, str, str | None]] = {}
    for point in k2.get("reference_points", []):
        value = point.get("value_ug_per_day")
        if value is not None and value not in seen:
            seen[value] = (point["label"], float(value), "study", point["source"])
    return sorted(seen.values(), key=lambda m: m[1])


def _bar(
    key: str,
    total: float | None,
    at_least: bool,
    marks: Sequence[tuple[str, float, str, str | None]],
    *,
    top: float | None = None,
) -> Bar:
    """A bar for a day's total; ``total`` None (nothing eaten has a known value) is an
    unknown bar, never an empty one."""
    unit = _unit(key)
    known = total is not None and not (at_least and total == 0)
    value = total or 0.0
    if top is None:
        top = _top(value, marks)
    shown = tuple(
        Mark(label, v, round(100 * v / top, 2), kind, source)
        for label, v, kind, source in marks
        if v <= top
    )
    if not known:
        text = f"unknown: no food eaten on this day has a known {NUTRIENT_LABELS[key]} value"
    else:
        text = f"{'at least ' if at_least else ''}{fmt(value)} {unit}"
        target = next((m for m in marks if m[2] == "reference"), None)
        if target is not None and key not in ("k2_ug", *_MENAQUINONES):
            text += (
                f", {100 * value / target[1]:.0f} % of the {target[0]} of {fmt(target[1])} {unit}"
            )
        upper = next((m for m in marks if m[2] == "ul"), None)
        if upper is not None:
            over = " — above the upper limit" if value > upper[1] else ""
            text += f"; upper limit {fmt(upper[1])} {unit}{over}"
    return Bar(
        key=key,
        label=NUTRIENT_LABELS[key],
        unit=unit,
        value=value if known else None,
        at_least=at_least and known,
        filled=round(min(100.0, 100 * value / top), 2) if known else 0.0,
        marks=shown,
        text=text,
    )


def _top(value: float, marks: Sequence[tuple[str, float, str, str | None]]) -> float:
    """The value at the right end of a bar: room for the value and the reference marks."""
    top = max([value * 1.1, *(m[1] * 1.15 for m in marks if m[2] != "ul")], default=0.0)
    return top if top > 0 else (max([m[1] for m in marks], default=1.0) or 1.0)


def day_bars(report: Mapping[str, Any]) -> list[Bar]:
    """The bars of a one-day report document: K1, each menaquinone eaten, K2 (against
    study reference points), all vitamin K, vitamin D and calcium (against the profile's
    reference value and upper limit)."""
    day = report["days"][0]
    totals, incomplete = day["totals"], set(day["incomplete"])
    bars = []
    for key in _BAR_KEYS:
        if key == "k2_ug":
            marks = _study_marks(report["k2"])
            k2_top = _top(totals[key] or 0.0, marks)  # each menaquinone on the scale of K2
            for mk in _MENAQUINONES:
                if (totals[mk] or 0.0) > 0:
                    bars.append(_bar(mk, totals[mk], mk in incomplete, [], top=k2_top))
        else:
            marks = _reference_marks(key, report["reference"], report["adequacy"])
        bars.append(_bar(key, totals[key], key in incomplete, marks))
    return bars


def unknown_menaquinones(report: Mapping[str, Any]) -> list[str]:
    """Menaquinones with nothing known for the day although foods eaten may hold them."""
    day = report["days"][0]
    return [
        NUTRIENT_LABELS[mk]
        for mk in _MENAQUINONES
        if day["totals"][mk] is None or (day["totals"][mk] == 0 and mk in day["incomplete"])
    ]


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    base = {
        "margin": {"t": 40, "l": 60, "r": 20, "b": 50},
        "legend": {"orientation": "h", "y": -0.25},
        "font": {"size": 13},
        "hovermode": "x unified",
    }
    return {"data": data, "layout": {**base, **layout}, "config": _PLOT_CONFIG}


def _line(y: float, label: str, colour: str) -> dict[str, Any]:
    return {
        "type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
        "line": {"color": colour, "dash": "dash", "width": 1.5},
        "label": {"text": label, "textposition": "end", "font": {"color": colour}},
    }  # fmt: skip


def _known_sum(values: Iterable[float | None]) -> float | None:
    """The sum of the known values; None (a gap in a chart) when none is known."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


#: One colour per menaquinone MK-4 … MK-13 in the stacked bar of menaquinones.
_EACH_MK_COLOURS: Final = (
    "#2f6fbf", "#5fa2e0", "#17becf", "#1e7a3c", "#7fbf7f", "#b86e00", "#d62728",
    "#8c564b", "#9467bd", "#7f7f7f",
)  # fmt: skip


def _menaquinone_figure(report: Mapping[str, Any], days: list[str]) -> list[dict[str, Any]]:
    """Each menaquinone eaten, stacked per day (none when no menaquinone is above 0).
    A day whose amount is unknown has no bar part (a gap, not 0)."""
    traces = [
        {"type": "bar", "name": NUTRIENT_LABELS.get(key, key), "x": days,
         "y": [d["totals"][key] for d in report["days"]], "marker": {"color": colour}}
        for key, colour in zip(_MENAQUINONES, _EACH_MK_COLOURS, strict=True)
        if any((d["totals"][key] or 0.0) > 0 for d in report["days"])
    ]  # fmt: skip
    if not traces:
        return []
    return [
        {
            "id": "chart-menaquinones",
            "title": "Vitamin K2 per day, each menaquinone (µg)",
            "figure": _figure(traces, {"barmode": "stack", "yaxis": {"title": {"text": "µg"}}}),
        }
    ]


def report_figures(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The report's charts: daily vitamers stacked; vitamin D and calcium against the
    reference value and UL; the foods and supplements that gave the most."""
    days = [d["date"] for d in report["days"]]
    stacked = [("k1_ug", "#1e7a3c"), *zip(("mk4_ug", "mk7_ug"), _MK_COLOURS[:2], strict=True)]
    others = [mk for mk in _MENAQUINONES if mk not in ("mk4_ug", "mk7_ug")]
    traces = [
        {"type": "bar", "name": NUTRIENT_LABELS[k], "x": days,
         "y": [d["totals"][k] for d in report["days"]], "marker": {"color": c}}
        for k, c in stacked
    ]  # fmt: skip
    rest = [_known_sum(d["totals"][k] for k in others) for d in report["days"]]
    if any(rest):
        traces.append(
            {"type": "bar", "name": "other menaquinones", "x": days, "y": rest,
             "marker": {"color": _MK_COLOURS[3]}}
        )  # fmt: skip
    figures = [
        {
            "id": "chart-vitamers",
            "title": "Vitamin K per day, by vitamer (µg)",
            "figure": _figure(traces, {"barmode": "stack", "yaxis": {"title": {"text": "µg"}}}),
        }
    ]
    figures += _menaquinone_figure(report, days)
    for key in ("vitd_ug", "calcium_mg"):
        unit = _unit(key)
        marks = _reference_marks(key, report["reference"], report["adequacy"])
        shapes = [
            _line(v, f"{label} {fmt(v)} {unit}", COLOURS["ul" if kind == "ul" else "reference"])
            for label, v, kind, _ in marks
        ]
        data = [
            {"type": "bar", "name": "foods", "x": days,
             "y": [d["foods"][key] for d in report["days"]],
             "marker": {"color": COLOURS["foods"]}},
            {"type": "bar", "name": "supplements", "x": days,
             "y": [d["supplements"].get(key, 0.0) for d in report["days"]],
             "marker": {"color": COLOURS["supplements"]}},
        ]  # fmt: skip
        figures.append(
            {
                "id": f"chart-{key}",
                "title": f"{NUTRIENT_LABELS[key]} per day ({unit}) against the reference "
                "value and upper limit",
                "figure": _figure(
                    data,
                    {
                        "barmode": "stack",
                        "shapes": shapes,
                        "yaxis": {
                            "title": {"text": unit},
                            "range": [0, _y_top(report, key, marks)],
                        },
                    },
                ),
            }
        )
    figures.append(_contributors_figure(report))
    return figures


def _y_top(
    report: Mapping[str, Any], key: str, marks: Sequence[tuple[str, float, str, str | None]]
) -> float:
    """Room above the highest day and the highest line, for the lines' labels."""
    highest = max([d["totals"][key] or 0.0 for d in report["days"]] + [m[1] for m in marks])
    return round(highest * 1.15, 3) or 1.0


def _contributors_figure(report: Mapping[str, Any]) -> dict[str, Any]:
    data = []
    for key in ("k1_ug", "k2_ug", "vitd_ug", "calcium_mg"):
        rows = report["contributors"].get(key, [])
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": NUTRIENT_LABELS[key],
                "y": [r["name"] for r in rows][::-1],
                "x": [r["share_pct"] for r in rows][::-1],
                "visible": True if key == "k2_ug" else "legendonly",
                "hovertemplate": "%{y}: %{x} % of the period's total<extra></extra>",
            }
        )
    layout = {
        "xaxis": {"title": {"text": "% of the period's total"}},
        "yaxis": {"automargin": True},
        "hovermode": "closest",
        "height": 420,
    }
    return {
        "id": "chart-contributors",
        "title": "Top contributing foods and supplements (share of the period's total; "
        "click a legend entry for another nutrient)",
        "figure": _figure(data, layout),
    }


def simulation_figure(document: Mapping[str, Any]) -> dict[str, Any]:
    """The simulated serum rise with its band, from a simulation document."""
    days = [round(t / 24, 3) for t in document["t_h"]]
    data = [
        {"type": "scatter", "mode": "lines", "x": days, "y": document["high"],
         "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "x": days, "y": document["low"],
         "fill": "tonexty", "fillcolor": COLOURS["band"], "line": {"width": 0},
         "name": "range from the parameter ranges", "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "x": days, "y": document["conc_nmol_l"],
         "line": {"color": COLOURS["foods"], "width": 2}, "name": "typical person",
         "hovertemplate": "day %{x:.1f}: %{y:.3g} nmol/L<extra></extra>"},
    ]  # fmt: skip
    layout = {
        "xaxis": {"title": {"text": "time, days"}},
        "yaxis": {"title": {"text": "rise above baseline, nmol/L"}, "rangemode": "tozero"},
        "hovermode": "closest",
    }
    return {
        "id": "chart-simulation",
        "title": f"{document['form'].upper()} {fmt(document['dose_ug'])} µg every "
        f"{document['interval_h']:g} h for {document['days']} days",
        "figure": _figure(data, layout),
    }


def consistency_figure(document: Mapping[str, Any]) -> dict[str, Any]:
    """Weekly K1 and MK-7 (mean of logged days) against their baselines, with INR."""
    weeks = document["weeks"]
    x = [w["start"] for w in weeks]
    data = []
    for key, name, colour in (("k1_ug", "K1", "#1e7a3c"), ("mk7_ug", "MK-7", COLOURS["foods"])):
        data.append(
            {"type": "scatter", "mode": "lines+markers", "name": f"{name} µg/day", "x": x,
             "y": [w["mean_ug"][key] for w in weeks], "line": {"color": colour}}
        )  # fmt: skip
        data.append(
            {"type": "scatter", "mode": "lines", "name": f"{name} baseline", "x": x,
             "y": [w["baseline_ug"][key] for w in weeks],
             "line": {"color": colour, "dash": "dot"}}
        )  # fmt: skip
    readings = [(r["date"], r["inr"]) for w in weeks for r in w["inr"]]
    if readings:
        data.append(
            {"type": "scatter", "mode": "markers", "name": "INR", "yaxis": "y2",
             "x": [d for d, _ in readings], "y": [v for _, v in readings],
             "marker": {"color": COLOURS["inr"], "size": 10, "symbol": "diamond"}}
        )  # fmt: skip
    layout = {
        "yaxis": {"title": {"text": "µg/day"}, "rangemode": "tozero"},
        "yaxis2": {"title": {"text": "INR"}, "overlaying": "y", "side": "right"},
        "xaxis": {"title": {"text": "week starting"}},
    }
    return {
        "id": "chart-consistency",
        "title": "Weekly vitamin K1 and MK-7 against your own baseline, with INR",
        "figure": _figure(data, layout),
    }
