"""Read USDA FNDDS 2017-2018 (foods as eaten, their portions, nutrient values and
recipes) and the moisture changes of the 2019-2020 ingredient table, from ``data/fndds/``.

The three "At A Glance" CSVs start with a two-line title record; the header follows.
A recipe row's ``Ingredient.code`` is an SR28 NDB number (4-5 digits), another FNDDS
food (8 digits, a sub-recipe) or a 6-digit special code (`SpecialCode`).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Final, Literal

from vitk2.foods.build.sr28 import BuildError
from vitk2.foods.values import UNSPECIFIED_PORTION

_DIR_1718: Final = Path("fndds") / "fndds_2017_2018"
_DIR_1920: Final = Path("fndds") / "fndds_2019_2020"
FOODS_FILE: Final = _DIR_1718 / "2017-2018 FNDDS At A Glance - Foods and Beverages.csv"
PORTIONS_FILE: Final = _DIR_1718 / "2017-2018 FNDDS At A Glance - Portions and Weights.csv"
VALUES_FILE: Final = _DIR_1718 / "2017-2018 FNDDS At A Glance - FNDDS Nutrient Values.csv"
INGREDIENTS_FILE: Final = _DIR_1718 / "FNDDSIngred_1718.csv"
MOISTURE_FILE: Final = _DIR_1920 / "2019-2020 FNDDS At A Glance - FNDDS Ingredients.csv"
SPECIAL_FILE: Final = Path("fndds_special_codes.csv")
#: Every FNDDS file the build reads, relative to ``data/`` (hashed into ``meta``; the
#: special-code table is one of the writer's ``DATA_INPUTS``).
FNDDS_INPUTS: Final = (FOODS_FILE, PORTIONS_FILE, VALUES_FILE, INGREDIENTS_FILE, MOISTURE_FILE)

# FNDDS nutrient column (header with line breaks folded) -> vitk2 key. The unit in
# brackets must agree with the key's unit (checked in `read_values`).
NUTRIENT_COLUMNS: Final[dict[str, str]] = {
    "Energy (kcal)": "energy_kcal",
    "Protein (g)": "protein_g",
    "Carbohydrate (g)": "carbs_g",
    "Sugars, total (g)": "sugars_g",
    "Fiber, total dietary (g)": "fiber_g",
    "Total Fat (g)": "fat_g",
    "Fatty acids, total saturated (g)": "fat_sat_g",
    "Fatty acids, total monounsaturated (g)": "fat_mono_g",
    "Fatty acids, total polyunsaturated (g)": "fat_poly_g",
    "Cholesterol (mg)": "cholesterol_mg",
    "Retinol (mcg)": "retinol_ug",
    "Vitamin A, RAE (mcg_RAE)": "vita_rae_ug",
    "Carotene, alpha (mcg)": "alpha_carotene_ug",
    "Carotene, beta (mcg)": "beta_carotene_ug",
    "Cryptoxanthin, beta (mcg)": "beta_cryptoxanthin_ug",
    "Lycopene (mcg)": "lycopene_ug",
    "Lutein + zeaxanthin (mcg)": "lutein_zeaxanthin_ug",
    "Thiamin (mg)": "thiamin_mg",
    "Riboflavin (mg)": "riboflavin_mg",
    "Niacin (mg)": "niacin_mg",
    "Vitamin B-6 (mg)": "vitb6_mg",
    "Folic acid (mcg)": "folic_acid_ug",
    "Folate, food (mcg)": "folate_food_ug",
    "Folate, DFE (mcg_DFE)": "folate_dfe_ug",
    "Folate, total (mcg)": "folate_ug",
    "Choline, total (mg)": "choline_mg",
    "Vitamin B-12 (mcg)": "vitb12_ug",
    "Vitamin B-12, added (mcg)": "vitb12_added_ug",
    "Vitamin C (mg)": "vitc_mg",
    "Vitamin D (D2 + D3) (mcg)": "vitd_ug",
    "Vitamin E (alpha-tocopherol) (mg)": "vite_mg",
    "Vitamin E, added (mg)": "vite_added_mg",
    "Vitamin K (phylloquinone) (mcg)": "k1_ug",
    "Calcium (mg)": "calcium_mg",
    "Phosphorus (mg)": "phosphorus_mg",
    "Magnesium (mg)": "magnesium_mg",
    "Iron (mg)": "iron_mg",
    "Zinc (mg)": "zinc_mg",
    "Copper (mg)": "copper_mg",
    "Selenium (mcg)": "selenium_ug",
    "Potassium (mg)": "potassium_mg",
    "Sodium (mg)": "sodium_mg",
    "Caffeine (mg)": "caffeine_mg",
    "Theobromine (mg)": "theobromine_mg",
    "Alcohol (g)": "alcohol_g",
    "4:0 (g)": "fa_4_0_g",
    "6:0 (g)": "fa_6_0_g",
    "8:0 (g)": "fa_8_0_g",
    "10:0 (g)": "fa_10_0_g",
    "12:0 (g)": "fa_12_0_g",
    "14:0 (g)": "fa_14_0_g",
    "16:0 (g)": "fa_16_0_g",
    "18:0 (g)": "fa_18_0_g",
    "16:1 (g)": "fa_16_1_g",
    "18:1 (g)": "fa_18_1_g",
    "20:1 (g)": "fa_20_1_g",
    "22:1 (g)": "fa_22_1_g",
    "18:2 (g)": "fa_18_2_g",
    "18:3 (g)": "fa_18_3_g",
    "18:4 (g)": "fa_18_4_g",
    "20:4 (g)": "fa_20_4_g",
    "20:5 n-3 (g)": "fa_20_5_g",
    "22:5 n-3 (g)": "fa_22_5_g",
    "22:6 n-3 (g)": "fa_22_6_g",
    "Water (g)": "water_g",
}
_UNITS: Final = {
    "g": "g", "mg": "mg", "mcg": "µg", "mcg_RAE": "µg", "mcg_DFE": "µg", "kcal": "kcal"
}  # fmt: skip

IngredientKind = Literal["sr28", "fndds", "special"]


@dataclass(frozen=True, slots=True)
class FnddsFood:
    code: int
    name: str
    additional: str  # FNDDS "Additional food description": other names, examples
    category_code: str  # WWEIA category number
    category: str


@dataclass(frozen=True, slots=True)
class FnddsPortion:
    code: int
    seq: int
    amount: float
    unit: str
    grams: float


@dataclass(frozen=True, slots=True)
class Ingredient:
    """One recipe row: ``grams`` of ingredient ``code`` in food ``food``."""

    food: int
    seq: int
    code: int
    kind: IngredientKind
    description: str
    grams: float
    retention: int


@dataclass(frozen=True, slots=True)
class SpecialCode:
    """How a 6-digit FNDDS special ingredient is valued (``data/fndds_special_codes.csv``).

    ``rule`` is ``sr28`` (the values of SR28 food ``ndb``), ``fortificant`` (the
    explicit ``values`` per 100 g; every vitamin K key, calcium and water 0) or
    ``fdc_mk4`` (MK-4 of FDC Foundation food ``fdc_id``; K2 that MK-4 as a lower bound;
    everything else unknown)."""

    code: int
    description: str
    rule: str
    ndb: str
    fdc_id: str
    values: Mapping[str, float]
    reason: str


@dataclass(frozen=True, slots=True)
class Fndds:
    foods: tuple[FnddsFood, ...]
    portions: tuple[FnddsPortion, ...]
    values: Mapping[int, Mapping[str, float]]
    recipes: Mapping[int, tuple[Ingredient, ...]]
    moisture_1920: Mapping[int, tuple[float, tuple[tuple[int, float], ...]]]
    special: Mapping[int, SpecialCode]
    skipped_portions: int  # FNDDS portions without a weight (-9 or 0 g)


def _glance(path: Path) -> Iterator[dict[str, str]]:
    """Rows of an At-A-Glance CSV: skip the two-line title record, fold header breaks."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # the title
        header = [" ".join(name.split()) for name in next(reader)]
        for row in reader:
            if row:
                yield dict(zip(header, row, strict=True))


