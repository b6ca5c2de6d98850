"""Food search that ranks the food a person means first.

The index is built once from the food names. A query is normalised (case,
accents, plurals), British names are mapped to SR28's American ones, unknown
words are spell-corrected against the food vocabulary, and candidate foods are
scored by how much of the query they match (weighted by word rarity), how little
else their name says, where the match sits in the name, and whether the food is
used in US dietary surveys (SR28 ``Survey = Y``), a prior for common foods.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from vitk2.errors import EmptyQueryError
from vitk2.foods.search_words import DISH_WORDS as _TYPED_DISH_WORDS
from vitk2.foods.search_words import PHRASES as _PHRASES
from vitk2.foods.search_words import STOPWORDS as _STOPWORDS
from vitk2.foods.search_words import SYNONYMS as _SYNONYMS
from vitk2.foods.search_words import TYPED_CHANGING_WORDS as _CHANGING_WORDS
from vitk2.foods.search_words import TYPED_QUIET_WORDS as _QUIET_WORDS
from vitk2.foods.search_words import WORD_SYNONYMS as _WORD_SYNONYMS

__all__ = [
    "CHANGING_WORDS",
    "QUIET_WORDS",
    "STATE_WORDS",
    "SearchEntry",
    "SearchIndex",
    "normalise",
    "query_words",
    "tokens",
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
_COOKED_WORDS = frozenset(
    {"cook", "roast", "bake", "boil", "fry", "grill", "broil", "stew", "braise", "heated",
     "steam", "poach", "microwave", "prepared", "toast", "mash"}
)  # fmt: skip


def _stateless_prior(words: frozenset[str], eaten_cooked: bool | None) -> float:
    """Added when the query names no state: foods eaten cooked rank their raw forms
    lower; other foods (produce...) rank their cooked forms lower. ``None``: the name
    says the food as eaten (FNDDS), raw or cooked, and nothing is added."""
    if eaten_cooked is None:
        return 0.0
    if (words & _NOT_AS_EATEN and "raw" not in words) or {"not", "reheated"} <= words:
        # "frozen, unprepared", "precooked, frozen, not reheated": never eaten as is
        # ("raw, unprepared" produce is the raw food, eaten as it is).
        return -0.5
    if eaten_cooked:
        if words & _RAW_WORDS:
            return -0.5
        return 0.2 if words & _COOKED_WORDS else 0.0
    return -0.3 if words & _COOKED_WORDS else 0.0


# A specific cooking method also accepts SR28's generic "cooked" at lower quality.
_STATE_FALLBACK = {
    w: "cook" for w in ("poach", "steam", "grill", "broil", "bake", "roast", "braise", "stew")
}
STATE_WORDS = frozenset(
    {*_STATE_FORMS.values(), "raw", "dry", "canned", "frozen", "uncooked", "unprepared"}
)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
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


def _segments(name: str) -> list[str]:
    """The comma-separated parts of a food name, each normalised (one pass)."""
    return [part.strip() for part in _NON_WORD_OR_COMMA.sub(" ", _fold(name)).split(",")]


_PROPER_NAME = re.compile(r"^(?:[A-Z][\w'&.-]*\s*)+$")


def _bracketed(name: str) -> tuple[frozenset[str], frozenset[str]]:
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


def _unspecified(segments: Sequence[Sequence[str]]) -> frozenset[str]:
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


def _head(segments: Sequence[Sequence[str]]) -> frozenset[str]:
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
    head |= {a for a, b in _alternatives([first]) if b == first[-1]}
    return frozenset(head)


def _alternatives(segments: Sequence[Sequence[str]]) -> tuple[tuple[str, str], ...]:
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
    return [_stem(word) for word in normalise(text).split()]


def _content_words(text: str) -> list[str]:
    return [word for word in tokens(text) if word not in _STOPWORDS]


_SYNONYM_TOKENS: dict[tuple[str, ...], list[str]] = {
    tuple(_content_words(key)): _content_words(value) for key, value in _SYNONYMS.items()
}
_MAX_PHRASE = max(len(key) for key in _SYNONYM_TOKENS)


def _query_tokens(text: str) -> list[str]:
    """A query's `tokens`, with the words of `_WORD_SYNONYMS` read first."""
    folded = normalise(text)
    for pattern, replacement in _WORD_SYNONYMS:
        folded = pattern.sub(replacement, folded)
    return tokens(folded)


