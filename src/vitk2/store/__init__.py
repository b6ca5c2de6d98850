"""Persistent diary store: entries, profile and user supplements (SQLAlchemy Core).

SQLite by default (`default_url`), any SQLAlchemy URL otherwise; PostgreSQL is
tested. The schema is managed by Alembic migrations in ``migrations/``, applied
automatically when a `DiaryStore` opens.
"""

from vitk2.store._own import OwnFoodCounts, OwnFoodUses, SavedOwnFood
from vitk2.store._rows import ImportCounts
from vitk2.store._store import DiaryStore, RestoreCounts
from vitk2.store._url import default_url

__all__ = [
    "DiaryStore",
    "ImportCounts",
    "OwnFoodCounts",
    "OwnFoodUses",
    "RestoreCounts",
    "SavedOwnFood",
    "default_url",
]
