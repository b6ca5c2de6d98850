"""Meal parsing: plain-language meal text to foods, grams and nutrients.

>>> from vitk2 import FoodDB
>>> meal = MealParser(FoodDB.default()).parse("2 slices of gouda, a boiled egg and 50 g natto")
>>> [(item.name, item.grams) for item in meal.items]  # doctest: +NORMALIZE_WHITESPACE
[('Cheese, gouda', 56.0), ('Egg, whole, cooked, hard-boiled', 50.0), ('Natto', 50.0)]

How a text is read, step by step:

1. Foreign food words the vocabulary does not know are read through a small
   dictionary ("200 g Käse" is cheese: `vitk2.intake.food_words`).
2. The text is split into items (`vitk2.intake.meal_text`); two items joined by
   "and" or "with" stay one when the food vocabulary names the whole phrase as one
   dish ("ham and cheese sandwich", "chicken curry with rice": `vitk2.intake.dishes`).
3. Each item is matched to a food (or a supplement). A word the vocabulary does not
   know leaves the item unresolved unless it is close to a food word
   (`UNKNOWN_WORD_MIN_SIMILARITY`): "50 g glue" is not crab. ``usda:01022`` (and
   ``fndds:NNNNNNNN``) name a food by its id.
4. Grams come from the food's own portions (`vitk2.intake._weights`); an item with
   no amount takes the food's own portion for that (FNDDS "Quantity not specified")
   or one whole-food unit, and says so.
5. An addition after "with" with no amount ("coffee with cream", "porridge with
   milk") is a small amount of the right food, from the survey's guideline amounts
   (`vitk2.intake.additions`), and says so.

When the unit cannot be weighed for the food, or the food match is weak, the item
comes back ``unresolved`` with suggestions: nothing is guessed silently; every
assumption is in the item's ``notes``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final, NamedTuple

from vitk2.errors import EmptyQueryError, MealParseError
from vitk2.foods.amounts import MAX_ITEM_GRAMS
from vitk2.foods.database import FoodDB
from vitk2.foods.portions import measure_head, singular_word
from vitk2.foods.search import query_words, tokens
from vitk2.foods.units import HOUSEHOLD_UNITS, MASS_UNITS, VOLUME_UNITS
from vitk2.foods.values import FoodVector, SearchHit
from vitk2.intake._weights import UnitProblemError, Weigher, Weight
from vitk2.intake.additions import addition_note, context_of, rows_for
from vitk2.intake.as_eaten import AsEaten
from vitk2.intake.dishes import names_dish
from vitk2.intake.food_words import languages, translate
from vitk2.intake.meal_items import ItemStatus, MealItem, ParsedMeal
from vitk2.intake.meal_text import ItemWords, Piece, read_item, split_pieces
from vitk2.intake.own_foods import OwnFood
from vitk2.intake.own_items import OwnFoodIndex, weigh_own
from vitk2.intake.own_values import DiaryFoods
from vitk2.intake.supplements import (
    BUILTIN_PRODUCTS,
    AmbiguousSupplementError,
    SupplementProduct,
    read_supplement,
)
from vitk2.intake.totals import food_intake, sum_intakes, supplement_intake

__all__ = [
    "MAX_ITEM_GRAMS",
    "MIN_MATCH_SCORE",
    "UNKNOWN_WORD_MIN_SIMILARITY",
    "ItemStatus",
    "MealItem",
    "MealParser",
    "ParsedMeal",
    "parse_meal",
]

#: Search score below which a food match counts as weak (see docs/benchmarks.md).
MIN_MATCH_SCORE: Final = 0.6
#: A word no food name holds resolves only when the nearest food word is at least
#: this similar to it (rapidfuzz ratio, 0..1): "chedar" -> cheddar (0.92) does,
#: "glue" -> gluten (0.8) does not. Chosen on the labelled sets: docs/benchmarks.md.
UNKNOWN_WORD_MIN_SIMILARITY: Final = 0.92
MAX_TEXT_CHARS: Final = 5000

#: Words naming a form or cut rather than the food: dropped when a search fails
#: ("walnut halves", "baby spinach", "grated cheddar") and, for forms that are
#: measures ("halves", "spears"), used as the item's unit.
_FORM_WORDS: Final[frozenset[str]] = frozenset(
    {
        "half", "halves", "piece", "pieces", "slice", "slices", "sliced", "chopped", "diced",
        "grated", "shredded", "melted", "baby", "fillet", "fillets", "filet", "spear", "spears",
        "stick", "sticks", "floret", "florets", "wedge", "wedges", "cube", "cubes", "strip",
        "strips", "rasher", "rashers", "leaf", "leaves", "clove", "cloves", "kernel", "kernels",
        "fresh", "steamed", "some", "little", "bit",
    }
)  # fmt: skip
#: Joining words after which an item may belong to the one before it: a dish name
#: ("macaroni and cheese") or an addition ("coffee with cream").
_DISH_JOINTS: Final[frozenset[str]] = frozenset({"and", "with"})
_ADDITION_JOINTS: Final[frozenset[str]] = frozenset({"and", "plus"})  # after an addition
_FOOD_ID = re.compile(r"^\s*(usda:\d{5}|fndds:\d{8}|my:[0-9a-f]{8})\s*$", re.IGNORECASE)
_ML_PER_FL_OZ: Final = 29.5735
_SR28: Final = "usda:"


class MealParser:
    """Parses meal text against a food database and supplement products.

    ``products`` are the user's own supplement products; the built-in generic
    products are always known. ``own_foods`` are the user's own foods and recipes
    (`vitk2.intake.own_foods`; live ones are found by name, any by id), found before
    the food database. Foods are cached per parser.
    """

    def __init__(
        self,
        db: FoodDB,
        products: Sequence[SupplementProduct] = (),
        *,
        own_foods: Sequence[OwnFood] = (),
    ) -> None:
        self.db = db
        self.products = (*products, *BUILTIN_PRODUCTS)
        self._user_products = tuple(products)
        self._vectors: dict[str, FoodVector] = {}
        self._as_eaten = AsEaten(db)
        self._weigher = Weigher(db, self._as_eaten)
        self._names: dict[str, tuple[str, str]] | None = None
        self.own = OwnFoodIndex(own_foods)
        self._foods = DiaryFoods(db, own_foods)

    def vector(self, identifier: str) -> FoodVector:
        cached = self._vectors.get(identifier)
        if cached is None:
            cached = self._foods.vectors([identifier])[identifier]
            self._vectors[identifier] = cached
        return cached

    def _known(self, word: str) -> bool:
        return not self.db.unknown_words(word)

    def _translated(
        self, piece: Piece, written_in: frozenset[str], joined: dict[str, str]
    ) -> _Part:
        """The piece with its foreign food words read (`vitk2.intake.food_words`),
        and the notes that say so (``joined``: notes of dish names read before the
        text was split, by the words they were read as)."""
        text, notes = translate(
            piece.text, known=self._known, kind="food", written_in=written_in, joined=False
        )
        said = [note for means, note in joined.items() if means in text]
        return _Part(Piece(text, piece.joint), (*said, *notes.values()))

    def parse(self, text: str) -> ParsedMeal:
        """Parse meal text. Raises `MealParseError` for empty text or impossible
        amounts; unknown foods and units come back as unresolved items."""
        if len(text) > MAX_TEXT_CHARS:
            raise MealParseError(
                f"Meal text is {len(text)} characters long; log at most {MAX_TEXT_CHARS} at once."
            )
        # Articles and joining words first ("ein Brötchen mit Butter" splits at "mit"),
        # then each item's food words, so that a note goes with its own item.
        written_in = languages(text, known=self._known)
        grammar, _ = translate(text, known=self._known, kind="grammar", written_in=written_in)
        # Dish names that hold "and" or "with" before the text is split at those words.
        grammar, joined = translate(
            grammar, known=self._known, kind="food", written_in=written_in, joined=True
        )
        parts = self._join_dishes(
            [
                self._translated(piece, written_in, joined)
                for p in split_pieces(grammar)
                for piece in self._on_toast(p)
            ]
        )
        if not parts:
            raise MealParseError(
                "Nothing to parse: describe what you ate, e.g. "
                "'2 slices of gouda, a boiled egg and 50 g natto'."
            )
        items: list[MealItem] = []
        base: MealItem | None = None  # the item an addition is added to
        adding = False
        for piece, said in parts:
            item = self.parse_item(piece.text)
            addition = None
            if base is not None and (
                piece.joint == "with" or (adding and piece.joint in _ADDITION_JOINTS)
            ):
                addition = self._addition(base, piece.text, item)
            adding = addition is not None
            if addition is not None:
                item = addition
            else:
                base = item
            if said:
                item = _with_notes(item, said)
            items.append(item)
        intakes = [item.intake for item in items if item.intake is not None]
        return ParsedMeal(text, tuple(items), sum_intakes(intakes))

    def parse_item(self, text: str) -> MealItem:
        """Parse one item's text (no separators)."""
        own = self._own_item(text)
        if own is not None:
            return own
        try:
            supplement = read_supplement(text, self._user_products)
        except AmbiguousSupplementError as error:
            return MealItem(text, "unresolved", problem=str(error), suggestions=error.suggestions)
        if supplement is not None:
            return MealItem(
                text,
                "ok",
                kind="supplement",
                ref=supplement.product,
                name=supplement.product,
                quantity=supplement.quantity,
                unit=supplement.unit,
                intake=supplement_intake(supplement.amounts),
                notes=() if supplement.builtin else ("your product (vitk2 supplement list)",),
            )
        words = read_item(text)
        return self._food_item(words)

    # -- your own foods -------------------------------------------------------------

    def _own_item(self, text: str) -> MealItem | None:
        """The item as one of your own foods, when its words name one."""
        if not self.own:
            return None
        try:
            words = read_item(text)
        except MealParseError:
            return None
        found = self.own.find(words.words)
        if found is None:
            return None
        food, unit = found
        return self._own_weighed(words, food, unit)

    def _own_weighed(self, words: ItemWords, food: OwnFood, unit: str | None) -> MealItem:
        note = f"your {food.noun} (vitk2 {food.noun} show {food.ref})"
        try:
            weight = weigh_own(food, words.quantity, words.unit or unit)
        except UnitProblemError as problem:
            return MealItem(
                words.text,
                "unresolved",
                kind="food",
                ref=food.ref,
                name=food.title,
                quantity=words.quantity,
                unit=words.unit or unit,
                problem=problem.message,
                suggestions=problem.suggestions,
            )
        return self._item(words.text, food.ref, food.title, weight, (note,))

    def _own_by_id(self, words: ItemWords, identifier: str) -> MealItem:
        food = self.own.by_ref.get(identifier)
        if food is not None and not food.retired:
            return self._own_weighed(words, food, None)
        current = None if food is None else self.own.live(identifier)
        if food is None:
            problem = f"None of your own foods has the id {identifier!r}."
            hint = "find ids with `vitk2 recipe list` or `vitk2 food list`"
        else:
            problem = (
                f"{identifier} is an earlier version of {food.name}, kept for the entries "
                "logged with it."
            )
            hint = (
                f"log the current one: {current.ref} ({current.title})"
                if current is not None
                else f"`vitk2 {food.noun} list --all` shows it"
            )
        return MealItem(
            words.text,
            "unresolved",
            quantity=words.quantity,
            unit=words.unit,
            problem=problem,
            suggestions=(hint,),
        )

    # -- one dish or two ------------------------------------------------------------

    def _join_dishes(self, parts: list[_Part]) -> list[_Part]:
        """Join "ham" and "cheese sandwich" back into one item when the whole phrase
        is one food (see `vitk2.intake.dishes`); "eggs" and "toast" stay two."""
        joined: list[_Part] = []
        for part in parts:
            piece = part.piece
            if joined and piece.joint in _DISH_JOINTS and self._one_dish(joined[-1].piece, piece):
                first = joined[-1]
                text = f"{first.piece.text} {piece.joint} {piece.text}"
                joined[-1] = _Part(Piece(text, first.piece.joint), (*first.notes, *part.notes))
            else:
                joined.append(part)
        return joined

    def _on_toast(self, piece: Piece) -> tuple[Piece, ...]:
        """ "peanut butter toast", "avocado toast": a topping on toast, two items (the
        amount goes with the toast), unless the words describe the toast ("buttered
        toast") or a food's name says them with the toast ("French toast", "Crackers,
        melba toast", "Bread, whole-wheat, toasted" for "wholemeal toast")."""
        try:
            words = read_item(piece.text).words
        except MealParseError:
            return (piece,)
        found = _TOPPED_TOAST.match(words)
        if found is None:
            return (piece,)
        if self.own and self.own.find(words) is not None:
            return (piece,)  # your recipe "cheese toast"
        topping = found.group("topping")
        if topping.lower().endswith("ed") or self.db.says_together(words):
            return (piece,)  # "buttered toast", "melba toast", "French toast"
        hits = self.db.search(words, limit=1)
        if not hits or set(query_words(topping)) <= set(tokens(hits[0].name)):
            return (piece,)
        toast = re.sub(rf"\b{re.escape(topping)}\s+", "", piece.text, count=1)
        if toast == piece.text:
            return (piece,)
        return (Piece(topping, piece.joint), Piece(toast, "on"))

    def _one_dish(self, left: Piece, right: Piece) -> bool:
        try:
            if _has_amount(read_item(right.text)):
                return False  # "2 eggs and 1 slice of toast": two items
            words = read_item(f"{left.text} {right.joint} {right.text}").words
            if self.own and self.own.find(words) is not None:
                return True  # your recipe "chili and rice"
            hits = self.db.search(words, limit=1) if words.strip() else []
        except (MealParseError, EmptyQueryError):
            return False
        return bool(hits) and hits[0].score >= MIN_MATCH_SCORE and names_dish(words, hits[0].name)

    # -- additions ------------------------------------------------------------------

    def _addition(self, base: MealItem, text: str, item: MealItem) -> MealItem | None:
        """``text`` as a small amount added to ``base`` ("cream" after "coffee with"),
        or None when it is not one (it has an amount, or no guideline fits)."""
        if (
            base.kind != "food"
            or base.ref is None
            or base.name is None
            or item.kind == "supplement"
        ):
            return None
        context = context_of(base.name, drink=self._weigher.is_drink(base.ref, base.name))
        if context is None:
            return None
        try:
            words = read_item(text)
            if _has_amount(words) or not words.words.strip():
                return None
            hits = self.db.search(words.words, limit=5)
        except (MealParseError, EmptyQueryError):
            return None
        wanted = query_words(words.words)
        names = self._food_names()
        for row in rows_for(context):
            food = row.food if row.food in names and wanted == query_words(row.addition) else None
            if food is None:
                food = next(
                    (
                        h.id
                        for h in hits
                        if h.score >= MIN_MATCH_SCORE and row.food_pattern.search(h.name)
                    ),
                    None,
                )
            if food is None:
                continue
            grams, note = addition_note(row, self._base_units(base, context))
            return MealItem(
                text,
                "ok",
                kind="food",
                ref=food,
                name=names[food][0],
                quantity=round(grams, 1),
                unit="g",
                grams=grams,
                intake=food_intake(self.vector(food), grams),
                notes=(note,),
            )
        return None

    def _base_units(self, base: MealItem, context: str) -> float | None:
        """The base's size in the guideline's unit: fl oz of a drink (1 g per ml),
        cups of a hot cereal (its own cup measure), slices of bread; None when the
        base has no weight."""
        if base.grams is None or base.ref is None:
            return None
        if context == "beverage":
            return base.grams / _ML_PER_FL_OZ
        if context == "hot cereal":
            cups = [p for p in self._weigher.portions(base.ref) if measure_head(p.unit) == "cup"]
            return base.grams / (cups[0].grams / cups[0].amount) if cups else None
        if base.unit in MASS_UNITS or base.unit in VOLUME_UNITS:
            return None
        return base.quantity

    def _food_names(self) -> dict[str, tuple[str, str]]:
        if self._names is None:
            self._names = self.db.names()
        return self._names

    # -- foods ----------------------------------------------------------------------

    def _food_item(self, words: ItemWords) -> MealItem:
        text = words.text
        if not words.words:
            return MealItem(
                text,
                "unresolved",
                quantity=words.quantity,
                unit=words.unit,
                problem=f"{text!r} names no food.",
                suggestions=("write the food after the amount, e.g. '2 slices of gouda'",),
            )
        by_id = _FOOD_ID.match(words.words)
        if by_id is not None:
            return self._food_by_id(words, by_id.group(1).lower())
        try:
            hits, hint = self._search(words.words)
        except EmptyQueryError:  # no letters or digits to search for: emoji, punctuation
            hits, hint = [], None
        if not hits or hits[0].score < MIN_MATCH_SCORE:
            return MealItem(
                text,
                "unresolved",
                quantity=words.quantity,
                unit=words.unit,
                problem=f"No food clearly matches {words.words!r}.",
                suggestions=(
                    *(f"{hit.id} {hit.name}" for hit in hits[:3]),
                    f"or look it up: vitk2 foods search {words.words}",
                ),
            )
        strange = self._unknown_word(words.words)
        if strange is not None:
            return MealItem(
                text,
                "unresolved",
                quantity=words.quantity,
                unit=words.unit,
                problem=(
                    f"No food matches {words.words!r}: no food vitk2 knows is called {strange!r}."
                ),
                suggestions=(
                    *(f"{hit.id} {hit.name}" for hit in hits[:3]),
                    f"or look it up: vitk2 foods search {strange}",
                ),
            )
        hit = hits[0]
        notes = _state_note(words.words, hit, hits)
        return self._weighed(words, hit.id, hit.name, hint, notes, score=hit.score)

    def _food_by_id(self, words: ItemWords, identifier: str) -> MealItem:
        if identifier.startswith("my:"):
            return self._own_by_id(words, identifier)
        names = self._food_names()
        if identifier not in names:
            return MealItem(
                words.text,
                "unresolved",
                quantity=words.quantity,
                unit=words.unit,
                problem=f"No food has the id {identifier!r}.",
                suggestions=("find the id with `vitk2 foods search NAME`",),
            )
        return self._weighed(words, identifier, names[identifier][0], None, ())

    def _weighed(
        self,
        words: ItemWords,
        identifier: str,
        name: str,
        hint: str | None,
        notes: tuple[str, ...],
        *,
        score: float | None = None,
    ) -> MealItem:
        """The item for ``words`` of one food. An SR28 food found by search (its
        ``score``) that cannot be weighed for the words gives way to the FNDDS food the
        words name at least as well (`vitk2.intake.as_eaten`)."""
        text = words.text
        try:
            weight: Weight = self._weigher.grams(identifier, name, words, hint)
        except UnitProblemError as problem:
            eaten = []
            # Not for a count of several with no unit ("3 marbles"): a count names
            # pieces, and a food that cannot be counted is no such piece.
            several = words.unit is None and (words.quantity or 1.0) > 1
            if score is not None and identifier.startswith(_SR28) and not several:
                eaten = self._as_eaten.foods_for(words.words)
            for food in eaten:  # the food as eaten that its own portions can weigh
                note = f"'{name}' cannot be weighed for {text!r}: the food as eaten used"
                item = self._weighed(words, food.id, food.name, hint, (note,))
                if item.status == "ok":
                    return item
            return MealItem(
                text,
                "unresolved",
                kind="food",
                ref=identifier,
                name=name,
                quantity=words.quantity,
                unit=words.unit,
                problem=problem.message,
                suggestions=problem.suggestions,
            )
        return self._item(text, identifier, name, weight, notes)

    def _item(
        self, text: str, identifier: str, name: str, weight: Weight, notes: tuple[str, ...]
    ) -> MealItem:
        """A resolved food item of ``weight``; an impossible weight fails the whole text."""
        if weight.grams > MAX_ITEM_GRAMS:
            raise MealParseError(
                f"Impossible amount in {text!r}: {weight.quantity:g} {weight.unit} of {name} is "
                f"{weight.grams / 1000:,.1f} kg; one item can weigh at most "
                f"{MAX_ITEM_GRAMS / 1000:g} kg."
            )
        return MealItem(
            text,
            "ok",
            kind="food",
            ref=identifier,
            name=name,
            quantity=weight.quantity,
            unit=weight.unit,
            grams=weight.grams,
            intake=food_intake(self.vector(identifier), weight.grams),
            notes=(*weight.notes, *notes),
        )

    def _unknown_word(self, text: str) -> str | None:
        """A word of ``text`` that no food name holds and that is not close enough to
        one that does (form words such as "halves" aside), or None."""
        kept = " ".join(w for w in text.split() if w.lower() not in _FORM_WORDS)
        if not kept.strip():
            return None
        for word, similarity in self.db.unknown_words(kept):
            if word not in _UNIT_WORDS and similarity < UNKNOWN_WORD_MIN_SIMILARITY:
                return word
        return None

    def _search(self, text: str) -> tuple[list[SearchHit], str | None]:
        """Search the food; when the match is weak, search again without form words
        ("walnut halves" -> "walnut") and return the form word as a measure hint."""
        hits = self.db.search(text, limit=5)
        if hits and hits[0].score >= MIN_MATCH_SCORE:
            return hits, None
        words = text.split()
        kept = [w for w in words if w.lower() not in _FORM_WORDS]
        if not kept or len(kept) == len(words):
            return hits, None
        retry = self.db.search(" ".join(kept), limit=5)
        if not retry or retry[0].score < MIN_MATCH_SCORE:
            return hits, None
        dropped = [singular_word(w) for w in words if w.lower() in _FORM_WORDS]
        measures = [w for w in dropped if w in HOUSEHOLD_UNITS.values() or w == "half"]
        return retry, (measures[0] if measures else None)


