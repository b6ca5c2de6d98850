"""A long import shows a progress bar on a terminal (and nothing of it when stderr is
not one): a real process with stderr on a pseudo-terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from concurrent_logs import write_export


def test_an_import_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    export = tmp_path / "big.csv"
    write_export(export, 30_000)
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "vitk2", "diary", "import", str(export),
         "--db", str(tmp_path / "diary.sqlite")],
        stdout=subprocess.PIPE, stderr=follower, text=True,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out, _ = process.communicate(timeout=600)
    os.close(leader)
    assert process.returncode == 0
    assert "Imported 30000 entries" in " ".join(out.split())
    assert b"Importing" in seen and b"MB" in seen  # the bar: bytes read of the file's size
    quiet = subprocess.run(
        [sys.executable, "-m", "vitk2", "diary", "import", str(export),
         "--db", str(tmp_path / "other.sqlite")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == ""
