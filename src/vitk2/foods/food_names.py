"""How food names and queries are read: folded, split into name parts, singular, with
their states, heads and alternatives; the words `vitk2.foods.search` matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from vitk2.foods.search_words import PHRASES as _PHRASES
from vitk2.foods.search_words import STOPWORDS as _STOPWORDS
from vitk2.foods.search_words import SYNONYMS as _SYNONYMS
from vitk2.foods.search_words import WORD_SYNONYMS as _WORD_SYNONYMS

__all__ = [
    "COOKED_WORDS",
    "MADE_UP_WORDS",
    "STATE_FALLBACK",
    "STATE_WORDS",
    "apply_synonyms",
    "bracketed",
    "dish_head",
    "made_up_prior",
    "name_parts",
    "normalise",
    "or_pairs",
    "part_heads",
    "purposes",
    "query_tokens",
    "query_words",
    "stateless_prior",
    "stem",
    "tokens",
    "unspecified_words",
]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """Lower-case ASCII with accents stripped and known phrases joined."""
    if text.isascii():
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for phrase, replacement in _PHRASES:
        folded = folded.replace(phrase, replacement)
    return folded


def normalise(text: str) -> str:
    """Lower-case, strip accents, and turn punctuation into spaces."""
    return _NON_WORD.sub(" ", _fold(text)).strip()


# Cooking words in their many forms → one form, on both sides of the match.
_STATE_FORMS: dict[str, str] = {
    "dryheat": "cook", "moistheat": "cook", "roasted": "roast", "baked": "bake",
    "boiled": "boil", "fried": "fry", "grilled": "grill", "steamed": "steam",
    "broiled": "broil", "stewed": "stew", "poached": "poach", "scrambled": "scramble",
    "cooked": "cook", "braised": "braise", "toasted": "toast", "mashed": "mash",
    "microwaved": "microwave", "sauteed": "saute", "smoked": "smoke",
}  # fmt: skip
_RAW_WORDS = frozenset({"raw", "dry", "uncooked", "unprepared", "unheated"})
# A form sold to be cooked or heated first, whatever the food: not as it is eaten.
_NOT_AS_EATEN = frozenset({"unprepared", "unheated", "uncooked"})
COOKED_WORDS = frozenset(
    {"cook", "roast", "bake", "boil", "fry", "grill", "broil", "stew", "braise", "heated",
     "steam", "poach", "microwave", "prepared", "toast", "mash"}
)  # fmt: skip


# A drink or food sold to be made up first ("Lemonade, frozen concentrate", "shake mix,
# powder"): a query that does not name the form means it made up ("…, prepared with
# water"), not as sold.
MADE_UP_WORDS = frozenset({"concentrate", "powder", "mix"})


def made_up_prior(words: frozenset[str]) -> float:
    made_up = "prepared" in words or ("reconstituted" in words and "not" not in words)
    return 0.2 if made_up else -0.5


def stateless_prior(words: frozenset[str], eaten_cooked: bool | None) -> float:
    """Added when the query names no state: foods eaten cooked rank their raw forms
    lower; other foods (produce...) rank their cooked forms lower. ``None``: the name
    says the food as eaten (FNDDS), raw or cooked, and nothing is added."""
    if eaten_cooked is None or words & MADE_UP_WORDS:  # made up: see `made_up_prior`
        return 0.0
    if (words & _NOT_AS_EATEN and "raw" not in words) or {"not", "reheated"} <= words:
        # "frozen, unprepared", "precooked, frozen, not reheated": never eaten as is
        # ("raw, unprepared" produce is the raw food, eaten as it is).
        return -0.5
    if eaten_cooked:
        if words & _RAW_WORDS:
            return -0.5
        return 0.2 if words & COOKED_WORDS else 0.0
    return -0.3 if words & COOKED_WORDS else 0.0


# A specific cooking method also accepts SR28's generic "cooked" at lower quality.
STATE_FALLBACK = {
    w: "cook" for w in ("poach", "steam", "grill", "broil", "bake", "roast", "braise", "stew")
}
STATE_WORDS = frozenset(
    {*_STATE_FORMS.values(), "raw", "dry", "canned", "frozen", "uncooked", "unprepared"}
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word in _STATE_FORMS:
        return _STATE_FORMS[word]
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ie") and len(word) > 4:  # "cookie" as "cookies" -> "cooky"
        return word[:-2] + "y"
    if word.endswith(("oes", "ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_NON_WORD_OR_COMMA = re.compile(r"[^a-z0-9,]+")


def name_parts(name: str) -> list[str]:
    """The comma-separated parts of a food name, each normalised (one pass)."""
    return [part.strip() for part in _NON_WORD_OR_COMMA.sub(" ", _fold(name)).split(",")]


_PROPER_NAME = re.compile(r"^(?:[A-Z][\w'&.-]*\s*)+$")


def bracketed(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words said only in brackets: asides ("(includes sourdough)", "(fat free or
    skim)"), and proper names: a bracket whose every word is capitalised names a
    brand or restaurant ("Cheeseburger (Burger King)", "Cereal (Kellogg's Corn
    Flakes)")."""
    if "(" not in name:
        return frozenset(), frozenset()
    brackets = re.findall(r"\(([^)]*)\)", name)
    outside = frozenset(tokens(re.sub(r"\([^)]*\)", " ", name)))
    proper = [b for b in brackets if _PROPER_NAME.match(b.strip())]
    asides = [b for b in brackets if not _PROPER_NAME.match(b.strip())]
    return (
        frozenset(tokens(" ".join(asides))) - outside,
        frozenset(tokens(" ".join(proper))) - outside,
    )


