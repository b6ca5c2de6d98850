"""K2 imputation rules for SR28 foods without a K2 total of their own.

Applied in this order; each imputed value has basis ``imputed``, a method starting
``imputed (<rule>)`` and ``vitk2_rules`` among its sources (docs/data.md, section 4):

1. ``data/k2_imputation.csv``, row by row (a row may use a value an earlier row made):
   ``same_type`` (the donor's K2), ``fat_scaled`` (donor x fat ratio),
   ``protein_scaled`` (the same food in another state or form: donor x protein
   ratio) and ``parts`` (a food made of other foods in known proportions, e.g. whole
   egg = yolk + white by the SR28 weights of one large egg).
2. ``k2_from_mk4``: MK-4 (+ any longer menaquinone measured) in unfermented meat,
   poultry, fish and egg; a lower bound.
3. ``plant_unfermented`` (SR28 plant groups) and ``no_k2_source`` (other groups: water
   and drinks, sugars, baked goods, cereals, snacks, fats, soups and sauces): K2 = 0
   where nothing of animal origin (cholesterol 0, no animal word) and nothing
   bacterially fermented is in the food.
4. ``family`` (``data/k2_families.csv``, `vitk2.foods.build.families`): the median K2
   of the family's foods that have a value (per g fat or protein, or per mg
   cholesterol for mixed foods, where the family scales), with the range over them:
   eggs, cheese by kind, yogurt, milk and cream, each meat species, fish, and mixed
   foods by the animal food they hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from vitk2.foods.build.records import (
    IMPUTED,
    MEASURED,
    MENAQUINONES,
    VitKRecord,
    fmt,
    read_csv,
)
from vitk2.foods.build.sr28 import BuildError, SR28Food

Records = dict[tuple[str, str], VitKRecord]

ANIMAL_GROUPS: Final = frozenset({"0500", "0700", "1000", "1300", "1500", "1700"})
PLANT_GROUPS: Final = frozenset({"0200", "0900", "1100", "1200", "1600", "2000"})
# Groups of mixed or processed foods: K2 = 0 only by the stricter no_k2_source test.
OTHER_GROUPS: Final = frozenset(
    {"0300", "0400", "0600", "0800", "1400", "1800", "1900", "2100", "2200", "2500", "3500",
     "3600"}
)  # fmt: skip


def _word_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """Whole words; a trailing ``*`` also matches longer words (``ferment*``)."""
    parts = (re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words)
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


# Words that make a plant food fermented or mixed with animal foods: the plant rules
# never apply to these.
PLANT_EXCLUDE_WORDS: Final = (
    "natto", "miso", "tempeh", "sauerkraut", "kimchi", "ferment*", "soy sauce", "tamari",
    "vinegar", "pickle*", "cheese*", "butter", "buttered", "cream*", "milk", "egg", "eggs",
    "meat", "beef", "pork", "chicken", "bacon", "ham", "sausage*", "fish", "yogurt",
    "lard", "anchov*", "clam*", "shrimp", "turkey", "with sauce", "au gratin", "scalloped",
    "casserole", "souffle", "prepared from recipe", "frankfurter*", "franks", "gravy",
)  # fmt: skip
_PLANT_EXCLUDE: Final = _word_pattern(PLANT_EXCLUDE_WORDS)
# Further words for the other groups: drinks fermented by yeasts and bacteria
# together (beer, wine, kombucha), cocoa and chocolate (fermented beans; Ciqual gives
# dark chocolate K2 1.5 µg/100 g), olives (lactic fermentation), sourdough, products
# of animals or made with them (honey, gelatin, whey, casein, infant formula, mayonnaise)
# and sauces made with fermented soy or fish.
NO_SOURCE_EXCLUDE_WORDS: Final = (
    "beer", "wine", "wines", "sake", "kombucha", "liqueur*", "malt beverage",
    "cocoa", "chocolate*", "cacao", "carob", "olive", "olives", "sourdough", "honey",
    "gelatin", "whey", "casein*", "lactose", "formula", "mayonnaise", "teriyaki",
    "worcestershire", "oyster", "hoisin", "veal", "lamb", "duck", "egg*", "custard",
    "pudding*", "tuna", "salmon", "crab", "lobster",
)  # fmt: skip
_NO_SOURCE_EXCLUDE: Final = _word_pattern(NO_SOURCE_EXCLUDE_WORDS)
FERMENTED_ANIMAL_WORDS: Final = ("salami", "pepperoni", "fermented", "summer sausage", "thuringer")

_PLANT_NOTE: Final = (
    "unfermented plant food: menaquinones come from bacterial fermentation or from "
    "animal conversion of K1, neither present; FDC Foundation Foods measured MK-4 = 0 "
    "in kale, cabbage, lettuce, nuts, oils, potatoes and bananas"
)
_NO_SOURCE_NOTE: Final = (
    "no menaquinone source: water, minerals, sugars and unfermented plant matter only "
    "(cholesterol 0, no animal or fermented ingredient named); menaquinones come from "
    "bacterial fermentation or from animal conversion of K1. Yeast leavening and "
    "distilling are allowed: yeasts make no menaquinones and distillation leaves no fat"
)


@dataclass(frozen=True, slots=True)
class Composition:
    """SR28 fat, protein and cholesterol per 100 g, by NDB number."""

    fat_g: Mapping[str, float]
    protein_g: Mapping[str, float]
    cholesterol_mg: Mapping[str, float]


def is_fermented_animal(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in FERMENTED_ANIMAL_WORDS)


# Plant foods whose names hold an animal or fermentation word: "almond milk", "cream of
# wheat", "root beer" (a soft drink).
_PLANT_PHRASES: Final = re.compile(
    r"\b(?:almond|coconut|soy|rice|oat|cashew|hemp|hazelnut) (?:milk|beverage)\b"
    r"|\bcream of (?:wheat|rice)\b|\b(?:root|birch|ginger) beer\b"
)


def _plant_words(name: str) -> str:
    return _PLANT_PHRASES.sub(" ", name)


def is_unfermented_plant(food: SR28Food) -> bool:
    """True for foods the 'unfermented plant food' rule covers (K2 imputed as 0).
    Vinegar itself is covered: acetic acid bacteria respire with ubiquinones, not
    menaquinones, and vinegar holds no fat; foods made with it are not."""
    name = food.name.lower()
    in_scope = food.group_code in PLANT_GROUPS or (
        food.group_code == "0400" and name.startswith("oil, ")
    )
    if name.startswith("vinegar, "):
        name = name.removeprefix("vinegar, ")
    return in_scope and _PLANT_EXCLUDE.search(_plant_words(name)) is None


def is_no_k2_source(food: SR28Food) -> bool:
    """True for foods of the other groups the 'no menaquinone source' rule may cover
    (the cholesterol and MK-4 tests come on top)."""
    name = _plant_words(food.name.lower())
    return (
        food.group_code in OTHER_GROUPS
        and _PLANT_EXCLUDE.search(name) is None
        and _NO_SOURCE_EXCLUDE.search(name) is None
    )


def is_unfermented_animal(food: SR28Food) -> bool:
    """True for meat, poultry, fish and egg foods where MK-4 stands in for K2."""
    if is_fermented_animal(food.name):
        return False
    if food.group_code in ANIMAL_GROUPS:
        return True
    return food.group_code == "0100" and food.name.lower().startswith("egg")


def _scaled(record: VitKRecord, factor: float) -> tuple[float, float | None, float | None]:
    def scale(value: float | None) -> float | None:
        return None if value is None else round(value * factor, 3)

    value = scale(record.value)
    assert value is not None  # donors always have a value
    return value, scale(record.low), scale(record.high)


def parse_parts(text: str) -> list[tuple[str, float]]:
    """``"01125*17;01124*33"`` -> [("01125", 17.0), ("01124", 33.0)]."""
    parts = []
    for item in text.split(";"):
        ndb, _, grams = item.strip().partition("*")
        parts.append((ndb.strip(), float(grams) if grams else 1.0))
    return parts


def apply_table(
    records: Records, data_dir: Path, composition: Composition, known: set[str]
) -> None:
    """Rule 1: the rows of ``k2_imputation.csv``, in file order."""
    for row in read_csv(data_dir / "k2_imputation.csv"):
        ndb, rule = row["ndb"], row["rule"]
        parts = parse_parts(row["donor_ndb"])
        for donor, _ in [(ndb, 0.0), *parts]:
            if donor not in known:
                raise BuildError(
                    f"k2_imputation.csv row {ndb} <- {row['donor_ndb']}: unknown NDB number"
                )
        if (ndb, "k2") in records:
            raise BuildError(f"k2_imputation.csv imputes {ndb}, which has its own K2 value")
        donors = [records.get((donor, "k2")) for donor, _ in parts]
        strict = rule in {"same_type", "fat_scaled"}  # from a measured donor only
        for (donor, _), found in zip(parts, donors, strict=True):
            if found is None or found.value is None or (strict and found.basis != MEASURED):
                kind = "measured K2" if strict else "K2 value"
                raise BuildError(f"k2_imputation.csv donor {donor} for {ndb} has no {kind}")
        records[(ndb, "k2")] = _table_record(row, rule, parts, donors, composition)


def scale_factor(
    rule: str, ndb: str, donor_ndb: str, composition: Composition
) -> tuple[float, str]:
    """The factor of a one-donor rule of ``k2_imputation.csv`` (``same_type``,
    ``fat_scaled``, ``protein_scaled``) and how it was made."""
    if rule == "same_type":
        return 1.0, f"same cheese type as usda:{donor_ndb}"
    if rule in {"fat_scaled", "protein_scaled"}:
        amounts = composition.fat_g if rule == "fat_scaled" else composition.protein_g
        what = "fat" if rule == "fat_scaled" else "protein"
        if amounts.get(donor_ndb, 0.0) <= 0.0 or ndb not in amounts:
            raise BuildError(f"k2_imputation.csv {rule} {ndb} <- {donor_ndb}: {what} unknown")
        factor = amounts[ndb] / amounts[donor_ndb]
        return factor, (
            f"usda:{donor_ndb} scaled by {what} {fmt(amounts[ndb])} g / "
            f"{fmt(amounts[donor_ndb])} g (x{factor:.3f})"
        )
    raise BuildError(f"k2_imputation.csv: unknown rule {rule!r} for {ndb}")


def _table_record(
    row: Mapping[str, str],
    rule: str,
    parts: Sequence[tuple[str, float]],
    donors: Sequence[VitKRecord | None],
    composition: Composition,
) -> VitKRecord:
    ndb = row["ndb"]
    sources = [s for d in donors if d is not None for s in d.sources]
    if rule == "parts":
        return _parts_record(row, parts, donors, sources)
    if len(parts) != 1:
        raise BuildError(f"k2_imputation.csv rule {rule} for {ndb} takes one donor")
    donor_ndb, donor = parts[0][0], donors[0]
    assert donor is not None
    factor, how = scale_factor(rule, ndb, donor_ndb, composition)
    value, low, high = _scaled(donor, factor)
    return VitKRecord(
        ndb, "k2", value, low, high, IMPUTED, f"imputed ({rule}): {how}. {row['reason']}".strip(),
        (*sources, ("vitk2_rules", f"rule {rule} from usda:{donor_ndb}")),
    )  # fmt: skip


def _parts_record(
    row: Mapping[str, str],
    parts: Sequence[tuple[str, float]],
    donors: Sequence[VitKRecord | None],
    sources: Sequence[tuple[str, str]],
) -> VitKRecord:
    """A food made of donors in given proportions: their grams-weighted mean."""
    total = sum(grams for _, grams in parts)
    sums = [0.0, 0.0, 0.0]
    for (_, grams), donor in zip(parts, donors, strict=True):
        assert donor is not None and donor.value is not None
        for index, figure in enumerate((donor.value, donor.low, donor.high)):
            sums[index] += (donor.value if figure is None else figure) * grams / total
    ranged = any(d is not None and d.low is not None for d in donors)
    mix = " + ".join(f"{fmt(g)} g usda:{d}" for d, g in parts)
    return VitKRecord(
        row["ndb"], "k2", round(sums[0], 3), round(sums[1], 3) if ranged else None,
        round(sums[2], 3) if ranged else None, IMPUTED,
        f"imputed (parts): {mix}. {row['reason']}".strip(),
        (*sources, ("vitk2_rules", f"rule parts from {mix}")),
    )  # fmt: skip


def apply_k2_from_mk4(records: Records, food: SR28Food) -> None:
    """Rule 2: MK-4 (+ longer menaquinones measured) as K2 in unfermented animal foods."""
    ndb = food.ndb
    mk4 = records.get((ndb, "mk4"))
    if (ndb, "k2") in records or not is_unfermented_animal(food):
        return
    if mk4 is None or mk4.value is None:
        return
    longer = [records[(ndb, k)] for k in MENAQUINONES[1:] if (ndb, k) in records]
    extra = sum(r.value or 0.0 for r in longer)
    records[(ndb, "k2")] = VitKRecord(
        ndb,
        "k2",
        round(mk4.value + extra, 3),
        None if mk4.low is None else round(mk4.low + extra, 3),
        None if mk4.high is None else round(mk4.high + extra, 3),
        IMPUTED,
        "imputed (k2_from_mk4): in non-fermented meat, poultry, fish and egg MK-4 is the "
        "menaquinone measured; longer-chain menaquinones were not measured, so this is a "
        "lower bound",
        (*mk4.sources, ("vitk2_rules", "rule k2_from_mk4")),
    )


def apply_plant_rules(records: Records, food: SR28Food, cholesterol_mg: float | None) -> None:
    """Rule 4: K2 = 0 (and MK-4 = 0 where none is known) for unfermented plant foods
    and foods with no menaquinone source. Cholesterol above 0 (or not reported, in the
    other groups) means an animal ingredient; a measured MK-4 above 0 contradicts the
    rule. Either way K2 stays unknown."""
    ndb = food.ndb
    if (ndb, "k2") in records:
        return
    mk4 = records.get((ndb, "mk4"))
    if mk4 is not None and (mk4.value or 0.0) > 0.0:
        return
    if is_unfermented_plant(food) and (cholesterol_mg or 0.0) <= 0.0:
        rule, note = "plant_unfermented", _PLANT_NOTE
    elif is_no_k2_source(food) and cholesterol_mg is not None and cholesterol_mg <= 0.0:
        rule, note = "no_k2_source", _NO_SOURCE_NOTE
    else:
        return
    source = (("vitk2_rules", f"rule {rule}"),)
    if (ndb, "mk4") not in records:
        records[(ndb, "mk4")] = VitKRecord(
            ndb, "mk4", 0.0, None, None, IMPUTED, f"imputed ({rule}): {note}", source
        )
    records[(ndb, "k2")] = VitKRecord(
        ndb, "k2", 0.0, None, None, IMPUTED, f"imputed ({rule}): {note}", source
    )
