"""Where the diary lives: the one rule for its default location.

The store opens it and the CLI checks whether it exists; this module needs neither
SQLAlchemy nor anything else heavy, so the CLI can ask without loading the store.

``$VITK2_DB`` wins when set (a plain path means a SQLite file); otherwise the diary is
``diary.sqlite`` in the user data folder (``platformdirs``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import platformdirs

__all__ = ["ENV_VAR", "default_diary_url", "diary_file"]

ENV_VAR: Final = "VITK2_DB"
_SQLITE_PREFIX: Final = "sqlite:///"


def _user_diary() -> Path:
    return Path(platformdirs.user_data_dir("vitk2")) / "diary.sqlite"


def default_diary_url() -> str:
    """``$VITK2_DB`` if set (a plain path means a SQLite file), else
    ``sqlite:///<user data dir>/diary.sqlite``; that directory is created."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return configured if "://" in configured else f"{_SQLITE_PREFIX}{Path(configured)}"
    path = _user_diary()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"{_SQLITE_PREFIX}{path}"


def diary_file(db: str | None) -> Path | None:
    """The SQLite file a ``--db`` value (None: the default) points at, without creating
    anything; None for a server database."""
    if db is None:
        configured = os.environ.get(ENV_VAR, "").strip()
        if not configured:
            return _user_diary()
        db = configured
    if "://" not in db:
        return Path(db)
    if db.startswith(_SQLITE_PREFIX):
        return Path(db.removeprefix(_SQLITE_PREFIX))
    return None