def _code(text: str) -> int:
    return int(float(text))


def read_foods(data_dir: Path) -> tuple[FnddsFood, ...]:
    return tuple(
        FnddsFood(
            code=_code(row["Food code"]),
            name=row["Main food description"].strip(),
            additional=row["Additional food description"].strip(),
            category_code=row["WWEIA Category number"].strip(),
            category=row["WWEIA Category description"].strip(),
        )
        for row in _glance(data_dir / FOODS_FILE)
    )


_AMOUNT = re.compile(r"^(\d+ \d+/\d+|\d+/\d+|\d+(?:\.\d+)?)\s+(\S.*)$")


def split_portion(description: str) -> tuple[float, str]:
    """``"1 cheeseburger"`` -> (1.0, "cheeseburger"); ``"1/2 cup"`` -> (0.5, "cup").

    A description without a leading amount ("Quantity not specified", "1-3 ring thin
    pretzel", "Guideline amount per cup") is one of itself: (1.0, description)."""
    match = _AMOUNT.match(description.strip())
    if match is None:
        return 1.0, description.strip()
    amount = float(sum((Fraction(part) for part in match.group(1).split()), Fraction(0)))
    return amount, match.group(2).strip()


def read_portions(data_dir: Path) -> tuple[tuple[FnddsPortion, ...], int]:
    """Every portion with a weight, generic ones first in FNDDS order, then the
    brand-specific (subcode) ones with the brand in brackets. Returns the portions and
    the count skipped for having no weight (-9 "not available", or 0 g)."""
    generic: dict[int, list[tuple[int, str, float]]] = defaultdict(list)
    branded: dict[int, list[tuple[int, str, float]]] = defaultdict(list)
    skipped = 0
    for row in _glance(data_dir / PORTIONS_FILE):
        grams = float(row["Portion weight (g)"])
        if grams <= 0:
            skipped += 1
            continue
        code = _code(row["Food code"])
        description = row["Portion description"].strip()
        entry = (int(row["Seq num"]), description, grams)
        if row["Subcode"].strip():
            brand = row["Subcode description"].strip()
            branded[code].append((int(row["Seq num"]), f"{description} ({brand})", grams))
        else:
            generic[code].append(entry)
    portions: list[FnddsPortion] = []
    for code in sorted(generic.keys() | branded.keys()):
        listed = sorted(generic.get(code, [])) + branded.get(code, [])
        for seq, (_, description, grams) in enumerate(listed, start=1):
            if description == UNSPECIFIED_PORTION:
                amount, unit = 1.0, description
            else:
                amount, unit = split_portion(description)
            portions.append(FnddsPortion(code, seq, amount, unit, grams))
    return tuple(portions), skipped


