"""Is a phrase with "and" or "with" in it the name of one dish?

"ham and cheese sandwich", "mac and cheese" and "chicken curry with rice" are one
food each; "eggs and toast" and "coffee with cream" are two. The meal parser does not
keep a list of such dishes: it asks the food vocabulary. It searches the whole phrase,
and it is one dish when the best food's name says the phrase itself (`names_dish`):

- all the phrase's words stand in one part of the name (the parts are separated by
  commas), or in the name's first parts together, and that part joins them with
  "and" or "with" ("Ham and cheese sandwich, with lettuce and spread"; "Spaghetti,
  with meatballs in tomato sauce"; "Cream, fluid, half and half");
- that part says at most one thing more, and nothing that makes it another product
  (``vitk2.foods.search.CHANGING_WORDS``): "Bacon and egg sandwich" does not name
  "bacon and eggs", nor "Frozen coffee drink, with whipped cream" "coffee with cream";
- a part that begins with "with" describes the food before it and does not count
  on its own ("Fast foods, biscuit, with egg and bacon" is a biscuit).

>>> names_dish("ham and cheese sandwich", "Ham and cheese sandwich, with lettuce and spread")
True
>>> names_dish("eggs and toast", "Bread, egg, toasted")
False
>>> names_dish("bacon and eggs", "Bacon and egg sandwich")
False
>>> names_dish("rice and beans", "Beans and rice, from fast food / restaurant")
True
"""

from __future__ import annotations

import re
from typing import Final

from vitk2.foods.search import CHANGING_WORDS, QUIET_WORDS, query_words, tokens

__all__ = ["JOINING_WORDS", "names_dish"]

#: Words that join the parts of a dish's name ("Ham 'n cheese" is tokenised "ham n cheese").
JOINING_WORDS: Final[frozenset[str]] = frozenset({"and", "with", "n"})
#: Index words a dish's name may hold besides the phrase's own.
_MAX_EXTRA: Final = 1
_BRACKETS = re.compile(r"\([^)]*\)")


def _part_words(part: str) -> list[str]:
    """A name part's words without its asides: brackets, and what follows "in"
    ("with meatballs in tomato sauce" -> with, meatball)."""
    words = tokens(_BRACKETS.sub(" ", part))
    return words[: words.index("in")] if "in" in words else words


def _says(phrase: frozenset[str], words: list[str]) -> bool:
    if not JOINING_WORDS & set(words):
        return False
    content = {w for w in words if w not in JOINING_WORDS and w not in QUIET_WORDS}
    if not phrase <= content:
        return False
    extra = content - phrase - {"or"}
    return len(extra) <= _MAX_EXTRA and not extra & CHANGING_WORDS


def names_dish(phrase: str, name: str) -> bool:
    """True when the food called ``name`` is what ``phrase`` names as one dish."""
    wanted = frozenset(query_words(phrase))
    if not wanted:
        return False
    parts = [_part_words(part) for part in name.split(",")]
    prefix: list[str] = []
    for words in parts:
        prefix = prefix + words
        if _says(wanted, prefix):
            return True
        if words and words[0] != "with" and _says(wanted, words):
            return True
    return False
