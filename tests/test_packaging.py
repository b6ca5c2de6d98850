"""What a non-editable install ships: every data file under ``src/vitk2`` (the food
database, the CSV tables, templates, static files, the migration template) is matched
by a ``package-data`` pattern of pyproject.toml, so `pip install .` (the README's run
command) carries it. A file the patterns miss works in the editable test install and
breaks for a user."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "vitk2"


def test_every_data_file_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["vitk2"]
    files = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    ]
    assert "data/fooddb.sqlite" in files and "data/amounts_eaten.csv" in files
    missed = [
        name
        for name in files
        if not any(
            fnmatch.fnmatch(name, pattern) and name.count("/") == pattern.count("/")
            for pattern in patterns
        )
    ]
    assert missed == [], f"add these to [tool.setuptools.package-data]: {missed}"
