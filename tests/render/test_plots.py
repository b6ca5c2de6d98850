"""Plots of a supplement simulation: PNG through matplotlib, HTML through Plotly with
plotly.js inline, the HTML opened in a real browser (Debian's chromium via Playwright).

The results are built here from a one-compartment curve computed with NumPy, so these
tests do not depend on the model in `vitk2.models.pk` (one optional test uses it if present).

The browser tests are skipped when /usr/bin/chromium or the playwright package is
missing, unless VITK2_REQUIRE_BROWSER=1 (set by CI), which turns the skip into a failure.
"""

from __future__ import annotations

import importlib.util
import os
import re
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from browser import launched_chromium, skip_unless_available
from vitk2.errors import InvalidOptionError
from vitk2.models.results import PopulationResult, SimulationResult, StatusEstimate
from vitk2.render.plots import BAND_LABEL, MISSING_EXTRA, write_plot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCREENSHOT = Path("/tmp/vitk2-plot-html.png")  # for a human to look at; not asserted
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_HAVE_PLOT_LIBS = all(importlib.util.find_spec(m) is not None for m in ("matplotlib", "plotly"))
needs_plot_libs = pytest.mark.skipif(
    not _HAVE_PLOT_LIBS, reason="plots need the extra vitk2[plot] (matplotlib, plotly)"
)

HOURS_PER_DAY = 24.0
SOURCES = ("schurgers2007", "sato2012", "agingwiki_vitk2")
NOTE = "MK-7's half-life rests on secondary sources: the band shows the range."


def one_compartment(
    t_h: np.ndarray, *, dose: float, interval_h: float, half_life_h: float, tmax_h: float = 4.0
) -> np.ndarray:
    """Superposed oral doses, first-order absorption and elimination (Bateman)."""
    ke = np.log(2) / half_life_h
    ka = ke * 8  # fast absorption; tmax is then log(ka/ke)/(ka-ke)
    ka = max(ka, 3 / tmax_h)
    total = np.zeros_like(t_h)
    for start in np.arange(0.0, t_h[-1], interval_h):
        since = t_h - start
        after = since >= 0
        total[after] += (
            dose * ka / (ka - ke) * (np.exp(-ke * since[after]) - np.exp(-ka * since[after]))
        )
    return total


def make_simulation(days: int = 84, *, zero: bool = False) -> SimulationResult:
    t_h = np.arange(0.0, days * HOURS_PER_DAY + 1, 1.0)
    if zero:  # like MK-4 at nutritional doses: nothing measurable
        central = np.zeros_like(t_h)
        low = np.zeros_like(t_h)
        high = one_compartment(t_h, dose=0.5, interval_h=24, half_life_h=6)
    else:
        central = one_compartment(t_h, dose=1.0, interval_h=24, half_life_h=68)
        low = one_compartment(t_h, dose=0.7, interval_h=24, half_life_h=48)
        high = one_compartment(t_h, dose=1.3, interval_h=24, half_life_h=96)
    return SimulationResult(
        form="mk4" if zero else "mk7",
        dose_ug=420 if zero else 180,
        interval_h=24,
        days=days,
        t_h=t_h,
        conc_nmol_l=central,
        low=low,
        high=high,
        tmax_h=4.0,
        steady_state_day=10.0,
        accumulation_ratio=4.6,
        status={
            "dp_ucmgp_change_pct": StatusEstimate(-31.0, -42.0, -18.0),
            "ucoc_change_pct": StatusEstimate(None, None, None, "beyond the trial durations"),
        },
        sources=SOURCES,
        notes=(NOTE,),
        comparison={
            "daily_dose_ug": 180.0,
            "mk7_to_k1_molar_ratio": 5.36,
            "mk7_to_k1_mass_ratio": 7.73,
        },
    )


