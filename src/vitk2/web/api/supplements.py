"""Supplement products (yours and the built-in ones) and the regimen simulation: the
documents of `vitk2 supplement list --json` and `vitk2 supplement simulate --json`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from vitk2.foods.units import label_amount
from vitk2.intake.supplements import SupplementProduct, define_product
from vitk2.models.regimen import parse_interval, simulate_regimen, simulation_document
from vitk2.web.api.deps import ERRORS, Service

__all__ = ["ProductRequest", "SimulationRequest", "product_record", "router", "simulation"]

router = APIRouter(prefix="/supplements", tags=["supplements"], responses=ERRORS)
Short = Annotated[str, Field(min_length=1, max_length=100)]


class ProductRequest(BaseModel):
    """A product from its label: ``{"name": "MyK2", "per": "capsule", "label":
    {"mk7": "100ug", "vitd": "1000IU"}}`` (as `vitk2 supplement add`)."""

    model_config = ConfigDict(extra="forbid")
    name: Short
    per: Short = Field(description="capsule, tablet, softgel, drop …")
    label: dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=40)]] = Field(
        max_length=30, description="Nutrient key or alias -> amount with its unit."
    )


class SimulationRequest(BaseModel):
    """A regimen, as the options of `vitk2 supplement simulate`."""

    model_config = ConfigDict(extra="forbid")
    form: Literal["mk7", "mk4", "k1"]
    dose: Short = Field(description="Amount per dose with its unit: 180ug, 1.5mg.")
    every: Short = Field("24h", description="Dosing interval: 24h, 12h, 2d, 1w.")
    days: int = Field(84, ge=1, le=3650)
    skip: list[Annotated[int, Field(ge=1, le=100_000)]] = Field(
        default_factory=list, max_length=1000, description="Dose numbers to leave out (1 = first)."
    )
    with_diary: bool = Field(False, description="Add the diary's mean intake from food.")
    allow_extrapolation: bool = False


def product_record(product: SupplementProduct) -> dict[str, Any]:
    """A product as `vitk2 supplement list --json` shows it."""
    return {**asdict(product), "amounts": dict(product.amounts)}


def simulation(body: SimulationRequest, service: Service) -> dict[str, Any]:
    """The simulation document of a regimen (the pages use it too)."""
    key = f"{body.form}_ug"
    dose_ug = label_amount(body.dose, key)
    interval_h = parse_interval(body.every)
    background = service.mean_from_foods_ug(key) if body.with_diary else 0.0
    result = simulate_regimen(
        body.form, dose_ug, interval_h=interval_h, days=body.days,
        skip_doses=[n - 1 for n in body.skip], background_ug_per_day=background,
        allow_extrapolation=body.allow_extrapolation,
    )  # fmt: skip
    return simulation_document(result, background_ug_per_day=background)


@router.get("")
def products(service: Service) -> list[dict[str, Any]]:
    """Your products first, then the built-in generic ones."""
    return [product_record(p) for p in service.products()]


@router.post("", status_code=201)
def add_product(body: ProductRequest, service: Service) -> dict[str, Any]:
    """Define (or replace) one of your products from its label."""
    product = define_product(body.name, body.per, body.label)
    service.store.save_supplement(product)
    return product_record(product)


@router.delete("/{name}")
def remove_product(name: Annotated[str, Path(max_length=100)], service: Service) -> dict[str, Any]:
    """Remove one of your products (logged entries keep their amounts)."""
    service.store.delete_supplement(name)
    return {"removed": name}


@router.post("/simulate")
def simulate(body: SimulationRequest, service: Service) -> dict[str, Any]:
    """Serum rise over time with its band, steady state, accumulation and the predicted
    status change: `vitk2 supplement simulate --json`."""
    return simulation(body, service)
