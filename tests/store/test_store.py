"""The diary store, run against a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import dataclasses
import doctest
import subprocess
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import vitk2.store
from pg_server import PostgresServer
from vitk2.errors import (
    ImportFileError,
    InvalidOptionError,
    StoreError,
    UnknownEntryError,
    UnknownInrReadingError,
    UnknownSupplementError,
)
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.profile import Profile
from vitk2.intake.supplements import SupplementProduct
from vitk2.safety.inr import InrReading
from vitk2.store import DiaryStore, ImportCounts, RestoreCounts, default_url
from vitk2.store._migrate import alembic_config, head_revision, known_revisions, migrate
from vitk2.store._schema import entry, medication, metadata, profile
from vitk2.store._url import create_store_engine

OWN_TABLES = {"own_food", "own_food_amount", "own_food_ingredient"}
TABLES = {
    "entry", "profile", "medication", "supplement", "supplement_amount", "inr_reading",
    *OWN_TABLES,
}  # fmt: skip
TABLES_0003 = TABLES - OWN_TABLES
TABLES_0001 = TABLES_0003 - {"inr_reading"}
# Constraint and index names of the head schema (`_schema.py` naming convention).
SCHEMA_NAMES = {
    "ck_entry_kind",
    "ck_entry_meal",
    "ck_entry_quantity",
    "ck_entry_grams",
    "ix_entry_day",
    "ck_profile_single_row",
    "ck_profile_sex",
    "ck_profile_kidney",
    "ck_inr_reading_value",
    "ix_inr_reading_day",
    "fk_medication_profile_id_profile",
    "uq_supplement_name_key",
    "fk_supplement_amount_supplement_id_supplement",
    "uq_entry_uid",
    "uq_inr_reading_uid",
    # revision 0004
    "uq_own_food_ref",
    "uq_own_food_live_key",
    "ck_own_food_kind",
    "ck_own_food_version",
    "ck_own_food_per_grams",
    "ck_own_food_serves",
    "ck_own_food_yield_g",
    "fk_own_food_amount_own_food_id_own_food",
    "ck_own_food_amount_amount",
    "fk_own_food_ingredient_own_food_id_own_food",
    "ck_own_food_ingredient_grams",
    "ix_own_food_ingredient_ref",
}
D1, D2, D3 = date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend (a fresh PostgreSQL database per test)."""
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
    """A direct connection (one transaction) to look behind the store's back."""
    engine = create_store_engine(url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    with connect(url) as connection:
        return set(sa.inspect(connection).get_table_names())


def food(day: date = D1, **changes: object) -> DiaryEntry:
    item = DiaryEntry(
        day=day,
        text="2 slices of gouda",
        kind="food",
        ref="usda:01022",
        name="Cheese, gouda",
        quantity=2,
        unit="slice",
        grams=56.0,
    )
    return dataclasses.replace(item, **changes)


def mk7(day: date = D1, **changes: object) -> DiaryEntry:
    item = DiaryEntry(
        day=day,
        text="1 MK-7 capsule",
        kind="supplement",
        ref="MK-7 200",
        name="MK-7 200",
        quantity=1,
        unit="capsule",
        amounts={"mk7_ug": 200.0, "vitd_ug": 25.0},
        meal="breakfast",
        time="08:15",
    )
    return dataclasses.replace(item, **changes)


# -- schema and migrations ------------------------------------------------------------------


def test_migrations_create_the_schema_and_reopening_is_idempotent(url: str) -> None:
    assert tables(url) == set()
    with DiaryStore(url) as store:
        store.add_entries([food()])
    assert tables(url) == {*TABLES, "alembic_version"}
    for _ in range(2):
        with DiaryStore(url) as store:
            assert [item.ref for item in store.entries()] == ["usda:01022"]
    with connect(url) as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [row[0] for row in versions] == [head_revision()]


def schema_differences(url: str) -> tuple[list[object], set[str]]:
    """How the database differs from `_schema.py`, and its constraint and index names."""
    with connect(url) as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
        inspector = sa.inspect(connection)
        names = {
            constraint["name"]
            for table in TABLES
            for constraint in [
                *inspector.get_check_constraints(table),
                *inspector.get_unique_constraints(table),
                *inspector.get_foreign_keys(table),
                *inspector.get_indexes(table),
            ]
        }
    return differences, names


def columns(url: str, table: str) -> list[str]:
    with connect(url) as connection:
        return [column["name"] for column in sa.inspect(connection).get_columns(table)]


def revision(url: str) -> str:
    with connect(url) as connection:
        return str(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar())


def test_migrated_schema_matches_the_table_definitions(store: DiaryStore, url: str) -> None:
    differences, names = schema_differences(url)
    assert differences == []
    assert names == SCHEMA_NAMES


def test_downgrade_to_base_and_upgrade_again_through_alembic(url: str) -> None:
    with DiaryStore(url) as store:
        store.add_entries([food()])
    config = alembic_config(url=url)  # the command-line path of env.py: a URL, no connection
    command.downgrade(config, "base")
    assert tables(url) == {"alembic_version"}
    command.upgrade(config, "head")
    assert tables(url) == {*TABLES, "alembic_version"}
    with DiaryStore(url) as store:
        assert store.entries() == []
        assert store.add_entries([food()])[0].id is not None


def test_alembic_command_line_with_a_url(url: str, tmp_path: Path) -> None:
    ini = tmp_path / "diary.ini"
    ini.write_text("[alembic]\nscript_location = vitk2.store:migrations\n")
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ini), "-x", f"url={url}", "upgrade", "head"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert tables(url) == {*TABLES, "alembic_version"}
    with DiaryStore(url) as store:
        assert store.entries() == []


