"""The full backup file: everything a diary holds, to restore it elsewhere.

A backup is one UTF-8 JSON document::

    {"format": "vitk2-backup", "version": 2, "vitk2": "0.1.0",
     "profile": {"sex", "birth_date", "weight_kg", "pregnant", "lactating",
                 "medications", "kidney"} or null,
     "supplements": [{"name", "unit", "amounts", "note"}, ...],
     "own_foods": [{"id", "kind", "name", "version", "retired", "note",
                    "per", "label",                                  # kind "label"
                    "serves", "yield_g", "text", "ingredients"}, ...],  # kind "recipe"
     "inr_readings": [{"uid", "date", "inr", "note"}, ...],
     "entries": [{"uid", "date", "time", "meal", "kind", "ref", "name", "quantity",
                  "unit", "grams", "amounts", "text"}, ...]}

Each part of the diary is one top-level section. ``entries`` comes last, so a reader
can stream it in bounded memory after it has read the rest. Later parts join as new
sections before ``entries`` with a version bump; a reader refuses a version newer
than it knows, and a section it does not know. Version 2 added ``own_foods`` (your
foods from a label and your recipes, retired versions included, so the entries that
use them restore with them); version 1 files still restore. Entries and readings
carry their ``uid``, own foods their ``id``, so restoring the same file twice adds
nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final, cast

from vitk2.errors import (
    ImportFileError,
    InvalidOptionError,
    UnknownFoodError,
    Vitk2Error,
    quoted,
)
from vitk2.files import JsonObjectStream, TextChunks, write_text_atomic
from vitk2.foods.values import food_id, parse_food_id
from vitk2.intake.dates import parse_day
from vitk2.intake.diary import DiaryEntry, normal_uid
from vitk2.intake.diary_io import Problems, entry_from_record, entry_record
from vitk2.intake.own_foods import (
    Ingredient,
    LabelServing,
    OwnFood,
    check_own_name,
    checked_label_food,
    is_own_ref,
    recipe_food,
)
from vitk2.intake.profile import Kidney, Profile, Sex
from vitk2.intake.supplements import SupplementProduct, product_from_amounts
from vitk2.safety.inr import InrReading

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_VERSION",
    "MAX_SECTION_ITEMS",
    "READABLE_VERSIONS",
    "BackupHead",
    "backup_text",
    "open_backup",
    "own_food_from_record",
    "own_food_record",
    "profile_from_record",
    "profile_record",
    "write_backup",
]

BACKUP_FORMAT: Final = "vitk2-backup"
BACKUP_VERSION: Final = 2
#: The versions this vitk2 restores (version 1 has no own foods).
READABLE_VERSIONS: Final = frozenset({1, 2})
#: At most this many products or INR readings in a backup (they are held in memory).
MAX_SECTION_ITEMS: Final = 100_000
_SECTIONS: Final = (
    "format",
    "version",
    "vitk2",
    "profile",
    "supplements",
    "own_foods",
    "inr_readings",
)
_PROFILE_FIELDS: Final = frozenset(
    {"sex", "birth_date", "weight_kg", "pregnant", "lactating", "medications", "kidney"}
)


def profile_record(profile: Profile) -> dict[str, object]:
    """The profile as a backup holds it (no age: that depends on the day)."""
    return {
        "sex": profile.sex,
        "birth_date": None if profile.birth_date is None else profile.birth_date.isoformat(),
        "weight_kg": profile.weight_kg,
        "pregnant": profile.pregnant,
        "lactating": profile.lactating,
        "medications": list(profile.medications),
        "kidney": profile.kidney,
    }


def profile_from_record(record: object) -> Profile:
    """A profile of a backup, checked as `vitk2 profile set` checks one."""
    if not isinstance(record, dict) or set(record) - _PROFILE_FIELDS:
        raise ValueError(f"profile must be an object with {', '.join(sorted(_PROFILE_FIELDS))}")
    born = record.get("birth_date")
    medications = record.get("medications") or []
    weight = record.get("weight_kg")
    if not isinstance(medications, list) or not all(isinstance(m, str) for m in medications):
        raise ValueError("profile medications must be a list of names")
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int | float)):
        raise ValueError(f"profile weight_kg {quoted(weight)} is not a number")
    flags = [record.get("pregnant", False), record.get("lactating", False)]
    if not all(isinstance(flag, bool) for flag in flags):
        raise ValueError("profile pregnant and lactating must be true or false")
    return Profile(
        sex=cast("Sex | None", record.get("sex")),
        birth_date=None if born is None else parse_day(str(born), what="profile birth_date"),
        weight_kg=None if weight is None else float(weight),
        pregnant=flags[0],
        lactating=flags[1],
        medications=tuple(medications),
        kidney=cast("Kidney | None", record.get("kidney")),
    )


def _product_record(product: SupplementProduct) -> dict[str, object]:
    return {
        "name": product.name,
        "unit": product.unit,
        "amounts": dict(product.amounts),
        "note": product.note,
    }


def _product(record: object) -> SupplementProduct:
    if not isinstance(record, dict) or not isinstance(record.get("amounts"), dict):
        raise ValueError("a product must be an object with name, unit and amounts")
    amounts = record["amounts"]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in amounts.values()):
        raise ValueError(f"product {quoted(record.get('name'))}: amounts must be numbers")
    note = record.get("note")
    return product_from_amounts(
        str(record.get("name") or ""),
        str(record.get("unit") or ""),
        {str(k): float(v) for k, v in amounts.items()},
        note=None if note is None else str(note),
    )


def own_food_record(food: OwnFood) -> dict[str, object]:
    """An own food as a backup holds it: its id, kind, name, version and whether it is
    retired, then a label food's serving and label amounts, or a recipe's servings,
    cooked weight, text and ingredients."""
    record: dict[str, object] = {
        "id": food.ref,
        "kind": food.kind,
        "name": food.name,
        "version": food.version,
        "retired": food.retired,
        "note": food.note,
    }
    if food.serving is not None:
        serving = food.serving
        record["per"] = {"quantity": serving.quantity, "unit": serving.unit, "grams": serving.grams}
        record["label"] = dict(food.label)
        return record
    record["serves"] = food.serves
    record["yield_g"] = food.yield_g
    record["text"] = food.text
    record["ingredients"] = [
        {"ref": i.ref, "name": i.name, "grams": i.grams, "text": i.text} for i in food.ingredients
    ]
    return record


def _float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} {quoted(value)} is not a number")
    return float(value)


def _optional_text(value: object, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    return value


def _ingredient_ref(text: str) -> str:
    """An ingredient's food id in its canonical form ('01009' is 'usda:01009')."""
    if is_own_ref(text):
        return text
    try:
        return food_id(parse_food_id(text))
    except UnknownFoodError:
        return text  # named as unknown when the ingredients are checked


