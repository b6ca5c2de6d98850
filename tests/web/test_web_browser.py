"""The web app in a real browser: Debian's chromium (Playwright) against a real
`vitk2 serve` process on a loopback port, one server and one browser for the module.

Every page load is watched: a console error, an uncaught exception, a refused
Content-Security-Policy or a request for anything but the server itself fails the
test (requests elsewhere are aborted, so nothing leaves the machine even if a page
regresses). Screenshots of every page at desktop and phone width are written to
``test-artifacts/screenshots/`` (listed in docs/web.md); axe-core (from its npm
package, in ``tests/web/vendor/``) checks every page for serious or critical
accessibility violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from browser import launched_chromium, skip_unless_available
from vitk2.intake.profile import Profile
from vitk2.services import DiaryService
from vitk2.store import DiaryStore
from web_client import served

skip_unless_available(allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
FIRST = date(2026, 10, 1)  # the diary: three weeks from here
PAGES = {
    "today": "/?date=2026-10-20",
    "diary": "/diary?date=2026-10-20",
    "report": "/report",
    "foods": "/foods?q=natto",
    "food": "/foods/usda:16113",
    "foods-top": "/foods/top?nutrient=mk7_ug&per=serving",
    "supplements": "/supplements",
    "my-foods": "/my-foods",
    "my-recipe": "/my-foods/lasagne",
    "anticoagulant": "/anticoagulant",
    "evidence": "/evidence?q=MK-7+INR",
    "evidence-source": "/evidence/theuwissen2013",
    "profile": "/profile",
    "plan": "/plan?show=true&allow_supplements=true&food=gouda",
}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def _build_diary(path: Path) -> None:
    with DiaryStore(str(path)) as store:
        service = DiaryService(store)
        store.set_profile(
            Profile(sex="female", birth_date=date(1960, 5, 1), medications=("warfarin",))
        )
        for day in range(21):
            when = FIRST + timedelta(days=day)
            service.log(
                "2 slices of gouda, 50 g broccoli, 1 cup whole milk", day=when, meal="lunch"
            )
            service.log("3 oz salmon, 1 cup cooked rice", day=when, meal="dinner")
        service.log("1 capsule MK-7 90 µg, 1000 IU vitamin D3", day=FIRST + timedelta(days=19))
        service.add_recipe("lasagne", "250 g pasta, 500 g minced beef, 100 g parmesan",
                           serves=6)  # fmt: skip
        service.add_inr(2.4, day=FIRST + timedelta(days=6), note="clinic")
        service.add_inr(2.9, day=FIRST + timedelta(days=18))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    diary = tmp_path_factory.mktemp("browser") / "diary.sqlite"
    _build_diary(diary)
    with served(diary) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launched_chromium() as browser:
        yield browser


@dataclass
class Watched:
    """A page whose console errors, page errors and foreign requests are collected."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path

    def clean(self) -> None:
        assert self.foreign == [], f"requests that would leave the machine: {self.foreign}"
        assert self.problems == [], self.problems


