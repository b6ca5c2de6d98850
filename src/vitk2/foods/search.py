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
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from vitk2.errors import EmptyQueryError
from vitk2.foods.food_names import (
    COOKED_WORDS,
    MADE_UP_WORDS,
    STATE_FALLBACK,
    STATE_WORDS,
    apply_synonyms,
    bracketed,
    dish_head,
    made_up_prior,
    name_parts,
    normalise,
    or_pairs,
    part_heads,
    purposes,
    query_tokens,
    query_words,
    stateless_prior,
    stem,
    tokens,
    unspecified_words,
)
from vitk2.foods.search_words import DISH_WORDS as _TYPED_DISH_WORDS
from vitk2.foods.search_words import STOPWORDS as _STOPWORDS
from vitk2.foods.search_words import TYPED_CHANGING_WORDS as _CHANGING_WORDS
from vitk2.foods.search_words import TYPED_QUIET_WORDS as _QUIET_WORDS

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

# Most a doc's score can move through penalties and priors (see _score): docs whose
# matched weight trails the best by more than this can never rank above it.
_MAX_SWING = 6.0
#: Added when a name says all the query's words together and in order (see `search`).
PHRASE_BONUS = 0.2
#: Taken from a food whose name lacks the dish word a query ends in (see `search`).
DISH_WORD_MISSING = 3.0
# A query word matching more foods than this is "common" (see SearchIndex.search).
_COMMON_POSTINGS = 1500

# The words of a name part that says where a food was made (see `SearchIndex`).
_SOURCE_WORDS = frozenset({"restaurant", "ready", "to", "heat", "fast", "food"})
# "plain", "regular", FNDDS's "NFS" (not further specified), "NS as to …": the form a
# bare name means.
_GENERIC_MARKERS = frozenset(
    {"plain", "regular", "original", "unspecified", "generic", "nfs", "ns"}
)

# The word lists above are written as people write them; match them as indexed.
_QUIET = frozenset(stem(word) for word in _QUIET_WORDS)
_CHANGING = frozenset(stem(word) for word in _CHANGING_WORDS)
_DISH_WORDS = frozenset(stem(word) for word in _TYPED_DISH_WORDS)
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