def query_words(text: str) -> list[str]:
    """The words a query is matched with: normalised, singular, without stopwords,
    regional names mapped to SR28's ("yoghurt" -> "yogurt"); no spelling correction."""
    return _apply_synonyms([w for w in _query_tokens(text) if w not in _STOPWORDS])


def _apply_synonyms(words: list[str]) -> list[str]:
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


# Most a doc's score can move through penalties and priors (see _score): docs whose
# matched weight trails the best by more than this can never rank above it.
_MAX_SWING = 6.0
#: Added when a name says all the query's words together and in order (see `search`).
PHRASE_BONUS = 0.2
#: Taken from a food whose name lacks the dish word a query ends in (see `search`).
DISH_WORD_MISSING = 3.0
# A query word matching more foods than this is "common" (see SearchIndex.search).
_COMMON_POSTINGS = 1500

# "plain", "regular", FNDDS's "NFS" (not further specified), "NS as to …": the form a
# bare name means.
_GENERIC_MARKERS = frozenset(
    {"plain", "regular", "original", "unspecified", "generic", "nfs", "ns"}
)

# The word lists above are written as people write them; match them as indexed.
_QUIET = frozenset(_stem(word) for word in _QUIET_WORDS)
_CHANGING = frozenset(_stem(word) for word in _CHANGING_WORDS)
_DISH_WORDS = frozenset(_stem(word) for word in _TYPED_DISH_WORDS)
#: Index words (singular) that turn a food into a different product, and words that
#: say little beyond a food's default form: `vitk2.intake.dishes` reads names with them.
CHANGING_WORDS: frozenset[str] = _CHANGING
QUIET_WORDS: frozenset[str] = _QUIET


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """What the index needs to know about one food.

    ``prior`` is a score bonus for foods people eat often (or a malus for baby
    foods, brands, restaurant items); ``common_names`` are matched at a lower weight.
    """

    key: str
    name: str
    prior: float = 0.0
    common_names: str = ""
    # Meat, fish, grains: a bare name means the cooked food; None: the name says the
    # food as eaten (FNDDS), whichever state it is in.
    eaten_cooked: bool | None = False
    # The table of foods the entry belongs to ("usda", "fndds"); `SearchIndex.search`
    # with ``table`` looks in one only.
    table: str = ""
    # Added only when the whole index is searched: it orders one table of foods against
    # another (FNDDS foods as eaten after SR28 foods).
    table_prior: float = 0.0
    # For a dish: its table prior when the query names the dish (the head word of the
    # name's first part: "burrito" in "Burrito with meat", "sandwich" in "Ham and
    # cheese sandwich") and the best match of the dish's table is such a dish too.
    # None: ``table_prior`` always.
    head_prior: float | None = None
    # Added only when the whole index is searched, to a maker's or restaurant's dish
    # whose packaged form (`PACKAGED_WORDS`) or brand the query does not say: the
    # words then name the dish as eaten (FNDDS), not that product.
    packaged_prior: float = 0.0


#: Words of a name that say a packaged product ("frozen entree", "canned").
PACKAGED_WORDS: frozenset[str] = frozenset(
    {"frozen", "canned", "entree", "unprepared", "microwave"}
)

_CAPITALS = re.compile(r"\b(?:Mc)?[A-Z][A-Z'&.-]{2,}")


class _Doc(NamedTuple):
    """One indexed food (a named tuple: built ~16,000 times per process, cheaply)."""

    key: str
    name: str
    words: tuple[str, ...]
    first_segment: frozenset[str]
    word_set: frozenset[str]
    extra: frozenset[str]  # words from common names, matched at lower weight
    packing: frozenset[str]  # words after "in" ("canned in oil") or in brackets: asides
    prior: float
    brand: frozenset[str]  # brands: words written in capitals, proper names in brackets
    alternatives: tuple[tuple[str, str], ...]  # the words around "or": "taco or tostada"
    # Words after "with" ("Ham and cheese sandwich, with lettuce and spread", "Bacon,
    # lettuce, and tomato sandwich with spread"): what the food is served with, not
    # another product; not in a first name part that begins with it.
    served_with: frozenset[str]
    stateless_prior: float
    table: str
    table_prior: float
    head: frozenset[str]  # with head_prior: the words that name the dish itself
    head_prior: float
    pairs: frozenset[tuple[str, str]]  # adjacent words within one name part, in order
    packaged_prior: float
    # Words of "NS as to …" parts: they say the name is silent on them, so a query
    # that is silent too loses nothing by them.
    unspecified: frozenset[str]


