"""Your own foods and recipes in the diary store (migration 0004), on a real SQLite file
and a real PostgreSQL server: saving, replacing (new versions), retiring, deleting,
restoring, and the upgrade of a 0003 diary."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from pg_server import PostgresServer
from vitk2.errors import InvalidOptionError, UnknownOwnFoodError
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.own_foods import Ingredient, OwnFood, label_food, recipe_food
from vitk2.intake.supplements import SupplementProduct
from vitk2.store import DiaryStore, OwnFoodCounts, OwnFoodUses
from vitk2.store._migrate import alembic_config, head_revision, migrate
from vitk2.store._schema import entry
from vitk2.store._url import create_store_engine

D1 = date(2024, 5, 1)
CHEDDAR = Ingredient("usda:01009", "Cheese, cheddar", 30.0, "30 g cheddar")
BREAD = Ingredient("usda:18069", "Bread, white", 56.5, "2 slices of white bread")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'diary.sqlite'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    database = server.create_database()
    yield database
    server.drop_database(database)


@pytest.fixture
def store(url: str) -> Iterator[DiaryStore]:
    with DiaryStore(url) as opened:
        yield opened


@contextmanager
def connect(url: str) -> Iterator[sa.Connection]:
    engine = create_store_engine(url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def bar(**changes: object) -> OwnFood:
    food = label_food(
        "MyBar",
        "1 bar",
        grams=40,
        label={"calcium": "200mg", "vitd": "80IU", "mk7": "0.5µg", "energy": "180kcal"},
        note="Brand X, 2026 label",
    )
    return dataclasses.replace(food, **changes)


def toast(*ingredients: Ingredient, name: str = "cheese toast") -> OwnFood:
    parts = ingredients or (CHEDDAR, BREAD)
    return recipe_food(name, parts, serves=2, yield_g=None if ingredients else 80.5, text="…")


def eaten(food: OwnFood, grams: float = 50.0) -> DiaryEntry:
    return DiaryEntry(
        day=D1,
        text=f"{grams:g} g {food.name}",
        kind="food",
        ref=food.ref,
        name=food.title,
        quantity=grams,
        unit="g",
        grams=grams,
    )


def test_save_read_and_find_by_name_or_id(store: DiaryStore) -> None:
    saved = store.save_own_food(bar())
    assert saved.replaced is None and saved.food == bar(ref=saved.food.ref)
    stored = store.own_food("mybar")
    assert stored == saved.food
    assert store.own_food(saved.food.ref) == stored
    assert stored.label == {
        "calcium_mg": 200.0,
        "vitd_ug": 2.0,
        "mk7_ug": 0.5,
        "energy_kcal": 180.0,
    }
    recipe = store.save_own_food(toast()).food
    assert store.own_foods() == [recipe, stored]  # by name, ignoring case
    assert store.own_food("CHEESE  toast").ingredients == (CHEDDAR, BREAD)
    with pytest.raises(UnknownOwnFoodError, match="'lasagne'"):
        store.own_food("lasagne")


def test_a_name_is_taken_once_and_replacing_keeps_what_entries_use(store: DiaryStore) -> None:
    first = store.save_own_food(bar()).food
    with pytest.raises(InvalidOptionError, match=r"already have a food named 'MyBar'.*--replace"):
        store.save_own_food(bar(name="mybar"))
    # Nothing uses it yet: replaced outright, same version, new id.
    second = store.save_own_food(bar(label={"calcium_mg": 150.0}), replace=True)
    assert second.replaced == first and not second.replaced_uses
    assert second.food.version == 1 and second.food.ref != first.ref
    assert [f.ref for f in store.own_foods(retired=True)] == [second.food.ref]
    # Logged: replacing retires it and the new one is version 2.
    store.add_entries([eaten(second.food)])
    third = store.save_own_food(bar(label={"calcium_mg": 120.0}), replace=True)
    assert third.replaced_uses == OwnFoodUses(entries=1)
    assert third.food.version == 2 and third.food.title == "MyBar (my food v2)"
    assert store.own_foods() == [third.food]
    kept = store.own_food(second.food.ref)
    assert kept.retired and kept.label == {"calcium_mg": 150.0}
    assert [f.ref for f in store.own_foods(retired=True)] == [second.food.ref, third.food.ref]
    assert store.own_food("MyBar") == third.food  # the name finds the live one


def test_a_recipe_using_a_food_keeps_it_and_cannot_contain_what_it_replaces(
    store: DiaryStore,
) -> None:
    mybar = store.save_own_food(bar()).food
    crumble = store.save_own_food(
        toast(CHEDDAR, Ingredient(mybar.ref, mybar.title, 40.0, "1 bar MyBar"), name="crumble")
    ).food
    assert store.own_food_uses(mybar.ref) == OwnFoodUses(0, ("crumble",))
    food, uses = store.delete_own_food("MyBar", kind="label")
    assert food == mybar and uses.recipes == ("crumble",)
    assert store.own_food(mybar.ref).retired  # kept for the recipe
    with pytest.raises(InvalidOptionError, match="cannot contain the recipe it replaces"):
        store.save_own_food(
            toast(Ingredient(crumble.ref, crumble.title, 10.0, "10 g crumble"), name="crumble"),
            replace=True,
        )
    with pytest.raises(UnknownOwnFoodError, match="my:00000000 is none of your own foods"):
        store.save_own_food(toast(Ingredient("my:00000000", "x", 1.0, "1 g x"), name="other"))
    assert [f.name for f in store.own_foods()] == ["crumble"]


def test_delete_removes_what_nothing_uses_and_retires_the_rest(store: DiaryStore) -> None:
    recipe = store.save_own_food(toast()).food
    store.add_entries([eaten(recipe)])
    with pytest.raises(InvalidOptionError, match=r"one of your recipes.*recipe delete"):
        store.delete_own_food("cheese toast", kind="label")
    food, uses = store.delete_own_food("cheese toast", kind="recipe")
    assert uses == OwnFoodUses(entries=1) and food == recipe
    assert store.own_foods() == [] and store.own_food(recipe.ref).retired
    with pytest.raises(UnknownOwnFoodError, match="None of your recipes"):
        store.delete_own_food("cheese toast", kind="recipe")  # retired: not by name
    # A retired one goes once nothing uses it any more.
    (logged,) = store.entries()
    store.delete_entry(logged.id or 0)
    assert not store.delete_own_food(recipe.ref, kind="recipe")[1]
    assert store.own_foods(retired=True) == []
    with connect(store_url(store)) as connection:
        for table in ("own_food", "own_food_amount", "own_food_ingredient"):
            assert connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0


def test_an_entry_needs_its_own_food_in_the_diary(store: DiaryStore) -> None:
    ghost = bar(ref="my:0000dead")  # never saved, or deleted by another process meanwhile
    saved = store.save_own_food(bar()).food
    with pytest.raises(UnknownOwnFoodError, match="my:0000dead is none of your own foods"):
        store.add_entries([eaten(saved), eaten(ghost)])
    [kept] = store.add_entries([eaten(saved)])
    with pytest.raises(UnknownOwnFoodError, match="my:0000dead"):
        store.replace_entry(kept.id or 0, eaten(ghost))
    assert store.entries() == [kept]


def store_url(store: DiaryStore) -> str:
    return str(store._engine.url.render_as_string(hide_password=False))


def test_a_product_and_a_food_cannot_share_a_name(store: DiaryStore) -> None:
    store.save_supplement(SupplementProduct("MyBar", "piece", {"calcium_mg": 100.0}))
    with pytest.raises(InvalidOptionError, match="supplement product named 'MyBar'"):
        store.save_own_food(bar())
    store.save_own_food(bar(name="OtherBar"))
    with pytest.raises(InvalidOptionError, match="food or recipe named 'otherbar'"):
        store.save_supplement(SupplementProduct("otherbar", "piece", {"calcium_mg": 1.0}))
    assert [p.name for p in store.supplements()] == ["MyBar"]


def test_the_tables_guard_themselves(store: DiaryStore, url: str) -> None:
    live = store.save_own_food(bar()).food
    with pytest.raises(sa.exc.IntegrityError), connect(url) as connection:
        connection.execute(
            sa.text(
                "INSERT INTO own_food (ref, kind, name, live_key, version) "
                "VALUES ('my:00000001', 'label', 'MyBar', 'mybar', 1)"
            )
        )
    for statement in (
        f"UPDATE own_food SET kind = 'other' WHERE ref = '{live.ref}'",
        f"UPDATE own_food SET per_grams = 0 WHERE ref = '{live.ref}'",
        "UPDATE own_food_amount SET amount = -1",
    ):
        with pytest.raises(sa.exc.IntegrityError), connect(url) as connection:
            connection.execute(sa.text(statement))
    assert store.own_foods() == [live]


def test_restore_adds_keeps_and_retires_by_name(store: DiaryStore) -> None:
    mine = store.save_own_food(bar()).food  # the diary's own MyBar
    theirs = bar(label={"calcium_mg": 10.0})  # another diary's MyBar: another id
    recipe = toast(CHEDDAR, Ingredient(theirs.ref, theirs.title, 40.0, "1 bar MyBar"))
    entry_uid = str(uuid.uuid4())
    entries = [dataclasses.replace(eaten(recipe), uid=entry_uid)]

    def restore() -> OwnFoodCounts:
        return store.restore(
            profile=None,
            products=[],
            readings=[],
            entries=iter(entries),
            own_foods=[theirs, recipe],
        ).own_foods

    assert restore() == OwnFoodCounts(added=2, unchanged=0, retired=1)
    assert store.own_food("MyBar") == mine  # the diary's keeps the name
    assert store.own_food(theirs.ref).retired
    assert store.own_food("cheese toast").ref == recipe.ref
    assert restore() == OwnFoodCounts(added=0, unchanged=2, retired=0)
    assert len(store.entries()) == 1
    # An id never changes its contents: a different one under a known id is refused.
    changed = dataclasses.replace(recipe, serves=4.0)
    with pytest.raises(InvalidOptionError, match="differs from the backup's"):
        store.restore(profile=None, products=[], readings=[], entries=[], own_foods=[changed])
    assert store.own_food(recipe.ref).serves == 2.0


def test_a_0003_diary_is_upgraded_to_0004_and_back(url: str) -> None:
    engine = create_store_engine(url)
    with engine.begin() as connection:
        migrate(connection, "0003")
        connection.execute(
            sa.insert(entry).values(
                day=D1, text="30 g cheddar", kind="food", ref="usda:01009", name="Cheddar",
                quantity=30.0, unit="g", grams=30.0, amounts={}, uid=str(uuid.uuid4()),
            )
        )  # fmt: skip
    engine.dispose()
    with DiaryStore(url) as store:
        assert [e.ref for e in store.entries()] == ["usda:01009"]
        assert store.own_foods(retired=True) == []
        saved = store.save_own_food(toast()).food
        store.add_entries([eaten(saved)])
    with connect(url) as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
        assert revision.scalar() == head_revision() == "0004"
    command.downgrade(alembic_config(url=url), "0003")
    with connect(url) as connection:
        names = set(sa.inspect(connection).get_table_names())
        assert not names & {"own_food", "own_food_amount", "own_food_ingredient"}
    with DiaryStore(url) as store:  # up again: the entries are there, the foods are not
        assert [e.ref for e in store.entries()] == ["usda:01009", saved.ref]
        assert store.own_foods(retired=True) == []