@pytest.mark.parametrize("newer", ["0005", "9999"])
def test_a_database_of_a_newer_vitk2_is_refused(url: str, newer: str) -> None:
    DiaryStore(url).close()
    with connect(url) as connection:
        connection.execute(sa.text(f"UPDATE alembic_version SET version_num = '{newer}'"))
    with pytest.raises(
        StoreError, match=rf"schema revision '{newer}', newer than this vitk2 knows \('0004'\)"
    ):
        DiaryStore(url)
    assert revision(url) == newer  # refused, not touched


def test_revisions_0004_0003_0002_0001() -> None:
    assert head_revision() == "0004"
    assert known_revisions() == {"0001", "0002", "0003", "0004"}


WARFARIN_PROFILE = Profile(
    sex="female",
    birth_date=date(1950, 7, 14),
    weight_kg=58.5,
    medications=("warfarin", "Levothyroxin 50 µg"),
)


def fill_at_0001(url: str) -> None:
    """A database as vitk2 with revision 0001 left it: two entries, a profile with
    medications (written with plain SQL, as `DiaryStore` would migrate to head)."""
    with connect(url) as connection:
        migrate(connection, "0001")
        for item in (food(D1), mk7(D2)):
            values = _columns_0001(item)
            connection.execute(sa.insert(entry).values(**values, amounts=dict(item.amounts)))
        connection.execute(
            sa.insert(profile).values(
                id=1,
                sex=WARFARIN_PROFILE.sex,
                birth_date=WARFARIN_PROFILE.birth_date,
                weight_kg=WARFARIN_PROFILE.weight_kg,
                pregnant=False,
                lactating=False,
            )
        )
        connection.execute(
            sa.insert(medication),
            [
                {"profile_id": 1, "position": position, "name": name}
                for position, name in enumerate(WARFARIN_PROFILE.medications)
            ],
        )


def test_a_0001_database_is_upgraded_on_open_and_keeps_its_data(url: str) -> None:
    fill_at_0001(url)
    assert revision(url) == "0001"
    assert tables(url) == {*TABLES_0001, "alembic_version"}
    assert "kidney" not in columns(url, "profile")
    with DiaryStore(url) as store:
        assert [dataclasses.replace(item, id=None) for item in store.entries()] == [
            food(D1),
            mk7(D2),
        ]
        # Rebuilding `profile` on SQLite must not cascade to its medications.
        assert store.profile() == WARFARIN_PROFILE
        assert store.inr_readings() == []
        store.set_profile(dataclasses.replace(WARFARIN_PROFILE, kidney="dialysis"))
        stored = store.add_inr(InrReading(day=D3, value=2.5, note="clinic"))
    assert revision(url) == head_revision()
    assert tables(url) == {*TABLES, "alembic_version"}
    assert columns(url, "profile")[-1] == "kidney"
    differences, names = schema_differences(url)
    assert differences == []
    assert names == SCHEMA_NAMES  # the rebuilt profile table kept its old constraints
    with DiaryStore(url) as store:
        assert store.profile() == dataclasses.replace(WARFARIN_PROFILE, kidney="dialysis")
        assert store.inr_readings() == [stored]
        assert len(store.entries()) == 2
    for column, constraint in [("kidney", "ck_profile_kidney"), ("sex", "ck_profile_sex")]:
        with pytest.raises(sa.exc.IntegrityError, match=constraint), connect(url) as connection:
            connection.execute(sa.text(f"UPDATE profile SET {column} = 'other'"))


