"""Debian's chromium driven by Playwright, for the tests of pages (no `playwright
install`: the browser is the Debian package).

Without /usr/bin/chromium or the playwright package the tests skip with the reason,
unless VITK2_REQUIRE_BROWSER=1 (set by CI), which turns the skip into a failure.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["CHROMIUM", "launched_chromium", "skip_unless_available", "table_rows"]

CHROMIUM = Path("/usr/bin/chromium")


def skip_unless_available(*extra: tuple[str, bool], allow_module_level: bool = False) -> None:
    """Skip (or, with VITK2_REQUIRE_BROWSER=1, fail) unless chromium, playwright and
    the ``extra`` (description, present) parts are all there."""
    missing = [
        what
        for what, present in (
            (f"{CHROMIUM} (Debian package `chromium`)", CHROMIUM.exists()),
            (
                "the playwright package (pip install -e '.[dev]')",
                importlib.util.find_spec("playwright") is not None,
            ),
            *extra,
        )
        if not present
    ]
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("VITK2_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VITK2_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason, allow_module_level=allow_module_level)


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """A headless chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


def table_rows(page: Page, heading: str) -> list[list[str]]:
    """The cells' text of the first table after the h2 ``heading``."""
    table = page.locator(f"xpath=//h2[normalize-space()='{heading}']/following-sibling::table[1]")
    rows: list[list[str]] = table.evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim()))"
    )
    return rows
