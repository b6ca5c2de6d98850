"""Each menaquinone on the web pages (issue 17): the report page's menaquinone table and
stacked chart, and the food page's note on how each menaquinone was found."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from cli_runner import Cli
from web_client import api_client


def test_report_page_lists_each_menaquinone_and_stacks_them(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "diary.sqlite")
    cli.ok("log", "60 g gouda, 30 g edam", "--date", "2026-10-01")
    cli.ok("log", "40 g brie", "--date", "2026-10-02")
    with api_client(cli.db) as client:
        page = client.get("/report", params={"from": "2026-10-01", "to": "2026-10-02"}).text
    table = page[page.index('<table id="k2-menaquinones">') :]
    table = table[: table.index("</table>")]
    first = re.search(r"<tbody><tr><th scope=\"row\">(MK-\d+)</th>", table)
    assert first is not None and first.group(1) == "MK-9"
    assert "Cheese, gouda" in table and "–" in table  # foods and a range
    chart = re.search(r'id="chart-menaquinones" data-chart data-figure="([^"]*)"', page)
    assert chart is not None
    figure = json.loads(html.unescape(chart.group(1)))
    names = [trace["name"] for trace in figure["data"]]
    assert {"MK-4", "MK-8", "MK-9"} <= set(names)
    assert figure["layout"]["barmode"] == "stack"
    mk9 = next(trace for trace in figure["data"] if trace["name"] == "MK-9")
    assert mk9["x"] == ["2026-10-01", "2026-10-02"] and all(y > 0 for y in mk9["y"])


def test_food_page_says_how_each_menaquinone_was_found(tmp_path: Path) -> None:
    with api_client(tmp_path / "diary.sqlite") as client:
        page = client.get("/foods/usda:01031").text
    notes = page[page.index('<details id="menaquinone-sources">') :]
    assert "imputed (split): the K2 total x the mean MK-9 share" in notes
    assert "family cheese_fresh" in notes
