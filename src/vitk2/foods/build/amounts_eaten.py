"""How much people eat of a food in a day: the NHANES 2011-2012 recalls, per FNDDS
2017-2018 food and per WWEIA food category (run at development time).

``python -m vitk2.foods.build.amounts_eaten NHANES_DIR`` reads ``Day1_11.csv``,
``Day2_11.csv`` and ``Codes_11.csv`` from ``NHANES_DIR`` (the shared folder
``nhanes/2011_2012``) and writes `AMOUNTS_FILE` (package data, read by the planner
for its portion caps, docs/plan.md):

* one *person-day* is one reliable recall (``DR1DRSTZ``/``DR2DRSTZ`` = 1) of one
  person; the grams of one food code on it are summed over its eating occasions;
* food codes are matched to FNDDS 2017-2018 as `vitk2.foods.build.nhanes` does (same
  code, or exactly one same-prefix food with the same words);
* for each FNDDS food and each WWEIA category (all its foods together), the number of
  person-days on which it was eaten and the median and 90th percentile of the grams
  eaten on such a day, weighted by the two-day dietary weight ``WTDR2D`` (so the
  figures describe the US population, not the sample);
* a row is written only where at least `MIN_PERSON_DAYS` person-days back it;
* each SR28 food gets the figures of the FNDDS food that is it as eaten (at least
  `SAME_FOOD_SHARE` of that recipe's grams, sub-recipes expanded; the most eaten one;
  ``via`` "same food"), else of an FNDDS food all of whose words (two at least) are
  in its name, the closest by Jaccard similarity of the words ("name"), else those of
  the SR28 food of its group with the most similar name that has figures (Jaccard
  similarity with rare words weighing more, at least `MIN_NAME_SIMILARITY`; "like
  NDB"; two rounds, so a food can be like one that is like a matched one): the FNDDS
  food's own figures, else its category's. Food words only (`_STOP` words aside).
  ``food_person_days`` says how many person-days ate the matched FNDDS food itself (a
  measure of how common the food is; the planner prefers common foods).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from vitk2.foods.build.fndds import read_foods
from vitk2.foods.survey_codes import same_food

REPO: Final = Path(__file__).resolve().parents[4]
AMOUNTS_FILE: Final = REPO / "src" / "vitk2" / "data" / "amounts_eaten.csv"
MIN_PERSON_DAYS: Final = 30
SAME_FOOD_SHARE: Final = 0.9
MIN_NAME_SIMILARITY: Final = 0.35
FIELDS: Final = (
    "kind", "key", "name", "person_days", "p50_g", "p90_g", "via", "food_person_days"
)  # fmt: skip
FOOD_DB: Final = REPO / "src" / "vitk2" / "data" / "fooddb.sqlite"
#: Words that say nothing about which food it is.
_STOP: Final = frozenset(
    [
        "and",
        "with",
        "or",
        "without",
        "as",
        "to",
        "from",
        "the",
        "a",
        "of",
        "in",
        "ns",
        "nfs",
        "not",
        "added",
        "made",
        "type",
        "all",
        "prepared",
        "ready",
        "drink",
        "ready-to-drink",
        "includes",
        "regular",
        "plain",
        "style",
    ]
)
_DAYS: Final = (("Day1_11.csv", "DR1"), ("Day2_11.csv", "DR2"))


@dataclass(frozen=True, slots=True)
class AmountEaten:
    """Grams eaten on a day by those who ate a food (``kind`` "food", ``key`` the
    8-digit FNDDS code) or a food of a WWEIA category (``kind`` "category", ``key``
    ``wweia:NNNN``): weighted median and 90th percentile over ``person_days``. An SR28
    food (``kind`` "sr28") gets the figures of its match (``name``, ``via``) and the
    person-days on which its own FNDDS food was eaten (0: none, or a "like" match)."""

    kind: str
    key: str
    name: str
    person_days: int
    p50_g: float
    p90_g: float
    via: str = ""
    food_person_days: int | None = None  # SR28 rows: days its own FNDDS food was eaten


def weighted_quantile(values: Sequence[float], weights: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values`` under ``weights`` (the smallest value whose
    cumulative weight reaches ``q`` of the total).

    >>> weighted_quantile([1, 2, 3, 4], [1, 1, 1, 1], 0.5)
    2.0
    >>> weighted_quantile([1, 2, 3, 4], [1, 1, 1, 5], 0.5)
    4.0
    """
    order = np.argsort(np.asarray(values, dtype=float), kind="stable")
    sorted_values = np.asarray(values, dtype=float)[order]
    cumulative = np.cumsum(np.asarray(weights, dtype=float)[order])
    position = int(np.searchsorted(cumulative, q * cumulative[-1] - 1e-9))
    return float(sorted_values[min(position, len(sorted_values) - 1)])


