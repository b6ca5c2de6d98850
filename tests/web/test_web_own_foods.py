"""Your recipes and label foods over the web: the API gives the CLI's documents for
the same diary, the My foods page adds, shows and deletes them, nothing is stored from
a recipe with an ingredient the parser does not understand, and a recipe in use is
retired, not lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cli_runner import Cli
from web_client import api_client

RECIPE = {
    "name": "lasagne",
    "serves": 4,
    "text": "200 g spaghetti, 150 g minced beef, 30 g parmesan",
}


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "diary.sqlite")


@pytest.fixture
def client(cli: Cli) -> Iterator[TestClient]:
    with api_client(cli.db) as client:
        yield client


def test_api_recipe_is_the_cli_recipe(cli: Cli, client: TestClient) -> None:
    added = client.post("/api/recipes", json=RECIPE)
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["title"] == "lasagne (my recipe)" and body["log_as"] == "1 serving lasagne"
    assert [i["ref"] for i in body["ingredients"]][2].startswith("usda:")
    assert body["nutrients"]["k2_ug"]["value"] > 0  # parmesan and beef bring K2
    shown = client.get("/api/recipes/lasagne").json()
    assert shown == cli.json("recipe", "show", "lasagne")
    assert client.get("/api/recipes").json() == cli.json("recipe", "list")
    logged = client.post("/api/log", json={"text": "1 serving lasagne", "date": "2026-11-02"})
    assert logged.status_code == 201, logged.text
    assert client.get("/api/recipes/lasagne").json()["used_by"]["entries"] == 1


def test_api_label_food_keeps_what_the_label_does_not_say_unknown(
    cli: Cli, client: TestClient
) -> None:
    food = {"name": "MyBar", "per": "1 bar", "grams": 40, "label": {"calcium": "200mg"}}
    added = client.post("/api/own-foods", json=food)
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["log_as"] == "1 bar MyBar"
    assert body["nutrients"]["calcium_mg"]["per_serving"] == pytest.approx(200)
    assert body["nutrients"]["k2_ug"]["value"] is None  # unknown, not 0
    assert client.get("/api/own-foods").json() == cli.json("food", "list")


def test_api_refuses_a_recipe_it_cannot_read_and_stores_nothing(client: TestClient) -> None:
    bad = client.post("/api/recipes", json={**RECIPE, "text": "200 g spaghetti, 50 g glue"})
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "meal_parse" and "glue" in error["message"]
    assert client.get("/api/recipes").json() == []
    zero = client.post("/api/recipes", json={**RECIPE, "serves": 0})
    assert zero.status_code == 422 and zero.json()["error"]["code"] == "invalid_request"
    missing = client.get("/api/recipes/nosuch")
    assert missing.status_code == 404 and "nosuch" in missing.json()["error"]["message"]


def test_page_adds_shows_and_retires_a_recipe(client: TestClient) -> None:
    page = client.get("/my-foods")
    assert page.status_code == 200 and "None yet." in page.text
    saved = client.post("/my-foods/recipes", data={k: str(v) for k, v in RECIPE.items()})
    assert "Saved lasagne (my recipe)" in saved.text and "1 serving lasagne" in saved.text
    ref = client.get("/api/recipes").json()[0]["id"]
    detail = client.get(f"/my-foods/{ref}")
    assert detail.status_code == 200
    assert "200 g spaghetti" in detail.text and 'href="/foods/usda:' in detail.text
    client.post("/api/log", json={"text": "1 serving lasagne", "date": "2026-11-02"})
    gone = client.post("/my-foods/delete", data={"ref": ref, "kind": "recipe"})
    assert "Retired lasagne" in gone.text
    assert client.get("/api/recipes").json() == []
    assert client.get("/api/recipes", params={"all": "true"}).json()[0]["retired"] is True
    assert client.get("/api/entries").json()[0]["name"] == "lasagne (my recipe)"


def test_page_keeps_the_draft_and_says_what_to_fix(client: TestClient) -> None:
    data = {"name": "stew", "serves": "4", "text": "500 g beef, 100 g unicorn meat"}
    answer = client.post("/my-foods/recipes", data=data)
    assert answer.status_code == 200
    assert 'role="alert"' in answer.text and "unicorn meat" in answer.text
    assert ">500 g beef, 100 g unicorn meat</textarea>" in answer.text
    assert client.get("/api/recipes").json() == []
    bad_grams = client.post("/my-foods/label-foods", data={"name": "X", "per": "1 bar",
                                                           "grams": "-3"})  # fmt: skip
    assert "negative" in bad_grams.text and client.get("/api/own-foods").json() == []


def test_today_offers_your_recipe_as_you_type_and_as_a_fix(client: TestClient) -> None:
    assert client.post("/api/recipes", json=RECIPE).status_code == 201
    typing = client.post("/today/preview", data={"text": "50 g natto, 1 serving lasag"})
    assert "lasagne (my recipe)" in typing.text and "1 serving lasagne" in typing.text
    unresolved = client.post("/today/preview", data={"text": "2 handfuls lasagne"})
    assert "lasagne (my recipe)" in unresolved.text
