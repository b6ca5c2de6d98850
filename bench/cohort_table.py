"""The headline table of docs/cohort.md from a usual-intake file: weighted mean (SE)
and the 5th, 50th and 95th percentiles of usual intake per group, for K1, MK-4, K2
(with its low/high bounds), vitamin D and calcium, and the prevalences.

Usage: python bench/cohort_table.py nhanes11-usual.parquet > table.md
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from vitk2.cohort.usual import natural_key
from vitk2.services.cohort import cohort_summary

SHOWN = ("k1_ug", "mk4_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg")


def _n(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


def _cell(group: dict[str, Any]) -> str:
    mean = group["mean"]
    bound = "≥ " if group["lower_bound"] and mean["value"] is not None else ""
    se = f" ({_n(mean['se'])})" if mean["se"] is not None else ""
    p = group["percentiles"]
    spread = "–".join(_n(p[name]["value"]) for name in ("p05", "p50", "p95"))
    return f"{bound}{_n(mean['value'])}{se}; {spread}"


def main() -> None:
    document = cohort_summary(Path(sys.argv[1]))
    by = document["by"]
    series = {n["nutrient"]: n for n in document["nutrients"]}
    for key in SHOWN:
        nutrient = series.get(key)
        if nutrient is None:
            continue
        bounds = key == "k2_ug" and "k2_low_ug" in series and "k2_high_ug" in series
        head = [*by, "persons", f"mean (SE); p5–p50–p95, {nutrient['unit']}/day"]
        if bounds:
            head += ["low bound mean", "high bound mean"]
        head += ["< EAR", "> AI", "> UL", "grams without a value"]
        print(f"\n**{key}**\n")
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        order = sorted(
            range(len(nutrient["groups"])),
            key=lambda i: natural_key(
                tuple(str(v) for v in nutrient["groups"][i]["group"].values())
            ),
        )
        for i in order:
            group = nutrient["groups"][i]
            row = [str(group["group"][b]) for b in by] + [str(group["persons"]), _cell(group)]
            if bounds:
                row += [
                    _n(series[name]["groups"][i]["mean"]["value"])
                    for name in ("k2_low_ug", "k2_high_ug")
                ]
            for name in ("below_ear", "above_ai", "above_ul"):
                value = group["prevalence"][name]["value"]
                row.append("—" if value is None else f"{100 * value:.0f} %")
            row.append(f"{100 * (group['unknown_share'] or 0):.0f} %")
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
