"""Status model fit table: per-arm observed vs fitted, leave-one-trial-out errors,
parameters, exclusions, and the sensitivity checks quoted in docs/models_status.md.

Usage: python bench/status_fit.py [--markdown]

Sensitivity checks (not used by the model, printed to justify its choices):
- Emax free (bounded at 100 %) with τ at its central value;
- the residual RMS over a grid of fixed τ (is τ identifiable?);
- ED50 with every arm weighted by the record's n instead of equally;
- the exact two-dose solution of Dalmeijer 2012 alone (ED50 and Emax·reach at 12 weeks).
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy.optimize import least_squares  # type: ignore[import-untyped, unused-ignore]

from vitk2.models.status import (
    EMAX_PCT,
    FitReport,
    Marker,
    Population,
    data_points,
    fit_report,
    tau_range_weeks,
)

FIELDS = ("dose_ug_per_day", "weeks", "change_pct")
SETS: tuple[tuple[Marker, Population], ...] = (
    ("dp_ucmgp", "general"),
    ("ucoc", "general"),
    ("dp_ucmgp", "haemodialysis"),
)


def _arrays(marker: Marker, population: Population) -> tuple[np.ndarray, ...]:
    pts = data_points(marker, population)
    return (
        np.array([p.dose_ug_per_day for p in pts]),
        np.array([p.weeks for p in pts]),
        np.array([p.change_pct for p in pts]),
        np.array([float(p.n or 1) for p in pts]),
    )


def _model(dose: np.ndarray, weeks: np.ndarray, ed50: float, emax: float, tau: float) -> np.ndarray:
    return -emax * dose / (ed50 + dose) * -np.expm1(-weeks / tau)


def sensitivity(marker: Marker, population: Population) -> list[str]:
    dose, weeks, obs, n = _arrays(marker, population)
    tau = tau_range_weeks(marker, population)[0]
    out = []
    free = least_squares(
        lambda x: _model(dose, weeks, math.exp(x[0]), x[1], tau) - obs,
        [math.log(200.0), 80.0],
        bounds=([0.0, 1.0], [math.log(1e5), EMAX_PCT]),
    )
    out.append(
        f"Emax free: ED50 {math.exp(free.x[0]):.0f} µg/d, Emax {free.x[1]:.1f} %, "
        f"RMS {math.sqrt(np.mean(free.fun**2)):.1f} pp"
    )
    grid = []
    for t in (0.584, 2.0, 4.0, 8.0, 10.8, 15.0, 26.0, 52.0):
        r = least_squares(
            lambda x, t=t: _model(dose, weeks, math.exp(x[0]), EMAX_PCT, t) - obs,
            [math.log(200.0)],
            bounds=([0.0], [math.log(1e5)]),
        )
        grid.append(f"{t:g} wk: {math.sqrt(np.mean(r.fun**2)):.1f}")
    out.append("RMS (pp) at fixed τ: " + "; ".join(grid))
    w = np.sqrt(n)
    weighted = least_squares(
        lambda x: (_model(dose, weeks, math.exp(x[0]), EMAX_PCT, tau) - obs) * w,
        [math.log(200.0)],
        bounds=([0.0], [math.log(1e5)]),
    )
    out.append(f"weighted by record n: ED50 {math.exp(weighted.x[0]):.0f} µg/d")
    if (marker, population) == ("dp_ucmgp", "general"):
        pooled = data_points(marker, population) + data_points(marker, "haemodialysis")
        dp, wp, yp = (np.array([getattr(p, f) for p in pooled]) for f in FIELDS)
        fit = least_squares(
            lambda x: _model(dp, wp, math.exp(x[0]), EMAX_PCT, tau) - yp,
            [math.log(200.0)],
            bounds=([0.0], [math.log(1e5)]),
        )
        general = fit.fun[: len(obs)]
        out.append(
            f"pooled with haemodialysis: ED50 {math.exp(fit.x[0]):.0f} µg/d, RMS on the "
            f"general arms {math.sqrt(np.mean(general**2)):.1f} pp"
        )
    dal = [p for p in data_points(marker, population) if p.source_key == "dalmeijer2012"]
    if len(dal) == 2:
        (d1, y1), (d2, y2) = ((p.dose_ug_per_day, p.change_pct) for p in dal)
        # y2/y1 = d2 (E + d1) / (d1 (E + d2))  →  E = d1 d2 (y2 − y1) / (d2 y1 − d1 y2)
        ed50 = d1 * d2 * (y2 - y1) / (d2 * y1 - d1 * y2)
        out.append(
            f"Dalmeijer alone: ED50 {ed50:.0f} µg/d, Emax·reach(12 wk) "
            f"{-y1 * (ed50 + d1) / d1:.1f} %"
        )
    return out


def table(report: FitReport, markdown: bool) -> str:
    head = (
        "| record | source | population | dose µg/d | weeks | comparison | observed % "
        "| fitted % | residual pp | LOTO % | LOTO error pp | reliability |"
    )
    lines = [head, "|" + "---|" * 12] if markdown else []
    for r in report.rows:
        p = r.point
        cells = (
            str(p.record_index), p.source_key, p.population_text, f"{p.dose_ug_per_day:.1f}",
            f"{p.weeks:.1f}", p.comparison, f"{p.change_pct:g}", f"{r.fitted_pct:.1f}",
            f"{r.residual_pp:+.1f}", f"{r.loto_pct:.1f}", f"{r.loto_error_pp:+.1f}",
            p.reliability,
        )  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |" if markdown else "  ".join(cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="tables as Markdown")
    args = parser.parse_args()
    for marker, population in SETS:
        rep = fit_report(marker, population)
        print(f"\n## {marker} / {population}\n")
        for prm in rep.parameters:
            kind = "fitted" if prm.fitted else "fixed"
            print(
                f"- {prm.name} = {prm.value:.3g} {prm.unit} ({prm.low:.3g}–{prm.high:.3g}; {kind})"
            )
        print(f"- fit RMS {rep.rmse_pp:.1f} pp, MAE {rep.mae_pp:.1f} pp")
        print(f"- leave-one-trial-out RMS {rep.loto_rmse_pp:.1f} pp, MAE {rep.loto_mae_pp:.1f} pp")
        print(f"- domain: {rep.domain.describe()}\n")
        print(table(rep, args.markdown))
        print()
        for line in sensitivity(marker, population):
            print(f"- {line}")
        print("\nexcluded:")
        for ex in rep.excluded:
            print(f"- {ex.record_index} {ex.source_key}: {ex.reason}")


if __name__ == "__main__":
    main()
