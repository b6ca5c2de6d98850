"""A real, throwaway PostgreSQL server for tests.

`postgres_server` starts one with ``initdb`` + ``pg_ctl`` (from PATH, else
``/usr/lib/postgresql/*/bin``) in a temporary directory, listening on 127.0.0.1 on
a free port with trust authentication and fsync off, and removes it afterwards.
As root (initdb refuses root) it runs them as the ``postgres`` user via ``runuser``.
With ``$VITK2_TEST_POSTGRES_URL`` set it uses that server instead. Without the
binaries the tests skip, unless ``$VITK2_REQUIRE_POSTGRES=1`` (CI), where they fail.
Each test asks for a fresh database with `PostgresServer.create_database`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

__all__ = ["PostgresServer", "find_binaries", "postgres_server"]

_SEARCH_DIRS = "/usr/lib/postgresql/*/bin"


@dataclass(frozen=True)
class PostgresServer:
    """A reachable server; ``url`` is a SQLAlchemy URL to its maintenance database."""

    url: str

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        conninfo = sa.make_url(self.url).set(drivername="postgresql")
        return psycopg.connect(conninfo.render_as_string(hide_password=False), autocommit=True)

    def create_database(self) -> str:
        """Create an empty database; return its URL (``postgresql://`` as users write it)."""
        name = f"vitk2_test_{uuid.uuid4().hex[:12]}"
        with self._admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = sa.make_url(self.url).set(drivername="postgresql", database=name)
        return url.render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        """Drop a database made by `create_database`, closing any leftover sessions."""
        name = sa.make_url(url).database
        with self._admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def find_binaries() -> tuple[Path, Path] | None:
    """``initdb`` and ``pg_ctl``: on PATH, else the newest Debian install; None if absent."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb), Path(pg_ctl)

    def version(directory: Path) -> tuple[int, ...]:
        number = directory.parent.name
        return tuple(int(part) for part in number.split(".") if part.isdigit())

    for directory in sorted(Path("/").glob(_SEARCH_DIRS.lstrip("/")), key=version, reverse=True):
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory / "initdb", directory / "pg_ctl"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when PostgreSQL is required (CI)."""
    if os.environ.get("VITK2_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (VITK2_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _run(command: list[str], *, cwd: Path, log: Path | None = None) -> None:
    """Run a PostgreSQL tool; fail the tests with its output (and server log) if it fails."""
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        if log is not None and log.exists():
            output += "\n" + log.read_text(errors="replace")[-4000:]
        pytest.fail(f"{' '.join(command)} failed ({result.returncode}):\n{output}")


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A running server for the test session (see the module docstring)."""
    external = os.environ.get("VITK2_TEST_POSTGRES_URL")
    if external:
        yield PostgresServer(external)
        return
    binaries = find_binaries()
    if binaries is None:
        _unavailable(f"initdb/pg_ctl are neither on PATH nor in {_SEARCH_DIRS}.")
    initdb, pg_ctl = binaries
    prefix: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            owner = None
        if runuser is None or owner is None:
            _unavailable("running as root needs `runuser` and a 'postgres' user for initdb.")
        prefix = [runuser, "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="vitk2-pg-"))
    data, sockets, log = base / "data", base / "run", base / "postgres.log"
    sockets.mkdir()
    if owner is not None:
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    options = (
        f"-F -c fsync=off -c listen_addresses=127.0.0.1 -c port={port} "
        f"-c unix_socket_directories={sockets}"
    )
    started = False
    try:
        _run(
            [
                *prefix,
                str(initdb),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            cwd=base,
        )
        _run(
            [*prefix, str(pg_ctl), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
            cwd=base,
            log=log,
        )
        started = True
        yield PostgresServer(f"postgresql://postgres@127.0.0.1:{port}/postgres")
    finally:
        if started:
            _run([*prefix, str(pg_ctl), "-D", str(data), "-m", "fast", "-w", "stop"], cwd=base)
        shutil.rmtree(base, ignore_errors=True)
