"""Food search: the labelled query set, typos and regional names, and properties."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vitk2 import EmptyQueryError, FoodDB
from vitk2.foods.search import SearchEntry, SearchIndex, normalise, tokens

QUERIES = Path(__file__).resolve().parents[1] / "data" / "search_queries.csv"
HOLDOUT = Path(__file__).resolve().parents[1] / "data" / "search_queries_holdout.csv"


def _labelled(path: Path = QUERIES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _accuracy(db: FoodDB, rows: list[dict[str, str]]) -> tuple[float, float]:
    top1 = top3 = 0
    for row in rows:
        expected = {f"usda:{n}" for n in row["expected"].split(";")}
        ids = [hit.id for hit in db.search(row["query"], limit=3)]
        top1 += bool(ids) and ids[0] in expected
        top3 += any(i in expected for i in ids)
    return top1 / len(rows), top3 / len(rows)


def test_labelled_set_is_large_and_valid(db: FoodDB) -> None:
    rows = _labelled()
    assert len(rows) >= 150
    assert len({r["query"] for r in rows}) == len(rows)
    for row in rows:
        for ndb in row["expected"].split(";"):
            db.get(f"usda:{ndb}")  # every label names a real food


def test_accuracy_on_labelled_set(db: FoodDB) -> None:
    top1, top3 = _accuracy(db, _labelled())
    assert top1 >= 0.90, f"top-1 {top1:.1%}"
    assert top3 >= 0.97, f"top-3 {top3:.1%}"


def test_accuracy_on_independent_holdout_set(db: FoodDB) -> None:
    """A second set written without seeing the search code or the first set.

    First measured at top-1 85.6 % / top-3 96.2 % before any tuning; this guards
    against regressions (see docs/benchmarks.md)."""
    rows = _labelled(HOLDOUT)
    assert len(rows) >= 150
    top1, top3 = _accuracy(db, rows)
    assert top1 >= 0.85, f"top-1 {top1:.1%}"
    assert top3 >= 0.95, f"top-3 {top3:.1%}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gouda", "usda:01022"),
        ("natto", "usda:16113"),
        ("boiled egg", "usda:01129"),
        ("hard-boiled egg", "usda:01129"),
        ("chedar", "usda:01009"),
        ("mozarella", "usda:01026"),
        ("aubergine", "usda:11209"),
        ("courgette", "usda:11477"),
        ("Gouda", "usda:01022"),
        ("  GOUDA  ", "usda:01022"),
    ],
)
def test_people_find_what_they_mean(db: FoodDB, query: str, expected: str) -> None:
    assert db.search(query, limit=1)[0].id == expected


def test_yoghurt_finds_yogurt(db: FoodDB) -> None:
    hits = db.search("yoghurt", limit=3)
    assert all("Yogurt" in hit.name for hit in hits)


def test_survey_foods_outrank_obscure_ones(db: FoodDB) -> None:
    hit = db.search("cheddar", limit=1)[0]
    assert hit.id == "usda:01009"


def test_scores_are_ordered_and_bounded(db: FoodDB) -> None:
    hits = db.search("cheese", limit=20)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert len(hits) == 20


def test_limit_and_nonsense(db: FoodDB) -> None:
    assert len(db.search("milk", limit=1)) == 1
    assert db.search("qqqqzzzz") == []


@pytest.mark.parametrize("blank", ["", "   ", "!!!", "\t"])
def test_empty_query_is_an_error(db: FoodDB, blank: str) -> None:
    with pytest.raises(EmptyQueryError):
        db.search(blank)


def test_normalise_and_tokens() -> None:
    assert normalise("Crème Fraîche, half-fat") == "creme fraiche half fat"
    assert tokens("Tomatoes, berries, eggs, roasted") == ["tomato", "berry", "egg", "roast"]


def test_typed_without_a_state_the_food_as_eaten_comes_first(db: FoodDB) -> None:
    """Eggs are eaten cooked (SR28 files them with dairy); a form sold to be heated
    first ("frozen, unprepared", "not reheated") is never what a bare name means."""
    assert "raw" not in db.search("eggs", limit=1)[0].name
    assert db.search("raw egg", limit=1)[0].name.startswith("Egg, whole, raw")
    assert db.search("fried egg", limit=1)[0].name == "Egg, whole, cooked, fried"
    index = SearchIndex(
        [
            SearchEntry("1", "Pie, cherry, frozen, unprepared", 0.0),
            SearchEntry("2", "Pie, cherry, frozen, baked", 0.0),
        ]
    )
    assert index.search("cherry pie")[0][0] == "2"
    assert index.search("unprepared cherry pie")[0][0] == "1"


def test_words_said_together_name_the_food(db: FoodDB) -> None:
    """An "egg roll" is an egg roll, not an egg dinner roll ("Rolls, dinner, egg")."""
    assert db.search("egg roll", limit=1)[0].name.startswith("Egg roll")
    index = SearchIndex(
        [SearchEntry("1", "Rolls, dinner, egg", 0.0), SearchEntry("2", "Egg roll, pork", 0.0)]
    )
    assert index.search("egg roll")[0][0] == "2"
    assert index.search("dinner roll")[0][0] == "1"


def test_small_index_defaults_and_typos() -> None:
    index = SearchIndex(
        [
            SearchEntry("1", "Milk, whole", prior=0.5),
            SearchEntry("2", "Milk, skim", prior=0.5),
            SearchEntry("3", "Cheese, gouda", prior=0.5),
        ],
        defaults={"milk": "2"},
    )
    assert index.search("milk")[0][0] == "2"  # the curated default wins for the phrase
    assert index.search("whole milk")[0][0] == "1"
    assert index.search("gooda")[0][0] == "3"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_either_searches_or_says_empty(text: str) -> None:
    db = FoodDB.default()
    try:
        hits = db.search(text, limit=5)
    except EmptyQueryError:
        assert normalise(text) == ""
    else:
        assert len(hits) <= 5
        assert len({h.id for h in hits}) == len(hits)
