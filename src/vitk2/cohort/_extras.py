"""The optional packages of the cohort engine, imported when used: a missing one fails
with one line naming the pip command that installs it."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Final

from vitk2.errors import MissingExtraError

COHORT: Final = "pip install 'vitk2[cohort]'"
SPARK: Final = "pip install 'vitk2[spark]'"


def require(module: str, *, fix: str, what: str) -> ModuleType:
    """Import ``module`` or raise `MissingExtraError` saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{what} needs the Python package {module.split('.', maxsplit=1)[0]}: {fix}"
        ) from None


def arrow() -> ModuleType:
    return require("pyarrow", fix=COHORT, what="The cohort engine")