def fill_at_0002(url: str) -> None:
    """A database as vitk2 with revision 0002 left it: three entries and two INR
    readings without uids (plain SQL on the 0002 tables)."""
    fill_at_0001(url)
    with connect(url) as connection:
        migrate(connection, "0002")
        connection.execute(
            sa.insert(entry).values(**_columns_0001(food(D3)), amounts={}),
        )
        for day, value in ((D1, 2.1), (D3, 2.9)):
            connection.execute(sa.text(
                "INSERT INTO inr_reading (day, value, note) VALUES (:day, :value, 'clinic')"
            ), {"day": day, "value": value})  # fmt: skip


def _columns_0001(item: DiaryEntry) -> dict[str, object]:
    return {
        field.name: getattr(item, field.name)
        for field in dataclasses.fields(item)
        if field.name not in {"id", "uid", "amounts"}
    }


def test_a_0002_database_is_upgraded_to_0003_and_every_row_gets_a_uid(url: str) -> None:
    fill_at_0002(url)
    assert revision(url) == "0002"
    assert "uid" not in columns(url, "entry")
    with DiaryStore(url) as store:
        entries = store.entries()
        readings = store.inr_readings()
        assert [dataclasses.replace(item, id=None) for item in entries] == [
            food(D1),
            mk7(D2),
            food(D3),
        ]
        assert [(r.day, r.value, r.note) for r in readings] == [
            (D1, 2.1, "clinic"),
            (D3, 2.9, "clinic"),
        ]
        assert store.profile() == WARFARIN_PROFILE  # the rebuilt tables cascade nothing
        uids = [item.uid for item in entries] + [r.uid for r in readings]
        assert all(uid and len(uid) == 36 for uid in uids) and len(set(uids)) == 5
        stored = store.add_entries([food(D2)])[0]
        assert stored.uid not in uids
    assert revision(url) == head_revision()
    differences, names = schema_differences(url)
    assert differences == []
    assert names == SCHEMA_NAMES
    for table in ("entry", "inr_reading"):
        with pytest.raises(sa.exc.IntegrityError), connect(url) as connection:
            connection.execute(sa.text(f"UPDATE {table} SET uid = NULL"))
        with pytest.raises(sa.exc.IntegrityError), connect(url) as connection:
            first = connection.execute(sa.text(f"SELECT min(uid) FROM {table}")).scalar()
            connection.execute(sa.text(f"UPDATE {table} SET uid = :uid"), {"uid": first})
    command.downgrade(alembic_config(url=url), "0002")  # and back, keeping the rows
    assert "uid" not in columns(url, "entry")
    with DiaryStore(url) as store:
        assert len(store.entries()) == 4 and len(store.inr_readings()) == 2
    assert revision(url) == head_revision()


def test_downgrade_0002_to_0001_keeps_the_older_data(url: str) -> None:
    with DiaryStore(url) as store:
        store.add_entries([food(D1)])
        store.set_profile(dataclasses.replace(WARFARIN_PROFILE, kidney="ckd"))
        store.add_inr(InrReading(day=D1, value=2.2))
    command.downgrade(alembic_config(url=url), "0001")
    assert revision(url) == "0001"
    assert tables(url) == {*TABLES_0001, "alembic_version"}
    assert "kidney" not in columns(url, "profile")
    with connect(url) as connection:
        names = connection.execute(sa.select(medication.c.name).order_by("position")).scalars()
        assert tuple(names) == WARFARIN_PROFILE.medications
    with DiaryStore(url) as store:  # and up again
        assert store.profile() == WARFARIN_PROFILE
        assert [item.ref for item in store.entries()] == ["usda:01022"]
        assert store.inr_readings() == []


