"""`FoodDB`: the shipped food database (SR28 foods, FNDDS foods as eaten, menaquinone
literature), read-only.

>>> from vitk2 import FoodDB
>>> db = FoodDB.default()
>>> db.search("gouda", limit=1)[0].name
'Cheese, gouda'
>>> db.get("usda:01009").nutrient("calcium_mg").value
710.0
>>> db.top("mk7", limit=1)[0].name
'Natto'
>>> db.get("fndds:27510160").portions[0].name
'1 cheeseburger'
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, cast

from vitk2.errors import DataError, InvalidOptionError, UnknownFoodError, quoted
from vitk2.foods._recipes import (
    FNDDS_SOURCE,
    PUBLISHED_METHOD,
    RecipeCheck,
    check_sentence,
    ingredient_estimates,
    known_sentence,
    read_checks,
    read_recipe,
)
from vitk2.foods._value_details import read_ranges, read_source_keys
from vitk2.foods.bulk import ID_FACTOR, BulkReads
from vitk2.foods.nutrients import MENAQUINONE_KEYS, NUTRIENTS, VITAMIN_K_KEYS, resolve_nutrient
from vitk2.foods.search import SearchIndex
from vitk2.foods.search_priors import CATEGORY_PREFIX, FoodRow, search_defaults, search_entries
from vitk2.foods.values import (
    FNDDS_CODE_MIN,
    PER_OPTIONS,
    UNSPECIFIED_PORTION,
    Basis,
    Food,
    FoodVector,
    NutrientValue,
    Per,
    Portion,
    RankedFood,
    Recipe,
    SearchHit,
    food_id,
    parse_food_id,
)

if TYPE_CHECKING:  # numpy is imported where it is used: the CLI starts without it
    pass

__all__ = ["FoodDB"]

# FNDDS values kept as published whose recipe sum is shown beside them.
_CHECKED: Final = ("k1_ug", "vitd_ug", "calcium_mg")
_BASIS: Final[dict[int, Basis]] = {0: "unknown", 1: "measured", 2: "imputed"}
_SRC_CODES: Final[dict[int, str]] = {
    1: "analytical or derived from analytical",
    4: "calculated or imputed",
    5: "manufacturer's label claim for added nutrients",
    6: "aggregated analytical data",
    7: "assumed zero",
    8: "calculated from nutrient label by NDL",
    9: "calculated by manufacturer",
    11: "aggregated data (other)",
    12: "manufacturer's analytical data",
    13: "analytical data from the literature",
}


Source = Literal["usda", "fndds"]


def _is_category(code: str) -> bool:
    """True for the code of a WWEIA food category (FNDDS foods), not an SR28 group."""
    return code.startswith(CATEGORY_PREFIX)


class FoodDB(BulkReads):
    """Read access to a vitk2 food database file.

    Use `FoodDB.default()` for the database that ships with the package. All
    nutrient values are per 100 g edible portion.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise DataError(
                f"Food database not found at {self.path}. Reinstall vitk2 "
                "(`pip install --force-reinstall vitk2`) or rebuild it with "
                "`python scripts/build_fooddb.py`."
            )
        self._local = threading.local()
        try:
            with self._cursor() as cursor:
                groups = dict(cursor.execute("SELECT code, name FROM food_group").fetchall())
                rows = cursor.execute(
                    # FNDDS's additional descriptions are not searched: not loaded either.
                    "SELECT ndb, name, group_code, survey, "
                    f"CASE WHEN ndb < {FNDDS_CODE_MIN} THEN common_names ELSE '' END "
                    "FROM food ORDER BY ndb"
                ).fetchall()
                self._nutrient_ids: dict[str, int] = dict(
                    cursor.execute("SELECT key, id FROM nutrient").fetchall()
                )
                self._sources: dict[int, str] = dict(
                    cursor.execute("SELECT id, key FROM source").fetchall()
                )
        except sqlite3.DatabaseError as error:
            raise DataError(f"{self.path} is not a vitk2 food database: {error}") from error
        self._vitamin_k_ids = tuple(
            nid for key, nid in self._nutrient_ids.items() if NUTRIENTS[key].vitamin_k
        )
        self._groups: dict[str, str] = groups
        self._foods: dict[int, FoodRow] = {
            ndb: FoodRow(ndb, name, groups[code], bool(survey), common, code)
            for ndb, name, code, survey, common in rows
        }
        self._index: SearchIndex | None = None
        self._servings: dict[int, Portion] | None = None
        self._portions: dict[str, tuple[Portion, ...]] | None = None
        self._mains: dict[str, tuple[str, float]] | None = None
        self._id_table: dict[int, str] | None = None
        self._lock = threading.Lock()

    @classmethod
    @cache
    def default(cls) -> FoodDB:
        """The database shipped inside the package (opened once per process)."""
        resource = resources.files("vitk2") / "data" / "fooddb.sqlite"
        return cls(Path(str(resource)))

    # -- plumbing -------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        connection = cast(sqlite3.Connection | None, getattr(self._local, "connection", None))
        if connection is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.connection = connection
        return connection

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Cursor]:
        cursor = self._connection().cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def close(self) -> None:
        """Close this thread's connection (it reopens on next use)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def __len__(self) -> int:
        return len(self._foods)

    @property
    def groups(self) -> tuple[str, ...]:
        """SR28 food group names, in SR28 order."""
        return tuple(self._groups[code] for code in sorted(self._groups) if not _is_category(code))

    @property
    def categories(self) -> tuple[str, ...]:
        """The WWEIA food categories of FNDDS foods, in WWEIA order."""
        return tuple(self._groups[code] for code in sorted(self._groups) if _is_category(code))

    # -- search ---------------------------------------------------------------------

    def _search_index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                with self._cursor() as cursor:
                    mains = cursor.execute(
                        "SELECT ndb, main_ingredient, main_share FROM recipe_food "
                        "WHERE main_ingredient IS NOT NULL"
                    ).fetchall()
                self._index = SearchIndex(
                    search_entries(self._foods.values(), mains), defaults=search_defaults()
                )
            return self._index

    def search(
        self, text: str, *, limit: int = 10, source: Source | None = None
    ) -> list[SearchHit]:
        """Foods matching ``text``, best first; ``source="usda"`` or ``"fndds"`` looks
        among the SR28 foods or the FNDDS foods as eaten only. Raises
        `EmptyQueryError` for blank text."""
        if limit < 1:
            raise InvalidOptionError(f"limit must be at least 1, got {limit}.")
        hits = []
        for key, name, score in self._search_index().search(text, limit=limit, table=source):
            row = self._foods[int(key)]
            hits.append(SearchHit(food_id(row.ndb), name, row.group, score))
        return hits

    def says_together(self, text: str) -> bool:
        """Whether a food's name holds the words of ``text`` together, in order
        (see `SearchIndex.says_together`)."""
        return self._search_index().says_together(text)

    def unknown_words(self, text: str) -> list[tuple[str, float]]:
        """Words of ``text`` that no food name holds, with the similarity (0..1) of the
        nearest word that one does (see `SearchIndex.unknown_words`)."""
        return self._search_index().unknown_words(text)

    # -- one food -------------------------------------------------------------------

    def _row(self, identifier: str) -> FoodRow:
        try:
            ndb = parse_food_id(identifier)
        except UnknownFoodError:
            raise UnknownFoodError(identifier, suggestion=self._suggest(identifier)) from None
        row = self._foods.get(ndb)
        if row is None:
            raise UnknownFoodError(identifier)
        return row

    def _suggest(self, text: str) -> str | None:
        try:
            hits = self.search(text, limit=1)
        except ValueError:
            return None
        if not hits:
            return None
        return f"Did you mean {hits[0].id} ({hits[0].name})?"

    def get(self, identifier: str) -> Food:
        """The full profile of one food, e.g. ``db.get("usda:01022")`` or
        ``db.get("fndds:58106230")`` (an FNDDS food comes with its recipe)."""
        row = self._row(identifier)
        ids = [nid * ID_FACTOR + row.ndb for nid in self._nutrient_ids.values()]
        marks = ",".join("?" * len(ids))
        with self._cursor() as cursor:
            values = cursor.execute(
                "SELECT v.id / ?, v.v, v.basis, v.src_cd, d.lo, d.hi, m.text "
                "FROM value v LEFT JOIN value_detail d ON d.id = v.id "
                f"LEFT JOIN method m ON m.id = d.method_id WHERE v.id IN ({marks})",
                [ID_FACTOR, *ids],
            ).fetchall()
            # Only vitamin K values have provenance rows; naming their nutrient ids
            # lets SQLite use the (nutrient_id, ndb, seq) key instead of a scan.
            k_ids = self._vitamin_k_ids
            links = cursor.execute(
                "SELECT nutrient_id, source_id, note FROM value_source "
                f"WHERE nutrient_id IN ({','.join('?' * len(k_ids))}) AND ndb = ? "
                "ORDER BY nutrient_id, seq",
                [*k_ids, row.ndb],
            ).fetchall()
            portions = cursor.execute(
                "SELECT amount, unit, grams FROM portion WHERE ndb = ? ORDER BY seq", (row.ndb,)
            ).fetchall()
            recipe: Recipe | None = None
            checks: dict[str, RecipeCheck] = {}
            ingredient_notes: dict[str, tuple[tuple[str, str], ...]] = {}
            if row.fndds:
                recipe, valued_as = read_recipe(cursor, row.ndb, self._name_of)
                checks = read_checks(cursor, row.ndb, self._nutrient_ids)
                recipe_keys = tuple(k for k in VITAMIN_K_KEYS if k in checks)
                ingredient_notes = (
                    ingredient_estimates(cursor, recipe, valued_as, self._nutrient_ids, recipe_keys)
                    if recipe is not None
                    else {}
                )
        sources: dict[int, list[str]] = {}
        estimates: dict[int, list[tuple[str, str]]] = {}
        for nutrient_id, source_id, estimate_note in links:
            keys = sources.setdefault(nutrient_id, [])
            if self._sources[source_id] not in keys:
                keys.append(self._sources[source_id])
            estimates.setdefault(nutrient_id, []).append((self._sources[source_id], estimate_note))
        by_id = {nid: key for key, nid in self._nutrient_ids.items()}
        nutrients: dict[str, NutrientValue] = {}
        for nid, v, basis, src_cd, lo, hi, method in values:
            key = by_id[nid]
            nutrient = NUTRIENTS[key]
            source_list: tuple[str, ...]
            note: str | None
            found = tuple(estimates.get(nid, ()))
            if src_cd is not None:  # an SR28 value
                source_list = (f"usda_sr28:{nutrient.sr_number}",)
                label = _SRC_CODES.get(src_cd, "see SR28 SRC_CD")
                note = f"SR28 Src_Cd {src_cd}: {label}" + (f"; {method}" if method else "")
            elif row.fndds:
                source_list, note = self._fndds_provenance(key, v, method, checks)
                found = ingredient_notes.get(key, found)
            else:
                source_list = tuple(sources.get(nid, ()))
                note = method
            nutrients[key] = NutrientValue(
                key=key,
                value=None if v is None else v / 1000.0,
                unit=nutrient.unit,
                basis=_BASIS[basis],
                low=None if lo is None else lo / 1000.0,
                high=None if hi is None else hi / 1000.0,
                sources=source_list,
                method=note,
                estimates=found,
            )
        ordered = {
            key: nutrients.get(key, NutrientValue(key, None, NUTRIENTS[key].unit, "unknown"))
            for key in NUTRIENTS
        }
        return Food(
            id=food_id(row.ndb),
            name=row.name,
            group=row.group,
            survey=row.survey,
            nutrients=ordered,
            portions=tuple(Portion(a, u, g) for a, u, g in portions),
            recipe=recipe,
        )

    @staticmethod
    def _fndds_provenance(
        key: str, v: int | None, method: str | None, checks: Mapping[str, RecipeCheck]
    ) -> tuple[tuple[str, ...], str | None]:
        """Sources and method of one value of an FNDDS food: as FNDDS publishes it (no
        stored method), from the recipe, or the K1 + K2 sum."""
        if method is None:
            note = PUBLISHED_METHOD
            if key in _CHECKED:
                note = check_sentence(key, None if v is None else v / 1000.0, checks.get(key))
            return (FNDDS_SOURCE,), note
        if key == "vitk_ug":
            return (), method
        return (FNDDS_SOURCE, "vitk2_rules"), known_sentence(method, checks.get(key))

    def _name_of(self, key: int) -> str:
        row = self._foods.get(key)
        return row.name if row is not None else f"food {key} (not in the database)"

    def main_ingredients(self) -> dict[str, tuple[str, float]]:
        """For every FNDDS food with a recipe: the SR28 food with the largest share of
        its grams, and that share (0..1). Read once, then cached."""
        with self._lock:
            if self._mains is None:
                with self._cursor() as cursor:
                    rows = cursor.execute(
                        "SELECT ndb, main_ingredient, main_share FROM recipe_food "
                        "WHERE main_ingredient IS NOT NULL"
                    ).fetchall()
                self._mains = {food_id(n): (food_id(m), share) for n, m, share in rows}
            return self._mains

    def names(self) -> dict[str, tuple[str, str]]:
        """Every food id with its (name, group)."""
        return {food_id(ndb): (row.name, row.group) for ndb, row in self._foods.items()}

    def all_portions(self) -> dict[str, tuple[Portion, ...]]:
        """Every food's SR28 household measures, by food id (read once, then cached)."""
        with self._lock:
            if self._portions is None:
                table: dict[str, list[Portion]] = {}
                with self._cursor() as cursor:
                    for ndb, amount, unit, grams in cursor.execute(
                        "SELECT ndb, amount, unit, grams FROM portion ORDER BY ndb, seq"
                    ):
                        table.setdefault(self._id_of(ndb), []).append(Portion(amount, unit, grams))
                self._portions = {key: tuple(value) for key, value in table.items()}
            return self._portions

    def vectors(self, identifiers: Sequence[str]) -> dict[str, FoodVector]:
        """Per-100 g values of every nutrient for many foods at once (one query),
        in `NUTRIENTS` order with None for unknown, plus the K2 range and basis."""
        ndbs = sorted({self._row(identifier).ndb for identifier in identifiers})
        keys = list(NUTRIENTS)
        position = {self._nutrient_ids[key]: i for i, key in enumerate(keys)}
        values: dict[int, list[float | None]] = {ndb: [None] * len(keys) for ndb in ndbs}
        k2_basis: dict[int, Basis] = dict.fromkeys(ndbs, "unknown")
        k2_id = self._nutrient_ids["k2_ug"]
        ids = [nid * ID_FACTOR + ndb for nid in position for ndb in ndbs]
        with self._cursor() as cursor:
            for start in range(0, len(ids), 30_000):
                chunk = ids[start : start + 30_000]
                rows = cursor.execute(
                    f"SELECT id, v, basis FROM value WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                for rowid, v, basis in rows:
                    nid, ndb = divmod(rowid, ID_FACTOR)
                    if v is not None:
                        values[ndb][position[nid]] = v / 1000.0
                    if nid == k2_id:
                        k2_basis[ndb] = _BASIS[basis]
        ranges = self._ranges("k2_ug", ndbs)
        mk_ranges: dict[int, dict[str, tuple[float, float]]] = {ndb: {} for ndb in ndbs}
        for key in MENAQUINONE_KEYS:
            for ndb, (low, high) in self._ranges(key, ndbs).items():
                value = values[ndb][position[self._nutrient_ids[key]]]
                if value is not None:
                    mk_ranges[ndb][key] = (
                        value if low is None else low,
                        value if high is None else high,
                    )
        return {
            food_id(ndb): FoodVector(
                id=food_id(ndb),
                name=self._foods[ndb].name,
                values=tuple(values[ndb]),
                k2_low=ranges.get(ndb, (None, None))[0],
                k2_high=ranges.get(ndb, (None, None))[1],
                k2_basis=k2_basis[ndb],
                mk_ranges=mk_ranges[ndb],
            )
            for ndb in ndbs
        }

    def estimates(self, identifier: str, nutrient: str) -> list[tuple[str, str]]:
        """Every estimate behind a vitamin K value: (source key, note)."""
        return list(self.get(identifier).nutrient(resolve_nutrient(nutrient).key).estimates)

    # -- rankings -------------------------------------------------------------------

    def _resolve_group(self, text: str, *, categories: bool) -> str:
        """The SR28 group (or, with ``categories``, WWEIA category) a text names:
        its code or name, else the only one whose name contains the text (SR28
        groups are tried before WWEIA categories)."""
        wanted = text.strip().lower()
        if not wanted:
            raise InvalidOptionError("Empty --group: give part of a food group name.")
        kinds = [False, True] if categories else [False]
        names = {
            kind: {c: n for c, n in self._groups.items() if _is_category(c) == kind}
            for kind in kinds
        }
        for kind in kinds:
            exact = [n for c, n in names[kind].items() if wanted in (c, n.lower())]
            if exact:
                return exact[0]
        matches: list[str] = []
        for kind in kinds:
            matches = [n for n in names[kind].values() if wanted in n.lower()]
            if matches:
                break
        if len(matches) == 1:
            return matches[0]
        listing = "; ".join(matches if matches else self.groups)
        problem = "matches several groups" if matches else "matches no food group"
        raise InvalidOptionError(f"Group {quoted(text)} {problem}. Choose one of: {listing}.")

    def _serving_portions(self) -> dict[int, Portion]:
        """A serving: the first SR28 household measure; for an FNDDS food, FNDDS's
        "Quantity not specified" (the amount the survey assumes), else its first."""
        with self._lock:
            if self._servings is None:
                with self._cursor() as cursor:
                    rows = cursor.execute(
                        "SELECT ndb, amount, unit, grams FROM portion WHERE seq = "
                        "(SELECT MIN(seq) FROM portion p WHERE p.ndb = portion.ndb)"
                    ).fetchall()
                    unspecified = cursor.execute(
                        "SELECT ndb, amount, unit, grams FROM portion WHERE unit = ?",
                        (UNSPECIFIED_PORTION,),
                    ).fetchall()
                self._servings = {ndb: Portion(a, u, g) for ndb, a, u, g in rows}
                self._servings |= {ndb: Portion(a, u, g) for ndb, a, u, g in unspecified}
            return self._servings

    def _column(self, key: str, *, dishes: bool = True) -> list[tuple[int, int, int]]:
        """(food key, thousandths, basis) of every known value of one nutrient; SR28
        foods only (their keys come first in the id range) unless ``dishes``."""
        nid = self._nutrient_ids[key]
        last = ID_FACTOR if dishes else FNDDS_CODE_MIN
        with self._cursor() as cursor:
            return cursor.execute(
                "SELECT id - ?, v, basis FROM value WHERE id BETWEEN ? AND ? AND v IS NOT NULL",
                (nid * ID_FACTOR, nid * ID_FACTOR, nid * ID_FACTOR + last - 1),
            ).fetchall()

    def top(
        self,
        nutrient: str,
        *,
        per: Per = "100g",
        group: str | None = None,
        limit: int = 20,
        include_imputed: bool = True,
        dishes: bool = False,
    ) -> list[RankedFood]:
        """Foods richest in ``nutrient`` per 100 g, per serving or per 100 kcal.

        Foods whose value is unknown are never ranked. ``per="serving"`` uses the
        food's first SR28 household measure (FNDDS: its "Quantity not specified"
        portion); ``per="100kcal"`` skips foods with no energy. ``include_imputed=False``
        ranks measured values only. Only SR28 foods are ranked unless ``dishes`` adds
        the FNDDS foods as eaten (and lets ``group`` name a WWEIA category).
        """
        key = resolve_nutrient(nutrient).key
        if per not in PER_OPTIONS:
            raise InvalidOptionError(
                f"Unknown --per {quoted(per)}: expected one of {', '.join(PER_OPTIONS)}."
            )
        if limit < 1:
            raise InvalidOptionError(f"limit must be at least 1, got {limit}.")
        group_name = self._resolve_group(group, categories=dishes) if group is not None else None
        factors = self._factors(per, dishes=dishes)
        candidates: list[tuple[float, int, float, int]] = []
        for ndb, milli, basis in self._column(key, dishes=dishes):
            if not include_imputed and basis != 1:
                continue
            factor = factors.get(ndb) if factors is not None else 1.0
            if factor is None:
                continue
            row = self._foods[ndb]
            if group_name is not None and row.group != group_name:
                continue
            candidates.append((milli / 1000.0 * factor, ndb, factor, basis))
        candidates.sort(key=lambda item: (-item[0], self._foods[item[1]].name))
        chosen = candidates[:limit]
        ranges = self._ranges(key, [ndb for _, ndb, _, _ in chosen])
        with self._cursor() as cursor:
            sources = read_source_keys(
                cursor, self._nutrient_ids[key], [ndb for _, ndb, _, _ in chosen], self._sources
            )
        servings = self._serving_portions() if per == "serving" else {}
        unit = NUTRIENTS[key].unit
        ranked = []
        for value, ndb, factor, basis in chosen:
            low, high = ranges.get(ndb, (None, None))
            ranked.append(
                RankedFood(
                    id=food_id(ndb),
                    name=self._foods[ndb].name,
                    group=self._foods[ndb].group,
                    value=round(value, 4),
                    unit=unit,
                    per=per,
                    basis=_BASIS[basis],
                    low=None if low is None else round(low * factor, 4),
                    high=None if high is None else round(high * factor, 4),
                    serving=servings.get(ndb),
                    sources=sources.get(ndb, ()),
                )
            )
        return ranked

    def _factors(self, per: Per, *, dishes: bool) -> dict[int, float] | None:
        """Multiplier from per-100 g to ``per`` for each food (None: no conversion)."""
        if per == "100g":
            return None
        if per == "serving":
            return {ndb: p.grams / 100.0 for ndb, p in self._serving_portions().items()}
        energy = self._column("energy_kcal", dishes=dishes)
        return {ndb: 100.0 / (v / 1000.0) for ndb, v, _ in energy if v > 0}

    def _ranges(
        self, key: str, ndbs: Sequence[int]
    ) -> dict[int, tuple[float | None, float | None]]:
        with self._cursor() as cursor:
            return read_ranges(cursor, self._nutrient_ids[key], ndbs, ID_FACTOR)
