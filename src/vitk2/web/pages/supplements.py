"""Supplements: your products and the built-in ones, and the regimen simulation with
its chart (serum rise with its band) and the predicted change in status markers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from vitk2.errors import Vitk2Error
from vitk2.intake.supplements import define_product
from vitk2.services import DiaryService
from vitk2.web.api.deps import Service
from vitk2.web.api.supplements import SimulationRequest, simulation
from vitk2.web.charts import simulation_figure
from vitk2.web.errors import problem_text
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/supplements", "Supplements", 50)
router = APIRouter(prefix="/supplements")
Short = Annotated[str, Form(max_length=100)]
_LABEL_KEYS = ("mk7", "mk4", "k1", "vitd", "calcium")


def _products(request: Request, service: DiaryService, **extra: Any) -> HTMLResponse:
    return render(
        request, "partials/products.html", products=service.products(), label_keys=_LABEL_KEYS,
        **extra,
    )  # fmt: skip


@router.get("", response_class=HTMLResponse)
def supplements_page(request: Request, service: Service) -> HTMLResponse:
    return render(
        request, "pages/supplements.html", products=service.products(), label_keys=_LABEL_KEYS
    )


@router.post("/products", response_class=HTMLResponse)
def add_product(
    request: Request,
    service: Service,
    *,
    name: Short = "",
    per: Short = "capsule",
    mk7: Short = "",
    mk4: Short = "",
    k1: Short = "",
    vitd: Short = "",
    calcium: Short = "",
) -> HTMLResponse:
    label = {k: v for k, v in zip(_LABEL_KEYS, (mk7, mk4, k1, vitd, calcium), strict=True) if v}
    try:
        product = define_product(name, per, label)
        service.store.save_supplement(product)
    except Vitk2Error as error:
        return _products(request, service, error=str(error))
    return _products(request, service, status=f"Saved {product.name}.")


@router.post("/products/remove", response_class=HTMLResponse)
def remove_product(request: Request, service: Service, name: Short = "") -> HTMLResponse:
    try:
        service.store.delete_supplement(name)
    except Vitk2Error as error:
        return _products(request, service, error=str(error))
    return _products(request, service, status=f"Removed {name}.")


@router.post("/simulate", response_class=HTMLResponse)
def simulate(
    request: Request,
    service: Service,
    *,
    form: Short = "mk7",
    dose: Short = "",
    every: Short = "24h",
    days: Short = "84",
    with_diary: Short = "",
    allow_extrapolation: Short = "",
) -> HTMLResponse:
    try:
        body = SimulationRequest.model_validate(
            {"form": form, "dose": dose, "every": every, "days": days,
             "with_diary": with_diary == "true",
             "allow_extrapolation": allow_extrapolation == "true"}
        )  # fmt: skip
        document = simulation(body, service)
    except (ValidationError, Vitk2Error) as error:
        return render(request, "partials/error.html", message=problem_text(error))
    return render(
        request, "partials/simulation.html", s=document, chart=simulation_figure(document)
    )
