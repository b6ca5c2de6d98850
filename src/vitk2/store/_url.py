"""Database URLs: the default location, driver choice, password masking, engines.

SQLite engines are set up for several vitk2 processes on one file: write-ahead
logging (readers never block the writer), a busy timeout (a writer waits for
another instead of failing with "database is locked"; `SQLITE_BUSY_TIMEOUT_S`, or
``?timeout=SECONDS`` in the URL) and write transactions that take the write lock
when they begin (``BEGIN IMMEDIATE``, see `WRITE`), so a transaction never has to
upgrade a read lock, which SQLite cannot wait for.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from vitk2.errors import StoreError
from vitk2.locations import default_diary_url as default_url

__all__ = [
    "SQLITE_BUSY_TIMEOUT_S",
    "WRITE",
    "create_store_engine",
    "default_url",
    "mask_url",
    "one_line",
]

_HINT: Final = "Check --db / VITK2_DB."
#: How long a SQLite writer waits for another one before giving up (seconds). A large
#: import holds the write lock while it stores its rows; logs run meanwhile wait.
SQLITE_BUSY_TIMEOUT_S: Final = 120.0
#: Execution options of a write transaction: ``connection.execution_options(**WRITE)``.
WRITE: Final = {"vitk2_write": True}
_PASSWORD: Final = re.compile(r"(://[^:/@]*:)[^@]*@")
# Python module of a database driver -> what to pip install for it.
_PIP: Final[dict[str, str]] = {
    "psycopg": "'vitk2[postgres]'",
    "psycopg2": "psycopg2-binary",
    "MySQLdb": "mysqlclient",
    "pymysql": "pymysql",
    "oracledb": "oracledb",
    "pyodbc": "pyodbc",
}


def one_line(text: str) -> str:
    """Collapse a (driver) message to one line of single spaces."""
    return " ".join(str(text).split())


def mask_url(url: str) -> str:
    """The URL as the user wrote it, with any password replaced by ``***``."""
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return one_line(_PASSWORD.sub(r"\1***@", url))
    return parsed.render_as_string(hide_password=True) if parsed.password else url


def _bad_url(url: str, why: str) -> StoreError:
    return StoreError(
        f"Cannot open the diary database {mask_url(url)}: {why}; expected e.g. "
        f"sqlite:///path/diary.sqlite or postgresql://user@host/dbname. {_HINT}"
    )


def _driver_url(url: str) -> URL:
    """Parse a URL; plain ``postgresql://`` (or ``postgres://``) uses psycopg 3."""
    if not url.strip():
        raise StoreError(
            "The diary database is empty (--db ''): give a file path or a database URL, "
            f"e.g. --db diary.sqlite. {_HINT}"
        )
    if "://" not in url:
        url = f"sqlite:///{Path(url)}"
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise _bad_url(url, "not a database URL") from None
    except ValueError:  # a port that is not a number, a broken [IPv6] host
        raise _bad_url(url, "the host or port cannot be read (a port is a number)") from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise _bad_url(url, f"port {parsed.port} is not 1-65535")
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StoreError(
            f"Cannot use {mask_url(url)} as the diary: it names no file, and an in-memory "
            f"database is lost when the command ends. Give a file, e.g. sqlite:///diary.sqlite. "
            f"{_HINT}"
        )
    return parsed


def _sqlite_timeout(parsed: URL, url: str) -> float:
    text = parsed.query.get("timeout")
    if text is None:
        return SQLITE_BUSY_TIMEOUT_S
    try:
        seconds = float(text if isinstance(text, str) else text[0])
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:
        raise _bad_url(url, f"timeout={text} is not a number of seconds (0-86400)")
    return seconds


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, write-ahead logging, a busy
    timeout and truly transactional DDL.

    Raises `StoreError` for an unreadable URL, an unknown dialect or a missing driver,
    naming the fix.
    """
    parsed = _driver_url(url)
    shown = mask_url(url)
    connect_args: dict[str, Any] = {}
    backend = parsed.get_backend_name()
    if backend == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = 10
    if backend == "sqlite":
        connect_args["timeout"] = _sqlite_timeout(parsed, url)
        parsed = parsed.difference_update_query(["timeout"])
    try:
        engine = sa.create_engine(parsed, connect_args=connect_args)
    except sa.exc.NoSuchModuleError:
        raise StoreError(
            f"Cannot open the diary database {shown}: unknown database type "
            f"{parsed.drivername!r}; use sqlite:///PATH or postgresql://USER@HOST/DB. {_HINT}"
        ) from None
    except ImportError as error:
        module = (error.name or parsed.get_driver_name()).partition(".")[0]
        fix = _PIP.get(module, module)
        raise StoreError(
            f"Cannot open the diary database {shown}: its driver {module!r} is not "
            f"installed. Install it with `pip install {fix}`."
        ) from None
    except (ValueError, TypeError) as error:  # a URL option the driver cannot read
        raise _bad_url(
            url, f"an option in the URL cannot be read ({one_line(str(error))})"
        ) from None
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactional(engine)
    return engine


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions (so DDL is atomic too); turn on
    write-ahead logging; begin write transactions with the write lock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("vitk2_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
