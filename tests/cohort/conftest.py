"""Fixtures of the cohort tests: one local Spark session for the whole test session
(starting Spark takes seconds). Without PySpark or Java the Spark tests skip, unless
VITK2_REQUIRE_SPARK=1 (set by CI) makes that a failure."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from vitk2.cohort.engines import spark_session
    from vitk2.errors import MissingExtraError

    reason = None
    if shutil.which("java") is None:
        reason = "no java on PATH (Debian: openjdk-17-jre-headless)"
    else:
        try:
            session = spark_session()
        except MissingExtraError as error:
            reason = str(error)
    if reason is not None:
        if os.environ.get("VITK2_REQUIRE_SPARK") == "1":
            pytest.fail(f"VITK2_REQUIRE_SPARK=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    yield session
    session.stop()