@pytest.fixture
def web(chromium: Browser, server: str) -> Iterator[Watched]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watched = Watched(page, server)

    def route(route: Route) -> None:
        if route.request.url.startswith(server + "/") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            watched.foreign.append(route.request.url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            watched.problems.append(f"console {message.type}: {message.text}")

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    yield watched
    context.close()


def _charts_drawn(page: Page, count: int) -> None:
    """Wait until ``count`` Plotly charts are drawn (no string evaluation: the CSP
    forbids eval, which Playwright's wait_for_function would need)."""
    expect(page.locator("[data-chart][data-rendered]").nth(count - 1)).to_be_attached(
        timeout=20_000
    )
    assert page.locator("[data-chart] .main-svg").count() >= count


def _bar_value(page: Page, key: str) -> str:
    return page.locator(f"#bar-{key}").get_attribute("data-value") or ""


def test_type_a_day_fix_an_item_by_a_click_and_see_the_bars_fill(web: Watched) -> None:
    page = web.page
    web.goto("/?date=2026-10-22")
    expect(page.get_by_text("Nothing logged on this day yet.")).to_be_visible()
    box = page.get_by_label("What did you eat?")
    box.focus()
    page.keyboard.type("2 wedges of gouda, 50 g natto")
    unresolved = page.locator("tr.unresolved")
    expect(unresolved).to_have_count(1)
    expect(unresolved).to_contain_text("has no 'wedge' measure")
    # fix it by a click on a suggestion: the text changes and the preview resolves
    unresolved.get_by_role("button", name=re.compile("“1 oz gouda”")).click()
    expect(box).to_have_value("1 oz gouda, 50 g natto")
    expect(page.locator("tr.unresolved")).to_have_count(0)
    expect(page.locator("table.items tbody tr")).to_have_count(2)
    # food autocomplete for the item being typed
    page.keyboard.type(", 1 cup kal")
    page.locator("#food-completions").get_by_role("button", name="Kale, raw").click()
    expect(box).to_have_value("1 oz gouda, 50 g natto, 1 cup raw kale")
    expect(page.locator("table.items tbody tr")).to_have_count(3)
    expect(page.locator("table.items")).to_contain_text("Kale, raw")
    page.get_by_label("Meal").select_option("breakfast")
    page.get_by_role("button", name="Log it").press("Enter")  # by keyboard
    expect(page.get_by_role("status")).to_contain_text("Logged 3 item(s) on 2026-10-22")
    expect(page.locator("#bar-k2_ug")).to_be_visible()
    assert float(_bar_value(page, "mk7_ug")) > 400  # 50 g natto
    width = page.locator("#bar-k1_ug .bar-fill").evaluate("e => e.getBoundingClientRect().width")
    assert width > 10
    expect(page.locator("#bar-vitd_ug")).to_contain_text("upper limit 100 µg")
    assert page.locator("#bar-vitd_ug .mark-reference").count() == 1  # the RDA on the bar
    expect(page.locator("#bar-k2_ug")).to_contain_text("Dalmeijer 2012")  # study figures, no %
    expect(page.locator("#bar-k2_ug")).not_to_contain_text("% of")
    expect(page.locator("table.entries")).to_contain_text("natto")
    web.clean()


def test_an_unknown_value_is_drawn_as_unknown(web: Watched) -> None:
    page = web.page
    web.goto("/?date=2026-10-20")
    mk11 = page.locator("#bar-mk11_ug")  # no source reports MK-11 for any food
    assert mk11.count() == 0  # nothing known: no bar at 0 ...
    expect(page.locator("section.day")).to_contain_text("MK-11")  # ... but named as unknown
    expect(page.locator("section.day")).to_contain_text("unknown")
    web.clean()


def test_edit_and_delete_an_entry_and_undo(web: Watched, server: str) -> None:
    page = web.page
    web.goto("/?date=2026-10-23")
    page.get_by_label("What did you eat?").fill("50 g natto")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("status")).to_contain_text("Logged 1 item(s)")
    web.goto("/diary?date=2026-10-23")
    entry = page.locator("li.entry", has_text="50 g natto")
    entry.locator("summary").click()
    entry.get_by_label("Grams").fill("40")
    entry.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: Natto, 40 g Natto.")
    entry = page.locator("li.entry", has_text="40 g Natto")
    expect(entry).to_contain_text("(40 g)")
    entry.locator("summary").click()
    entry.get_by_label("Meal").select_option("dinner")
    entry.get_by_role("button", name="Save").click()
    expect(page.locator("li.entry", has_text="40 g Natto")).to_contain_text("dinner")
    page.locator("li.entry", has_text="40 g Natto").get_by_role(
        "button", name=re.compile("Delete")
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Deleted 40 g Natto.")
    expect(page.locator("li.entry")).to_have_count(0)
    page.get_by_role("button", name="Undo the last delete").click()
    expect(page.get_by_role("status")).to_contain_text("Restored 40 g Natto.")
    expect(page.locator("li.entry", has_text="40 g Natto")).to_contain_text("dinner")
    web.clean()


def test_the_report_draws_its_charts_and_nothing_leaves_the_machine(web: Watched) -> None:
    page = web.page
    web.goto("/report?from=2026-10-01&to=2026-10-21")
    _charts_drawn(page, 4)
    expect(page.locator("#k2-coverage")).to_contain_text("unknown")
    expect(page.locator(".finding.warning").first).to_contain_text("MK-7")
    page.get_by_role("link", name="Print view").click()
    expect(page.locator("h1")).to_have_text("Vitamin K, vitamin D and calcium intake")
    assert page.pdf()[:4] == b"%PDF"
    web.clean()


def test_search_a_food_and_open_it(web: Watched) -> None:
    page = web.page
    web.goto("/foods")
    page.get_by_label("Search foods").type("nato")  # a typo, results as you type
    # The single food (SR28) first, then natto as eaten (FNDDS); group and id tell them apart.
    hits = page.get_by_role("list", name="Foods matching nato").get_by_role("listitem")
    expect(hits.first).to_contain_text("usda:16113")
    hits.first.get_by_role("link", name="Natto").click()
    expect(page).to_have_url(re.compile(r"/foods/usda:16113$"))
    expect(page.locator("h1")).to_have_text("Natto")
    row = page.locator("tr", has_text="Menaquinone-7")
    expect(row).to_contain_text("measured")
    web.goto("/foods/top?nutrient=mk7_ug&per=100g")
    expect(page.locator("tbody tr").first).to_contain_text("Natto")
    web.clean()


def test_run_a_simulation(web: Watched) -> None:
    page = web.page
    web.goto("/supplements")
    page.get_by_label("Dose").fill("90ug")
    page.get_by_label("Days", exact=True).fill("56")
    page.get_by_role("button", name="Simulate").click()
    _charts_drawn(page, 1)
    facts = page.locator("#simulation-facts")
    expect(facts).to_contain_text("Steady state")
    expect(facts).to_contain_text("dp-ucMGP change")
    expect(page.locator("#chart-simulation-title")).to_contain_text(
        "MK7 90 µg every 24 h for 56 days"
    )
    web.clean()


def test_make_a_plan_see_the_warfarin_rule_and_find_substitutes(web: Watched) -> None:
    page = web.page
    web.goto("/plan")
    page.get_by_role("button", name="Plan", exact=True).click()
    additions = page.locator("#plan-additions")
    expect(additions).to_be_visible(timeout=20_000)
    expect(page.locator("#plan-totals")).to_contain_text("RDA")
    # on warfarin, an MK-7 study figure is out of reach: the plan says why, adds nothing
    page.get_by_label("K2 study figure").select_option("knapen2015")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator("#plan-result")).to_have_text("No plan fits", timeout=20_000)
    expect(page.locator("#plan-explanation")).to_contain_text("MK-7")
    expect(page.locator("#plan-additions")).to_have_count(0)
    page.get_by_label("Food you cannot get or do not like").fill("gouda")
    page.get_by_role("button", name="Find substitutes").click()
    expect(page.locator("#subs-table tbody tr").first).to_contain_text("Cheese")