def unspecified_words(segments: Sequence[Sequence[str]]) -> frozenset[str]:
    """Words of name parts that say what is not specified: FNDDS's "NS as to type of
    crust", "NS as to fresh or frozen": asides, like brackets."""
    words: set[str] = set()
    within = False
    for segment in segments:
        # "NS as to regular, quick, or instant": the list goes on past its commas.
        within = segment[:1] == ["ns"] or (within and (len(segment) == 1 or segment[:1] == ["or"]))
        if within:
            words.update(segment)
    return frozenset(words)


def dish_head(segments: Sequence[Sequence[str]]) -> frozenset[str]:
    """The head word of a dish's name: the last word of its first part before "with"
    or "in" ("Burrito with meat" -> burrito, "Ham and cheese sandwich" -> sandwich),
    with its alternative ("Taco or tostada" -> tostada, taco)."""
    first = list(segments[0]) if segments else []
    for word in ("with", "in"):
        if word in first[1:]:
            first = first[: first.index(word)]
    if not first:
        return frozenset()
    head = {first[-1]}
    head |= {a for a, b in or_pairs([first]) if b == first[-1]}
    return frozenset(head)


def part_heads(segments: Sequence[Sequence[str]]) -> frozenset[str]:
    """The last word of each part of a name, before "with", "in" or "for", and of
    each alternative around "or": "Taco or tostada salad with meat" names a taco and a
    salad, "Salad dressing, caesar dressing" two dressings, "Beef, chuck for stew" a
    chuck (what it is for is no head)."""
    heads: set[str] = set()
    for segment in segments:
        words = list(segment)
        for joint in ("with", "in", "for"):
            if joint in words[1:]:
                words = words[: words.index(joint, 1)]
        heads.update(words[i - 1] for i in range(1, len(words)) if words[i] == "or")
        if words:
            heads.add(words[-1])
    return frozenset(heads)


def purposes(segments: Sequence[Sequence[str]]) -> frozenset[str]:
    """Words a name says a food is for ("Beef, chuck for stew": stew)."""
    return frozenset(
        word for segment in segments if "for" in segment for word in segment[segment.index("for") :]
    )


def or_pairs(segments: Sequence[Sequence[str]]) -> tuple[tuple[str, str], ...]:
    """The two words around each "or" of a name ("Taco or tostada with meat",
    "Egg omelet or scrambled egg"): the food is one or the other, so when a query
    names one, the other is no extra qualifier (see `SearchIndex._score`)."""
    return tuple(
        (segment[i - 1], segment[i + 1])
        for segment in segments
        for i in range(1, len(segment) - 1)
        if segment[i] == "or"
    )


def tokens(text: str) -> list[str]:
    """Normalised, singularised words of a text."""
    return [stem(word) for word in normalise(text).split()]


def _content_words(text: str) -> list[str]:
    return [word for word in tokens(text) if word not in _STOPWORDS]


_SYNONYM_TOKENS: dict[tuple[str, ...], list[str]] = {
    tuple(_content_words(key)): _content_words(value) for key, value in _SYNONYMS.items()
}
_MAX_PHRASE = max(len(key) for key in _SYNONYM_TOKENS)


def query_tokens(text: str) -> list[str]:
    """A query's `tokens`, with the words of `_WORD_SYNONYMS` read first."""
    folded = normalise(text)
    for pattern, replacement in _WORD_SYNONYMS:
        folded = pattern.sub(replacement, folded)
    return tokens(folded)


def query_words(text: str) -> list[str]:
    """The words a query is matched with: normalised, singular, without stopwords,
    regional names mapped to SR28's ("yoghurt" -> "yogurt"); no spelling correction."""
    return apply_synonyms([w for w in query_tokens(text) if w not in _STOPWORDS])


def apply_synonyms(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            replacement = _SYNONYM_TOKENS.get(tuple(words[i : i + size]))
            if replacement is not None:
                out.extend(replacement)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out
