"""The JSON API fuzzed from its own OpenAPI schema (schemathesis, in-process over ASGI,
on a real SQLite diary): no request, however malformed, gets a 5xx, and every 4xx has
the one error shape."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance

from vitk2.web.app import create_app

FUZZ_EXAMPLES = 30  # per operation and mode (valid, invalid); 29 operations


def one_error_shape(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx: {"error": {"status", "code", "message"}} with the response's status."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert set(body) == {"error"}, body
        assert set(body["error"]) == {"status", "code", "message"}, body
        assert body["error"]["status"] == response.status_code, body
        assert isinstance(body["error"]["message"], str) and body["error"]["message"], body


# The schema is read when the module is collected: the app lives in a folder of its own,
# removed when the module's tests are done.
_FOLDER = Path(tempfile.mkdtemp(prefix="vitk2-fuzz-"))
APP = create_app(db=str(_FOLDER / "diary.sqlite"), host="testserver")  # the ASGI client
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def diary() -> Iterator[None]:
    """Ten days of meals and an INR reading, so reports have something to add up."""
    service = APP.state.web.service
    first = date(2026, 1, 1)
    for day in range(10):
        service.log(
            "50 g natto, 1 cup whole milk, 1 capsule MK-7 90 µg", day=first + timedelta(day)
        )
    service.add_inr(2.3, day=first)
    yield
    service.store.close()
    shutil.rmtree(_FOLDER, ignore_errors=True)


OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}
RUNS = [
    (label, mode)
    for label, operation in OPERATIONS.items()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    # an operation without parameters or body has no invalid request to generate
    if mode is GenerationMode.POSITIVE or list(operation.iter_parameters()) or operation.body
]


@pytest.mark.parametrize(("label", "mode"), RUNS, ids=[f"{lb} {m.value}" for lb, m in RUNS])
def test_the_api_never_fails_with_a_server_error(label: str, mode: GenerationMode) -> None:
    """Valid (positive) and invalid (negative) requests generated from the schema for one
    operation. Driven here rather than by schemathesis's pytest plugin, which does not
    report per operation under pytest-xdist."""
    csrf = APP.state.web.settings.csrf

    @given(case=OPERATIONS[label].as_strategy(generation_mode=mode))
    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(
            headers={"X-CSRF-Token": csrf},
            checks=[not_a_server_error, content_type_conformance, one_error_shape],
        )

    run()
