"""`vitk2 evidence search` and `vitk2 evidence show`: real processes on the shipped
evidence base."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import Cli
from vitk2.errors import InvalidOptionError
from vitk2.evidence.records import TOPICS, search_evidence, source_reliabilities, topic_code

VALUES = [(40, "% (approx.)"), (">=40", "% of subjects"), (">=60", "% of subjects")]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "unused.sqlite")


# -- search (domain) ------------------------------------------------------------------


def test_every_word_must_match() -> None:
    found = search_evidence("MK-7 INR")
    assert {r.source_key for r in found} == {"theuwissen2013"}
    assert [r.index for r in found] == [46, 47, 48]
    assert search_evidence("mk7 inr") == found  # without the hyphen too
    assert search_evidence("MK-7 INR xyzzy") == ()


def test_ranking_prefers_the_source_key_and_the_claim() -> None:
    found = search_evidence("warfarin", limit=None)
    assert all(r.topic in {"C_VKA", "F_mech"} for r in found)
    assert found[0].source_key in {"sconce2005", "kurnik2003", "vangorp2015"}  # in claim
    assert search_evidence("schurgers2004")[0].source_key == "schurgers2004"


def test_topic_filter_by_code_or_name() -> None:
    by_code = search_evidence("calcium", topic="e_drv", limit=None)
    by_name = search_evidence("calcium", topic="Reference values", limit=None)
    assert by_code == by_name and by_code
    assert all(r.topic == "E_DRV" for r in by_code)
    assert topic_code("vitamin K antagonist interactions") == "C_VKA"
    with pytest.raises(InvalidOptionError, match="use one of A_PK"):
        topic_code("drugs")
    assert set(TOPICS) == {r.topic for r in search_evidence("e", limit=None)}


def test_words_match_at_the_start_of_a_word() -> None:
    assert search_evidence("vascular")  # present as a word ...
    assert search_evidence("ascular") == ()  # ... but not matched inside one
    assert search_evidence("calc", limit=None) == search_evidence("calci", limit=None)


def test_source_reliabilities() -> None:
    assert source_reliabilities("sato2012") == ("abstract", "secondary")
    assert source_reliabilities("theuwissen2013") == ("abstract",)


def test_limit_and_empty_query() -> None:
    assert len(search_evidence("vitamin", limit=3)) == 3
    assert len(search_evidence("vitamin", limit=None)) > 3
    with pytest.raises(InvalidOptionError, match="Give words"):
        search_evidence(" ,; ")


# -- the commands ---------------------------------------------------------------------


def test_search_json(cli: Cli) -> None:
    data = cli.json("evidence", "search", "MK-7 INR")
    assert [r["index"] for r in data] == [46, 47, 48]
    assert data[1]["dose"] == "MK-7 10 ug/d" and data[1]["reliability"] == "abstract"
    assert data[1]["topic_name"] == "vitamin K antagonist interactions"
    assert cli.json("evidence", "search", "nothing-like-this") == []


def test_search_text(cli: Cli) -> None:
    text = cli.ok("evidence", "search", "calcium UL", "--topic", "E_DRV", "--limit", "2")
    assert "efsa2012_caul" in text and "2 record(s)" in text
    none = cli.ok("evidence", "search", "zzzz")
    assert "No evidence record contains every word of 'zzzz'" in none


def test_show_json(cli: Cli) -> None:
    data = cli.json("evidence", "show", "theuwissen2013")
    assert data["source_key"] == "theuwissen2013" and data["reliability"] == "abstract"
    assert data["citation"].startswith("Theuwissen E et al.")
    assert [(r["value"], r["unit"]) for r in data["records"]] == VALUES
    assert {r["read_at"] for r in data["records"]} == {
        "http://onlinelibrary.wiley.com/doi/10.1111/jth.12203/abstract"
    }


@pytest.mark.parametrize(
    ("key", "flag", "meaning"),
    [
        ("theuwissen2013", "abstract", "read in the abstract only"),
        ("agingwiki_vitk2", "secondary", "read second-hand"),
        ("kinon_vendor", "secondary", "read second-hand"),
        ("couris2006", "not_found", "no stored page gave the figure"),
        ("vangorp2015", "primary", "read in the primary source"),
    ],
)
def test_show_states_the_reliability(cli: Cli, key: str, flag: str, meaning: str) -> None:
    text = " ".join(cli.ok("evidence", "show", key).split())
    assert f"{flag}: {meaning}" in text
    assert cli.json("evidence", "show", key)["records"][0]["reliability"] == flag


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("evidence", "show", "theuwisen2013"), "Did you mean 'theuwissen2013'"),
        (("evidence", "show", "nope"), "vitk2 evidence search TEXT"),
        (("evidence", "search", "  "), "Give words to search"),
        (("evidence", "search", "calcium", "--topic", "drugs"), "Unknown evidence topic 'drugs'"),
    ],
)
def test_errors(cli: Cli, args: tuple[str, ...], match: str) -> None:
    cli.fails(*args, match=match)
