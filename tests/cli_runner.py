"""The vitk2 command line as a user runs it: a real process on a real diary file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["Cli"]


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.env = {**os.environ, "VITK2_DB": str(db), "COLUMNS": "200"}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "vitk2", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=120,
            env=self.env,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def copied(self, folder: Path) -> Cli:
        """A runner on a copy of this diary in ``folder`` (tests change the copy)."""
        copy = folder / self.db.name
        shutil.copyfile(self.db, copy)
        return Cli(copy)

    def digest(self) -> str:
        return hashlib.sha256(self.db.read_bytes()).hexdigest()

    def fails(self, *args: str, match: str) -> str:
        before = self.digest() if self.db.exists() else None
        result = self.run(*args)
        assert result.returncode == 1, (result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ")
        assert "Traceback" not in result.stderr
        assert match in lines[0], lines[0]
        if before is not None:
            assert self.digest() == before, "the database changed"
        return lines[0]
