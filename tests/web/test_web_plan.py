"""The plan over HTTP: ``GET /api/plan`` and ``GET /api/substitutes`` give the
documents of `vitk2 plan --json` and `vitk2 substitutes --json` for the same diary,
bad options get the one error shape, the ramp-up comes as a calendar file, and the
Plan page shows the plan, its explanation and substitutes (in process; the real
browser is in test_web_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cli_runner import InProcessCli
from plan_profiles import build_profile_diary
from vitk2 import FoodDB
from web_client import api_client


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> InProcessCli:
    folder = tmp_path_factory.mktemp("web-plan")
    return InProcessCli(build_profile_diary(folder / "diary.sqlite", "omnivore", FoodDB.default()))


@pytest.fixture(scope="module")
def client(cli: InProcessCli) -> Iterator[TestClient]:
    with api_client(cli.db) as client:
        yield client


def test_api_plan_is_the_cli_plan(cli: InProcessCli, client: TestClient) -> None:
    args = ("--target-k2", "knapen2015", "--diet", "vegetarian", "--exclude", "mushrooms")
    expected = cli.json("plan", *args)
    params = {"target_k2": "knapen2015", "diet": "vegetarian", "exclude": "mushrooms"}
    assert client.get("/api/plan", params=params).json() == expected
    assert client.get("/api/plan", params=params).json() == expected  # cached: the same
    assert expected["feasible"] and expected["additions"]
    calendar = client.get("/api/plan/ramp.ics", params=params)
    assert calendar.status_code == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.text.count("BEGIN:VEVENT") == len(expected["ramp_up"]) > 0


def test_api_substitutes_are_the_cli_substitutes(cli: InProcessCli, client: TestClient) -> None:
    expected = cli.json("substitutes", "natto", "--diet", "vegan", "--limit", "3")
    params = {"food": "natto", "diet": "vegan", "limit": "3"}
    assert client.get("/api/substitutes", params=params).json() == expected


@pytest.mark.parametrize(
    ("path", "params", "status", "match"),
    [
        ("/api/plan", {"target_k2": "who2020"}, 400, "No authority sets a K2 intake target"),
        ("/api/plan", {"weeks": "0"}, 400, "--weeks"),
        ("/api/plan", {"diet": "paleo"}, 400, "paleo"),
        ("/api/plan", {"typical": "xyzzy plugh"}, 400, "--typical"),
        ("/api/plan", {"from": "2026-09-10", "typical": "50 g natto"}, 400, "not both"),
        ("/api/plan", {"weeks": "two"}, 422, "weeks"),
        ("/api/substitutes", {"food": "xyzzy plugh"}, 404, "xyzzy"),
        ("/api/substitutes", {"food": "natto", "limit": "0"}, 422, "limit"),
    ],
)
def test_bad_options_get_the_one_error_shape(
    client: TestClient, path: str, params: dict[str, str], status: int, match: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert match in body["error"]["message"]


def test_plan_page_shows_the_plan_and_substitutes(client: TestClient) -> None:
    page = client.get("/plan")
    assert page.status_code == 200 and 'href="/plan"' in page.text
    assert "plan-additions" not in page.text  # nothing computed until asked
    shown = client.get(
        "/plan", params={"show": "true", "target_k2": "knapen2015", "exclude": "mushrooms, milk"}
    )
    text = shown.text
    assert "plan-additions" in text and "Natto" in text and "plan-ramp" in text
    assert "/api/plan/ramp.ics?" in text
    assert "Mushrooms" not in text.split("plan-additions")[1].split("</table>")[0]
    failed = client.get("/plan", params={"show": "true", "target_k2": "nope"})
    assert failed.status_code == 200 and "Unknown --target-k2" in failed.text
    subs = client.get("/plan", params={"food": "gouda"})
    assert "subs-table" in subs.text and "Cheese, edam" in subs.text