def _code(text: str) -> int:
    return int(float(text))


def _person_days(nhanes_dir: Path) -> dict[tuple[str, str, int], tuple[float, float]]:
    """(day file, person, NHANES code) -> (grams that day, the person's weight)."""
    eaten: dict[tuple[str, str, int], list[float]] = {}
    for name, prefix in _DAYS:
        with (nhanes_dir / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row[f"{prefix}DRSTZ"].strip() not in {"1", "1.0"}:
                    continue
                weight = float(row["WTDR2D"] or 0.0)
                if weight <= 0:  # no two-day weight: not part of the weighted sample
                    continue
                key = (prefix, row["SEQN"], _code(row[f"{prefix}IFDCD"]))
                found = eaten.setdefault(key, [0.0, weight])
                found[0] += float(row[f"{prefix}IGRMS"] or 0.0)
    return {key: (grams, weight) for key, (grams, weight) in eaten.items() if grams > 0}


def _matcher(nhanes_dir: Path, fndds: dict[int, str]) -> dict[int, int]:
    """NHANES code -> FNDDS 2017-2018 code, as `vitk2.foods.build.nhanes` matches them."""
    with (nhanes_dir / "Codes_11.csv").open(encoding="utf-8", newline="") as handle:
        descriptions = {_code(r["DRXFDCD"]): r["DRXFCLD"] for r in csv.DictReader(handle)}
    by_prefix: dict[str, dict[int, str]] = defaultdict(dict)
    for code, name in fndds.items():
        by_prefix[str(code)[:3]][code] = name
    matched: dict[int, int] = {}
    for code, description in descriptions.items():
        if code in fndds:
            matched[code] = code
            continue
        same = [c for c, n in by_prefix[str(code)[:3]].items() if same_food(description, n)]
        if len(same) == 1:
            matched[code] = same[0]
    return matched


def _row(kind: str, key: str, name: str, days: Iterable[tuple[float, float]]) -> AmountEaten:
    grams, weights = zip(*days, strict=True)
    return AmountEaten(
        kind,
        key,
        name,
        len(grams),
        round(weighted_quantile(grams, weights, 0.5), 1),
        round(weighted_quantile(grams, weights, 0.9), 1),
    )


def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z][a-z-]*", name.lower()) if w not in _STOP)


def _sr28_foods(food_db: Path) -> tuple[dict[int, tuple[str, str]], dict[int, list[int]]]:
    """The SR28 foods (NDB -> name and group code), and for each the FNDDS foods that are at least
    `SAME_FOOD_SHARE` of it (from the shipped database's recipes)."""
    with sqlite3.connect(f"{food_db.resolve().as_uri()}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT ndb, main_ingredient FROM recipe_food WHERE main_share >= ? "
            "AND main_ingredient IS NOT NULL ORDER BY ndb",
            (SAME_FOOD_SHARE,),
        ).fetchall()
        sr28 = {
            ndb: (name, group)
            for ndb, name, group in connection.execute(
                "SELECT ndb, name, group_code FROM food WHERE ndb < 10000000"
            )
        }
    same: dict[int, list[int]] = defaultdict(list)
    for code, ndb in rows:
        same[ndb].append(code)
    return sr28, same


def _first_words(name: str, count: int) -> list[str]:
    return re.findall(r"[a-z][a-z-]*", name.lower())[:count]


def _by_name(
    name: str,
    index: dict[str, list[int]],
    words: dict[int, frozenset[str]],
    firsts: dict[int, str],
) -> int | None:
    """The FNDDS food all of whose words are in ``name`` (two at least, or one that is
    the first word of ``name``) and whose first word is one of the first two of
    ``name`` ("Milk, whole" is not "Cheese, mozzarella, whole milk"), the closest by
    Jaccard similarity; None when none is."""
    own = _words(name)
    head = _first_words(name, 2)
    found: set[int] = set()
    for word in own:
        found.update(index.get(word, ()))
    best, score = None, 0.0
    for code in sorted(found):
        theirs = words[code]
        if not theirs <= own or firsts[code] not in head:
            continue
        if len(theirs) < 2 and theirs != set(head[:1]):
            continue
        similarity = len(theirs) / len(own | theirs)
        if similarity > score:
            best, score = code, similarity
    return best