def own_food_from_record(record: object) -> OwnFood:
    """An own food of a backup, checked as `vitk2 food add` or `vitk2 recipe add`
    checks a new one (name, amounts, servings, weights)."""
    if not isinstance(record, dict):
        raise ValueError("an own food must be an object with id, kind, name and version")
    ref = str(record.get("id") or "")
    if not is_own_ref(ref):
        raise ValueError(f"id {quoted(ref)} is not 'my:' and 8 hex digits")
    name = check_own_name(str(record.get("name") or ""))
    version = record.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"{ref}: version {quoted(version)} is not a whole number from 1")
    retired = record.get("retired", False)
    if not isinstance(retired, bool):
        raise ValueError(f"{ref}: retired must be true or false")
    note = _optional_text(record.get("note"), f"{ref}: note")
    kind = record.get("kind")
    if kind == "label":
        per = record.get("per")
        label = record.get("label")
        if not isinstance(per, dict) or not isinstance(label, dict):
            raise ValueError(f"{ref}: a label food needs per and label objects")
        serving = LabelServing(
            _float(per.get("quantity"), f"{ref}: per quantity"),
            str(per.get("unit") or ""),
            _float(per.get("grams"), f"{ref}: per grams"),
        )
        amounts = {str(k): _float(v, f"{ref}: {k}") for k, v in label.items()}
        food = OwnFood(ref, "label", name, version, retired, serving, amounts, note=note)
        return checked_label_food(food)
    if kind != "recipe":
        raise ValueError(f"{ref}: kind {quoted(kind)} is not label or recipe")
    items = record.get("ingredients")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"{ref}: ingredients must be a list of objects")
    ingredients = [
        Ingredient(
            _ingredient_ref(str(item.get("ref") or "")),
            str(item.get("name") or ""),
            _float(item.get("grams"), f"{ref}: ingredient grams"),
            str(item.get("text") or ""),
        )
        for item in items
    ]
    yield_g = record.get("yield_g")
    food = recipe_food(
        name,
        ingredients,
        serves=_float(record.get("serves"), f"{ref}: serves"),
        yield_g=None if yield_g is None else _float(yield_g, f"{ref}: yield_g"),
        text=_optional_text(record.get("text"), f"{ref}: text"),
        ref=ref,
        version=version,
        note=note,
    )
    return replace(food, retired=retired)