def test_a_database_holding_other_tables_is_refused(url: str) -> None:
    with connect(url) as connection:
        connection.execute(sa.text("CREATE TABLE food_des (ndb_no TEXT)"))
    with pytest.raises(StoreError, match=r"not a vitk2 diary: it holds other tables \(food_des\)"):
        DiaryStore(url)
    assert tables(url) == {"food_des"}


# -- diary entries ----------------------------------------------------------------------------


def test_an_empty_store(store: DiaryStore) -> None:
    assert store.entries() == []
    assert store.date_range() is None
    assert store.profile() is None
    assert store.supplements() == []
    assert store.add_entries([]) == []


def test_add_list_and_filter_by_date(store: DiaryStore) -> None:
    batch = [
        food(D2),
        mk7(D1, time="20:00"),
        food(D1, time=None, text="untimed"),
        mk7(D1, time="07:30"),
        food(D3),
    ]
    stored = store.add_entries(batch)
    ids = [item.id for item in stored]
    assert None not in ids
    assert len(set(ids)) == len(ids)
    assert [dataclasses.replace(item, id=None) for item in stored] == batch
    by_id = {item.id: item for item in stored}
    listed = store.entries()
    assert [(item.day, item.time) for item in listed] == [
        (D1, "07:30"),
        (D1, "20:00"),
        (D1, None),
        (D2, None),
        (D3, None),
    ]
    assert all(by_id[item.id] == item for item in listed)
    assert [item.day for item in store.entries(start=D2)] == [D2, D3]
    assert [item.day for item in store.entries(end=D2)] == [D1, D1, D1, D2]
    assert [item.day for item in store.entries(start=D2, end=D2)] == [D2]
    assert store.entries(start=date(2024, 6, 1)) == []
    assert store.date_range() == (D1, D3)
    [later] = store.add_entries([food(D2)])
    assert later.id not in by_id


def test_get_replace_and_delete_an_entry(store: DiaryStore) -> None:
    first, second = store.add_entries([food(D1), mk7(D2)])
    assert first.id is not None
    assert second.id is not None
    assert store.entry(second.id) == second
    edited = store.replace_entry(first.id, food(D3, grams=30.0, meal="lunch", time="12:00"))
    assert edited.id == first.id
    assert store.entry(first.id) == edited
    assert store.date_range() == (D2, D3)
    store.delete_entry(second.id)
    assert store.entries() == [edited]
    with pytest.raises(UnknownEntryError, match=rf"No diary entry with id {second.id}\."):
        store.entry(second.id)
    with pytest.raises(UnknownEntryError):
        store.replace_entry(second.id, food())
    with pytest.raises(UnknownEntryError):
        store.delete_entry(second.id)
    assert store.entries() == [edited]


def test_a_batch_failing_half_way_stores_nothing(store: DiaryStore) -> None:
    kept = store.add_entries([food(D1)])
    bad = mk7(D2)
    object.__setattr__(bad, "kind", "drink")  # passes Python, violates the CHECK constraint
    with pytest.raises(StoreError, match=r"^Cannot add diary entries \(") as caught:
        store.add_entries([food(D2), bad, food(D3)])
    assert "ck_entry_kind" in str(caught.value)
    assert "ck_entry_ck_" not in str(caught.value)
    assert "\n" not in str(caught.value)
    assert store.entries() == kept
    assert store.date_range() == (D1, D1)


def test_floats_and_unicode_round_trip_exactly(store: DiaryStore) -> None:
    floats = [
        12.345678901,
        0.1 + 0.2,
        1 / 3,
        2.0**-40,
        4999.999999999999,
        123.45678912345679,
        5e-324,
    ]
    batch = [
        food(text="½ cup crème fraîche — 日本の納豆 🧀", name="Crème fraîche", grams=value)
        for value in floats
    ]
    batch.append(
        mk7(ref="Ölkapsel µg", amounts={"mk7_ug": 0.1 + 0.2, "k1_ug": 1 / 3, "vitd_ug": 1e-7})
    )
    stored = store.add_entries(batch)
    listed = {item.id: item for item in store.entries()}
    for item in stored:
        assert listed[item.id] == item
    assert [listed[item.id].grams for item in stored[:-1]] == floats
    assert listed[stored[-1].id].amounts == {"mk7_ug": 0.1 + 0.2, "k1_ug": 1 / 3, "vitd_ug": 1e-7}
    assert listed[stored[0].id].text == "½ cup crème fraîche — 日本の納豆 🧀"


