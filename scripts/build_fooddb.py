"""Build src/vitk2/data/fooddb.sqlite from USDA SR28 and data/*.csv.

Usage: python scripts/build_fooddb.py [--check] [--output PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from vitk2.foods.build.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