def _reading_record(reading: InrReading) -> dict[str, object]:
    return {
        "uid": reading.uid,
        "date": reading.day.isoformat(),
        "inr": reading.value,
        "note": reading.note,
    }


def _reading(record: object) -> InrReading:
    if not isinstance(record, dict):
        raise ValueError("an INR reading must be an object with uid, date, inr and note")
    value = record.get("inr")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"inr {quoted(value)} is not a number")
    uid = record.get("uid")
    note = record.get("note")
    return InrReading(
        day=parse_day(str(record.get("date") or ""), what="date"),
        value=float(value),
        note=None if note is None else str(note),
        uid=normal_uid(str(uid)) if uid else None,
    )


def backup_text(
    *,
    profile: Profile | None,
    products: Sequence[SupplementProduct],
    readings: Sequence[InrReading],
    entries: Sequence[DiaryEntry],
    version: str,
    own_foods: Sequence[OwnFood] = (),
) -> str:
    """The backup document (entries last, one entry per line)."""
    head = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "vitk2": version,
        "profile": None if profile is None else profile_record(profile),
        "supplements": [_product_record(p) for p in products],
        "own_foods": [own_food_record(f) for f in own_foods],
        "inr_readings": [_reading_record(r) for r in readings],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # drop the closing "\n}"
    rows = [
        json.dumps({k: v for k, v in entry_record(e).items() if k != "id"}, ensure_ascii=False)
        for e in entries
    ]
    body = ",\n  ".join(rows)
    return (
        f'{text},\n "entries": [\n  {body}\n ]\n}}\n' if rows else f'{text},\n "entries": []\n}}\n'
    )


def write_backup(
    path: Path,
    *,
    profile: Profile | None,
    products: Sequence[SupplementProduct],
    readings: Sequence[InrReading],
    entries: Sequence[DiaryEntry],
    version: str,
    own_foods: Sequence[OwnFood] = (),
) -> None:
    """Write a backup file (see `vitk2.files.write_bytes_atomic`)."""
    write_text_atomic(
        path,
        backup_text(
            profile=profile,
            products=products,
            readings=readings,
            entries=entries,
            version=version,
            own_foods=own_foods,
        ),
    )


@dataclass(frozen=True, slots=True)
class BackupHead:
    """Everything of a backup but its entries: the profile, products, own foods and INR
    readings."""

    profile: Profile | None
    products: tuple[SupplementProduct, ...]
    readings: tuple[InrReading, ...]
    own_foods: tuple[OwnFood, ...] = ()


def _section(
    name: str, items: object, read: Callable[[object], Any], problems: Problems
) -> list[Any]:
    if not isinstance(items, Iterator):
        raise ImportFileError(f"Cannot restore {problems.source}: {name!r} is not a list.")
    found = []
    for number, record in enumerate(items, 1):
        if number > MAX_SECTION_ITEMS:
            raise ImportFileError(
                f"Cannot restore {problems.source}: {name!r} has more than "
                f"{MAX_SECTION_ITEMS:,} items."
            )
        try:
            found.append(read(record))
        except (ValueError, Vitk2Error) as error:
            problems.add(f"{name} {number}", error)
    return found