# -- profile ----------------------------------------------------------------------------------


def test_set_replace_and_read_the_profile(store: DiaryStore) -> None:
    first = Profile(
        sex="female",
        birth_date=date(1980, 2, 29),
        weight_kg=61.123456789,
        pregnant=True,
        medications=("warfarin", "Levothyroxin 50 µg", "aspirin"),
    )
    store.set_profile(first)
    assert store.profile() == first
    second = Profile(sex="male", weight_kg=80.0, medications=("phenprocoumon",))
    store.set_profile(second)
    assert store.profile() == second
    store.set_profile(Profile())
    assert store.profile() == Profile()


def test_the_kidney_status_round_trips_and_is_checked(store: DiaryStore, url: str) -> None:
    for kidney in ("ckd", "dialysis", "transplant", None):
        changed = dataclasses.replace(WARFARIN_PROFILE, kidney=kidney)
        store.set_profile(changed)
        assert store.profile() == changed
    bad = Profile(kidney="ckd")
    object.__setattr__(bad, "kidney", "liver")  # passes Python, violates the CHECK constraint
    with pytest.raises(StoreError, match=r"^Cannot save the profile \(.*ck_profile_kidney"):
        store.set_profile(bad)
    assert store.profile() == WARFARIN_PROFILE  # the failed write changed nothing


# -- INR readings -----------------------------------------------------------------------------


def test_add_list_filter_and_delete_inr_readings(store: DiaryStore) -> None:
    assert store.inr_readings() == []
    batch = [
        InrReading(day=D2, value=2.4, note="clinic — Gerinnungsambulanz 🩸"),
        InrReading(day=D1, value=3.1),
        InrReading(day=D2, value=0.1 + 0.2 + 2),  # floats round-trip exactly
        InrReading(day=D3, value=1.8, note="home meter"),
    ]
    stored = [store.add_inr(reading) for reading in batch]
    ids = [reading.id for reading in stored]
    assert None not in ids
    assert len(set(ids)) == len(ids)
    assert [dataclasses.replace(reading, id=None) for reading in stored] == batch
    listed = store.inr_readings()
    assert listed == [stored[1], stored[0], stored[2], stored[3]]  # by day, then id
    assert listed[2].value == 0.1 + 0.2 + 2
    assert listed[1].note == "clinic — Gerinnungsambulanz 🩸"
    assert store.inr_readings(start=D2) == [stored[0], stored[2], stored[3]]
    assert store.inr_readings(end=D2) == [stored[1], stored[0], stored[2]]
    assert store.inr_readings(start=D2, end=D2) == [stored[0], stored[2]]
    assert store.inr_readings(start=date(2024, 6, 1)) == []
    assert store.entries() == []  # a separate log from the diary entries
    gone = stored[0].id
    assert gone is not None
    store.delete_inr(gone)
    assert store.inr_readings() == [stored[1], stored[2], stored[3]]
    with pytest.raises(UnknownInrReadingError, match=rf"^No INR reading with id {gone}\. "):
        store.delete_inr(gone)
    assert isinstance(UnknownInrReadingError(1), LookupError)
    assert len(store.inr_readings()) == 3
    later = store.add_inr(InrReading(day=D1, value=2.0))
    assert later.id not in ids


def test_the_inr_check_constraint_guards_the_table(store: DiaryStore) -> None:
    kept = store.add_inr(InrReading(day=D1, value=2.5))
    bad = InrReading(day=D2, value=2.0)
    object.__setattr__(bad, "value", -1.0)  # passes Python, violates the CHECK constraint
    with pytest.raises(StoreError, match=r"^Cannot add the INR reading \(.*ck_inr_reading_value"):
        store.add_inr(bad)
    assert store.inr_readings() == [kept]