def test_add_a_recipe_and_open_it(web: Watched) -> None:
    page = web.page
    web.goto("/my-foods")
    page.get_by_label("Recipe name").fill("porridge")
    page.get_by_label("Serves").fill("2")
    page.get_by_label("Ingredients").fill("80 g rolled oats, 2 cups whole milk, 100 g blueberries")
    page.get_by_role("button", name="Save recipe").click()
    expect(page.get_by_role("status")).to_contain_text("Log it as “1 serving porridge”")
    table = page.get_by_role("region", name=re.compile("Your recipes"))
    table.get_by_role("link", name="porridge").click()
    expect(page.locator("h1")).to_have_text("porridge (my recipe)")
    expect(page.locator("body")).to_contain_text("2 cups whole milk")
    web.goto("/")  # Today knows the recipe as a food
    page.get_by_label("What did you eat?").fill("1 serving porridge")
    expect(page.locator("table.items")).to_contain_text("porridge (my recipe)")
    web.clean()


def test_inr_and_the_clinician_summary_print(web: Watched) -> None:
    page = web.page
    web.goto("/anticoagulant")
    _charts_drawn(page, 1)
    page.get_by_label("INR", exact=True).fill("2,6")
    page.get_by_label("Date", exact=True).fill("2026-10-15")
    page.get_by_role("button", name="Add reading").click()
    expect(page.get_by_role("status")).to_contain_text("Logged INR 2.6 on 2026-10-15")
    _charts_drawn(page, 1)
    page.get_by_role("link", name=re.compile("Clinician summary")).click()
    expect(page.locator("body")).to_contain_text("2.6")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
    web.clean()


def test_the_profile_form(web: Watched) -> None:
    page = web.page
    web.goto("/profile")
    page.get_by_label("Weight (kg)").fill("64")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Profile saved.")
    expect(page.get_by_label("Weight (kg)")).to_have_value("64")
    web.clean()


def test_keyboard_reaches_the_content_first(web: Watched) -> None:
    page = web.page
    web.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused


def _axe(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_is_accessible_and_readable_at_this_width(web: Watched, size: str) -> None:
    """axe-core finds no serious or critical violation; nothing overflows sideways at
    phone width; a screenshot of each page is kept."""
    page = web.page
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, path in PAGES.items():
        web.goto(path)
        if name in ("report", "anticoagulant"):
            _charts_drawn(page, 1)
        page.screenshot(path=SCREENSHOTS / f"{name}-{size}.png", full_page=True)
        violations = _axe(page)
        if violations:
            found[name] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at {size} width"
    assert found == {}
    web.clean()