def _check_head(head: Mapping[str, object], source: str) -> None:
    if head.get("format") != BACKUP_FORMAT:
        hint = (
            " (a diary export: import it with `vitk2 diary import`)"
            if (head.get("format") == "vitk2-diary")
            else ""
        )
        raise ImportFileError(
            f'Cannot restore {source}: not a vitk2 backup (expected "format": '
            f'"{BACKUP_FORMAT}"){hint}.'
        )
    version = head.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise ImportFileError(
            f"Cannot restore {source}: backup format version {version!r}; this vitk2 reads "
            f"versions {', '.join(map(str, sorted(READABLE_VERSIONS)))}. Upgrade vitk2 "
            "(`pip install -U vitk2`)."
        )
    if version == 1 and "own_foods" in head:
        raise ImportFileError(
            f"Cannot restore {source}: a version 1 backup has no 'own_foods' section."
        )


@contextmanager
def open_backup(
    path: Path,
    food_exists: Callable[[str], bool],
    *,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[BackupHead, Iterator[DiaryEntry]]]:
    """Read a backup: its head (profile, products, INR readings), then its entries one
    at a time. Every item is checked as a new one is (date, amount and name rules). The
    entries iterator raises `ImportFileError` naming every bad item after the last one,
    so a caller storing everything in one transaction stores all of it or nothing."""
    source = quoted(str(path), 200)
    with TextChunks(path, progress=progress) as chunks:
        if chunks.peek() != "{":
            raise ImportFileError(f"Cannot restore {source}: not a vitk2 backup (not JSON).")
        stream = JsonObjectStream(
            chunks, arrays=frozenset({"supplements", "own_foods", "inr_readings", "entries"})
        )
        members = stream.members()
        head: dict[str, Any] = {}
        problems = Problems(source, verb="restored")
        entries: Iterator[Any] = iter(())
        for key, value in members:
            if key == "entries":
                entries = value
                break
            if key not in _SECTIONS:
                raise ImportFileError(
                    f"Cannot restore {source}: unknown section {key!r} (a newer vitk2's "
                    "backup?). Upgrade vitk2."
                )
            head[key] = value
            if key == "supplements":
                head[key] = _section(key, value, _product, problems)
            elif key == "inr_readings":
                head[key] = _section(key, value, _reading, problems)
            elif key == "own_foods":
                head[key] = _section(key, value, own_food_from_record, problems)
        _check_head(head, source)
        try:
            profile = None if head.get("profile") is None else profile_from_record(head["profile"])
        except (ValueError, InvalidOptionError) as error:
            problems.add("profile", error)
            profile = None
        own_foods: tuple[OwnFood, ...] = tuple(head.get("own_foods", ()))
        own_refs = frozenset(food.ref for food in own_foods)

        def exists(ref: str) -> bool:
            return ref in own_refs or food_exists(ref)

        for food in own_foods:
            for item in food.ingredients:
                try:
                    known = exists(item.ref)
                except ValueError:
                    known = False
                if not known:
                    problems.add(
                        f"own food {food.ref}", ValueError(f"unknown ingredient {quoted(item.ref)}")
                    )
        problems.raise_if_any()
        backup = BackupHead(
            profile=profile,
            products=tuple(head.get("supplements", ())),
            readings=tuple(head.get("inr_readings", ())),
            own_foods=own_foods,
        )
        birth = None if profile is None else profile.birth_date
        yield backup, _entries(entries, members, exists, birth, problems)


def _entries(
    records: Iterator[Any],
    members: Iterator[tuple[str, Any]],
    food_exists: Callable[[str], bool],
    birth_date: date | None,
    problems: Problems,
) -> Iterator[DiaryEntry]:
    for number, record in enumerate(records, 1):
        try:
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            entry = entry_from_record(record, food_exists, birth_date=birth_date)
        except (ValueError, Vitk2Error) as error:
            problems.add(f"entry {number}", error)
            continue
        if not problems.count:
            yield entry
    for key, _ in members:  # reads to the end of the document, checking it
        raise ImportFileError(
            f"Cannot restore {problems.source}: section {key!r} comes after 'entries'; "
            "entries must be the last section."
        )
    problems.raise_if_any()
