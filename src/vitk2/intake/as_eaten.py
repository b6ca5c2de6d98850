"""The food as eaten: which FNDDS 2017-2018 food stands next to an SR28 food.

The parser reads a single food as an SR28 food, whose values are measured ("some
brie", "a coke"), and a dish as an FNDDS food as eaten ("a cheeseburger", "2 tacos":
the search ranks a dish the words name first, see `vitk2.foods.search`). SR28 has
few portions for food eaten with no amount, FNDDS has one for every food. Two links
between the tables let an SR28 food use them:

- its **twin**: an FNDDS food that is at least 90 % that SR28 food by recipe weight
  (`vitk2.foods.search_priors.FNDDS_SAME_FOOD_SHARE`): FNDDS "Cheese, Brie" is SR28 brie,
  "Soft drink, cola" is SR28 cola. The twin's portions weigh the SR28 food: "some
  brie" is FNDDS's "Quantity not specified" for Brie (21 g), "a can of coke" its
  "can (12 fl oz)". Of several twins the one the words name best is used. A twin
  that is a dish made of the food and named for it ("Egg, whole, pickled": 99 %
  hard-boiled egg) gives way to the food itself as eaten in the same state, made
  by FNDDS from another state of it ("Egg, whole, boiled or poached", from raw egg).
- the **food as eaten** for the words: when the SR28 food has no twin and cannot be
  weighed for the words ("scrambled eggs", "pancakes", "porridge" with no amount), the
  item is the FNDDS food the words name best among those their head word names and
  that are no other product ("Frozen yogurt" is no yogurt), weighed with its own
  portions.

Either way the item's notes say which FNDDS food the grams come from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Final

from vitk2.errors import EmptyQueryError
from vitk2.foods.database import FoodDB
from vitk2.foods.food_names import or_pairs
from vitk2.foods.search import CHANGING_WORDS, QUIET_WORDS, STATE_WORDS, query_words, tokens
from vitk2.foods.search_priors import FNDDS_SAME_FOOD_SHARE
from vitk2.foods.values import SearchHit

__all__ = ["MIN_AS_EATEN_SCORE", "AsEaten"]

#: An FNDDS food stands in for the words only when it matches them at least this well
#: (search score, 0..1): the parser's own `MIN_MATCH_SCORE`.
MIN_AS_EATEN_SCORE: Final = 0.6
#: FNDDS foods looked at for a twin named by the words.
_LOOKED_AT: Final = 10


class AsEaten:
    """Links from SR28 foods to FNDDS foods as eaten, for one food database."""

    def __init__(self, db: FoodDB) -> None:
        self.db = db
        self._twins: dict[str, tuple[str, ...]] | None = None
        self._kin: dict[tuple[str, frozenset[str]], tuple[str, ...]] | None = None
        self._names: dict[str, tuple[str, str]] | None = None
        self._plainer: dict[str, tuple[str, ...]] = {}

    def _name_groups(self) -> dict[str, tuple[str, str]]:
        if self._names is None:
            self._names = self.db.names()
        return self._names

    def _twins_of(self, identifier: str) -> tuple[str, ...]:
        """FNDDS foods at least 90 % this SR28 food, purest first."""
        if self._twins is None:
            twins: dict[str, list[tuple[float, str]]] = defaultdict(list)
            for fndds, (main, share) in self.db.main_ingredients().items():
                if share >= FNDDS_SAME_FOOD_SHARE:
                    twins[main].append((share, fndds))
            self._twins = {
                main: tuple(f for _, f in sorted(found, key=lambda t: (-t[0], t[1])))
                for main, found in twins.items()
            }
        return self._twins.get(identifier, ())

    def _kin_twins(self, identifier: str) -> tuple[str, ...]:
        """Twins of the SR28 foods that are this food in another state: the same group
        and the same name but for state words ("Peas, green, cooked, boiled, drained"
        and "Peas, green, raw"; FNDDS cooks from the raw food)."""
        names = self._name_groups()
        if self._kin is None:
            kin: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
            for food, (name, group) in names.items():
                if food.startswith("usda:"):
                    kin[(group, _core(name))].append(food)
            self._kin = {key: tuple(foods) for key, foods in kin.items()}
        name, group = names[identifier]
        return tuple(
            twin
            for other in self._kin.get((group, _core(name)), ())
            if other != identifier
            for twin in self._twins_of(other)
        )

    def _plainer_twins(self, identifier: str) -> tuple[str, ...]:
        """Twins of the SR28 foods of the same group whose name says less than this
        food's, state words aside ("Egg, whole, raw, fresh" for "Egg, whole, cooked,
        hard-boiled")."""
        if identifier in self._plainer:
            return self._plainer[identifier]
        names = self._name_groups()
        name, group = names[identifier]
        core = _core(name)
        self._plainer[identifier] = found = tuple(
            twin
            for other, (other_name, other_group) in names.items()
            if other_group == group
            and other != identifier
            and other.startswith("usda:")
            and _core(other_name) < core
            for twin in self._twins_of(other)
        )
        return found

    def _fndds_hits(self, words: str) -> list[SearchHit]:
        try:
            return self.db.search(words, limit=_LOOKED_AT, source="fndds")
        except EmptyQueryError:
            return []

    def twin(self, identifier: str, words: str) -> tuple[str, str] | None:
        """The FNDDS food (id, name) that is the SR28 food ``identifier`` as eaten: of
        its purest twins (the largest share of that food), the one ``words`` name best,
        unless it is a dish named for the food (see the module) and a plainer food in
        the same state is all one food; else the twin of the food in another state
        that ``words`` name best; else None."""
        names = self._name_groups()
        twins = self._twins_of(identifier)
        if twins:
            shares = self.db.main_ingredients()
            purest = {t for t in twins if shares[t][1] == shares[twins[0]][1]}
            chosen = twins[0]
            if len(purest) > 1:
                chosen = next((h.id for h in self._fndds_hits(words) if h.id in purest), chosen)
            own = _core(names[identifier][0]) | set(tokens(words))
            if shares[chosen][1] >= 1.0 or _core(names[chosen][0]) <= own:
                return chosen, names[chosen][0]
            # A dish made of the food and something else, named for it ("Egg, whole,
            # pickled": 99 % hard-boiled egg and brine), gives way to the food itself
            # as eaten, all of it one food in another state ("Egg, whole, boiled or
            # poached", from raw egg).
            states = _states(names[identifier][0])
            plain = {
                t
                for t in self._plainer_twins(identifier)
                if shares[t][1] >= 1.0
                and _core(names[t][0]) <= own
                and _states(names[t][0]) & states
            }
            for query in (names[identifier][0], words):
                found = next((h.id for h in self._fndds_hits(query) if h.id in plain), None)
                if found is not None:
                    return found, names[found][0]
            return chosen, names[chosen][0]
        kin = set(self._kin_twins(identifier))
        if not kin:
            return None
        return next(((h.id, h.name) for h in self._fndds_hits(words) if h.id in kin), None)

    def foods_for(self, words: str) -> list[SearchHit]:
        """The FNDDS foods that can stand in for ``words`` when their SR28 food cannot
        be weighed, best first: matched well enough (`MIN_AS_EATEN_SCORE`), named by the
        words' head ("Pea salad" does not stand in for peas, nor "Pie, apple, one crust"
        for "one": see `_heads`), and no other product than the words say: the first
        part of its name holds no word of `CHANGING_WORDS` the words lack ("Frozen
        yogurt, vanilla" is no vanilla yogurt)."""
        head = _head_word(words)
        said = set(query_words(words))
        return [
            hit
            for hit in self._fndds_hits(words)
            if hit.score >= MIN_AS_EATEN_SCORE
            and _heads(hit.name, head)
            and not _other_product(hit.name, said)
        ]