def _like(
    ndb: int,
    words: dict[int, frozenset[str]],
    groups: dict[int, str],
    known: dict[int, AmountEaten],
    weight: dict[str, float],
) -> int | None:
    """The SR28 food of the same group with figures whose name is the most like this
    one's: Jaccard similarity of the words, each weighted by how rare it is among SR28
    names (inverse document frequency), at least `MIN_NAME_SIMILARITY`."""
    own = words[ndb]
    best, score = None, MIN_NAME_SIMILARITY - 1e-9
    for other in known:
        if groups[other] != groups[ndb] or other == ndb:
            continue
        theirs = words[other]
        union = sum(weight[w] for w in own | theirs)
        similarity = sum(weight[w] for w in own & theirs) / union if union else 0.0
        if similarity > score:
            best, score = other, similarity
    return best


def _idf(words: dict[int, frozenset[str]]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for found in words.values():
        for word in found:
            counts[word] += 1
    return {word: math.log(len(words) / count) for word, count in counts.items()}


def summarise(nhanes_dir: Path, data_dir: Path, food_db: Path = FOOD_DB) -> list[AmountEaten]:
    """The rows of `AMOUNTS_FILE`: categories, then FNDDS foods, then SR28 foods."""
    foods = read_foods(data_dir)
    names = {food.code: food.name for food in foods}
    category = {food.code: (f"wweia:{food.category_code}", food.category) for food in foods}
    matched = _matcher(nhanes_dir, names)
    by_food: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for (_, _, code), day in _person_days(nhanes_dir).items():
        if code in matched:
            by_food[matched[code]].append(day)
    by_category: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for code, days in by_food.items():
        by_category[category[code]].extend(days)
    categories = {
        key: _row("category", key, name, days)
        for (key, name), days in sorted(by_category.items())
        if len(days) >= MIN_PERSON_DAYS
    }
    own = {
        code: _row("food", f"{code:08d}", names[code], days)
        for code, days in sorted(by_food.items())
        if len(days) >= MIN_PERSON_DAYS
    }
    fndds_words = {code: _words(name) for code, name in names.items()}
    index: dict[str, list[int]] = defaultdict(list)
    for code, found_words in fndds_words.items():
        for word in found_words:
            index[word].append(code)
    firsts = {code: next(iter(_first_words(n, 1)), "") for code, n in names.items()}
    sr28, same = _sr28_foods(food_db)
    rows: dict[int, AmountEaten] = {}
    for ndb, (name, _) in sorted(sr28.items()):
        if ndb in same:
            match = max(same[ndb], key=lambda c: (own[c].person_days if c in own else 0, -c))
            via = "same food"
        else:
            near = _by_name(name, index, fndds_words, firsts)
            if near is None:
                continue
            match, via = near, "name"
        amount = own.get(match) or categories.get(category[match][0])
        if amount is not None:
            eaten = own[match].person_days if match in own else 0
            rows[ndb] = AmountEaten("sr28", f"{ndb:05d}", amount.name, amount.person_days,
                                    amount.p50_g, amount.p90_g, via, eaten)  # fmt: skip
    sr28_words = {ndb: _words(name) for ndb, (name, _) in sr28.items()}
    groups = {ndb: group for ndb, (_, group) in sr28.items()}
    weight = _idf(sr28_words)
    for _ in range(2):  # a food like one that is like a matched one
        known = dict(rows)
        for ndb in sorted(set(sr28) - set(known)):
            other = _like(ndb, sr28_words, groups, known, weight)
            if other is not None:
                a = known[other]
                rows[ndb] = AmountEaten("sr28", f"{ndb:05d}", a.name, a.person_days, a.p50_g,
                                        a.p90_g, f"like {other:05d}", 0)  # fmt: skip
    return [*categories.values(), *own.values(), *(rows[ndb] for ndb in sorted(rows))]


def write(rows: Sequence[AmountEaten], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow(
                (row.kind, row.key, row.name, row.person_days, f"{row.p50_g:g}",
                 f"{row.p90_g:g}", row.via,
                 "" if row.food_person_days is None else row.food_person_days)
            )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("nhanes_dir", type=Path, help="folder with Day1_11.csv, Day2_11.csv …")
    parser.add_argument("--data", type=Path, default=REPO / "data")
    parser.add_argument("--out", type=Path, default=AMOUNTS_FILE)
    args = parser.parse_args(argv)
    rows = summarise(args.nhanes_dir, args.data)
    write(rows, args.out)
    for name in ("Day1_11.csv", "Day2_11.csv", "Codes_11.csv"):
        digest = hashlib.sha256((args.nhanes_dir / name).read_bytes()).hexdigest()
        print(f"{name}: sha256 {digest}")
    kinds: dict[str, int] = defaultdict(int)
    for row in rows:
        kinds[row.kind] += 1
    print(
        f"wrote {args.out}: {kinds['category']} categories, {kinds['food']} FNDDS foods, "
        f"{kinds['sr28']} SR28 foods"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
