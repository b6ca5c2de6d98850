"""Running the Alembic migrations in code (no ``alembic.ini`` needed)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Final

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

__all__ = [
    "MIGRATIONS",
    "alembic_config",
    "current_revision",
    "head_revision",
    "known_revisions",
    "migrate",
]

MIGRATIONS: Final = Path(__file__).with_name("migrations")


def alembic_config(*, connection: sa.Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config for vitk2's migrations, on an open connection or a URL."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(connection: sa.Connection, revision: str = "head") -> None:
    """Upgrade the database on ``connection`` to ``revision``, inside its transaction."""
    command.upgrade(alembic_config(connection=connection), revision)


@functools.cache
def head_revision() -> str | None:
    """The newest revision the shipped migrations know (read once per process)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database on ``connection`` is at (None if never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision the shipped migrations know (read once per process)."""
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())
