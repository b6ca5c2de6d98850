"""Shared fixtures: the real shipped food database."""

from __future__ import annotations

import pytest

from vitk2 import FoodDB


@pytest.fixture(scope="session")
def db() -> FoodDB:
    return FoodDB.default()
