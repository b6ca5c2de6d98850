"""My foods: your recipes (ingredients in meal text, read by the meal parser) and your
foods from a label, each logged like any food ("1 serving lasagne"): list, add, a page
per food with every value's provenance, and delete (retire when entries use it)."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse

from vitk2.errors import Vitk2Error
from vitk2.foods.amounts import read_decimal
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.intake.own_foods import OWN_KINDS, OwnKind
from vitk2.intake.own_records import own_food_json, own_food_list_json
from vitk2.services import DiaryService
from vitk2.web.api.deps import Service
from vitk2.web.api.own_foods import deleted
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/my-foods", "My foods", 45)
router = APIRouter(prefix="/my-foods")
Short = Annotated[str, Form(max_length=100)]
Long = Annotated[str, Form(max_length=5000)]
#: The label fields of the form (any other key works through the API and the CLI).
LABEL_KEYS: Final = ("calcium", "vitd", "k1", "mk7", "mk4", "energy")
#: What a list row shows (a food's page shows every vitamer too).
LISTED: Final = ("k1_ug", "k2_ug", "vitd_ug", "calcium_mg", "energy_kcal")
#: Column heads of the list.
SHORT: Final = {"k1_ug": "K1 µg", "k2_ug": "K2 µg", "vitd_ug": "Vitamin D µg",
                "calcium_mg": "Calcium mg", "energy_kcal": "kcal"}  # fmt: skip
#: What a food's page shows even when unknown.
SHOWN: Final = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitd_ug", "calcium_mg", "energy_kcal")


def _lists(service: DiaryService) -> dict[str, Any]:
    return {
        kind: [own_food_list_json(f, v) for f, v in service.own_food_list(kind)]
        for kind in OWN_KINDS
    }


def _body(request: Request, service: DiaryService, **extra: Any) -> HTMLResponse:
    return render(
        request, "partials/own_foods.html", foods=_lists(service), label_keys=LABEL_KEYS,
        shown=LISTED, short=SHORT, **extra,
    )  # fmt: skip


@router.get("", response_class=HTMLResponse)
def own_foods_page(request: Request, service: Service) -> HTMLResponse:
    return render(
        request, "pages/own_foods.html", foods=_lists(service), label_keys=LABEL_KEYS,
        shown=LISTED, short=SHORT,
    )  # fmt: skip


@router.get("/{ref}", response_class=HTMLResponse)
def own_food_page(
    request: Request, service: Service, ref: Annotated[str, Path(max_length=100)]
) -> HTMLResponse:
    """A recipe or label food with its ingredients or label and every value's source."""
    food = service.store.own_food(ref)
    detail, uses = service.own_food_detail(food.ref, food.kind)
    return render(
        request, "pages/own_food.html", food=own_food_json(detail, uses.entries, uses.recipes),
        nutrients=NUTRIENTS, shown=SHOWN,
    )  # fmt: skip


@router.post("/recipes", response_class=HTMLResponse)
def add_recipe(
    request: Request,
    service: Service,
    *,
    name: Short = "",
    serves: Short = "",
    text: Long = "",
) -> HTMLResponse:
    try:
        saved = service.add_recipe(name, text, serves=read_decimal(serves or "", what="serves"))
    except Vitk2Error as error:
        return _body(request, service, error=str(error), draft={"name": name, "serves": serves,
                                                                "text": text})  # fmt: skip
    food = saved.saved.food
    return _body(
        request, service, status=f"Saved {food.title}. Log it as “{food.log_text}”.",
        notes=saved.notes(),
    )  # fmt: skip


@router.post("/label-foods", response_class=HTMLResponse)
def add_label_food(
    request: Request,
    service: Service,
    *,
    name: Short = "",
    per: Short = "",
    grams: Short = "",
    calcium: Short = "",
    vitd: Short = "",
    k1: Short = "",
    mk7: Short = "",
    mk4: Short = "",
    energy: Short = "",
) -> HTMLResponse:
    values = (calcium, vitd, k1, mk7, mk4, energy)
    label = {k: v for k, v in zip(LABEL_KEYS, values, strict=True) if v.strip()}
    try:
        weight = read_decimal(grams, what="grams") if grams.strip() else None
        food = service.add_label_food(name, per, grams=weight, label=label).food
    except Vitk2Error as error:
        return _body(request, service, error=str(error))
    return _body(request, service, status=f"Saved {food.title}. Log it as “{food.log_text}”.")


@router.post("/delete", response_class=HTMLResponse)
def delete(
    request: Request, service: Service, *, ref: Short = "", kind: Short = "recipe"
) -> HTMLResponse:
    chosen: OwnKind = "label" if kind == "label" else "recipe"
    try:
        result = deleted(service, ref, chosen)
    except Vitk2Error as error:
        return _body(request, service, error=str(error))
    what = "Retired" if result["retired"] else "Deleted"
    why = " (kept for the entries or recipes that use it)" if result["retired"] else ""
    return _body(request, service, status=f"{what} {result['name']}{why}.")