#: Words ending in "toast" after others: maybe a topping on toast (see `_on_toast`).
_TOPPED_TOAST: Final = re.compile(r"^(?P<topping>.+?)\s+toast$", re.IGNORECASE)


class _Part(NamedTuple):
    """A piece of meal text and the notes already made on it (foreign words read)."""

    piece: Piece
    notes: tuple[str, ...]


#: Unit words, as the search index writes them ("rasher", "handful" is not one).
_UNIT_WORDS: Final[frozenset[str]] = frozenset(
    w for unit in (*HOUSEHOLD_UNITS, *HOUSEHOLD_UNITS.values()) for w in query_words(unit)
)


def _has_amount(words: ItemWords) -> bool:
    return words.quantity is not None or words.unit is not None


def _with_notes(item: MealItem, notes: tuple[str, ...]) -> MealItem:
    return replace(item, notes=(*item.notes, *(n for n in notes if n not in item.notes)))


_STATE_TYPED = re.compile(
    r"\b(raw|fresh|cooked|boiled|steamed|roasted|baked|fried|grilled|sauteed|sautéed|"
    r"braised|stewed|canned|frozen|microwaved|poached|mashed|toasted|dried)\b",
    re.IGNORECASE,
)
_COOKED_NAME = re.compile(r"\b(cooked|boiled|steamed|roasted|baked|fried|canned)\b", re.I)


def _state_note(words: str, hit: SearchHit, hits: Sequence[SearchHit]) -> tuple[str, ...]:
    """When the text names no state and vitk2 chose a raw food that SR28 also has
    cooked (K1 per cup differs a lot between raw and boiled greens), say so."""
    if (
        hit.group != "Vegetables and Vegetable Products"
        or _STATE_TYPED.search(words)
        or not re.search(r"\braw\b", hit.name, re.I)
    ):
        return ()
    head = hit.name.split(",")[0]
    if not any(h.name.split(",")[0] == head and _COOKED_NAME.search(h.name) for h in hits[1:]):
        return ()
    return (f"raw assumed; write 'cooked {words}' if it was cooked",)


def parse_meal(
    text: str, db: FoodDB | None = None, products: Sequence[SupplementProduct] = ()
) -> ParsedMeal:
    """Parse meal text with the shipped database (a convenience for one-off use)."""
    return MealParser(db or FoodDB.default(), products).parse(text)