#: Words of a name that say a maker's product: packaged ("frozen entree", "canned") or
#: a restaurant's.
PACKAGED_WORDS: frozenset[str] = frozenset(
    {"frozen", "canned", "entree", "unprepared", "microwave", "restaurant"}
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
    maker: frozenset[str]  # brand words of the food itself, not of what it is served with
    made_up: bool  # sold to be made up: a concentrate, a powder, a mix
    # Words of "NS as to …" parts: they say the name is silent on them, so a query
    # that is silent too loses nothing by them.
    unspecified: frozenset[str]


@lru_cache(maxsize=8192)
def _heads_of(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """What each part of a food's name names (`food_names.part_heads`) and what the
    food is for (`food_names.purposes`), read when a query needs it rather than for
    every food at start."""
    segments = [[stem(w) for w in part.split()] for part in name_parts(name)]
    return part_heads(segments), purposes(segments)


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
            segments = [[stem(w) for w in part.split()] for part in name_parts(entry.name)]
            words = tuple(w for segment in segments for w in segment)
            word_set = frozenset(words)
            extra = (
                frozenset(tokens(entry.common_names)) - word_set
                if entry.common_names
                else frozenset()
            )
            packing, proper = bracketed(entry.name)
            unspecified = unspecified_words(segments)
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
            # A name part that only says where the food was made ("…, restaurant", "…,
            # ready-to-heat"): an aside too. ("Home recipe" is not: it says the dish as
            # made at home, which the survey tells apart from the ready-made one.)
            packing |= frozenset(
                w
                for i, segment in enumerate(segments)
                if i and set(segment) <= _SOURCE_WORDS
                for w in segment
            )
            # Words in capitals are brands ("KELLOGG'S"), but FNDDS's "NFS" (not further
            # specified) is not.
            capitals = [c for c in _CAPITALS.findall(entry.name) if c != "NFS"]
            brand = frozenset(w for caps in capitals for w in tokens(caps)) | proper
            served_with = frozenset(
                w
                for segment in segments
                if "with" in segment[1:] or (segment is not segments[0] and segment[:1] == ["with"])
                for w in segment[segment.index("with") + 1 :]
            )
            doc = _Doc(
                key=entry.key,
                name=entry.name,
                words=words,
                first_segment=frozenset(segments[0]) if segments else frozenset(),
                word_set=word_set,
                extra=extra,
                packing=packing,
                prior=entry.prior,
                brand=brand,
                alternatives=or_pairs(segments),
                served_with=served_with,
                stateless_prior=stateless_prior(word_set, entry.eaten_cooked),
                table=entry.table,
                table_prior=entry.table_prior,
                head=frozenset() if entry.head_prior is None else dish_head(segments),
                head_prior=entry.table_prior if entry.head_prior is None else entry.head_prior,
                pairs=frozenset(
                    (segment[i], segment[i + 1])
                    for segment in segments
                    for i in range(len(segment) - 1)
                ),
                packaged_prior=entry.packaged_prior,
                unspecified=unspecified,
                # Its brand's own words, not those of what it is served with.
                maker=frozenset(w for w in brand - served_with if len(w) > 1),
                made_up=bool(word_set & MADE_UP_WORDS),
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
            phrase_words = tuple(self._join_compounds(apply_synonyms(phrase_tokens)))
            self._defaults[phrase_words] = key
            self._defaults_unordered.setdefault(tuple(sorted(phrase_words)), key)
        self._key_index = {doc.key: i for i, doc in enumerate(self._docs)}

    def __len__(self) -> int:
        return len(self._docs)

    # -- query analysis -------------------------------------------------------------

    def _correct_uncached(self, word: str) -> tuple[tuple[str, float], ...]:
        """Index words a query word may mean, with a match quality."""
        if word in self._postings:
            fallback = STATE_FALLBACK.get(word)
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
                joined = stem(out[-1] + word)
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
        words = [w for w in query_tokens(query) if w not in _STOPWORDS]
        words = self._join_compounds(apply_synonyms(words))
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
        methods = {w for w in words if w in COOKED_WORDS} - {"prepared"}
        plain = [w for w in words if w not in COOKED_WORDS]
        if not plain or not methods:
            return None
        # The method said before the food ("grilled salmon"); after it, the word names
        # a dish ("beef stew", "pot roast"), not how the food was cooked.
        if any(w in COOKED_WORDS for w in words[words.index(plain[0]) :]):
            return None
        found = self._default_for(plain)
        if found is None or found not in self._key_index:
            return None
        # The default must be cooked, and by no other method than the query's
        # ("boiled potatoes" must not get the baked potato).
        doc_methods = self._docs[self._key_index[found]].word_set & (COOKED_WORDS - {"prepared"})
        return found if doc_methods and doc_methods <= methods | {"cook"} else None

    def says_together(self, text: str) -> bool:
        """Whether a food's name holds the words of ``text`` next to each other, in
        order, ending one name part ("melba toast" in "Crackers, melba toast, plain";
        not "Cinnamon toast crunch")."""
        words = [w for w in tokens(text) if w not in _STOPWORDS]
        pairs = set(itertools.pairwise(words))
        if not pairs:
            return False
        return any(
            pairs <= self._docs[i].pairs and words[-1] in _heads_of(self._docs[i].name)[0]
            for i in self._name_postings.get(words[0], ())
        )

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
        bound = self._bounds(matchable)
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
        # food whose name does not end a part in it ("Pulled pork in barbecue sauce",
        # "Salad dressing, caesar dressing") is another one.
        dish = first_words[-1] if first_words and first_words[-1] in _DISH_WORDS else None
        said_made_up = any(word in MADE_UP_WORDS for word in first_words)
        scored: list[tuple[float, int]] = []
        for index in candidates:
            doc = self._docs[index]
            score = self._score(doc, terms, total_weight)
            if doc.made_up and not said_made_up:
                score += made_up_prior(doc.word_set)
            if dish is not None and doc.key != default and not self._names_dish(doc, dish):
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

    def _bounds(self, matchable: Sequence[_QueryTerm]) -> defaultdict[int, float]:
        """A cheap upper bound of each doc's matched weight; only docs that could still
        win after penalties and priors (at most _MAX_SWING score points) are scored.
        Rare words first; a very common word ("cooked") then only adds to docs that
        matched a rarer word: alone it could not reach the top anyway."""
        bound: defaultdict[int, float] = defaultdict(float)
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
        return bound

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
                + self._maker_prior(doc, named),
                index,
            )
            for score, index in scored
            for doc in (self._docs[index],)
        ]

    @staticmethod
    def _names_dish(doc: _Doc, dish: str) -> bool:
        """Whether the name says the dish, not only the dish word as a modifier of
        another product ("Salad dressing") or what the food is for ("Beef, chuck for
        stew")."""
        heads, meant_for = _heads_of(doc.name)
        if dish in heads:
            return True
        return (
            dish in doc.word_set
            and dish not in meant_for
            and not any(a == dish and b in _CHANGING and b not in _DISH_WORDS for a, b in doc.pairs)
        )

    @staticmethod
    def _maker_prior(doc: _Doc, named: set[str]) -> float:
        """A maker's dish the query names neither the packaging nor the maker of (see
        `SearchEntry.packaged_prior`)."""
        unnamed_maker = bool(doc.maker) and not doc.maker & named
        if (doc.word_set & PACKAGED_WORDS) - named or unnamed_maker:
            return doc.packaged_prior
        return 0.0

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
