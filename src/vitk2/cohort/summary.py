"""A usual-intake distribution file (written by `vitk2 cohort usual`) as one JSON-ready
document: what the CLI's tables, its ``--json`` and the printable HTML page show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any, Final

from vitk2.assess.population import PERCENTILES
from vitk2.cohort.engines import read_parquet
from vitk2.cohort.usual import CUTS
from vitk2.errors import InvalidOptionError, quoted

__all__ = ["SUMMARY_VERSION", "summary_document", "summary_html"]

#: The version of the summary document's shape.
SUMMARY_VERSION: Final = 1


def _estimate(row: dict[str, Any], name: str) -> dict[str, float | None]:
    return {"value": row.get(name), "se": row.get(f"{name}_se")}


def summary_document(path: Path) -> dict[str, Any]:
    """The distributions of ``path``, grouped by nutrient in the file's order."""
    table, meta = read_parquet(path)
    if "usual" not in meta or "nutrient" not in table.column_names:
        raise InvalidOptionError(
            f"{quoted(str(path), 200)} is not a usual-intake file: make one with "
            "`vitk2 cohort usual INTAKE.parquet --by sex,age_group --out DIST.parquet`."
        )
    usual = meta["usual"]
    by = list(usual.get("by", []))
    nutrients: dict[str, dict[str, Any]] = {}
    for row in table.to_pylist():
        key = row["nutrient"]
        entry = nutrients.setdefault(key, {"nutrient": key, "unit": row["unit"], "groups": []})
        entry["groups"].append(
            {
                "group": {name: row[name] for name in by},
                "model": row["model"],
                "box_cox_lambda": row["box_cox_lambda"],
                "persons": row["persons"],
                "persons_repeat": row["persons_repeat"],
                "weight_total": row["weight_total"],
                "zero_share": row["zero_share"],
                "unknown_share": row["unknown_share"],
                "lower_bound": (row["unknown_share"] or 0.0) > 0,
                "mean": _estimate(row, "mean"),
                "percentiles": {f"p{p:02d}": _estimate(row, f"p{p:02d}") for p in PERCENTILES},
                "prevalence": {
                    name: {
                        **_estimate(row, name),
                        "cut_low": row.get(f"{name.split('_')[1]}_low"),
                        "cut_high": row.get(f"{name.split('_')[1]}_high"),
                    }
                    for name in CUTS
                },
                "day1": {
                    "mean": row["day1_mean"],
                    "p05": row["day1_p05"],
                    "p50": row["day1_p50"],
                    "p95": row["day1_p95"],
                },
                "replicates": row["replicates"],
                "failed_replicates": row["failed_replicates"],
                "curve": row["curve"],
                "note": row["note"],
            }
        )
    return {
        "version": SUMMARY_VERSION,
        "file": str(path),
        "by": by,
        "authority": usual.get("authority"),
        "se": usual.get("se"),
        "replicates": usual.get("replicates"),
        "persons": usual.get("persons"),
        "persons_weighted": usual.get("persons_weighted"),
        "persons_without_weight": usual.get("persons_without_weight"),
        "intake": usual.get("intake", {}),
        "nutrients": list(nutrients.values()),
    }


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _share(estimate: Mapping[str, Any]) -> str:
    value, se = estimate.get("value"), estimate.get("se")
    if value is None:
        return "—"
    return f"{100 * value:.1f} %" + (f" ({100 * se:.1f})" if se is not None else "")


def _curve_svg(curve: Sequence[float] | None, unit: str) -> str:
    """The 1st … 99th percentiles as a small cumulative-distribution plot (inline SVG)."""
    if not curve:
        return ""
    width, height, pad = 240.0, 90.0, 4.0
    top = max(curve) or 1.0
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    points = " ".join(
        f"{pad + inner_w * v / top:.1f},{height - pad - inner_h * (i + 1) / 100:.1f}"
        for i, v in enumerate(curve)
    )
    label = escape(f"0 … {_num(top)} {unit}")
    return (
        f'<svg viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
        f'role="img" aria-label="cumulative distribution, {label}">'
        f'<polyline fill="none" stroke="#235" stroke-width="1.5" points="{points}"/>'
        f'<text x="{pad}" y="{height - 1}" font-size="9">{label}</text></svg>'
    )


def summary_html(document: Mapping[str, Any]) -> str:
    """A printable page: per nutrient, a table of the groups (mean, percentiles with
    their standard errors in brackets, prevalences) and each group's distribution."""
    by = list(document["by"])
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>vitk2 usual intake</title><style>body{font:13px sans-serif;margin:1.5em}"
        "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #bbb;"
        "padding:2px 6px;text-align:right}th{background:#eee}td.g{text-align:left}"
        "@media print{section{break-inside:avoid}}</style></head><body>",
        f"<h1>Usual intake by {escape(', '.join(by) or 'whole cohort')}</h1>",
        f"<p>{escape(_intro(document))}</p>",
    ]
    shown = [f"p{p:02d}" for p in (5, 25, 50, 75, 95)]
    for nutrient in document["nutrients"]:
        unit = nutrient["unit"]
        parts.append(f"<section><h2>{escape(nutrient['nutrient'])} ({escape(unit)}/day)</h2>")
        head = "".join(f"<th>{escape(b)}</th>" for b in by)
        head += "<th>persons</th><th>model</th><th>mean (SE)</th>"
        head += "".join(f"<th>{p}</th>" for p in shown)
        head += "<th>&lt; EAR</th><th>&gt; AI</th><th>&gt; UL</th><th>unknown g</th><th>plot</th>"
        parts.append(f"<table><tr>{head}</tr>")
        for group in nutrient["groups"]:
            mean = group["mean"]
            cells = "".join(f"<td class='g'>{escape(str(group['group'][b]))}</td>" for b in by)
            cells += f"<td>{group['persons']}</td><td>{escape(str(group['model'] or '—'))}</td>"
            bound = "≥ " if group["lower_bound"] else ""
            se = f" ({_num(mean['se'])})" if mean["se"] is not None else ""
            cells += f"<td>{bound}{_num(mean['value'])}{se}</td>"
            cells += "".join(f"<td>{_num(group['percentiles'][p]['value'])}</td>" for p in shown)
            cells += "".join(f"<td>{_share(group['prevalence'][c])}</td>" for c in CUTS)
            cells += f"<td>{100 * (group['unknown_share'] or 0):.1f} %</td>"
            cells += f"<td>{_curve_svg(group['curve'], unit)}</td>"
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _intro(document: Mapping[str, Any]) -> str:
    return (
        f"{document.get('persons_weighted')} persons with a survey weight; standard errors "
        f"(in brackets) by {document.get('se')} with {document.get('replicates')} replicates; "
        f"reference values: {document.get('authority')}. Usual intakes are from foods only. "
        "“≥” marks a mean that misses foods without a value (the unknown share of grams)."
    )
