"""Food codes of other survey cycles: which FNDDS 2017-2018 food a code means.

NHANES recalls carry the FNDDS food code of their own cycle. A code that is also an
FNDDS 2017-2018 code is that food (match ``code``). A code that is not is matched by
its description (match ``description``) only when exactly one FNDDS 2017-2018 food
with the same first three code digits has the same words in its name, in any order
(each as often), plus at most the words of `EXTRA_WORDS`. Everything else is left
unmatched (``none``): its grams are unknown food, never zero.

The one rule is used twice: by the coverage summary of the build
(`vitk2.foods.build.nhanes`) and by the cohort engine's NHANES reader.

>>> same_food("Chicken nuggets", "Chicken nuggets, NFS")
True
>>> same_food("Chicken, thigh, roasted, broiled, or baked, skin eaten",
...           "Chicken thigh, baked, broiled, or roasted, skin eaten, from raw")
True
>>> same_food("Milk, whole", "Milk, whole, chocolate")
False
>>> matcher = CodeMatcher({11111000: "Milk, whole", 24198740: "Chicken nuggets, NFS"})
>>> matcher.match(11111000, "Milk, cow's, whole"), matcher.match(24198700, "Chicken nuggets")
(CodeMatch(fndds_code=11111000, match='code'), CodeMatch(fndds_code=24198740, match='description'))
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Final, Literal, NamedTuple

__all__ = ["EXTRA_WORDS", "CodeMatch", "CodeMatcher", "MatchKind", "same_food"]

#: Words a 2017-2018 name may add to an older description and still be the same food.
EXTRA_WORDS: Final = frozenset({"from", "raw", "fresh", "nfs"})

MatchKind = Literal["code", "description", "none"]


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"[a-z0-9]+", text.lower()))


def same_food(old: str, new: str) -> bool:
    """True when ``new`` has the words of ``old`` (each as often) plus at most
    `EXTRA_WORDS`."""
    before, after = _words(old), _words(new)
    added = after - before
    return not before - after and set(added) <= EXTRA_WORDS


class CodeMatch(NamedTuple):
    """The FNDDS 2017-2018 food code a survey code maps to (None: unmatched), and how."""

    fndds_code: int | None
    match: MatchKind


class CodeMatcher:
    """Matches survey food codes to the FNDDS 2017-2018 foods named in ``fndds``
    (code -> name)."""

    def __init__(self, fndds: Mapping[int, str]) -> None:
        self._fndds = dict(fndds)
        self._by_prefix: dict[str, dict[int, str]] = defaultdict(dict)
        for code, name in self._fndds.items():
            self._by_prefix[str(code)[:3]][code] = name

    def match(self, code: int, description: str) -> CodeMatch:
        """The 2017-2018 food for ``code`` (its own cycle's ``description``)."""
        if code in self._fndds:
            return CodeMatch(code, "code")
        if description:
            candidates = self._by_prefix.get(str(code)[:3], {})
            same = [c for c, name in candidates.items() if same_food(description, name)]
            if len(same) == 1:
                return CodeMatch(same[0], "description")
        return CodeMatch(None, "none")
