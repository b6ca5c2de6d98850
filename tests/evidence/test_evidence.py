"""The shipped evidence base: loading, lookup by key, citations, reliability."""

from __future__ import annotations

import dataclasses
import doctest
import json
from importlib import resources

import pytest

import vitk2.evidence.records
from vitk2.errors import DataError, UnknownEvidenceError, Vitk2Error
from vitk2.evidence.records import (
    RELIABILITIES,
    EvidenceRecord,
    citation,
    evidence_by_key,
    evidence_record,
    load_evidence,
    reliability_of,
)


def raw_records() -> list[dict[str, object]]:
    text = (resources.files("vitk2") / "data" / "evidence.json").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, list)
    return data


def test_all_names_exist() -> None:
    for name in vitk2.evidence.records.__all__:
        assert hasattr(vitk2.evidence.records, name)


def test_docstring_examples() -> None:
    assert doctest.testmod(vitk2.evidence.records, raise_on_error=False).failed == 0


def test_record_count_and_order() -> None:
    records = load_evidence()
    assert len(records) == 217
    assert [r.index for r in records] == list(range(217))
    assert load_evidence() is records  # cached


def test_records_equal_the_json_file() -> None:
    for rec, raw in zip(load_evidence(), raw_records(), strict=True):
        for field, value in raw.items():
            assert getattr(rec, field) == value, (rec.index, field)
        assert rec.reliability in RELIABILITIES


def test_known_records() -> None:
    gast = evidence_record(75)
    assert (gast.source_key, gast.value, gast.unit) == ("gast2009", "211.7 / 29.1", "ug/day")
    assert gast.n == 16057
    men_k = evidence_record(106)
    assert (men_k.source_key, men_k.value, men_k.population) == ("iom2001_k", 120, "men >=19 y")
    ca = evidence_record(171)
    assert (ca.source_key, ca.value, ca.note) == ("iom2011_ca", 1000, "EAR 800; UL 2500 mg/day")
    assert evidence_record(166).value == "200 (AI)"
    assert evidence_record(216).value == "NOT FOUND"


def test_record_is_frozen() -> None:
    rec = evidence_record(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.value = 5  # type: ignore[misc]
    assert isinstance(rec, EvidenceRecord)


def test_record_text_holds_value_and_note() -> None:
    text = evidence_record(75).text
    assert "211.7 / 29.1" in text and "SD 100.3 / 12.8" in text


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (100, "primary"),  # IOM DRI table
        (24, "abstract"),  # Dalmeijer 2012, abstract
        (0, "abstract"),  # abstract; the note only mentions a vendor page as an aside
        (36, "abstract"),  # abstract; the note mentions a review table's error
        (3, "secondary"),  # AI-compiled wiki, "LOW RELIABILITY secondary"
        (4, "secondary"),  # vendor page
        (9, "secondary"),  # results quoted on a forum
        (29, "secondary"),  # blog summary
        (33, "secondary"),  # review Table 1
        (185, "secondary"),  # WHO table, "secondary reproduction"
        (207, "secondary"),  # consumer page
        (67, "not_found"),  # value NOT FOUND in a C_VKA record
        (210, "not_found"),  # topic NOT_FOUND
    ],
)
def test_reliability_of_known_records(index: int, expected: str) -> None:
    assert evidence_record(index).reliability == expected


def test_reliability_rule() -> None:
    kw: dict[str, str | None] = {"note": None, "locator": "abstract", "citation": "X"}
    assert reliability_of("A_PK", 1.0, **kw) == "abstract"
    assert reliability_of("NOT_FOUND", 1.0, **kw) == "not_found"
    assert reliability_of("A_PK", " not found ", **kw) == "not_found"
    assert reliability_of("A_PK", 1.0, **{**kw, "note": "Secondary (blog)."}) == "secondary"
    assert reliability_of("A_PK", 1.0, **{**kw, "locator": "review Table 2"}) == "secondary"
    assert reliability_of("A_PK", 1.0, **{**kw, "citation": "AI-compiled wiki"}) == "secondary"
    assert reliability_of("A_PK", 1.0, **{**kw, "locator": "IOM DRI table"}) == "primary"
    # an aside about a vendor page in the note does not demote the record
    assert reliability_of("A_PK", 1.0, **{**kw, "note": "dose per vendor page"}) == "abstract"


def test_not_found_records_are_all_flagged() -> None:
    flagged = {r.index for r in load_evidence() if r.reliability == "not_found"}
    expected = {
        i
        for i, r in enumerate(raw_records())
        if r["topic"] == "NOT_FOUND" or r["value"] == "NOT FOUND"
    }
    assert flagged == expected and len(flagged) == 9


def test_evidence_by_key() -> None:
    ca = evidence_by_key("iom2011_ca")
    assert [r.index for r in ca] == list(range(166, 177))
    assert all(r.source_key == "iom2011_ca" for r in ca)
    assert evidence_by_key("gast2009")[1].value == "211.7 / 29.1"


def test_unknown_key_raises_helpful_error() -> None:
    with pytest.raises(UnknownEvidenceError) as info:
        evidence_by_key("iom2011_cal")
    err = info.value
    assert isinstance(err, LookupError) and isinstance(err, Vitk2Error)
    assert err.source_key == "iom2011_cal"
    assert "iom2011_ca" in err.suggestions
    assert str(err).startswith("Unknown evidence source key 'iom2011_cal'")
    assert "Did you mean 'iom2011_ca'" in str(err)
    with pytest.raises(UnknownEvidenceError):
        citation("nope")


def test_citation() -> None:
    assert citation("gast2009") == evidence_record(74).citation
    assert citation("iom2001_k").startswith("Institute of Medicine. Dietary Reference Intakes")
    assert citation("theuwissen2012").startswith("Not found: Theuwissen 2012")


def test_evidence_record_out_of_range() -> None:
    with pytest.raises(IndexError):
        evidence_record(217)
    with pytest.raises(IndexError):
        evidence_record(-1)


def test_damaged_record_is_a_data_error() -> None:
    bad = dict(raw_records()[0])
    del bad["note"]
    with pytest.raises(DataError, match="lacks the fields note"):
        vitk2.evidence.records._record(0, bad)
    bad = {**raw_records()[0], "value": [1, 2]}
    with pytest.raises(DataError, match="not a number or text"):
        vitk2.evidence.records._record(0, bad)