# -- supplements ------------------------------------------------------------------------------


def test_save_replace_get_and_delete_supplements(store: DiaryStore, url: str) -> None:
    mk7_product = SupplementProduct(
        "MK-7 Forte", "capsule", {"vitd_ug": 25.0, "mk7_ug": 200.0, "calcium_mg": 0.1 + 0.2}
    )
    drops = SupplementProduct(
        "d3 + k2 Tropfen", "drop", {"vitd_ug": 12.5, "mk7_ug": 20.0}, note="Öl"
    )
    store.save_supplement(mk7_product)
    store.save_supplement(drops)
    assert store.supplements() == [drops, mk7_product]  # by name, ignoring case
    assert list(store.supplements()[1].amounts) == ["vitd_ug", "mk7_ug", "calcium_mg"]
    assert store.supplement("mk-7 FORTE") == mk7_product
    assert store.supplement("MK-7") is None
    renamed = SupplementProduct("mk-7 forte", "softgel", {"mk7_ug": 100.0}, note="new label")
    store.save_supplement(renamed)
    assert store.supplements() == [drops, renamed]
    store.delete_supplement("MK-7 FORTE")
    assert store.supplements() == [drops]
    with connect(url) as connection:
        amounts = connection.execute(sa.text("SELECT count(*) FROM supplement_amount")).scalar()
    assert amounts == 2
    with pytest.raises(UnknownSupplementError, match=r"^No supplement named 'MK-7 Forte'\. "):
        store.delete_supplement("MK-7 Forte")
    with pytest.raises(InvalidOptionError, match="built-in"):
        store.save_supplement(dataclasses.replace(drops, builtin=True))
    assert store.supplements() == [drops]


# -- the input rules on every write, ids, restore ------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, 2**63, 10**30])
def test_ids_that_cannot_be_ids_are_unknown(store: DiaryStore, bad: int) -> None:
    [kept] = store.add_entries([food()])
    for call in (
        lambda: store.entry(bad),
        lambda: store.replace_entry(bad, food()),
        lambda: store.delete_entry(bad),
    ):
        with pytest.raises(UnknownEntryError, match=f"No diary entry with id {bad}"):
            call()
    with pytest.raises(UnknownInrReadingError, match=f"No INR reading with id {bad}"):
        store.delete_inr(bad)
    assert store.entries() == [kept]


def test_every_write_checks_the_date_and_amount_rules(store: DiaryStore) -> None:
    [kept] = store.add_entries([food(D2)])
    store.set_profile(Profile(sex="female", birth_date=date(1990, 1, 1)))
    cases = [
        (lambda: store.add_entries([food(date(1989, 12, 31))]), "before the birth date 1990"),
        (lambda: store.add_entries([food(date(2999, 1, 1))]), "is in the future"),
        (lambda: store.add_entries([food(grams=6000.0)]), "more than 5,000 g"),
        (lambda: store.add_entries([mk7(amounts={"vitd_ug": 2.5e10})]), "most vitk2 takes"),
        (lambda: store.add_entries([food(), food(quantity=0.5, grams=-1.0)]), "grams above 0"),
        (lambda: store.replace_entry(kept.id or 0, food(date(1900, 1, 1))), "before the birth"),
        (lambda: store.add_inr(InrReading(day=date(1989, 1, 1), value=2.0)), "INR date 1989"),
        (lambda: store.set_profile(Profile(birth_date=D3)), "after the first diary entry"),
        (lambda: store.set_profile(Profile(birth_date=date(1899, 12, 31))), "before 1900-01-01"),
    ]
    for call, match in cases:
        with pytest.raises(InvalidOptionError, match=match):
            call()
    assert store.entries() == [kept]
    assert store.inr_readings() == []
    assert store.profile() == Profile(sex="female", birth_date=date(1990, 1, 1))


