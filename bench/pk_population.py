"""Population simulation speed: 10,000 virtual subjects x 365 days at hourly
resolution (8,761 time points), with the 5th/50th/95th percentiles at every point.

Usage: python bench/pk_population.py [--subjects N] [--days D] [--repeat R] [--json]

Times `vitk2.models.pk.population` end to end (parameter draws, stepping, percentiles),
after one warm-up call, and the single-person `simulate` of the same regimen.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time

from vitk2.models.pk import population, simulate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    population("mk7", 180, days=7, subjects=100)  # warm-up: evidence, parameters
    seconds = []
    for seed in range(args.repeat):
        t0 = time.perf_counter()
        result = population("mk7", 180, days=args.days, subjects=args.subjects, seed=seed)
        seconds.append(time.perf_counter() - t0)
    single = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        simulate("mk7", 180, days=args.days)
        single.append(time.perf_counter() - t0)
    summary = {
        "subjects": args.subjects,
        "days": args.days,
        "time_points": int(result.t_h.shape[0]),
        "population_s_median": round(statistics.median(seconds), 3),
        "population_s_max": round(max(seconds), 3),
        "single_person_with_band_s_median": round(statistics.median(single), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(summary, indent=2) if args.json else summary)


if __name__ == "__main__":
    main()
