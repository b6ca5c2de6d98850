"""Today: type what you ate, see what was understood before it is stored, and watch the
day's K1, menaquinones, K2, vitamin D and calcium fill up against your reference values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from vitk2.errors import MealParseError, Vitk2Error
from vitk2.foods.database import FoodDB
from vitk2.intake.diary import MEALS, Meal
from vitk2.intake.meal_text import read_item, split_items
from vitk2.intake.meals import MAX_TEXT_CHARS, MealItem, ParsedMeal
from vitk2.intake.own_foods import OwnFood
from vitk2.services import DiaryService
from vitk2.web.api.deps import Service, cached, parse_day
from vitk2.web.charts import day_bars, unknown_menaquinones
from vitk2.web.templating import Page, render

__all__ = ["day_context", "fixes", "own_matches", "page", "router"]

page = Page("/", "Today", 10)
router = APIRouter()
_MEASURE: Final = re.compile(r"^(.*?)\s*=\s*[\d.,]+\s*g$")
_GRAMS_HINT: Final = re.compile(r"'(\d+ g)'")
MealText = Annotated[str, Form(max_length=MAX_TEXT_CHARS)]


def _amount(item: MealItem) -> str:
    try:
        words = read_item(item.text)
    except MealParseError:
        return ""
    if words.quantity is None:
        return ""
    return f"{words.quantity:g} {words.unit}" if words.unit else f"{words.quantity:g}"


def _food_words(item: MealItem) -> str:
    try:
        return read_item(item.text).words
    except MealParseError:
        return item.text


def simple_name(name: str) -> str:
    """A food name as meal text can say it: 'Cheese, gouda' -> 'gouda cheese'."""
    parts = [p.strip() for p in name.split(",") if p.strip()]
    words = " ".join(reversed(parts[:2])) if len(parts) > 1 else name
    return re.sub(r"[;+&()]", " ", words).strip().lower()


def own_matches(words: str, own: Sequence[OwnFood]) -> list[OwnFood]:
    """Your live recipes and label foods whose name has a word starting with each
    typed word ("lasag" and "my las" find "my lasagne")."""
    typed = words.lower().split()
    if not typed:
        return []
    return [
        food
        for food in own
        if not food.retired
        and all(any(n.startswith(t) for n in food.name.lower().split()) for t in typed)
    ]


def _own_text(food: OwnFood, amount: str) -> str:
    return f"{amount} {food.name}" if amount else food.log_text


def fixes(item: MealItem, db: FoodDB, own: Sequence[OwnFood] = ()) -> list[tuple[str, str]]:
    """Ways to write an unresolved item so that it resolves: (button text, new text);
    your own foods whose names match come before the food database's."""
    words = _food_words(item)
    found: list[tuple[str, str]] = []
    for suggestion in item.suggestions:
        measure = _MEASURE.match(suggestion)
        grams = _GRAMS_HINT.search(suggestion)
        if measure:
            unit = re.sub(r"\(.*?\)|,", " ", measure.group(1))
            found.append((suggestion, " ".join(f"{unit} {words}".split())))
        elif grams:
            found.append((f"{grams.group(1)}", f"{grams.group(1)} {words}"))
        else:  # a product or dose to name instead
            amount = _amount(item) or "1 capsule"
            found.append((suggestion, f"{amount} {suggestion}"))
    if not found and item.kind is None and words:
        try:
            hits = db.search(words, limit=4)
        except Vitk2Error:
            hits = []
        amount = _amount(item)
        found = [(f.title, _own_text(f, amount)) for f in own_matches(words, own)]
        found += [(hit.name, f"{amount or '100 g'} {simple_name(hit.name)}") for hit in hits]
    return found


