"""Alembic environment for the diary database.

`vitk2.store.DiaryStore` runs the migrations itself, passing its open connection as
``config.attributes["connection"]``. From the command line, point an ini file at
this directory (``script_location = vitk2.store:migrations``) and give the URL as
``sqlalchemy.url`` in the ini or with ``-x url=...``; without either, the default
diary (``$VITK2_DB`` or the user data directory) is used::

    alembic -c diary.ini -x url=postgresql://me@localhost/diary upgrade head
"""

from __future__ import annotations

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

from vitk2.store._schema import metadata
from vitk2.store._url import create_store_engine, default_url

config = context.config


def _run(connection: sa.Connection) -> None:
    """Run the migrations on an open connection, in one transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # Our SQLite engines begin transactions themselves, so DDL is atomic there too.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_from_command_line() -> None:
    """Open the database named by ``-x url=``, ``sqlalchemy.url`` or the default."""
    if config.config_file_name is not None and config.file_config.has_section("loggers"):
        fileConfig(config.config_file_name)
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or default_url()
    )
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("vitk2 migrations run online only: give a database URL, not --sql.")
if (shared := config.attributes.get("connection")) is not None:
    _run(shared)
else:
    _run_from_command_line()
