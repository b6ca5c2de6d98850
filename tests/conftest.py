"""Shared fixtures: the real shipped food database, a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pg_server import PostgresServer, postgres_server
from vitk2 import FoodDB


@pytest.fixture(scope="session")
def db() -> FoodDB:
    return FoodDB.default()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the session (see tests/pg_server.py)."""
    with postgres_server() as server:
        yield server