def _other_product(name: str, said: set[str]) -> bool:
    """True when the first part of ``name`` holds a word of `CHANGING_WORDS` that is not
    ``said``, other than an alternative ("Frozen yogurt" is another product than
    yogurt; "Chicken tenders or strips" is tenders)."""
    words = tokens(name.split(",", maxsplit=1)[0])
    alternatives = {word for pair in or_pairs([words]) for word in pair}
    return bool((set(words) & CHANGING_WORDS) - said - alternatives)


def _head_word(words: str) -> list[str]:
    """The word that names the food in ``words`` (one, or none): the last typed word
    before "with" / "in" ("sardines in oil" -> sardine), or, when a regional name
    was read as the tables' words ("porridge" -> oatmeal cooked, "milkshake" -> milk
    shake), the last of those that is no state word."""
    said = re.split(r"\s(?:with|in)\s", f" {words.lower()} ")[0]
    typed = tokens(said)[-1:]
    read = query_words(said)
    if not typed or typed[0] in read:
        return typed
    return [w for w in read if w not in STATE_WORDS][-1:] or typed


def _heads(name: str, head: list[str]) -> bool:
    """True when ``head`` (one word, as `tokens` gives it) ends a part of ``name``
    (parts: between commas, brackets and slashes, before "with" or "in", each side of
    an "or"; brands left out): "Potato, french fries" is fries, "Cereal (muesli)"
    muesli, "Chicken or turkey chow mein or chop suey" chow mein, but "Pie, apple, one
    crust" and "Cereal (General Mills Fiber One)" are no "one"."""
    parts = [
        alternative
        for part in re.split(r"[,()/]", name)
        if not _BRAND.match(part.strip())
        for alternative in re.split(r"\sor\s", re.split(r"\s(?:with|in)\s", part)[0])
    ]
    return bool(head) and any(tokens(part)[-1:] == head for part in parts)


#: A part of a name whose every word is capitalised names a brand ("General Mills Fiber
#: One"), not the food.
_BRAND = re.compile(r"^(?:[A-Z][\w'&.!-]*\s*){2,}$")


def _states(name: str) -> frozenset[str]:
    """The state words of a food name ("cook", "boil" of "Egg, whole, cooked, hard-boiled")."""
    return frozenset(tokens(name)) & STATE_WORDS


def _core(name: str) -> frozenset[str]:
    """A food name's words but for states and quiet words: the food itself."""
    return frozenset(tokens(re.sub(r"\([^)]*\)", " ", name))) - STATE_WORDS - QUIET_WORDS
