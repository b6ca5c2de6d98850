"""Citations a clinician can read: every citation shown is the bibliographic reference
only; the curator's working remarks (``citation_note``) stay in the data and are shown
apart, by `vitk2 evidence show`, as where the reference was read."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from cli_runner import Cli
from vitk2 import FoodDB
from vitk2.evidence.records import citation, evidence_by_key, load_evidence
from warfarin_diary import build_warfarin_diary

#: Words of the curator's working remarks that must never be shown as a citation.
REMARKS = ("per brief", "not shown", "excerpt", "name from", "reproduced", "curator")
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "evidence.json"


def remarks_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in REMARKS if word in lowered]


def test_packaged_evidence_equals_the_shared_file() -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not beside this checkout")
    packaged = (resources.files("vitk2") / "data" / "evidence.json").read_bytes()
    assert packaged == SHARED.read_bytes(), (
        "src/vitk2/data/evidence.json differs from ../shared/data/evidence.json: copy it"
    )


def test_no_citation_carries_working_remarks() -> None:
    records = load_evidence()
    assert len(records) == 217
    for record in records:
        assert not remarks_in(record.citation or ""), (record.index, record.citation)
    for key in {r.source_key for r in records}:
        assert not remarks_in(citation(key)), (key, citation(key))


def test_the_remarks_stay_in_the_data_as_citation_notes() -> None:
    noted = [r for r in load_evidence() if r.citation_note]
    assert len(noted) == 73
    assert any(remarks_in(r.citation_note or "") for r in noted)
    dalmeijer = evidence_by_key("dalmeijer2012")[0]
    assert dalmeijer.citation == (
        "Dalmeijer GW et al. The effect of menaquinone-7 supplementation on circulating "
        "species of matrix Gla protein. Atherosclerosis 2012;225(2):397-402"
    )
    assert "per brief" in (dalmeijer.citation_note or "")


def test_evidence_show_prints_the_reference_and_apart_where_it_was_read(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.sqlite")
    lines = cli.ok("evidence", "show", "dalmeijer2012").splitlines()
    text = "\n".join(lines)
    reference, rest = text.split("Where this was read (curator's note):", 1)
    assert "Atherosclerosis 2012;225(2):397-402" in reference
    assert not remarks_in(reference.split(":", 1)[1])
    assert "per brief" in " ".join(rest.split())
    shown = cli.json("evidence", "show", "dalmeijer2012")
    assert not remarks_in(shown["citation"])
    assert "per brief" in shown["citation_note"]
    assert all("per brief" in r["citation_note"] for r in shown["records"])


@pytest.fixture(scope="module")
def warfarin(tmp_path_factory: pytest.TempPathFactory, db: FoodDB) -> Cli:
    return Cli(build_warfarin_diary(tmp_path_factory.mktemp("citations"), db))


def test_no_output_shows_remarks_as_citations(warfarin: Cli, tmp_path: Path) -> None:
    """Terminal, JSON and both HTML pages of a warfarin diary with its findings, its
    IOM and EFSA references: the citations they list are clean."""
    report_html = tmp_path / "report.html"
    summary_html = tmp_path / "summary.html"
    warfarin.ok("report", "--html", str(report_html))
    warfarin.ok("clinician-summary", str(summary_html))
    outputs = {
        "report": warfarin.ok("report"),
        "report --authority efsa": warfarin.ok("report", "--authority", "efsa"),
        "findings": warfarin.ok("findings"),
        "report --json": warfarin.ok("report", "--json"),
        "findings --json": warfarin.ok("findings", "--json"),
        "report.html": report_html.read_text(encoding="utf-8"),
        "summary.html": summary_html.read_text(encoding="utf-8"),
    }
    cited = json.loads(outputs["report --json"])["sources"]
    assert len(cited) >= 5 and {"iom2011", "iom2001_k"} <= set(cited)
    for name, text in outputs.items():
        assert not remarks_in(text), (name, remarks_in(text))
    # Both pages list each cited source with exactly its reference.
    listed = {
        "report.html": re.findall(r"<li><b>([\w-]+)</b>: (.*?)</li>", outputs["report.html"]),
        "summary.html": re.findall(
            r'<li id="src-([\w-]+)"><b>[\w-]+</b> \([^)]*\): (.*?)</li>', outputs["summary.html"]
        ),
    }
    for name, pairs in listed.items():
        assert len(pairs) >= 5, name
        for key, shown in pairs:
            assert shown == html.escape(citation(key), quote=True), (name, key)
