"""The printable HTML report in a real browser: Debian's chromium driven by Playwright.

The diary is built through the real stack (SQLite `DiaryStore`, `DiaryService.log`,
`DiaryService.report`, `render_html`) and the page is opened from a file:// URL. The
browser must not fetch anything but the page itself; requests to anything other than
a file are aborted, so nothing reaches the network even if the page regresses.

Skipped when /usr/bin/chromium or the playwright package is missing, unless
VITK2_REQUIRE_BROWSER=1 (set by CI), which turns the skip into a failure.
No `playwright install`: the browser is Debian's `chromium` package.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from browser import launched_chromium, skip_unless_available, table_rows
from vitk2.intake.profile import Profile
from vitk2.render.report_html import render_html
from vitk2.services import DiaryService
from vitk2.store import DiaryStore

SCREENSHOT = Path("/tmp/vitk2-report-html.png")  # for a human to look at; not asserted

skip_unless_available(allow_module_level=True)

from playwright.sync_api import (  # noqa: E402 (only once it is known to be there)
    Browser,
    ConsoleMessage,
    Page,
    Request,
)

# Five logged days with a gap (6 March): realistic meals and supplements. 5 March has
# 100 g cheddar, 2 cups of milk, yoghurt and 1000 mg calcium from tablets: about
# 2,560 mg of calcium, over the IOM UL of 2,000 mg/day for women 51-70.
MEALS: dict[date, list[str]] = {
    date(2025, 3, 3): [
        "50 g natto, 1 cup rice",
        "2 slices of gouda, 1 cup whole milk",
        "1 capsule MK-7 90 µg",
    ],
    date(2025, 3, 4): [
        "1 cup spinach, 2 eggs",
        "2 tablets calcium carbonate 500 mg, 1 softgel vitamin D3 25 µg",
        "1 capsule MK-7 90 µg",
    ],
    date(2025, 3, 5): [
        "100 g cheddar, 2 cups whole milk, 1 cup yogurt",
        "2 tablets calcium carbonate 500 mg",
        "1 capsule MK-7 90 µg",
    ],
    date(2025, 3, 7): ["1 cup kale, 150 g salmon", "1 slice of gouda"],
    date(2025, 3, 8): [
        "50 g natto, 1 cup spinach",
        "1 cup whole milk",
        "1 capsule MK-7 90 µg, 1 softgel vitamin D3 25 µg",
    ],
}
DAYS = sorted(MEALS)
OVER_UL_DAY = date(2025, 3, 5)
PERIOD = ("2025-03-03", "2025-03-08")
CHART_TITLES = ["Vitamin K1", "Vitamin K2 (all menaquinones)", "Vitamin D", "Calcium"]


@dataclass
class OpenedReport:
    """The report page as loaded in the browser, with what it did while loading."""

    path: Path
    page: Page
    requests: list[str] = field(default_factory=list)
    console: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report_html")
    with DiaryStore(str(folder / "diary.sqlite")) as store:
        store.set_profile(Profile(sex="female", birth_date=date(1968, 3, 1)))
        service = DiaryService(store)
        for day, texts in MEALS.items():
            for text in texts:
                service.log(text, day=day)
        report = service.report()
        page = render_html(report)
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def opened(browser: Browser, report_file: Path) -> Iterator[OpenedReport]:
    context = browser.new_context()
    # Belt and braces: whatever the page asks for beyond files is aborted (and recorded).
    context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
    page = context.new_page()
    loaded = OpenedReport(report_file, page)

    def on_request(request: Request) -> None:
        loaded.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        loaded.console.append(message)

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: loaded.page_errors.append(str(error)))
    try:
        page.goto(report_file.as_uri(), wait_until="load")
        yield loaded
    finally:
        context.close()


def _row(rows: list[list[str]], first_cell: str) -> list[str]:
    (row,) = [r for r in rows if r[0].removesuffix(" +?") == first_cell]
    return row


def _charts(page: Page) -> list[dict[str, Any]]:
    """Per chart: its label, its bars' tooltips and y, its texts and its dashed lines' y."""
    charts: list[dict[str, Any]] = page.eval_on_selector_all(
        "svg.chart",
        """svgs => svgs.map(svg => ({
            label: svg.getAttribute('aria-label'),
            bars: [...svg.querySelectorAll('rect')].map(r => ({
                title: r.querySelector('title')?.textContent ?? '',
                y: r.y.baseVal.value,
            })),
            texts: [...svg.querySelectorAll('text')].map(t => t.textContent),
            lines: [...svg.querySelectorAll('line[stroke-dasharray]')].map(l => l.y1.baseVal.value),
        }))""",
    )
    return charts


def test_page_loads_only_itself_without_errors(opened: OpenedReport) -> None:
    assert opened.requests == [opened.path.as_uri()]
    errors = [f"{m.type}: {m.text}" for m in opened.console if m.type in ("error", "assert")]
    assert errors == []
    assert opened.page_errors == []
    assert opened.page.locator("script").count() == 0


def test_title_names_the_period(opened: OpenedReport) -> None:
    title = opened.page.title()
    assert PERIOD[0] in title and PERIOD[1] in title, title
    intro = opened.page.locator("h1 + p").inner_text()
    assert f"{PERIOD[0]} to {PERIOD[1]}" in intro
    assert "5 logged day(s) of 6" in intro and "female 51–70 y" in intro


def test_four_charts_with_a_bar_for_every_logged_day(opened: OpenedReport) -> None:
    charts = _charts(opened.page)
    assert [c["label"] for c in charts] == CHART_TITLES
    for chart in charts:
        for day in DAYS:
            bars = [b for b in chart["bars"] if b["title"].startswith(f"{day.isoformat()}:")]
            assert bars, f"{chart['label']}: no bar for {day}"
        # Days without entries are missing, not zero: no bar for 6 March.
        assert not [b for b in chart["bars"] if b["title"].startswith("2025-03-06")]
    # Supplement segments are stacked on top: the days with MK-7 capsules have two K2 bars.
    k2 = charts[1]
    assert len([b for b in k2["bars"] if b["title"].startswith("2025-03-03:")]) == 2
    assert len([b for b in k2["bars"] if b["title"].startswith("2025-03-07:")]) == 1


def test_reference_lines_where_expected(opened: OpenedReport) -> None:
    charts = {c["label"]: c for c in _charts(opened.page)}

    def lines(label: str) -> list[str]:
        texts = charts[label]["texts"]
        found = [t for t in texts if re.match(r"(RDA|PRI|AI|UL)\b", t)]
        assert len(found) == len(charts[label]["lines"]), (label, texts)
        return found

    # IOM has no K1 value: the chart shows the AI for all vitamin K for orientation.
    assert lines("Vitamin K1") == ["AI (all vitamin K) 90 µg"]
    assert lines("Vitamin K2 (all menaquinones)") == []  # no authority sets a K2 intake
    assert lines("Vitamin D") == ["RDA 15 µg", "UL 100 µg"]
    assert lines("Calcium") == ["RDA 1,200 mg", "UL 2,000 mg"]

    # The day over the UL is the only bar reaching above the UL line (smaller y is higher).
    calcium = charts["Calcium"]
    _rda_y, ul_y = calcium["lines"]
    tops = {
        day: min(b["y"] for b in calcium["bars"] if b["title"].startswith(f"{day.isoformat()}:"))
        for day in DAYS
    }
    assert [day for day, top in tops.items() if top < ul_y] == [OVER_UL_DAY]


def test_summary_table(opened: OpenedReport) -> None:
    page = opened.page
    rows = table_rows(page, "Daily means against reference values")
    assert rows[0][:5] == ["Nutrient", "Foods", "Supplements", "Total", "Reference"]

    calcium = _row(rows, "Calcium")
    reference, percent, upper = calcium[4], calcium[5], calcium[6]
    assert reference == "RDA 1,200 [iom2011_ca]"
    assert re.fullmatch(r"\d+ %", percent)
    assert upper == "2,000 exceeded on 1 day(s)"
    warning = page.locator("td .warn")
    assert warning.count() == 1 and warning.inner_text() == "exceeded on 1 day(s)"

    k2 = _row(rows, "Vitamin K2")
    assert k2[4] == "none set by any authority"
    assert not any("%" in cell for cell in k2), k2

    vitamin_d = _row(rows, "Vitamin D")
    assert vitamin_d[4] == "RDA 15 [iom2011]" and vitamin_d[6] == "100"


def test_every_cited_source_is_listed(opened: OpenedReport) -> None:
    page = opened.page
    listed: dict[str, str] = dict(
        page.eval_on_selector_all(
            "xpath=//h2[normalize-space()='Sources']/following-sibling::ul[1]/li[b]",
            "items => items.map(li => [li.querySelector('b').textContent,"
            " li.textContent.slice(li.querySelector('b').textContent.length + 1).trim()])",
        )
    )
    body = page.locator("body").inner_text()
    before_sources = body[: body.rindex("\nSources\n")]
    cited = set(re.findall(r"\[([a-z][a-z0-9_]*)\]", before_sources))
    cite_texts = page.eval_on_selector_all(
        "span.cite, td.cite", "elements => elements.map(e => e.textContent.trim())"
    )
    cited |= {text.strip("[]") for text in cite_texts}
    assert {"iom2011_ca", "iom2011", "iom2001_k", "iom2001_k_summary", "kurnatowska2015"} <= cited
    assert sorted(cited - listed.keys()) == []
    for key in cited:
        assert listed[key] and not listed[key].startswith("Not found"), (key, listed[key])


def test_prints_to_a_short_pdf(opened: OpenedReport, tmp_path: Path) -> None:
    opened.page.screenshot(path=str(SCREENSHOT), full_page=True)
    pdf = tmp_path / "report.pdf"
    margin = "15mm"
    opened.page.pdf(
        path=str(pdf),
        format="A4",
        margin={"top": margin, "bottom": margin, "left": margin, "right": margin},
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    # About one page of study reference points and one of sources come with any period.
    assert 2 <= pages <= 8, pages


def test_findings_section(opened: OpenedReport) -> None:
    findings = opened.page.locator("div.finding")
    texts = [findings.nth(i).inner_text() for i in range(findings.count())]
    titles = [t.splitlines()[0] for t in texts]
    assert titles[0] == "CAUTION Calcium above the upper limit on 1 day(s)"
    assert "above it on 1 of 5 logged day(s): 2025-03-05" in texts[0]
    assert "[iom2011_ca]" in texts[0] and "Evidence: iom2011_ca · grade A" in texts[0]
    assert "INFO More than 500 mg of calcium from supplements at once" in titles
