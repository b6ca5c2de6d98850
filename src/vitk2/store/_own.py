"""Rows of your own foods and recipes, and the writes that keep their history.

A definition that diary entries or other recipes refer to is never changed or
removed: replacing or deleting it *retires* it (``live_key`` NULL), so the entries
logged with it keep counting what was eaten then. A definition nothing refers to is
replaced or deleted outright. All of it runs on one open connection, inside the
caller's transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from vitk2.errors import InvalidOptionError, UnknownOwnFoodError, quoted
from vitk2.intake.own_foods import (
    Ingredient,
    LabelServing,
    OwnFood,
    OwnKind,
    is_own_ref,
    name_key,
)
from vitk2.store._schema import entry, own_food, own_food_amount, own_food_ingredient, supplement

__all__ = [
    "OwnFoodCounts",
    "OwnFoodUses",
    "SavedOwnFood",
    "check_own_refs",
    "delete_own_food",
    "find_own_food",
    "load_own_foods",
    "own_food_uses",
    "restore_own_foods",
    "save_own_food",
]


@dataclass(frozen=True, slots=True)
class OwnFoodUses:
    """What refers to an own food: diary entries, and recipes (by title)."""

    entries: int = 0
    recipes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries or self.recipes)

    def text(self) -> str:
        parts = []
        if self.entries:
            parts.append(f"{self.entries} diary entr{'y' if self.entries == 1 else 'ies'}")
        if self.recipes:
            parts.append("the recipe(s) " + ", ".join(self.recipes[:3]))
        return " and ".join(parts)


@dataclass(frozen=True, slots=True)
class OwnFoodCounts:
    """What a restore did with own foods: ``added``, ``unchanged`` (already there),
    and ``retired``: added but retired, because the diary has a live food of that
    name (the diary's stays the one meal text finds)."""

    added: int = 0
    unchanged: int = 0
    retired: int = 0


def _insert(connection: sa.Connection, food: OwnFood) -> None:
    serving = food.serving
    row = {
        "ref": food.ref,
        "kind": food.kind,
        "name": food.name,
        "live_key": None if food.retired else name_key(food.name),
        "version": food.version,
        "per_quantity": None if serving is None else float(serving.quantity),
        "per_unit": None if serving is None else serving.unit,
        "per_grams": None if serving is None else float(serving.grams),
        "serves": food.serves,
        "yield_g": food.yield_g,
        "text": food.text,
        "note": food.note,
    }
    new_id = connection.execute(sa.insert(own_food).values(**row).returning(own_food.c.id))
    food_id = new_id.scalar_one()
    if food.label:
        connection.execute(
            sa.insert(own_food_amount),
            [
                {"own_food_id": food_id, "nutrient": key, "position": i, "amount": float(v)}
                for i, (key, v) in enumerate(food.label.items())
            ],
        )
    if food.ingredients:
        connection.execute(
            sa.insert(own_food_ingredient),
            [
                {
                    "own_food_id": food_id,
                    "position": i,
                    "ref": item.ref,
                    "name": item.name,
                    "grams": float(item.grams),
                    "text": item.text,
                }
                for i, item in enumerate(food.ingredients)
            ],
        )


def load_own_foods(connection: sa.Connection, where: sa.ColumnElement[bool]) -> list[OwnFood]:
    """The own foods matching ``where``, in the order they were stored."""
    heads = connection.execute(sa.select(own_food).where(where).order_by(own_food.c.id)).all()
    if not heads:
        return []
    ids = [row.id for row in heads]
    amounts: dict[int, dict[str, float]] = {i: {} for i in ids}
    for row in connection.execute(
        sa.select(own_food_amount)
        .where(own_food_amount.c.own_food_id.in_(ids))
        .order_by(own_food_amount.c.own_food_id, own_food_amount.c.position)
    ):
        amounts[row.own_food_id][row.nutrient] = float(row.amount)
    parts: dict[int, list[Ingredient]] = {i: [] for i in ids}
    for row in connection.execute(
        sa.select(own_food_ingredient)
        .where(own_food_ingredient.c.own_food_id.in_(ids))
        .order_by(own_food_ingredient.c.own_food_id, own_food_ingredient.c.position)
    ):
        parts[row.own_food_id].append(Ingredient(row.ref, row.name, float(row.grams), row.text))
    return [_food(row, amounts[row.id], parts[row.id]) for row in heads]


def _food(row: sa.Row[Any], amounts: dict[str, float], parts: list[Ingredient]) -> OwnFood:
    serving = None
    if row.per_grams is not None:
        serving = LabelServing(float(row.per_quantity), row.per_unit, float(row.per_grams))
    return OwnFood(
        ref=row.ref,
        kind=cast(OwnKind, row.kind),
        name=row.name,
        version=int(row.version),
        retired=row.live_key is None,
        serving=serving,
        label=amounts,
        ingredients=tuple(parts),
        serves=row.serves,
        yield_g=row.yield_g,
        text=row.text,
        note=row.note,
    )


def find_own_food(connection: sa.Connection, text: str) -> OwnFood | None:
    """A live own food by name (any case), or any own food by its ``my:`` id."""
    wanted = text.strip()
    where = (
        own_food.c.ref == wanted.lower()
        if is_own_ref(wanted.lower())
        else own_food.c.live_key == name_key(wanted)
    )
    found = load_own_foods(connection, where)
    return found[0] if found else None


def check_own_refs(connection: sa.Connection, refs: Iterable[str]) -> None:
    """Every own-food id in ``refs`` is one this diary has (read inside the writing
    transaction, so a food deleted meanwhile cannot leave an entry without its food)."""
    wanted = {ref for ref in refs if is_own_ref(ref)}
    if not wanted:
        return
    known = set(
        connection.execute(sa.select(own_food.c.ref).where(own_food.c.ref.in_(wanted))).scalars()
    )
    missing = sorted(wanted - known)
    if missing:
        raise UnknownOwnFoodError(
            f"Food id {missing[0]} is none of your own foods in this diary: nothing was stored. "
            "`vitk2 recipe list --all` and `vitk2 food list --all` show them."
        )


def own_food_uses(connection: sa.Connection, ref: str) -> OwnFoodUses:
    """The diary entries and recipes that refer to the own food ``ref``."""
    entries = connection.execute(
        sa.select(sa.func.count()).select_from(entry).where(entry.c.ref == ref)
    ).scalar_one()
    recipes = connection.execute(
        sa.select(own_food.c.name, own_food.c.version)
        .join(own_food_ingredient, own_food_ingredient.c.own_food_id == own_food.c.id)
        .where(own_food_ingredient.c.ref == ref)
        .distinct()
        .order_by(own_food.c.name, own_food.c.version)
    ).all()
    titles = tuple(name if version == 1 else f"{name} v{version}" for name, version in recipes)
    return OwnFoodUses(int(entries), titles)


def _retire(connection: sa.Connection, ref: str) -> None:
    connection.execute(sa.update(own_food).where(own_food.c.ref == ref).values(live_key=None))


def _remove(connection: sa.Connection, ref: str) -> None:
    ids = sa.select(own_food.c.id).where(own_food.c.ref == ref).scalar_subquery()
    connection.execute(sa.delete(own_food_amount).where(own_food_amount.c.own_food_id == ids))
    connection.execute(
        sa.delete(own_food_ingredient).where(own_food_ingredient.c.own_food_id == ids)
    )
    connection.execute(sa.delete(own_food).where(own_food.c.ref == ref))


def _product_named(connection: sa.Connection, name: str) -> bool:
    key = name.casefold()
    query = sa.select(supplement.c.name).where(supplement.c.name_key == key)
    return connection.execute(query).first() is not None


def _check_ingredients(connection: sa.Connection, food: OwnFood, replacing: str | None) -> None:
    own = {item.ref for item in food.ingredients if is_own_ref(item.ref)}
    if replacing is not None and replacing in own:
        raise InvalidOptionError(
            f"{food.name}: a recipe cannot contain the recipe it replaces; write its "
            "ingredients instead."
        )
    if own:
        known = set(
            connection.execute(sa.select(own_food.c.ref).where(own_food.c.ref.in_(own))).scalars()
        )
        missing = sorted(own - known)
        if missing:
            raise UnknownOwnFoodError(
                f"{food.name}: ingredient {missing[0]} is none of your own foods."
            )


@dataclass(frozen=True, slots=True)
class SavedOwnFood:
    """A stored own food, and the one it replaced (with what uses it: when anything
    does, the old one was kept, retired)."""

    food: OwnFood
    replaced: OwnFood | None = None
    replaced_uses: OwnFoodUses = OwnFoodUses()


def save_own_food(connection: sa.Connection, food: OwnFood, *, replace: bool) -> SavedOwnFood:
    """Store a new own food (a new id), replacing the live one of the same name only
    with ``replace``: the old one is retired when anything refers to it (the new one
    is its next version), else removed."""
    if _product_named(connection, food.name):
        raise InvalidOptionError(
            f"You have a supplement product named {quoted(food.name)}: meal text could not "
            "tell the two apart. Choose another name."
        )
    old = find_own_food(connection, food.name)
    version = 1
    if old is not None:
        if not replace:
            raise InvalidOptionError(
                f"You already have a {old.noun} named {quoted(old.name)} ({old.ref}). Add "
                "--replace to replace it (entries logged with it keep it), or choose "
                "another name."
            )
        if old.kind != food.kind:
            raise InvalidOptionError(
                f"{quoted(old.name)} is one of your {old.noun}s, not a {food.noun}: delete it "
                f"with `vitk2 {old.noun} delete {old.ref}` first, or choose another name."
            )
        _check_ingredients(connection, food, old.ref)
        uses = own_food_uses(connection, old.ref)
        if uses:
            _retire(connection, old.ref)
            version = old.version + 1
        else:
            _remove(connection, old.ref)
            version = old.version
    else:
        uses = OwnFoodUses()
        _check_ingredients(connection, food, None)
    stored = dataclasses.replace(food, version=version, retired=False)
    _insert(connection, stored)
    return SavedOwnFood(stored, old, uses)


def delete_own_food(
    connection: sa.Connection, text: str, *, kind: OwnKind
) -> tuple[OwnFood, OwnFoodUses]:
    """Delete an own food by name or id: retired (kept) when entries or recipes refer
    to it, else removed. Returns it and what refers to it."""
    food = find_own_food(connection, text)
    noun = "recipe" if kind == "recipe" else "food"
    if food is None:
        raise UnknownOwnFoodError(
            f"None of your {noun}s is named or has the id {quoted(text)}. "
            f"`vitk2 {noun} list --all` shows them."
        )
    if food.kind != kind:
        raise InvalidOptionError(
            f"{quoted(food.name)} is one of your {food.noun}s: delete it with "
            f"`vitk2 {food.noun} delete {food.ref}`."
        )
    uses = own_food_uses(connection, food.ref)
    if uses:
        _retire(connection, food.ref)
    else:
        _remove(connection, food.ref)
    return food, uses


def _same(a: OwnFood, b: OwnFood) -> bool:
    return dataclasses.replace(a, retired=False) == dataclasses.replace(b, retired=False)


def restore_own_foods(connection: sa.Connection, foods: Sequence[OwnFood]) -> OwnFoodCounts:
    """Put a backup's own foods into the diary: one the diary holds (same id) is kept;
    a new live one whose name the diary already uses for another is added retired.
    An id the diary holds with other contents means the database was changed outside
    vitk2 (ids never change contents): nothing is restored."""
    added = unchanged = retired = 0
    for food in foods:
        existing = load_own_foods(connection, own_food.c.ref == food.ref)
        if existing:
            if not _same(existing[0], food):
                raise InvalidOptionError(
                    f"The diary's {existing[0].noun} {food.ref} ({existing[0].name}) differs "
                    "from the backup's, though an id never changes its contents: nothing was "
                    "restored. Was the diary database edited outside vitk2?"
                )
            unchanged += 1
            continue
        taken = not food.retired and (
            find_own_food(connection, food.name) is not None
            or _product_named(connection, food.name)
        )
        _insert(connection, dataclasses.replace(food, retired=food.retired or taken))
        added += 1
        retired += taken
    refs = {item.ref for food in foods for item in food.ingredients if is_own_ref(item.ref)}
    missing = sorted(refs - {food.ref for food in foods})
    if missing:
        found = set(
            connection.execute(
                sa.select(own_food.c.ref).where(own_food.c.ref.in_(missing))
            ).scalars()
        )
        if set(missing) - found:
            raise UnknownOwnFoodError(
                f"A recipe of the backup has the ingredient {sorted(set(missing) - found)[0]}, "
                "which is neither in the backup nor in the diary: nothing was restored."
            )
    return OwnFoodCounts(added, unchanged, retired)