def make_population(days: int = 365) -> PopulationResult:
    """365 days hourly: 8,761 points per curve, the long case."""
    t_h = np.arange(0.0, days * HOURS_PER_DAY + 1, 1.0)
    median = one_compartment(t_h, dose=1.0, interval_h=24, half_life_h=68)
    return PopulationResult(
        form="mk7",
        subjects=10_000,
        t_h=t_h,
        percentiles={
            5: one_compartment(t_h, dose=0.6, interval_h=24, half_life_h=40),
            50: median,
            95: one_compartment(t_h, dose=1.5, interval_h=24, half_life_h=110),
        },
        sources=SOURCES,
        notes=("each parameter log-normal (assumed)",),
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    assert data[-12:] == b"\x00\x00\x00\x00IEND\xaeB`\x82"
    return width, height


def colour_share(path: Path, rgb: tuple[int, int, int], tolerance: float = 0.04) -> float:
    """The share of the image's pixels within ``tolerance`` of ``rgb``."""
    import matplotlib.image

    pixels = np.asarray(matplotlib.image.imread(path))[..., :3]
    target = np.array(rgb) / 255
    close = np.all(np.abs(pixels - target) <= tolerance, axis=-1)
    return float(close.mean())


def only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# PNG ----------------------------------------------------------------------------------


@needs_plot_libs
def test_png_is_a_readable_image(tmp_path: Path) -> None:
    path = tmp_path / "mk7.png"
    write_plot(make_simulation(), path)
    data = path.read_bytes()
    width, height = png_size(data)
    assert width == 1500 and 800 <= height <= 1100, (width, height)  # 10 in at 150 dpi
    assert len(data) > 50_000
    # The central line in its blue and the light band both cover a real part of the image.
    assert colour_share(path, (31, 119, 180)) > 0.005
    assert colour_share(path, (199, 221, 236), tolerance=0.03) > 0.10  # band at alpha 0.25
    assert only(tmp_path) == ["mk7.png"]  # no temporary file left behind


@needs_plot_libs
def test_png_of_a_population_and_of_a_flat_curve(tmp_path: Path) -> None:
    write_plot(make_population(), tmp_path / "population.png")
    width, _height = png_size((tmp_path / "population.png").read_bytes())
    assert width == 1500
    # A central curve of zeros (MK-4) must not trip matplotlib (identical limits warn).
    write_plot(make_simulation(7, zero=True), tmp_path / "flat.PNG")  # suffix in any case
    assert png_size((tmp_path / "flat.PNG").read_bytes())[0] == 1500


@needs_plot_libs
def test_png_replaces_a_file_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plot.png"
    path.write_bytes(b"old")
    write_plot(make_simulation(14), path)
    assert path.read_bytes().startswith(PNG_SIGNATURE)

    path.write_bytes(b"old")

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(InvalidOptionError, match="No space left on device"):
        write_plot(make_simulation(14), path)
    assert path.read_bytes() == b"old"
    assert only(tmp_path) == ["plot.png"]


# HTML ---------------------------------------------------------------------------------


@needs_plot_libs
def test_html_embeds_plotly_and_loads_nothing_remote(tmp_path: Path) -> None:
    path = tmp_path / "mk7.html"
    write_plot(make_simulation(), path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<title>MK-7 180 µg daily for 84 days: typical person</title>" in page
    # plotly.js itself, inline: megabytes of it, with its licence header.
    assert re.search(r"\* plotly\.js v\d+\.\d+\.\d+", page)
    assert 2_000_000 < len(page.encode()) < 12_000_000
    tags = re.findall(r"<script\b[^>]*>", page, flags=re.IGNORECASE)
    assert tags and all(tag.lower() == "<script>" for tag in tags), tags
    assert not re.search(
        r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page, re.I
    )
    assert "cdn.plot.ly" not in page.lower().split("* plotly.js v")[0]
    assert '"showSendToCloud": false' in page
    for text in ("Sources: schurgers2007, sato2012, agingwiki_vitk2", NOTE.replace("'", "&#x27;")):
        assert text in page
    assert only(tmp_path) == ["mk7.html"]


# Errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plot.svg", "plot.pdf", "plot", "plot.png.txt"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidOptionError) as caught:
        write_plot(make_simulation(2), tmp_path / name)
    message = str(caught.value)
    assert ".png" in message and ".html" in message and "\n" not in message
    assert only(tmp_path) == []


@pytest.mark.parametrize("name", ["plot.png", "plot.html"])
def test_missing_folder_or_a_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidOptionError, match="does not exist"):
        write_plot(make_simulation(2), tmp_path / "nowhere" / name)
    (tmp_path / name).mkdir()
    with pytest.raises(InvalidOptionError, match="is a folder"):
        write_plot(make_simulation(2), tmp_path / name)


@pytest.mark.parametrize(("name", "module"), [("p.png", "matplotlib"), ("p.html", "plotly")])
def test_missing_extra_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(InvalidOptionError) as caught:
        write_plot(make_simulation(2), tmp_path / name)
    assert str(caught.value) == MISSING_EXTRA and "vitk2[plot]" in MISSING_EXTRA
    assert only(tmp_path) == []


def test_mismatched_arrays(tmp_path: Path) -> None:
    good = make_simulation(2)
    bad = SimulationResult(
        form="k1",
        dose_ug=100,
        interval_h=24,
        days=2,
        t_h=good.t_h,
        conc_nmol_l=good.conc_nmol_l[:-1],
        low=good.low,
        high=good.high,
        tmax_h=None,
        steady_state_day=None,
        accumulation_ratio=None,
    )
    with pytest.raises(InvalidOptionError, match="conc_nmol_l has 48 values but t_h has 49"):
        write_plot(bad, tmp_path / "bad.png")


@needs_plot_libs
def test_plots_of_the_real_model(tmp_path: Path) -> None:
    from vitk2.models import pk

    result: Any = pk.simulate("mk7", 180, days=28)
    write_plot(result, tmp_path / "mk7.png")
    write_plot(result, tmp_path / "mk7.html")
    assert png_size((tmp_path / "mk7.png").read_bytes())[0] == 1500
    assert "MK-7 180 µg daily for 28 days" in (tmp_path / "mk7.html").read_text(encoding="utf-8")


# In the browser -----------------------------------------------------------------------


@dataclass
class Opened:
    """A plot page as loaded in the browser, with what it did while loading."""

    path: Path
    page: Page
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    skip_unless_available(("matplotlib and plotly (pip install -e '.[plot]')", _HAVE_PLOT_LIBS))
    with launched_chromium() as chromium:
        yield chromium


def open_plot(browser: Browser, path: Path) -> Iterator[Opened]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    # Whatever the page asks for beyond files is aborted (and recorded).
    context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
    page = context.new_page()
    opened = Opened(path, page)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on(
        "console",
        lambda m: (
            opened.console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "assert", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: opened.page_errors.append(str(error)))
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_selector(".js-plotly-plot .main-svg")
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="module")
def simulation_page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    path = tmp_path_factory.mktemp("plot_html") / "mk7.html"
    write_plot(make_simulation(), path)
    yield from open_plot(browser, path)


@pytest.fixture(scope="module")
def population_page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    path = tmp_path_factory.mktemp("plot_html") / "population.html"
    write_plot(make_population(), path)
    yield from open_plot(browser, path)


def figure(page: Page) -> dict[str, Any]:
    shown: dict[str, Any] = page.evaluate(
        """() => {
            const plot = document.querySelector('.js-plotly-plot');
            return {
                count: document.querySelectorAll('.js-plotly-plot').length,
                names: plot.data.map(t => t.name),
                legend: plot._fullData.filter(t => t.showlegend).map(t => t.name),
                points: plot._fullData.map(t => t._length),
                title: plot.layout.title.text,
                subtitle: plot.layout.title.subtitle?.text ?? null,
                xtitle: plot.layout.xaxis.title.text,
                ytitle: plot.layout.yaxis.title.text,
                shapes: (plot.layout.shapes ?? []).map(s => [s.type, s.x0]),
                annotations: (plot.layout.annotations ?? []).map(a => a.text),
                cloud: plot._context.showSendToCloud,
                buttons: [...document.querySelectorAll('.modebar-btn')]
                    .map(b => b.getAttribute('data-title')),
            };
        }"""
    )
    return shown


@pytest.mark.parametrize("which", ["simulation_page", "population_page"])
def test_page_loads_only_itself_without_errors(which: str, request: pytest.FixtureRequest) -> None:
    opened: Opened = request.getfixturevalue(which)
    assert opened.requests == [opened.path.as_uri()]
    assert opened.console == []
    assert opened.page_errors == []


def test_simulation_figure(simulation_page: Opened) -> None:
    shown = figure(simulation_page.page)
    assert shown["count"] == 1
    assert shown["names"] == [f"{BAND_LABEL} (upper end)", BAND_LABEL, "typical person"]
    assert shown["legend"] == [BAND_LABEL, "typical person"]
    assert shown["points"] == [84 * 24 + 1] * 3
    assert shown["title"] == "MK-7 180 µg daily for 84 days: typical person"
    assert "steady state ≈ day 10" in shown["subtitle"]
    assert "accumulation ratio 4.6×" in shown["subtitle"]
    assert (shown["xtitle"], shown["ytitle"]) == ("time, days", "rise above baseline, nmol/L")
    assert shown["shapes"] == [["line", 10]]
    assert shown["annotations"] == ["steady state ≈ day 10"]
    # No button that would upload the chart to Plotly Cloud.
    assert shown["cloud"] is False
    assert "Download plot as a PNG" in shown["buttons"]
    assert not [b for b in shown["buttons"] if "share" in (b or "").lower()]

    footer = simulation_page.page.locator("footer").inner_text()
    assert "dp-ucMGP −31 % (−42 to −18)" in footer
    assert "ucOC not estimated (beyond the trial durations)" in footer
    assert "MK-7 against K1 at the same 180 µg a day" in footer
    assert "Sources: schurgers2007, sato2012, agingwiki_vitk2" in footer


def test_hover_shows_the_values(simulation_page: Opened) -> None:
    page = simulation_page.page
    box = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
    hover = page.locator(".hoverlayer")
    hover.locator("text").first.wait_for()
    text = hover.text_content() or ""
    assert re.match(r"day \d+\.\d\d", text), text  # the unified hover's title
    assert "typical person:" in text and "nmol/L" in text, text
    assert f"{BAND_LABEL}: from" in text and f"{BAND_LABEL}: up to" in text, text
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_population_figure(population_page: Opened) -> None:
    shown = figure(population_page.page)
    assert shown["names"] == [
        "5th–95th percentile (upper end)",
        "5th–95th percentile",
        "median",
    ]
    assert shown["points"] == [365 * 24 + 1] * 3
    assert shown["title"] == "MK-7 in 10,000 virtual subjects over 365 days"
    assert shown["shapes"] == []
