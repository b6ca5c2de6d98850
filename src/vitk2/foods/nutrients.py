"""The nutrient vocabulary: one key per nutrient, its unit, and where SR28 keeps it.

Keys are snake_case and end in their unit (``calcium_mg``, ``vitd_ug``) so a plain
number in JSON or Python always says what it measures. Vitamin K is split by
vitamer: ``k1_ug`` (phylloquinone, SR28 430), ``dk1_ug`` (dihydrophylloquinone,
SR28 429), ``mk4_ug`` (menaquinone-4, SR28 428), ``mk5_ug`` … ``mk13_ug`` (literature
only), ``k2_ug`` (sum of menaquinones) and ``vitk_ug`` (all vitamin K).

SR28 nutrient 324 (vitamin D in IU) has no key: vitamin D is kept in µg only
(40 IU = 1 µg); the food database build converts 324 where 328 is missing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Final

from vitk2.errors import UnknownNutrientError

__all__ = [
    "K2_KEYS",
    "MENAQUINONE_KEYS",
    "NUTRIENTS",
    "VITAMIN_K_KEYS",
    "Nutrient",
    "get_nutrient",
    "resolve_nutrient",
]


@dataclass(frozen=True, slots=True)
class Nutrient:
    """One nutrient: its key, display name, unit and SR28 nutrient number (if any)."""

    key: str
    name: str
    unit: str
    sr_number: str | None
    sort: int
    vitamin_k: bool = False


# (SR28 Nutr_No, key, SR28 description, unit, SR28 SR_Order)
_SR28_NUTRIENTS: Final[tuple[tuple[str, str, str, str, int], ...]] = (
    ("203", "protein_g", "Protein", "g", 600),
    ("204", "fat_g", "Total lipid (fat)", "g", 800),
    ("205", "carbs_g", "Carbohydrate, by difference", "g", 1100),
    ("207", "ash_g", "Ash", "g", 1000),
    ("208", "energy_kcal", "Energy", "kcal", 300),
    ("209", "starch_g", "Starch", "g", 2200),
    ("210", "sucrose_g", "Sucrose", "g", 1600),
    ("211", "glucose_g", "Glucose (dextrose)", "g", 1700),
    ("212", "fructose_g", "Fructose", "g", 1800),
    ("213", "lactose_g", "Lactose", "g", 1900),
    ("214", "maltose_g", "Maltose", "g", 2000),
    ("221", "alcohol_g", "Alcohol, ethyl", "g", 18200),
    ("255", "water_g", "Water", "g", 100),
    ("257", "adjusted_protein_g", "Adjusted Protein", "g", 700),
    ("262", "caffeine_mg", "Caffeine", "mg", 18300),
    ("263", "theobromine_mg", "Theobromine", "mg", 18400),
    ("268", "energy_kj", "Energy", "kJ", 400),
    ("269", "sugars_g", "Sugars, total", "g", 1500),
    ("287", "galactose_g", "Galactose", "g", 2100),
    ("291", "fiber_g", "Fiber, total dietary", "g", 1200),
    ("301", "calcium_mg", "Calcium, Ca", "mg", 5300),
    ("303", "iron_mg", "Iron, Fe", "mg", 5400),
    ("304", "magnesium_mg", "Magnesium, Mg", "mg", 5500),
    ("305", "phosphorus_mg", "Phosphorus, P", "mg", 5600),
    ("306", "potassium_mg", "Potassium, K", "mg", 5700),
    ("307", "sodium_mg", "Sodium, Na", "mg", 5800),
    ("309", "zinc_mg", "Zinc, Zn", "mg", 5900),
    ("312", "copper_mg", "Copper, Cu", "mg", 6000),
    ("313", "fluoride_ug", "Fluoride, F", "µg", 6240),
    ("315", "manganese_mg", "Manganese, Mn", "mg", 6100),
    ("317", "selenium_ug", "Selenium, Se", "µg", 6200),
    ("318", "vita_iu", "Vitamin A, IU", "IU", 7500),
    ("319", "retinol_ug", "Retinol", "µg", 7430),
    ("320", "vita_rae_ug", "Vitamin A, RAE", "µg", 7420),
    ("321", "beta_carotene_ug", "Carotene, beta", "µg", 7440),
    ("322", "alpha_carotene_ug", "Carotene, alpha", "µg", 7450),
    ("323", "vite_mg", "Vitamin E (alpha-tocopherol)", "mg", 7900),
    ("325", "vitd2_ug", "Vitamin D2 (ergocalciferol)", "µg", 8710),
    ("326", "vitd3_ug", "Vitamin D3 (cholecalciferol)", "µg", 8720),
    ("328", "vitd_ug", "Vitamin D (D2 + D3)", "µg", 8700),
    ("334", "beta_cryptoxanthin_ug", "Cryptoxanthin, beta", "µg", 7460),
    ("337", "lycopene_ug", "Lycopene", "µg", 7530),
    ("338", "lutein_zeaxanthin_ug", "Lutein + zeaxanthin", "µg", 7560),
    ("341", "tocopherol_beta_mg", "Tocopherol, beta", "mg", 8000),
    ("342", "tocopherol_gamma_mg", "Tocopherol, gamma", "mg", 8100),
    ("343", "tocopherol_delta_mg", "Tocopherol, delta", "mg", 8200),
    ("344", "tocotrienol_alpha_mg", "Tocotrienol, alpha", "mg", 8300),
    ("345", "tocotrienol_beta_mg", "Tocotrienol, beta", "mg", 8400),
    ("346", "tocotrienol_gamma_mg", "Tocotrienol, gamma", "mg", 8500),
    ("347", "tocotrienol_delta_mg", "Tocotrienol, delta", "mg", 8600),
    ("401", "vitc_mg", "Vitamin C, total ascorbic acid", "mg", 6300),
    ("404", "thiamin_mg", "Thiamin", "mg", 6400),
    ("405", "riboflavin_mg", "Riboflavin", "mg", 6500),
    ("406", "niacin_mg", "Niacin", "mg", 6600),
    ("410", "pantothenic_acid_mg", "Pantothenic acid", "mg", 6700),
    ("415", "vitb6_mg", "Vitamin B-6", "mg", 6800),
    ("417", "folate_ug", "Folate, total", "µg", 6900),
    ("418", "vitb12_ug", "Vitamin B-12", "µg", 7300),
    ("421", "choline_mg", "Choline, total", "mg", 7220),
    ("428", "mk4_ug", "Menaquinone-4", "µg", 8950),
    ("429", "dk1_ug", "Dihydrophylloquinone", "µg", 8900),
    ("430", "k1_ug", "Vitamin K (phylloquinone)", "µg", 8800),
    ("431", "folic_acid_ug", "Folic acid", "µg", 7000),
    ("432", "folate_food_ug", "Folate, food", "µg", 7100),
    ("435", "folate_dfe_ug", "Folate, DFE", "µg", 7200),
    ("454", "betaine_mg", "Betaine", "mg", 7270),
    ("501", "tryptophan_g", "Tryptophan", "g", 16300),
    ("502", "threonine_g", "Threonine", "g", 16400),
    ("503", "isoleucine_g", "Isoleucine", "g", 16500),
    ("504", "leucine_g", "Leucine", "g", 16600),
    ("505", "lysine_g", "Lysine", "g", 16700),
    ("506", "methionine_g", "Methionine", "g", 16800),
    ("507", "cystine_g", "Cystine", "g", 16900),
    ("508", "phenylalanine_g", "Phenylalanine", "g", 17000),
    ("509", "tyrosine_g", "Tyrosine", "g", 17100),
    ("510", "valine_g", "Valine", "g", 17200),
    ("511", "arginine_g", "Arginine", "g", 17300),
    ("512", "histidine_g", "Histidine", "g", 17400),
    ("513", "alanine_g", "Alanine", "g", 17500),
    ("514", "aspartic_acid_g", "Aspartic acid", "g", 17600),
    ("515", "glutamic_acid_g", "Glutamic acid", "g", 17700),
    ("516", "glycine_g", "Glycine", "g", 17800),
    ("517", "proline_g", "Proline", "g", 17900),
    ("518", "serine_g", "Serine", "g", 18000),
    ("521", "hydroxyproline_g", "Hydroxyproline", "g", 18100),
    ("573", "vite_added_mg", "Vitamin E, added", "mg", 7920),
    ("578", "vitb12_added_ug", "Vitamin B-12, added", "µg", 7340),
    ("601", "cholesterol_mg", "Cholesterol", "mg", 15700),
    ("605", "fat_trans_g", "Fatty acids, total trans", "g", 15400),
    ("606", "fat_sat_g", "Fatty acids, total saturated", "g", 9700),
    ("607", "fa_4_0_g", "4:0", "g", 9800),
    ("608", "fa_6_0_g", "6:0", "g", 9900),
    ("609", "fa_8_0_g", "8:0", "g", 10000),
    ("610", "fa_10_0_g", "10:0", "g", 10100),
    ("611", "fa_12_0_g", "12:0", "g", 10300),
    ("612", "fa_14_0_g", "14:0", "g", 10500),
    ("613", "fa_16_0_g", "16:0", "g", 10700),
    ("614", "fa_18_0_g", "18:0", "g", 10900),
    ("615", "fa_20_0_g", "20:0", "g", 11100),
    ("617", "fa_18_1_g", "18:1 undifferentiated", "g", 12100),
    ("618", "fa_18_2_g", "18:2 undifferentiated", "g", 13100),
    ("619", "fa_18_3_g", "18:3 undifferentiated", "g", 13900),
    ("620", "fa_20_4_g", "20:4 undifferentiated", "g", 14700),
    ("621", "fa_22_6_g", "22:6 n-3 (DHA)", "g", 15300),
    ("624", "fa_22_0_g", "22:0", "g", 11200),
    ("625", "fa_14_1_g", "14:1", "g", 11500),
    ("626", "fa_16_1_g", "16:1 undifferentiated", "g", 11700),
    ("627", "fa_18_4_g", "18:4", "g", 14250),
    ("628", "fa_20_1_g", "20:1", "g", 12400),
    ("629", "fa_20_5_g", "20:5 n-3 (EPA)", "g", 15000),
    ("630", "fa_22_1_g", "22:1 undifferentiated", "g", 12500),
    ("631", "fa_22_5_g", "22:5 n-3 (DPA)", "g", 15200),
    ("636", "phytosterols_mg", "Phytosterols", "mg", 15800),
    ("638", "stigmasterol_mg", "Stigmasterol", "mg", 15900),
    ("639", "campesterol_mg", "Campesterol", "mg", 16000),
    ("641", "beta_sitosterol_mg", "Beta-sitosterol", "mg", 16200),
    ("645", "fat_mono_g", "Fatty acids, total monounsaturated", "g", 11400),
    ("646", "fat_poly_g", "Fatty acids, total polyunsaturated", "g", 12900),
    ("652", "fa_15_0_g", "15:0", "g", 10600),
    ("653", "fa_17_0_g", "17:0", "g", 10800),
    ("654", "fa_24_0_g", "24:0", "g", 11300),
    ("662", "fa_16_1_t_g", "16:1 t", "g", 11900),
    ("663", "fa_18_1_t_g", "18:1 t", "g", 12300),
    ("664", "fa_22_1_t_g", "22:1 t", "g", 12700),
    ("665", "fa_18_2_t_nfd_g", "18:2 t not further defined", "g", 13800),
    ("666", "fa_18_2_i_g", "18:2 i", "g", 13700),
    ("669", "fa_18_2_tt_g", "18:2 t,t", "g", 13600),
    ("670", "fa_18_2_cla_g", "18:2 CLAs", "g", 13300),
    ("671", "fa_24_1_c_g", "24:1 c", "g", 12800),
    ("672", "fa_20_2_cn6_g", "20:2 n-6 c,c", "g", 14300),
    ("673", "fa_16_1_c_g", "16:1 c", "g", 11800),
    ("674", "fa_18_1_c_g", "18:1 c", "g", 12200),
    ("675", "fa_18_2_cn6_g", "18:2 n-6 c,c", "g", 13200),
    ("676", "fa_22_1_c_g", "22:1 c", "g", 12600),
    ("685", "fa_18_3_cn6_g", "18:3 n-6 c,c,c", "g", 14100),
    ("687", "fa_17_1_g", "17:1", "g", 12000),
    ("689", "fa_20_3_g", "20:3 undifferentiated", "g", 14400),
    ("693", "fat_trans_mono_g", "Fatty acids, total trans-monoenoic", "g", 15500),
    ("695", "fat_trans_poly_g", "Fatty acids, total trans-polyenoic", "g", 15600),
    ("696", "fa_13_0_g", "13:0", "g", 10400),
    ("697", "fa_15_1_g", "15:1", "g", 11600),
    ("851", "fa_18_3_cn3_g", "18:3 n-3 c,c,c (ALA)", "g", 14000),
    ("852", "fa_20_3_n3_g", "20:3 n-3", "g", 14500),
    ("853", "fa_20_3_n6_g", "20:3 n-6", "g", 14600),
    ("855", "fa_20_4_n6_g", "20:4 n-6", "g", 14900),
    ("856", "fa_18_3_i_g", "18:3i", "g", 14200),
    ("857", "fa_21_5_g", "21:5", "g", 15100),
    ("858", "fa_22_4_g", "22:4", "g", 15160),
    ("859", "fa_18_1_tn7_g", "18:1-11 t (18:1t n-7)", "g", 12310),
)

MENAQUINONE_KEYS: Final[tuple[str, ...]] = tuple(f"mk{n}_ug" for n in range(4, 14))
VITAMIN_K_KEYS: Final[tuple[str, ...]] = ("k1_ug", "dk1_ug", *MENAQUINONE_KEYS, "k2_ug", "vitk_ug")
K2_KEYS: Final[tuple[str, ...]] = MENAQUINONE_KEYS

_VITK_NAMES: Final[dict[str, str]] = {
    "k1_ug": "Vitamin K1 (phylloquinone)",
    "dk1_ug": "Dihydrophylloquinone (dihydro-K1)",
    **{f"mk{n}_ug": f"Menaquinone-{n} (MK-{n})" for n in range(4, 14)},
    "k2_ug": "Vitamin K2 (sum of menaquinones)",
    "vitk_ug": "Vitamin K (all vitamers)",
}


def _build() -> dict[str, Nutrient]:
    table: dict[str, Nutrient] = {}
    for number, key, name, unit, sort in _SR28_NUTRIENTS:
        is_k = key in VITAMIN_K_KEYS
        table[key] = Nutrient(
            key=key,
            name=_VITK_NAMES[key] if is_k else name,
            unit=unit,
            sr_number=number,
            sort=sort,
            vitamin_k=is_k,
        )
    for index, key in enumerate(VITAMIN_K_KEYS):
        if key not in table:
            table[key] = Nutrient(key, _VITK_NAMES[key], "µg", None, 8800 + index, True)
    return dict(sorted(table.items(), key=lambda item: item[1].sort))


NUTRIENTS: Final[dict[str, Nutrient]] = _build()

# Short names people type on the command line.
_ALIASES: Final[dict[str, str]] = {
    "k2": "k2_ug",
    "vitamin_k2": "k2_ug",
    "menaquinone": "k2_ug",
    "menaquinones": "k2_ug",
    "k1": "k1_ug",
    "vitamin_k1": "k1_ug",
    "phylloquinone": "k1_ug",
    "dk1": "dk1_ug",
    "vitk": "vitk_ug",
    "vitamin_k": "vitk_ug",
    "vitd": "vitd_ug",
    "vitamin_d": "vitd_ug",
    "d": "vitd_ug",
    "calcium": "calcium_mg",
    "ca": "calcium_mg",
    "energy": "energy_kcal",
    "kcal": "energy_kcal",
    "calories": "energy_kcal",
    "carbs": "carbs_g",
    "carbohydrate": "carbs_g",
    "fiber": "fiber_g",
    "fibre": "fiber_g",
    **{f"mk{n}": f"mk{n}_ug" for n in range(4, 14)},
    **{f"mk-{n}": f"mk{n}_ug" for n in range(4, 14)},
}


def get_nutrient(key: str) -> Nutrient:
    """Return the nutrient for an exact key or alias; raise `UnknownNutrientError`."""
    return resolve_nutrient(key)


def resolve_nutrient(text: str) -> Nutrient:
    """Resolve a key, an alias (``k2``, ``mk7``, ``vitd``, ``calcium``) or a key without
    its unit suffix (``protein``) to a `Nutrient`."""
    wanted = text.strip().lower().replace(" ", "_")
    if wanted in NUTRIENTS:
        return NUTRIENTS[wanted]
    if wanted in _ALIASES:
        return NUTRIENTS[_ALIASES[wanted]]
    by_stem = [n for n in NUTRIENTS.values() if n.key.rsplit("_", 1)[0] == wanted]
    if len(by_stem) == 1:
        return by_stem[0]
    choices = [*NUTRIENTS, *_ALIASES]
    close = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.6)
    raise UnknownNutrientError(text, suggestions=tuple(close))
