"""Docs match the code: every CLI command and option is documented; docstring
examples run; the public API is what __all__ says."""

from __future__ import annotations

import doctest
from pathlib import Path

import typer.main

import vitk2
from vitk2.cli.app import app
from vitk2.foods import database as fooddb

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _commands() -> list[tuple[str, list[str]]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, list[str]]] = []

    def walk(command: object, path: list[str]) -> None:
        sub = getattr(command, "commands", None)
        if sub:
            for name, child in sub.items():
                walk(child, [*path, name])
            return
        options = [
            opt
            for param in getattr(command, "params", [])
            for opt in getattr(param, "opts", [])
            if opt.startswith("--") and opt != "--help"
        ]
        found.append((" ".join(path), options))

    walk(root, [])
    return found


def test_every_command_and_option_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    commands = _commands()
    assert {name for name, _ in commands} >= {"foods search", "foods show", "foods top"}
    for name, options in commands:
        assert f"`vitk2 {name}" in text, f"docs/cli.md does not document `vitk2 {name}`"
        for option in options:
            assert f"`{option}" in text, f"docs/cli.md does not document {option} of {name}"


def test_docstring_examples_run() -> None:
    result = doctest.testmod(fooddb, raise_on_error=False)
    assert result.attempted >= 3
    assert result.failed == 0


def test_public_api() -> None:
    for name in vitk2.__all__:
        assert hasattr(vitk2, name)
    for error in ("DataError", "EmptyQueryError", "InvalidOptionError", "UnknownFoodError"):
        assert issubclass(getattr(vitk2, error), vitk2.Vitk2Error)


def test_data_doc_coverage_block_matches_the_shipped_database() -> None:
    from vitk2.foods.build.coverage import END, START, coverage_markdown

    text = (DOCS.parent / "data.md").read_text(encoding="utf-8")
    block = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert block == coverage_markdown().strip(), (
        "docs/data.md coverage is stale: run "
        "`python -m vitk2.foods.build.coverage --write docs/data.md`"
    )
