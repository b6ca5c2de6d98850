"""The JSON API gives what the CLI gives: the same report, parse, findings and
simulation documents for the same diary (the real `vitk2` process on the same SQLite
file); every 4xx has the one error shape; a write is seen at once through the cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cli_runner import Cli
from vitk2 import FoodDB
from warfarin_diary import build_warfarin_diary
from web_client import api_client


@pytest.fixture(scope="module")
def diary_file(tmp_path_factory: pytest.TempPathFactory, db: FoodDB) -> Path:
    return build_warfarin_diary(tmp_path_factory.mktemp("web-api"), db)


@pytest.fixture
def cli(diary_file: Path, tmp_path: Path) -> Cli:
    return Cli(diary_file).copied(tmp_path)


@pytest.fixture
def client(cli: Cli) -> Iterator[TestClient]:
    with api_client(cli.db) as client:
        yield client


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message.strip() and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    "query",
    [
        (),
        ("--from", "2026-10-05"),
        ("--from", "2026-09-07", "--to", "2026-09-20", "--authority", "efsa"),
    ],
)
def test_report_is_the_cli_report(cli: Cli, client: TestClient, query: tuple[str, ...]) -> None:
    params = {k.removeprefix("--"): v for k, v in zip(query[::2], query[1::2], strict=True)}
    expected = cli.json("report", *query)
    assert client.get("/api/report", params=params).json() == expected
    assert client.get("/api/report", params=params).json() == expected  # cached: the same


def test_findings_are_the_cli_findings(cli: Cli, client: TestClient) -> None:
    expected = cli.json("findings", "--from", "2026-10-05")
    got = client.get("/api/findings", params={"from": "2026-10-05"}).json()
    assert got == expected
    assert [f["id"] for f in got["findings"]][:2] == ["vka-mk7-supplement", "vka-k1-consistency"]
    baseline = ("--baseline-from", "2026-09-07", "--baseline-to", "2026-09-20")
    expected = cli.json("findings", "--from", "2026-10-05", *baseline)
    params = {"from": "2026-10-05", "baseline_from": "2026-09-07", "baseline_to": "2026-09-20"}
    assert client.get("/api/findings", params=params).json() == expected
    assert client.get("/api/consistency").json() == cli.json("consistency")


@pytest.mark.parametrize(
    "text",
    [
        "2 slices of gouda, a boiled egg and 50 g natto; 1 cup whole milk",
        "3 oz salmon, 1 cup cooked rice, 1/2 cup broccoli, 1 capsule MK-7 90 µg",
        "a glass of milk and 2 slices cheese gouda",
    ],
)
def test_parse_is_the_cli_parse(cli: Cli, client: TestClient, text: str) -> None:
    assert client.post("/api/parse", json={"text": text}).json() == cli.json("parse", text)


def test_parse_with_an_unresolved_item_answers_it(client: TestClient, cli: Cli) -> None:
    result = cli.run("parse", "2 wedges of gouda", "--json")
    assert result.returncode == 1  # the CLI exits 1 but prints the same document
    got = client.post("/api/parse", json={"text": "2 wedges of gouda"})
    assert got.status_code == 200 and got.json() == json.loads(result.stdout)
    assert got.json()["items"][0]["status"] == "unresolved"


@pytest.mark.parametrize(
    ("options", "body"),
    [
        (("--form", "mk7", "--dose", "180ug", "--days", "84"),
         {"form": "mk7", "dose": "180ug", "days": 84}),
        (("--form", "k1", "--dose", "1mg", "--every", "12h", "--days", "14", "--skip", "3"),
         {"form": "k1", "dose": "1mg", "every": "12h", "days": 14, "skip": [3]}),
        (("--form", "mk7", "--dose", "90ug", "--days", "30", "--with-diary"),
         {"form": "mk7", "dose": "90ug", "days": 30, "with_diary": True}),
    ],
)  # fmt: skip
def test_simulate_is_the_cli_simulate(
    cli: Cli, client: TestClient, options: tuple[str, ...], body: dict[str, Any]
) -> None:
    expected = cli.json("supplement", "simulate", *options)
    assert client.post("/api/supplements/simulate", json=body).json() == expected


def test_foods_and_evidence_are_the_cli_documents(cli: Cli, client: TestClient) -> None:
    assert client.get("/api/foods/usda:16113").json() == cli.json("foods", "show", "usda:16113")
    assert client.get("/api/foods/search", params={"q": "chedar", "limit": 3}).json() == cli.json(
        "foods", "search", "chedar", "--limit", "3"
    )
    assert client.get("/api/foods/top/mk7", params={"per": "serving"}).json() == cli.json(
        "foods", "top", "mk7", "--per", "serving"
    )
    assert client.get("/api/entries").json() == cli.json("diary", "show")
    assert client.get("/api/inr").json() == cli.json("inr", "show")
    assert client.get("/api/profile").json() == cli.json("profile", "show")
    got = client.get("/api/evidence/theuwissen2013").json()
    assert got["source_key"] == "theuwissen2013" and got["records"]


def test_a_write_is_seen_at_once_by_the_cached_report(cli: Cli, client: TestClient) -> None:
    before = client.get("/api/report").json()
    stored = client.post(
        "/api/log", json={"text": "100 g natto", "date": "2026-10-09", "meal": "lunch"}
    )
    assert stored.status_code == 201, stored.text
    after = client.get("/api/report").json()
    assert after["mean"]["mk7_ug"] > before["mean"]["mk7_ug"]
    assert after == cli.json("report")
    # a write by another process (the CLI) is seen too
    cli.ok("log", "1 capsule MK-7 90 µg", "--date", "2026-10-10")
    assert client.get("/api/report").json() == cli.json("report")


def test_edit_move_delete_and_undo(client: TestClient, cli: Cli) -> None:
    (entry,) = client.post("/api/log", json={"text": "50 g natto", "date": "2026-10-01"}).json()[
        "stored"
    ]
    path = f"/api/entries/{entry['id']}"
    changed = client.patch(path, json={"grams": 40}).json()
    assert changed["grams"] == 40 and changed["text"] == "40 g Natto"
    moved = client.patch(path, json={"date": "2026-10-02", "meal": "dinner"}).json()
    assert (moved["date"], moved["meal"], moved["grams"]) == ("2026-10-02", "dinner", 40)
    assert cli.json("diary", "show", "--date", "2026-10-02")[-1] == moved
    assert client.delete(path).json()["deleted"] == moved
    _error(client.get(path), 404, "unknown_entry")
    restored = client.post("/api/entries/undo").json()["restored"]
    assert {**restored, "id": None} == {**moved, "id": None}
    _error(client.post("/api/entries/undo"), 400, "invalid_option")


def test_export_and_import_round_trip(client: TestClient, cli: Cli) -> None:
    exported = client.get("/api/export", params={"format": "json"})
    assert exported.status_code == 200
    count = len(cli.json("diary", "show"))
    files = {"file": ("diary.json", exported.content, "application/json")}
    # The diary's own export: every entry is already there (same uid), so nothing doubles.
    assert client.post("/api/import", files=files).json() == {"imported": 0, "skipped": count}
    assert len(cli.json("diary", "show")) == count
    bad = {"file": ("diary.csv", b"id,date\n1,notadate\n", "text/csv")}
    _error(client.post("/api/import", files=bad), 400, "import_file")
    assert len(cli.json("diary", "show")) == count  # nothing imported


def test_every_4xx_has_the_one_error_shape(client: TestClient) -> None:
    assert "Unknown food id" in _error(client.get("/api/foods/usda:99999"), 404, "unknown_food")
    _error(client.get("/api/foods/top/vitamin-q"), 404, "unknown_nutrient")
    _error(client.get("/api/evidence/nobody1999"), 404, "unknown_evidence")
    _error(client.get("/api/report", params={"from": "yesterday"}), 422, "invalid_request")
    _error(client.get("/api/report", params={"from": "2030-01-01"}), 400, "invalid_option")
    # days near the ends of the calendar (the baseline reaches 28 days back) are refused
    for query in ({"from": "0001-01-01"}, {"to": "9999-12-31"}, {"baseline_from": "0001-01-05"}):
        message = _error(client.get("/api/findings", params=query), 422, "invalid_request")
        assert "1900-01-01" in message or "2999-12-31" in message
    day_one = {"text": "50 g natto", "date": "0001-01-01"}
    _error(client.post("/api/log", json=day_one), 422, "invalid_request")
    _error(client.post("/api/log", json={"text": "2 wedges of gouda"}), 400, "meal_parse")
    _error(client.post("/api/log", json={"text": "x", "colour": "red"}), 422, "invalid_request")
    _error(
        client.post(
            "/api/parse", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "invalid_request",
    )
    _error(
        client.post("/api/supplements/simulate", json={"form": "mk7", "dose": "lots"}),
        400,
        "invalid_option",
    )
    _error(client.patch("/api/entries/1", json={}), 400, "invalid_option")
    _error(client.delete(f"/api/entries/{2**60}"), 422, "invalid_request")
    _error(client.delete("/api/inr/999999"), 404, "unknown_inr_reading")
    _error(client.get("/api/nowhere"), 404, "not_found")
    _error(client.put("/api/report"), 405, "method_not_allowed")
    _error(
        client.put("/api/profile", json={"sex": "male", "pregnant": True}), 400, "invalid_option"
    )


def test_the_openapi_schema_describes_the_api(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "vitk2"
    paths = schema["paths"]
    expected = (
        "/api/report", "/api/findings", "/api/parse", "/api/log", "/api/supplements/simulate",
        "/api/foods/{food_id}", "/api/entries/{entry_id}",
    )  # fmt: skip
    for path in expected:
        assert path in paths, path
    assert "ErrorResponse" in schema["components"]["schemas"]
    assert not any(p.startswith(("/diary", "/report")) for p in paths)  # pages are not API


def _food_with_unknown_k2(db: FoodDB) -> str:
    for query in ("honey", "beer", "wine", "squid", "octopus", "anchovy", "rabbit"):
        for hit in db.search(query, limit=5):
            if db.get(hit.id).nutrient("k2_ug").value is None:
                return hit.id
    raise AssertionError("no food with unknown K2 among the candidates")


def test_pages_show_a_total_with_nothing_known_as_unknown(tmp_path: Path, db: FoodDB) -> None:
    """A day of a food whose K2 nobody measured: the report page and the meal preview
    say "unknown", never 0 and never "at least unknown"."""
    meal = f"100 g {_food_with_unknown_k2(db)}"
    cli = Cli(tmp_path / "diary.sqlite")
    cli.ok("log", meal, "--date", "2026-10-01")
    assert cli.json("report")["k2"]["mean_ug"] is None
    with api_client(cli.db) as client:
        page = client.get("/report", params={"from": "2026-10-01", "to": "2026-10-01"}).text
        parsed = client.post("/api/parse", json={"text": meal}, headers=client.headers)
        preview = client.post("/today/preview", data={"text": meal}, headers=client.headers)
    assert "Mean <strong>unknown</strong>" in page
    assert parsed.status_code == 200, parsed.text
    assert parsed.json()["totals"]["k2_ug"] is None
    assert preview.status_code == 200, preview.text
    for html in (page, preview.text):
        assert "at least unknown" not in html
    assert '<td class="num">unknown</td>' in preview.text