@dataclass(frozen=True, slots=True)
class _QueryTerm:
    options: tuple[tuple[str, float], ...]  # (index word, match quality 0..1)
    weight: float


class SearchIndex:
    """An in-memory index over food names; `search` returns (key, name, score)."""

    def __init__(
        self, entries: Iterable[SearchEntry], *, defaults: Mapping[str, str] | None = None
    ) -> None:
        """``defaults`` maps a query phrase to the key of the food it usually means
        (``"milk"`` → whole milk); that food is ranked first for exactly that phrase."""
        self._docs: list[_Doc] = []
        # Docs are added in index order, so every postings list is sorted as built.
        postings: dict[str, list[int]] = defaultdict(list)
        extra_postings: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(entries):
            segments = [[_stem(w) for w in part.split()] for part in _segments(entry.name)]
            words = tuple(w for segment in segments for w in segment)
            word_set = frozenset(words)
            extra = (
                frozenset(tokens(entry.common_names)) - word_set
                if entry.common_names
                else frozenset()
            )
            packing, proper = _bracketed(entry.name)
            unspecified = _unspecified(segments)
            # Asides after "in" ("canned in oil") and, in a name part of its own, after
            # "from" ("Pizza, cheese, from restaurant or fast food": where it came from).
            for word in ("in", "from"):
                if word in word_set:
                    packing |= frozenset(
                        w
                        for i, segment in enumerate(segments)
                        if word in segment and (word == "in" or (i and segment[0] == word))
                        for w in segment[segment.index(word) + 1 :]
                    )
            # Words in capitals are brands ("KELLOGG'S"), but FNDDS's "NFS" (not further
            # specified) is not.
            capitals = [c for c in _CAPITALS.findall(entry.name) if c != "NFS"]
            doc = _Doc(
                key=entry.key,
                name=entry.name,
                words=words,
                first_segment=frozenset(segments[0]) if segments else frozenset(),
                word_set=word_set,
                extra=extra,
                packing=packing,
                prior=entry.prior,
                brand=frozenset(w for caps in capitals for w in tokens(caps)) | proper
                if capitals
                else proper,
                alternatives=_alternatives(segments),
                served_with=frozenset(
                    w
                    for segment in segments
                    if "with" in segment[1:]
                    or (segment is not segments[0] and segment[:1] == ["with"])
                    for w in segment[segment.index("with") + 1 :]
                ),
                stateless_prior=_stateless_prior(word_set, entry.eaten_cooked),
                table=entry.table,
                table_prior=entry.table_prior,
                head=frozenset() if entry.head_prior is None else _head(segments),
                head_prior=entry.table_prior if entry.head_prior is None else entry.head_prior,
                pairs=frozenset(
                    (segment[i], segment[i + 1])
                    for segment in segments
                    for i in range(len(segment) - 1)
                ),
                packaged_prior=entry.packaged_prior,
                unspecified=unspecified,
            )
            self._docs.append(doc)
            for word in word_set:
                postings[word].append(index)
            for word in extra:
                extra_postings[word].append(index)
        total = max(len(self._docs), 1)
        self._name_postings = {word: tuple(ids) for word, ids in postings.items()}
        self._extra_postings = {w: tuple(ids) for w, ids in extra_postings.items()}
        self._postings = dict(self._name_postings)
        for word, ids in self._extra_postings.items():
            self._postings[word] = tuple(sorted({*self._postings.get(word, ()), *ids}))
        self._idf = {word: math.log(1.0 + total / len(ids)) for word, ids in self._postings.items()}
        self._vocabulary = sorted(self._postings)
        self._by_prefix: dict[str, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            for size in range(3, min(len(word), 8) + 1):
                self._by_prefix[word[:size]].append(word)
        self._correct = lru_cache(maxsize=8192)(self._correct_uncached)
        self._defaults: dict[tuple[str, ...], str] = {}
        self._defaults_unordered: dict[tuple[str, ...], str] = {}
        for phrase, key in (defaults or {}).items():
            phrase_tokens = [w for w in tokens(phrase) if w not in _STOPWORDS]
            phrase_words = tuple(self._join_compounds(_apply_synonyms(phrase_tokens)))
            self._defaults[phrase_words] = key
            self._defaults_unordered.setdefault(tuple(sorted(phrase_words)), key)
        self._key_index = {doc.key: i for i, doc in enumerate(self._docs)}

    def __len__(self) -> int:
        return len(self._docs)

    # -- query analysis -------------------------------------------------------------

    def _correct_uncached(self, word: str) -> tuple[tuple[str, float], ...]:
        """Index words a query word may mean, with a match quality."""
        if word in self._postings:
            fallback = _STATE_FALLBACK.get(word)
            if fallback and fallback in self._postings:
                # "poached salmon": SR28 often says only "cooked, moist heat"
                return ((word, 1.0), (fallback, 0.8))
            return ((word, 1.0),)
        options: list[tuple[str, float]] = []
        if len(word) >= 4:
            cutoff = 80.0 if len(word) >= 6 else 75.0
            for candidate, score, _ in process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
            ):
                options.append((candidate, 0.55 + 0.4 * (score / 100.0)))
        if len(word) >= 3 and word in self._by_prefix:
            longest = sorted(self._by_prefix[word[:8]], key=lambda w: -len(self._postings[w]))
            options.extend((candidate, 0.7) for candidate in longest[:5])
        best: dict[str, float] = {}
        for candidate, quality in options:
            best[candidate] = max(quality, best.get(candidate, 0.0))
        return tuple(sorted(best.items(), key=lambda item: -item[1]))

    def _apart_in_no_name(self, first: str, second: str) -> bool:
        """True when no indexed food has both words (or one of them is unknown)."""
        a, b = self._postings.get(first), self._postings.get(second)
        return a is None or b is None or not set(a).intersection(b)

    def _join_compounds(self, words: list[str]) -> list[str]:
        """'flax seed' → 'flaxseed', 'pop corn' → 'popcorn' when the index knows the joint
        word and no food names the two words apart ('snow peas' with 'Snow cone' indexed)."""
        out: list[str] = []
        for word in words:
            if out and self._apart_in_no_name(out[-1], word):
                joined = _stem(out[-1] + word)
                if joined in self._postings:
                    out[-1] = joined
                    continue
            out.append(word)
        return out

    def _term_size(self, term: _QueryTerm) -> int:
        return sum(len(self._postings.get(word, ())) for word, _ in term.options)

    def _default_for(self, words: Sequence[str]) -> str | None:
        found = self._defaults.get(tuple(words))
        return found or self._defaults_unordered.get(tuple(sorted(words)))

    def _analyse(self, query: str) -> tuple[list[_QueryTerm], str | None]:
        words = [w for w in _query_tokens(query) if w not in _STOPWORDS]
        words = self._join_compounds(_apply_synonyms(words))
        default = self._default_for(words)
        terms: list[_QueryTerm] = []
        seen: set[str] = set()
        for word in words:
            if word in seen:
                continue
            seen.add(word)
            options = self._correct(word)
            if not options:
                terms.append(_QueryTerm((), 1.0))
                continue
            weight = max(self._idf[w] for w, _ in options[:1])
            terms.append(_QueryTerm(options, weight))
        if default is None:
            corrected = [t.options[0][0] for t in terms if t.options]
            default = self._default_for(corrected)
        if default is None:
            default = self._cooked_default(words)
        return terms, default

    def _cooked_default(self, words: Sequence[str]) -> str | None:
        """'grilled salmon', 'baked salmon': a cooking word plus a curated phrase keeps
        the phrase's default when that food is itself a cooked one."""
        methods = {w for w in words if w in _COOKED_WORDS} - {"prepared"}
        plain = [w for w in words if w not in _COOKED_WORDS]
        if not plain or not methods:
            return None
        # The method said before the food ("grilled salmon"); after it, the word names
        # a dish ("beef stew", "pot roast"), not how the food was cooked.
        if any(w in _COOKED_WORDS for w in words[words.index(plain[0]) :]):
            return None
        found = self._default_for(plain)
        if found is None or found not in self._key_index:
            return None
        # The default must be cooked, and by no other method than the query's
        # ("boiled potatoes" must not get the baked potato).
        doc_methods = self._docs[self._key_index[found]].word_set & (_COOKED_WORDS - {"prepared"})
        return found if doc_methods and doc_methods <= methods | {"cook"} else None

    def unknown_words(self, query: str) -> list[tuple[str, float]]:
        """The query's words that no food name holds, each with how close the nearest
        index word is (0..1, `rapidfuzz.fuzz.ratio`; 0 when none is near). A query
        that is a curated phrase ("cornflakes") has none."""
        words = self._join_compounds(query_words(query))
        if self._default_for(words) is not None:
            return []
        unknown = []
        for word in dict.fromkeys(words):
            if word in self._postings:
                continue
            near = [fuzz.ratio(word, candidate) / 100.0 for candidate, _ in self._correct(word)]
            unknown.append((word, max(near, default=0.0)))
        return unknown

    # -- scoring --------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 10, table: str | None = None
    ) -> list[tuple[str, str, float]]:
        """Best matches for ``query``: (key, name, score in 0..1), best first; with
        ``table``, among the foods of that table only (their table priors left out)."""
        if not normalise(query):
            raise EmptyQueryError()
        terms, default = self._analyse(query)
        if table is not None and default is not None and default in self._key_index:
            default = default if self._docs[self._key_index[default]].table == table else None
        stateless = not any(word in STATE_WORDS for term in terms for word, _ in term.options[:1])
        matchable = [t for t in terms if t.options]
        if not matchable:  # no known word; a curated phrase ("cornflakes") still counts
            if default is None or default not in self._key_index:
                return []
            doc = self._docs[self._key_index[default]]
            return [(doc.key, doc.name, 1.0)]
        # Cheap upper bound of each doc's matched weight; only docs that could still
        # win after penalties and priors (at most _MAX_SWING score points) are scored.
        bound: dict[int, float] = defaultdict(float)
        # Rare words first; a very common word ("cooked") then only adds to docs
        # that matched a rarer word: alone it could not reach the top anyway.
        for term in sorted(matchable, key=self._term_size):
            common = bool(bound) and self._term_size(term) > _COMMON_POSTINGS
            seen_docs: dict[int, float] = {}
            for word, quality in term.options:
                for postings, factor in (
                    (self._name_postings.get(word, ()), 1.0),
                    (self._extra_postings.get(word, ()), 0.8),
                ):
                    contribution = term.weight * quality * factor
                    for doc_index in postings:
                        if common and doc_index not in bound:
                            continue
                        if seen_docs.get(doc_index, 0.0) < contribution:
                            seen_docs[doc_index] = contribution
            for doc_index, contribution in seen_docs.items():
                bound[doc_index] += contribution
        if table is not None:
            bound = defaultdict(
                float, {i: w for i, w in bound.items() if self._docs[i].table == table}
            )
            if not bound:
                return []
        total_weight = sum(t.weight for t in terms)
        best = max(bound.values())
        cut = best - _MAX_SWING / 10.0 * total_weight
        candidates = {i for i, weight in bound.items() if weight >= cut}
        if default is not None and default in self._key_index:
            candidates.add(self._key_index[default])
        # The query's words as one phrase ("egg roll"): a name that says them together,
        # in order, names that food; one that holds them apart ("Rolls, dinner, egg")
        # uses one as a modifier of another food.
        first_words = [t.options[0][0] for t in terms if t.options]
        phrase = set(itertools.pairwise(first_words))
        # A query that ends in a dish's name ("pulled pork sandwich") names that dish: a
        # food without the word ("Pulled pork in barbecue sauce") is another one.
        dish = first_words[-1] if first_words and first_words[-1] in _DISH_WORDS else None
        scored: list[tuple[float, int]] = []
        for index in candidates:
            doc = self._docs[index]
            score = self._score(doc, terms, total_weight)
            if dish is not None and dish not in doc.word_set and doc.key != default:
                score -= DISH_WORD_MISSING
            if stateless:
                score += doc.stateless_prior
            if phrase and phrase <= doc.pairs:
                score += PHRASE_BONUS
            scored.append((score, index))
        if table is None:
            scored = self._with_table_priors(scored, terms)
        if default is not None:  # the curated default for this exact phrase goes first
            top = max(score for score, _ in scored)
            scored = [
                (top + 0.5 if self._docs[i].key == default else score, i) for score, i in scored
            ]
        # Ties: the shorter (plainer) name first, then alphabetical for stability.
        scored.sort(
            key=lambda item: (-item[0], len(self._docs[item[1]].words), self._docs[item[1]].name)
        )
        best_possible = 11.0
        return [
            (self._docs[i].key, self._docs[i].name, round(max(0.0, min(1.0, s / best_possible)), 4))
            for s, i in scored[:limit]
        ]

    def _with_table_priors(
        self, scored: list[tuple[float, int]], terms: Sequence[_QueryTerm]
    ) -> list[tuple[float, int]]:
        """Add each food's table prior. A dish the query names (its head word) gets
        its own prior instead, when the best match of its table is such a dish too:
        the table of foods as eaten then says the words name a dish ("cheeseburger",
        "2 tacos"), not a food it also holds plainly ("crab" is crab, not deviled crab)."""
        named = {word for term in terms for word, quality in term.options if quality >= 0.8}
        best: dict[str, tuple[float, int]] = {}
        for score, index in scored:
            table = self._docs[index].table
            if table not in best or score > best[table][0]:
                best[table] = (score, index)
        dish_tables = {t for t, (_, i) in best.items() if self._docs[i].head & named}
        return [
            (
                score
                + (
                    doc.head_prior
                    if doc.table in dish_tables and doc.head & named
                    else doc.table_prior
                )
                + (
                    doc.packaged_prior
                    if (doc.word_set & PACKAGED_WORDS) - named
                    or (doc.brand and not doc.brand & named)
                    else 0.0
                ),
                index,
            )
            for score, index in scored
            for doc in (self._docs[index],)
        ]

    @staticmethod
    def _score(doc: _Doc, terms: Sequence[_QueryTerm], total_weight: float) -> float:
        matched_weight = 0.0
        used: set[str] = set()
        first_hit = False
        for term in terms:
            quality = 0.0
            for word, option_quality in term.options:
                if word in doc.word_set:
                    if option_quality > quality:
                        quality = option_quality
                        hit = word
                elif word in doc.extra and option_quality * 0.8 > quality:
                    quality = option_quality * 0.8
                    hit = word
            if quality > 0.0:
                matched_weight += term.weight * quality
                used.add(hit)
                if hit in doc.first_segment:
                    first_hit = True
        coverage = matched_weight / total_weight if total_weight else 0.0
        penalty = 0.0
        # "Taco or tostada": a query that names one alternative leaves the other quiet.
        other = {b if a in used else a for a, b in doc.alternatives if a in used or b in used}
        for word in doc.words:
            if word in used:
                continue
            if word in doc.unspecified:
                continue
            if word in doc.packing or word in other:
                penalty += 0.04
            elif (word in _CHANGING and word not in doc.served_with) or word in doc.brand:
                penalty += 0.6
            elif word in _QUIET or word in _STOPWORDS or word.isdigit():
                penalty += 0.04  # "and", "of" in a name join; they add nothing
            elif word in doc.first_segment:
                penalty += 0.45  # "Rice noodles", "Prune juice": the head itself differs
            else:
                penalty += 0.16
        score = 10.0 * coverage - min(penalty, 3.0) + doc.prior
        if doc.word_set & _GENERIC_MARKERS and not used & _GENERIC_MARKERS:
            score += 0.3  # "plain", "regular", "all types": the form a bare name means
        if first_hit:
            score += 0.5
        if doc.words and doc.words[0] in used:
            score += 0.3
        return score
