"""Database URLs: the default location, driver choice, password masking, engines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from vitk2.errors import StoreError
from vitk2.locations import default_diary_url as default_url

__all__ = ["create_store_engine", "default_url", "mask_url", "one_line"]

_HINT: Final = "Check --db / VITK2_DB."
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
    except sa.exc.ArgumentError:
        return one_line(_PASSWORD.sub(r"\1***@", url))
    return parsed.render_as_string(hide_password=True) if parsed.password else url


def _driver_url(url: str) -> URL:
    """Parse a URL; plain ``postgresql://`` (or ``postgres://``) uses psycopg 3."""
    if "://" not in url:
        url = f"sqlite:///{Path(url)}"
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"Cannot open the diary database {mask_url(url)}: not a database URL; "
            "expected e.g. sqlite:///path/diary.sqlite or postgresql://user@host/dbname. "
            f"{_HINT}"
        ) from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and truly transactional DDL.

    Raises `StoreError` for an unknown dialect or a missing driver, naming the fix.
    """
    parsed = _driver_url(url)
    shown = mask_url(url)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = 10
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
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactional(engine)
    return engine


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions (so DDL is atomic too)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")
