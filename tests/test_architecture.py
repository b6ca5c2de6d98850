"""The package tree, docs/architecture.md and each package's __all__ agree."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import vitk2

SRC = Path(vitk2.__file__).resolve().parent
ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _top_level() -> set[str]:
    """Every top-level package and public module of vitk2 (as ``vitk2.name``)."""
    return {
        f"vitk2.{info.name}"
        for info in pkgutil.iter_modules([str(SRC)])
        if not info.name.startswith("_")
    }


def _packages() -> list[ModuleType]:
    found = [vitk2]
    for info in pkgutil.walk_packages(vitk2.__path__, "vitk2."):
        if info.ispkg and ".migrations" not in info.name:
            found.append(importlib.import_module(info.name))
    return found


def _modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(vitk2.__path__, "vitk2.")
        if ".migrations" not in info.name and not info.name.endswith("__main__")
    )


def test_architecture_page_names_every_package_and_only_those() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| ")]
    named = {name for line in table for name in re.findall(r"`(vitk2\.[a-z_]+)`", line)}
    assert named == _top_level(), (
        f"docs/architecture.md table and src/vitk2 differ: "
        f"only in the page {sorted(named - _top_level())}, "
        f"only in the tree {sorted(_top_level() - named)}"
    )


def test_every_package_and_module_has_a_docstring() -> None:
    for name in _modules():
        module = importlib.import_module(name)
        assert (module.__doc__ or "").strip(), f"{name} has no docstring"


@pytest.mark.parametrize("package", _packages(), ids=lambda p: p.__name__)
def test_all_lists_what_the_package_offers(package: ModuleType) -> None:
    """Each name in __all__ exists; a package whose __all__ names modules names every
    public module it has (private ones start with _)."""
    exported = list(package.__all__)
    assert exported == sorted(set(exported), key=exported.index), "duplicates in __all__"
    for name in exported:
        assert hasattr(package, name) or importlib.util.find_spec(f"{package.__name__}.{name}")
    path = getattr(package, "__path__", None)
    submodules = {
        info.name
        for info in pkgutil.iter_modules(path)
        if not info.name.startswith("_") and info.name != "migrations"
    }
    if submodules & set(exported):
        assert submodules == set(exported), (
            f"{package.__name__}.__all__ misses {sorted(submodules - set(exported))} "
            f"or names {sorted(set(exported) - submodules)} that do not exist"
        )


def test_public_api_of_the_top_level() -> None:
    expected = {
        "NUTRIENTS", "DataError", "EmptyQueryError", "Food", "FoodDB", "InvalidOptionError",
        "MealParser", "Nutrient", "NutrientValue", "Portion", "RankedFood", "SearchHit",
        "UnknownFoodError", "UnknownNutrientError", "Vitk2Error", "__version__",
        "resolve_nutrient",
    }  # fmt: skip
    assert set(vitk2.__all__) == expected
    from vitk2.intake.meals import MealParser

    assert vitk2.MealParser is MealParser


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), raise_on_error=False)
    assert result.failed == 0
