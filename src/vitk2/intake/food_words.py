"""Common foreign food words, read as the English words the food tables use.

"200 g Käse" is 200 g of cheese, not of kale; "ein Brötchen mit Butter" is a hard
roll with butter. The dictionary is `vitk2/data/foreign_food_words.csv` (German,
French, Spanish, Dutch and Italian: food words, and the few articles and joining
words around them). A word is read through it only when the food vocabulary does
not know it, so English text and dish names the tables hold ("chili con carne")
stay as they are. Where a food is in neither SR28 nor FNDDS (quark, crème fraîche),
the dictionary names the nearest food and a note says so next to the item. Rows in
English (language ``en``) are dishes the tables lack under any of their words
("butter chicken", "cottage pie"): they are always read, and always say so.

>>> translate("200 g Käse", known=lambda word: word != "kase")
('200 g cheese', {'cheese': 'Käse read as cheese'})
>>> translate("100 g crème fraîche", known=lambda word: False)[1]["sour cream"]
'crème fraîche is in neither SR28 nor FNDDS: sour cream used'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from vitk2.foods.search import normalise

__all__ = ["ForeignWord", "foreign_words", "languages", "translate"]


@dataclass(frozen=True, slots=True)
class ForeignWord:
    """One dictionary row: ``words`` (one or more) mean ``means``; ``note`` is shown
    next to the item when the food meant is only the nearest one the tables have."""

    words: str
    means: str
    language: str
    kind: str = "food"  # or "grammar": an article, "with", "and", "slice"
    note: str = ""


@cache
def foreign_words() -> tuple[ForeignWord, ...]:
    """The dictionary, longest phrases first."""
    text = (resources.files("vitk2") / "data" / "foreign_food_words.csv").read_text("utf-8")
    rows = [
        ForeignWord(row["words"], row["means"], row["language"], row["kind"], row["note"])
        for row in csv.DictReader(io.StringIO(text))
    ]
    return tuple(sorted(rows, key=lambda row: -len(row.words)))


#: A joining word inside a dictionary phrase ("steak and kidney pie").
_JOINED = re.compile(r"\s(?:and|with)\s")


@cache
def _pattern(words: str) -> re.Pattern[str]:
    """The words as written, or folded to ASCII ("Kaese", "creme fraiche")."""
    spellings = {words, normalise(words)}
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE)


def languages(text: str, *, known: Callable[[str], bool]) -> frozenset[str]:
    """The languages ``text`` is written in, besides English: those of the dictionary
    phrases in it that hold a word ``known`` rejects ("fromage" in "du fromage")."""
    return frozenset(
        row.language
        for row in foreign_words()
        if row.language != "en" and _pattern(row.words).search(text) and not _known(row, known)
    )


def _known(row: ForeignWord, known: Callable[[str], bool]) -> bool:
    """Whether the food tables know every word of the row's phrase."""
    return all(known(word) for word in normalise(row.words).split())


def translate(
    text: str,
    *,
    known: Callable[[str], bool],
    kind: str | None = None,
    written_in: frozenset[str] = frozenset(),
    joined: bool | None = None,
) -> tuple[str, dict[str, str]]:
    """``text`` with every dictionary phrase that holds a word ``known`` rejects
    (``known`` gets normalised words) replaced by its meaning, and a note for each
    food word replaced, by its meaning: the row's note, or "X read as Y". ``kind``
    ("food" or "grammar") limits the rows used. In a text ``written_in`` a language
    (see `languages`), that language's phrases are read even when the tables know
    their words: "du fromage" is some cheese (not the "du" of Port du Salut), "un
    café" a coffee. ``joined`` True reads only the phrases that hold a joining word
    ("steak and kidney pie": read before a meal is split into items), False only the
    others.

    >>> translate("du fromage", known=lambda word: word != "fromage", written_in={"fr"})
    ('some cheese', {'cheese': 'fromage read as cheese'})
    """
    notes: dict[str, str] = {}
    for row in foreign_words():
        if kind is not None and row.kind != kind:
            continue
        if joined is not None and joined != bool(_JOINED.search(row.words)):
            continue
        pattern = _pattern(row.words)
        found = pattern.search(text)
        if found is None:
            continue
        if row.language != "en" and row.language not in written_in and _known(row, known):
            continue  # a word the tables hold: not read as a foreign one
        text = pattern.sub(row.means, text)
        if row.note:
            notes[row.means] = row.note
        elif row.kind == "food":
            notes[row.means] = f"{found.group(0)} read as {row.means}"
    return text, notes
