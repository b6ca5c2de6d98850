"""The vitk2 command line as a user runs it, on a real diary file: `Cli` runs a real
process; `InProcessCli` runs the same entry point (`vitk2.cli.app:main`, what the
console script calls) in this process, with captured output and exit code, for the
many-case tests (the bad-input corpus) where a process start per case is too slow."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["Cli", "InProcessCli", "dump"]


def dump(db: Path) -> str:
    """Every table and row of a SQLite diary as SQL text (empty when there is no file)."""
    if not db.exists():
        return ""
    connection = sqlite3.connect(db)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


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

    def dump(self) -> str:
        return dump(self.db)

    def fails(self, *args: str, match: str, code: int = 1) -> str:
        """Run a command that must fail: exit ``code``, exactly one line on stderr
        (``error: …`` containing ``match``), no traceback, the diary unchanged (when
        there was one: opening a new diary creates its tables)."""
        existed = self.db.exists()
        before = self.dump()
        result = self.run(*args)
        assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ")
        assert "Traceback" not in result.stderr
        assert match in lines[0], lines[0]
        if existed:
            assert self.dump() == before, "the database changed"
        return lines[0]


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class InProcessCli(Cli):
    """`Cli`, running `vitk2.cli.app.main` in this process. An exception escaping it
    (a traceback for a user) becomes exit code 99 with the traceback on stderr."""

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        from vitk2.cli.app import main

        out, err = io.StringIO(), io.StringIO()
        with (
            _environment({"VITK2_DB": str(self.db), "COLUMNS": "200"}),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                main(list(args))
                code = 0
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
            except BaseException:
                err.write(traceback.format_exc())
                code = 99
        return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())

    def copied(self, folder: Path) -> InProcessCli:
        copy = folder / self.db.name
        shutil.copyfile(self.db, copy)
        return InProcessCli(copy)
