"""`vitk2 clinician-summary`: a warfarin diary of five weeks logged through the real
CLI on a real SQLite file, the page opened in a real Chromium (offline), plus the
command's errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import launched_chromium, skip_unless_available, table_rows
from cli_runner import Cli
from vitk2 import FoodDB
from vitk2.intake.meals import MealParser
from vitk2.render.clinician_html import supplement_use
from warfarin_diary import START, build_warfarin_diary

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def diary_file(tmp_path_factory: pytest.TempPathFactory, db: FoodDB) -> Path:
    return build_warfarin_diary(tmp_path_factory.mktemp("clinician"), db)


@pytest.fixture
def cli(diary_file: Path, tmp_path: Path) -> Cli:
    return Cli(diary_file).copied(tmp_path)


@pytest.fixture(scope="module")
def page_file(diary_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "summary.html"
    out = Cli(diary_file).json("clinician-summary", str(path), "--from", "2026-09-14")
    assert out == {"file": str(path), "period": {"from": "2026-09-14", "to": "2026-10-11"},
                   "findings": 5, "weeks": 4, "weeks_departing": 1, "inr_readings": 2}  # fmt: skip
    return path


# -- without a browser ------------------------------------------------------------------------


def test_the_page_is_self_contained(page_file: Path) -> None:
    html = page_file.read_text("utf-8")
    assert "<script" not in html
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)


def test_supplement_use_groups_by_product(cli: Cli, db: FoodDB) -> None:
    parser = MealParser(db, ())
    entries = parser.parse("1 capsule MK-7 45 µg, 2 capsules MK-7 45 µg").entries(START)
    entries += parser.parse("1 capsule MK-4 1.5 mg, 2000 IU vitamin D3").entries(START)
    uses = {u.product: u for u in supplement_use(entries)}
    assert uses["MK-7 45 µg"].amounts == {"mk7_ug": 135.0} and uses["MK-7 45 µg"].days == 1
    assert uses["MK-4 1.5 mg"].amounts == {"mk4_ug": 1500.0}
    assert next(u for u in uses.values() if "vitd_ug" in u.amounts).amounts["vitd_ug"] == 50


def test_a_doac_profile_has_no_vka_warning(cli: Cli, tmp_path: Path) -> None:
    cli.ok("profile", "set", "--medication", "apixaban")
    path = tmp_path / "doac.html"
    cli.ok("clinician-summary", str(path))
    text = path.read_text("utf-8")
    assert "direct oral anticoagulant: apixaban" in text
    assert "MK-7 supplement while taking" not in text
    assert "no week is flagged as a finding" in text


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("--from", "2020-01-01", "--to", "2020-01-31"), "No diary entries"),
        (("--from", "2999-01-01"), "is in the future"),
        (("--baseline-from", "2026-09-07"), "Give both --baseline-from"),
        (("--to", "2026-13-40"), "is not a date"),
    ],
)
def test_errors_write_nothing(cli: Cli, tmp_path: Path, args: tuple[str, ...], match: str) -> None:
    path = tmp_path / "out.html"
    cli.fails("clinician-summary", str(path), *args, match=match)
    assert not path.exists()


def test_an_empty_diary(tmp_path: Path) -> None:
    path = tmp_path / "out.html"
    Cli(tmp_path / "empty.sqlite").fails("clinician-summary", str(path), match="diary is empty")
    assert not path.exists()


def test_an_unwritable_path(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "x.html"
    cli.fails("clinician-summary", str(missing), match="does not exist")
    cli.fails("clinician-summary", str(tmp_path), match="it is a folder")


# -- in Chromium -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    skip_unless_available()
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def page(browser: Browser, page_file: Path) -> Iterator[Page]:
    context = browser.new_context()
    requests: list[str] = []
    context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
    opened = context.new_page()
    opened.on("request", lambda request: requests.append(request.url))
    opened.goto(page_file.as_uri(), wait_until="load")
    assert requests == [page_file.as_uri()]
    yield opened
    context.close()


def test_header_names_the_patient_and_the_anticoagulant(page: Page) -> None:
    intro = page.locator("h1 ~ p").first.inner_text()
    assert "2026-09-14 to 2026-10-11" in intro
    patient = page.locator("xpath=//p[b[text()='Patient:']]").inner_text()
    assert "vitamin K antagonist: warfarin" in patient
    assert "chronic kidney disease, not on dialysis" in patient


def test_findings_with_linked_evidence(page: Page) -> None:
    findings = page.locator("div.finding")
    titles = [findings.nth(i).locator("p").first.inner_text() for i in range(findings.count())]
    assert titles[0] == "WARNING MK-7 supplement while taking warfarin"
    assert "WARNING K1 intake departs from your baseline in 1 week(s)" in titles
    assert any(t.startswith("INFO Chronic kidney disease") for t in titles)
    link = findings.first.locator("a", has_text="theuwissen2013")
    assert link.get_attribute("href") == "#src-theuwissen2013"
    source = page.locator("#src-theuwissen2013").inner_text()
    assert source.startswith("theuwissen2013 (abstract): Theuwissen E et al.")


def test_weekly_table_flags_the_high_k1_week(page: Page) -> None:
    rows = table_rows(page, "Vitamin K consistency, week by week")
    assert rows[0][:3] == ["Week from", "Days", "K1"]
    body = {r[0]: r for r in rows[1:]}
    assert list(body) == ["2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05"]
    assert body["2026-10-05"][-1] == "departs: K1"
    assert body["2026-10-05"][-2] == "1.8" and body["2026-09-28"][-2] == "2.5"
    assert all(r[-1] == "" for k, r in body.items() if k != "2026-10-05")
    assert page.locator("tr.departs").count() == 1


def test_charts_show_weekly_bars_baselines_and_inr(page: Page) -> None:
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    for i in range(2):
        chart = charts.nth(i)
        assert chart.locator("rect.week").count() == 4
        assert chart.locator("line.baseline").count() == 4
        inr = chart.locator("circle.inr")
        assert inr.count() == 2
        assert inr.first.locator("title").text_content() == "INR 2.5 on 2026-09-30"
    k1 = charts.first
    assert k1.locator("rect.week.departs").count() == 1
    heights = [float(k1.locator("rect.week").nth(i).get_attribute("height") or 0)
               for i in range(4)]  # fmt: skip
    rows = table_rows(page, "Vitamin K consistency, week by week")[1:]
    k1 = [float(r[2].replace(",", "")) for r in rows]
    assert heights[3] / heights[0] == pytest.approx(k1[3] / k1[0], rel=0.01)
    assert k1[3] / k1[0] >= 5


def test_inr_log_and_supplements(page: Page) -> None:
    assert table_rows(page, "INR log")[1:] == [
        ["2026-09-30", "2.5", "clinic"],
        ["2026-10-09", "1.8", ""],
    ]
    supplements = {r[0]: r for r in table_rows(page, "Supplements taken")[1:]}
    assert supplements["MK-7 45 µg"][5] == "45"
    d3 = next(r for name, r in supplements.items() if name.startswith("D3"))
    assert d3[1] == "2" and d3[7] == "25 µg (1,000 IU)"


def test_mean_intake_shows_vitamin_d_in_iu_and_k2_range(page: Page) -> None:
    rows = {r[0]: r for r in table_rows(page, "Mean daily intake")[1:]}
    assert "IU)" in rows["Vitamin D"][3]
    k2 = next(r for name, r in rows.items() if name.startswith("Vitamin K2"))
    assert "range" in k2[3]
    assert rows["Calcium"][4].startswith("RDA 1,200")


def test_prints_to_pdf(page: Page, tmp_path: Path) -> None:
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages
    (tmp_path / "summary.pdf").write_bytes(pdf)
    json.dumps({"pages": pages})


def test_the_page_names_the_menaquinones_eaten_with_their_foods(page_file: Path) -> None:
    html = page_file.read_text("utf-8")
    found = re.search(r'<p id="menaquinones">Menaquinones eaten, most first: (.*?)</p>', html)
    assert found is not None
    named = re.findall(r"<b>(MK-\d+)</b>", found.group(1))
    assert named and len(named) == len(set(named))
    assert "from " in found.group(1)
