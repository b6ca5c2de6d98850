"""Alembic migrations of the diary database (run by `vitk2.store.DiaryStore`)."""