def read_values(data_dir: Path, units: Mapping[str, str]) -> dict[int, dict[str, float]]:
    """Nutrients per 100 g by food code, under vitk2 keys (``units``: key -> unit)."""
    table: dict[int, dict[str, float]] = {}
    for row in _glance(data_dir / VALUES_FILE):
        values: dict[str, float] = {}
        for column, text in row.items():
            if column in {"Food code", "Main food description", "WWEIA Category number",
                          "WWEIA Category description"}:  # fmt: skip
                continue
            key = NUTRIENT_COLUMNS.get(column)
            unit = column.rsplit("(", 1)[-1].rstrip(")")
            if key is None or _UNITS.get(unit) != units[key]:
                raise BuildError(
                    f"FNDDS nutrient column {column!r} has no vitk2 key with its unit; "
                    "add it to NUTRIENT_COLUMNS in vitk2/foods/build/fndds.py"
                )
            values[key] = float(text)
        table[_code(row["Food code"])] = values
    return table


def _kind(code_text: str) -> IngredientKind:
    digits = len(code_text.strip())
    if digits == 8:
        return "fndds"
    if digits == 6:
        return "special"
    if digits <= 5:
        return "sr28"
    raise BuildError(f"FNDDS ingredient code {code_text!r} is neither 4-5, 6 nor 8 digits")


