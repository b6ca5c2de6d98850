"""Plan speed: `vitk2 plan` for the seven realistic profiles of the planner's tests
(tests/plan_profiles.py: two to six weeks of three meals a day in a real SQLite
diary), in process, over the full food table (every SR28 and FNDDS food).

Usage: python bench/plan_speed.py [--repeat 3] [--json]

For each profile and its options, `vitk2.plan.document.run_plan` (read the diary,
the report, the candidate foods, the MILP, the explanation, the ramp-up, the
findings with the plan) is timed with `time.perf_counter`. The first plan of the
process also builds the food table (every food's values, classes, amounts eaten),
which later plans reuse: it is reported separately as "cold". The CLI adds the
process start (`bench/cli_startup.py`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from plan_profiles import PROFILES, build_profile_diary  # noqa: E402
from vitk2 import FoodDB  # noqa: E402
from vitk2.plan.document import run_plan  # noqa: E402
from vitk2.plan.options import plan_inputs  # noqa: E402
from vitk2.plan.planner import PlanInputs  # noqa: E402
from vitk2.services import DiaryService  # noqa: E402
from vitk2.store import DiaryStore  # noqa: E402


def inputs_of(options: tuple[str, ...]) -> PlanInputs:
    """The profile's command-line options as the planner's inputs."""
    diets: list[str] = []
    exclude: list[str] = []
    target: str | None = None
    flags = set(options)
    for flag, value in zip(options, (*options[1:], ""), strict=True):
        if flag == "--diet":
            diets.append(value)
        elif flag == "--exclude":
            exclude.append(value)
        elif flag == "--target-k2":
            target = value
    return plan_inputs(
        diets=diets, exclude=exclude, target_k2=target,
        allow_supplements="--allow-supplements" in flags, dishes="--dishes" in flags,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    db = FoodDB.default()
    timings: dict[str, list[float]] = {}
    cold = 0.0
    with tempfile.TemporaryDirectory() as folder:
        paths = {
            name: build_profile_diary(Path(folder) / f"{name}.sqlite", name, db)
            for name in PROFILES
        }
        first = True
        for _ in range(args.repeat):
            for name, person in PROFILES.items():
                with DiaryStore(str(paths[name])) as store:
                    service = DiaryService(store, db)
                    started = time.perf_counter()
                    plan = run_plan(service, inputs_of(person.options))
                    elapsed = time.perf_counter() - started
                assert plan.feasible, name
                if first:
                    cold, first = elapsed, False
                    continue
                timings.setdefault(name, []).append(elapsed)
    result = {
        "cold_first_plan_s": round(cold, 3),
        "per_profile_median_s": {k: round(statistics.median(v), 3) for k, v in timings.items()},
        "slowest_s": round(max(max(v) for v in timings.values()), 3),
        "median_s": round(statistics.median(t for v in timings.values() for t in v), 3),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"first plan of the process (food table built): {result['cold_first_plan_s']:.2f} s")
    for name, value in result["per_profile_median_s"].items():
        print(f"  {name:<12} median {value:.2f} s")
    print(f"median {result['median_s']:.2f} s, slowest {result['slowest_s']:.2f} s")


if __name__ == "__main__":
    main()