def test_restore_is_all_or_nothing_and_idempotent(store: DiaryStore) -> None:
    product = SupplementProduct("MyK2", "capsule", {"mk7_ug": 100.0, "k2_ug": 100.0})
    entries = [dataclasses.replace(e, uid=str(uuid.uuid4())) for e in (food(D1), mk7(D2))]
    reading = InrReading(day=D3, value=2.5, uid=str(uuid.uuid4()))

    def restore(items: Iterable[DiaryEntry], **kw: bool) -> RestoreCounts:
        return store.restore(
            profile=WARFARIN_PROFILE, products=[product], readings=[reading], entries=items, **kw
        )

    def failing() -> Iterator[DiaryEntry]:
        yield entries[0]
        raise ImportFileError("Nothing restored from x: 1 bad row(s): entry 2: bad.")

    with pytest.raises(ImportFileError):
        restore(failing())
    assert (store.entries(), store.inr_readings(), store.profile()) == ([], [], None)
    first = restore(iter(entries))
    assert first == RestoreCounts("set", 1, 0, 0, ImportCounts(1, 0), ImportCounts(2, 0))
    assert [e.uid for e in store.entries()] == [e.uid for e in entries]
    assert restore(iter(entries)) == RestoreCounts(
        "unchanged", 0, 1, 0, ImportCounts(0, 1), ImportCounts(0, 2)
    )
    store.set_profile(dataclasses.replace(WARFARIN_PROFILE, medications=()))
    with pytest.raises(InvalidOptionError, match=r"\(medications\).*--replace-profile"):
        restore(iter(entries))
    assert restore(iter(entries), replace_profile=True).profile == "replaced"
    assert store.profile() == WARFARIN_PROFILE
    assert len(store.entries()) == 2


# -- errors -----------------------------------------------------------------------------------


def test_failures_during_operations_become_one_line_store_errors(
    store: DiaryStore, url: str
) -> None:
    with connect(url) as connection:
        connection.execute(sa.text("DROP TABLE entry"))
    with pytest.raises(StoreError, match=r"^Cannot read the diary \(") as caught:
        store.entries()
    assert "\n" not in str(caught.value)
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.profile()


def test_an_unreachable_server_is_one_line_with_the_password_masked() -> None:
    with pytest.raises(StoreError) as caught:
        DiaryStore("postgresql://bob:secret@127.0.0.1:1/diary")
    message = str(caught.value)
    assert message.startswith(
        "Cannot open the diary database postgresql://bob:***@127.0.0.1:1/diary: "
    )
    assert message.endswith(" Check --db / VITK2_DB.")
    assert "secret" not in message
    assert "\n" not in message


def test_a_sqlite_file_in_a_missing_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'diary.sqlite'}"
    with pytest.raises(StoreError) as caught:
        DiaryStore(url)
    assert str(caught.value) == (
        f"Cannot open the diary database {url}: unable to open database file. "
        "Check --db / VITK2_DB."
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nosuchdb://x/y", "unknown database type 'nosuchdb'"),
        ("not a url://", "not a database URL"),
        ("mysql+mysqldb://me:pw@localhost/diary", "`pip install mysqlclient`"),
    ],
)
def test_bad_urls_and_missing_drivers(url: str, expected: str) -> None:
    if "mysqldb" in url:
        try:
            import MySQLdb  # noqa: F401
        except ImportError:
            pass
        else:
            pytest.skip("MySQLdb is installed here")
    with pytest.raises(StoreError, match=rf"^Cannot open the diary database .*{expected}") as e:
        DiaryStore(url)
    assert "pw" not in str(e.value)


# -- default URL, public API, docs ------------------------------------------------------------


def test_default_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VITK2_DB", "postgresql://me@db.example/diary")
    assert default_url() == "postgresql://me@db.example/diary"
    monkeypatch.setenv("VITK2_DB", str(tmp_path / "my.sqlite"))
    assert default_url() == f"sqlite:///{tmp_path / 'my.sqlite'}"
    monkeypatch.delenv("VITK2_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_url() == f"sqlite:///{tmp_path / 'data' / 'vitk2' / 'diary.sqlite'}"
    assert (tmp_path / "data" / "vitk2").is_dir()
    with DiaryStore() as store:
        assert store.url == default_url()
        assert store.entries() == []


def test_public_api() -> None:
    assert vitk2.store.__all__ == [
        "DiaryStore",
        "ImportCounts",
        "OwnFoodCounts",
        "OwnFoodUses",
        "RestoreCounts",
        "SavedOwnFood",
        "default_url",
    ]


def test_docstring_examples_run() -> None:
    result = doctest.testmod(vitk2.store._store, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0