def read_recipes(data_dir: Path) -> dict[int, tuple[Ingredient, ...]]:
    recipes: dict[int, list[Ingredient]] = defaultdict(list)
    with (data_dir / INGREDIENTS_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            food = _code(row["Food.code"])
            recipes[food].append(
                Ingredient(
                    food=food,
                    seq=int(row["Seq.num"]),
                    code=_code(row["Ingredient.code"]),
                    kind=_kind(row["Ingredient.code"]),
                    description=row["Ingredient.description"].strip(),
                    grams=float(row["Ingredient.weight"]),
                    retention=int(row["Retention.code"] or 0),
                )
            )
    return {food: tuple(sorted(rows, key=lambda r: r.seq)) for food, rows in recipes.items()}


def read_moisture_1920(data_dir: Path) -> dict[int, tuple[float, tuple[tuple[int, float], ...]]]:
    """2019-2020 moisture change (%) by food code, with that release's recipe as sorted
    (ingredient code, grams) pairs, so it is used only where the recipe is unchanged."""
    moisture: dict[int, float] = {}
    recipe: dict[int, list[tuple[int, float]]] = defaultdict(list)
    with (data_dir / MOISTURE_FILE).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = _code(row["Food code"])
            change = float(row["Moisture change (%)"])
            if moisture.setdefault(code, change) != change:
                raise BuildError(f"FNDDS 2019-2020 food {code} has two moisture changes")
            grams = round(float(row["Ingredient weight (g)"]), 3)
            recipe[code].append((_code(row["Ingredient code"]), grams))
    return {code: (moisture[code], tuple(sorted(recipe[code]))) for code in moisture}


def read_special_codes(data_dir: Path) -> dict[int, SpecialCode]:
    special: dict[int, SpecialCode] = {}
    with (data_dir / SPECIAL_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values: dict[str, float] = {}
            for part in filter(None, (p.strip() for p in row["values"].split(";"))):
                key, _, number = part.partition("=")
                values[key.strip()] = float(number)
            if row["rule"] not in {"sr28", "fortificant", "fdc_mk4"}:
                raise BuildError(f"{SPECIAL_FILE} code {row['code']}: unknown rule {row['rule']!r}")
            special[int(row["code"])] = SpecialCode(
                code=int(row["code"]),
                description=row["description"],
                rule=row["rule"],
                ndb=row["ndb"].strip(),
                fdc_id=row["fdc_id"].strip(),
                values=values,
                reason=row["reason"],
            )
    return special


def read_fndds(data_dir: Path, units: Mapping[str, str]) -> Fndds:
    """Everything the build reads from FNDDS, checked for consistency."""
    foods = read_foods(data_dir)
    portions, skipped = read_portions(data_dir)
    values = read_values(data_dir, units)
    recipes = read_recipes(data_dir)
    special = read_special_codes(data_dir)
    codes = {food.code for food in foods}
    if set(values) != codes or set(recipes) != codes:
        raise BuildError("FNDDS foods, nutrient values and recipes name different food codes")
    for rows in recipes.values():
        for row in rows:
            if row.kind == "fndds" and row.code not in codes:
                raise BuildError(f"FNDDS food {row.food} uses unknown sub-recipe {row.code}")
            if row.kind == "special" and row.code not in special:
                raise BuildError(
                    f"FNDDS food {row.food} uses special code {row.code} ({row.description}), "
                    f"which {SPECIAL_FILE} does not map"
                )
    return Fndds(
        foods=foods,
        portions=portions,
        values=values,
        recipes=recipes,
        moisture_1920=read_moisture_1920(data_dir),
        special=special,
        skipped_portions=skipped,
    )