def _autocomplete(
    text: str, db: FoodDB, own: Sequence[OwnFood] = ()
) -> tuple[str, list[tuple[str, str]]]:
    """Foods for the item being typed (the last one): (item text, [(name, new text)]),
    your own first."""
    items = split_items(text) if text.strip() else []
    if not items:
        return "", []
    last = items[-1]
    try:
        words = read_item(last)
    except MealParseError:
        return last, []
    if len(words.words) < 2:
        return last, []
    try:
        hits = db.search(words.words, limit=6)
    except Vitk2Error:
        return last, []
    amount = "" if words.quantity is None else f"{words.quantity:g} {words.unit or ''}".strip()
    options = {_own_text(f, amount): f.title for f in own_matches(words.words, own)}
    options |= {f"{amount} {simple_name(h.name)}".strip(): h.name for h in hits}
    return last, [(name, text) for text, name in options.items()]


def day_context(service: DiaryService, day: date) -> dict[str, Any]:
    """The day's entries and bars (none when nothing is logged that day)."""
    entries = service.store.entries(start=day, end=day)
    context: dict[str, Any] = {"day": day, "entries": entries, "bars": [], "unknown_mk": []}
    if entries:
        document = service.report(start=day, end=day).as_dict()
        context.update(
            bars=day_bars(document),
            unknown_mk=unknown_menaquinones(document),
            coverage=document["k2"]["coverage"],
            stage=document["life_stage"],
            reference_notes=document["reference_notes"],
            sources=document["sources"],
        )
    return context


def _page_context(service: DiaryService, day: date) -> dict[str, Any]:
    return {
        **day_context(service, day),
        "meals": MEALS,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "today": date.today(),
    }


@router.get("/", response_class=HTMLResponse)
async def today_page(
    request: Request, service: Service, day: Annotated[str | None, Query(alias="date")] = None
) -> Response:
    """The day's page, rendered once per state of the diary."""
    when = parse_day(day, default=date.today())
    return await cached(
        request,
        service,
        ("page-today", when, date.today()),
        lambda: bytes(render(request, "pages/today.html", **_page_context(service, when)).body),
        media_type="text/html; charset=utf-8",
    )


def _understood(
    service: DiaryService, text: str
) -> tuple[ParsedMeal | None, dict[int, list[tuple[str, str]]], list[OwnFood]]:
    """The text as the parser reads it, the fixes for its unresolved items, and your
    live own foods: read from the diary once, by the parser, for all three."""
    if not text.strip():
        return None, {}, []
    parser = service.parser()
    own = [food for food in parser.own.by_ref.values() if not food.retired]
    parsed = parser.parse(text)
    return parsed, {i: fixes(item, service.db, own) for i, item in enumerate(parsed.items)}, own


@router.post("/today/preview", response_class=HTMLResponse)
def preview(request: Request, service: Service, text: MealText = "") -> HTMLResponse:
    """What the text would log, item by item, with fixes for unresolved items, and
    foods for the item being typed."""
    parsed, item_fixes, own = _understood(service, text)
    typing, completions = _autocomplete(text, service.db, own)
    return render(
        request, "partials/preview.html", parsed=parsed, fixes=item_fixes, typing=typing,
        completions=completions, amount=_amount,
    )  # fmt: skip


@router.post("/today/log", response_class=HTMLResponse)
def log(
    request: Request,
    service: Service,
    text: MealText = "",
    day: Annotated[str, Form(alias="date", max_length=10)] = "",
    meal: Annotated[Meal | None, Form()] = None,
) -> HTMLResponse:
    """Store the text; on an unresolved item nothing is stored and the preview says why."""
    when = parse_day(day, default=date.today())
    try:
        result = service.log(text, day=when, meal=meal)
    except MealParseError as error:
        parsed, item_fixes, _ = _understood(service, text)
        response = render(
            request, "partials/preview.html", parsed=parsed, fixes=item_fixes, typing="",
            completions=[], amount=_amount, error=str(error),
        )  # fmt: skip
        response.headers["HX-Retarget"] = "#preview"
        return response
    return render(
        request, "partials/today_body.html", **_page_context(service, when),
        logged=len(result.stored),
    )  # fmt: skip
