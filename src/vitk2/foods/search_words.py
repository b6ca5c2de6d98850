"""The word lists the food search reads (`vitk2.foods.search`): stopwords, words that
say little about a food, words that make it another product, and regional and everyday
names mapped to the words the food tables use. Written as people write them; the search
matches them as it indexes (singular, folded).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "DISH_WORDS",
    "PHRASES",
    "STOPWORDS",
    "SYNONYMS",
    "TYPED_CHANGING_WORDS",
    "TYPED_QUIET_WORDS",
    "WORD_SYNONYMS",
]

STOPWORDS: Final = frozenset({"a", "an", "the", "of", "some", "with", "and", "in", "on", "my", "w"})

# Words whose presence in a food name says little beyond the default form: an
# unmatched one costs less than an unmatched word that changes the food.
TYPED_QUIET_WORDS: Final = frozenset(
    {
        "raw", "whole", "fresh", "plain", "regular", "fluid", "mature", "edible", "all",
        "commercial", "variety", "type", "includes", "nfs", "ready", "to", "eat", "unprepared",
        "year", "round", "average", "without", "salt", "added", "enriched", "natural",
        "cultured", "usda", "commodity", "dryheat", "moistheat", "previously", "may", "have",
        "been", "not", "specie", "vitamin", "d", "a", "milkfat", "with", "ascorbic", "acid",
        "nut", "fish", "spice", "beverage", "cereal", "snack", "crustacean", "mollusk",
        "game", "seed", "vegetable", "mixed", "composite", "class", "broiler",
        "fryer", "drained", "solids", "meat", "only", "by", "kernel", "trimmed", "separable",
        "lean", "fat", "0", "1", "2", "3", "4", "8", "inch", "trim", "choice", "grade",
        "retail", "cut", "for", "use", "or", "commercially", "prepared", "brewed",
        "fleshandskin", "tap", "water", "gram", "protein", "per", "ounce",
    }
)  # fmt: skip

# British and other regional names → the words SR28 uses. Keys and values are
# normalised token strings; multi-word keys are matched as phrases first.
SYNONYMS: Final[dict[str, str]] = {
    "aubergine": "eggplant",
    "courgette": "zucchini",
    "yoghurt": "yogurt",
    "yogourt": "yogurt",
    "rocket": "arugula",
    "coriander leaf": "coriander leaves raw",
    "fresh coriander": "coriander leaves raw",
    "prawn": "shrimp",
    "king prawn": "shrimp",
    "minced beef": "ground beef",
    "beef mince": "ground beef",
    "mince": "ground beef",
    "porridge": "oatmeal cooked",
    "spring onion": "scallions",
    "swede": "rutabaga",
    "beetroot": "beets",
    "garbanzo": "chickpeas",
    "chick pea": "chickpeas",
    "single cream": "cream light",
    "double cream": "cream heavy whipping",
    "whipping cream": "cream heavy whipping",
    "heavy cream": "cream heavy whipping",
    "jacket potato": "potato baked flesh and skin",
    "streaky bacon": "bacon",
    "semi skimmed milk": "milk reduced fat 2",
    "semi skimmed": "reduced fat 2",
    "skimmed milk": "milk nonfat",
    "skim milk": "milk nonfat",
    "skimmed": "nonfat",
    "emmental": "swiss",
    "emmenthal": "swiss",
    "emmentaler": "swiss",
    "mangetout": "snow peas",
    "sweetcorn": "corn sweet",
    "courgettes": "zucchini",
    "runner bean": "beans snap",
    "broad bean": "fava beans",
    "ghee": "butter oil anhydrous",
    "nori": "seaweed laver",
    "mayo": "mayonnaise",
    "wholemeal": "whole wheat",
    "wholewheat": "whole wheat",
    "fish finger": "fish sticks",
    "sticky rice": "rice glutinous",
    "black coffee": "coffee brewed",
    "steam": "cook boil",
    "hot dog": "frankfurter",
    "hotdog": "frankfurter",
    "string cheese": "cheese mozzarella low moisture part skim",
    "flax": "flaxseed",
    "linseed": "flaxseed",
    "icing sugar": "sugar powdered",
    "caster sugar": "sugar granulated",
    "treacle": "molasses",
    "golden syrup": "syrup",
    "minced meat": "ground beef",
    "candy floss": "cotton candy",
    "jam": "jams and preserves",
    "soya": "soy",
    "soya milk": "soymilk",
    "soy milk": "soymilk",
    "pecorino": "romano",
    "hardboiled": "hard boiled",
    "boiled egg": "egg hard boiled",
    "ketchup": "catsup",
    "aubergines": "eggplant",
    "pitta": "pita",
    "chilli": "chili",
    "mussel": "mussels",
    "rapeseed oil": "canola oil",
    "rapeseed": "canola",
    "groundnut": "peanut",
    "spuds": "potatoes",
    "potato crisp": "potato chips",
    "unsalted": "without salt",
    "sultana": "raisins",
    "mac and cheese": "macaroni and cheese",
    "mac n cheese": "macaroni and cheese",
    "kiwi": "kiwifruit",
    "kiwis": "kiwifruit",
    "green onion": "scallions",
    "spring onions": "scallions",
    "coke": "cola",
    "black pudding": "blood sausage",
    "marmite": "yeast extract spread",
    "vegemite": "yeast extract spread",
    "corn on the cob": "corn sweet yellow cooked boiled",
    "diet coke": "cola low calorie",
    "diet cola": "cola low calorie",
    "toast": "bread white toast",
    "extra virgin": "",
    "virgin": "",
    # Everyday names of foods and dishes the tables spell another way (issue 12).
    "omelette": "omelet",
    "bbq": "barbecue",
    "kebab": "kabob",
    "kebob": "kabob",
    "milkshake": "milk shake",
    "foo young": "foo yung",
    "crisps": "potato chips",
    "spaghetti bolognese": "pasta with tomato based sauce and meat",
    "bolognese": "tomato based sauce and meat",
    "pb j": "peanut butter and jelly sandwich",
    "pbj": "peanut butter and jelly sandwich",
    "blt": "bacon lettuce and tomato sandwich",
    "sub": "submarine sandwich",
    "nutella": "chocolate flavored hazelnut spread",
    "cheese stick": "cheese mozzarella low moisture part skim",
    "sweet tea": "tea iced brewed black pre sweetened with sugar",
    "chicken parmesan": "chicken parmigiana",
    "chicken parm": "chicken parmigiana",
    "bangers": "pork sausage",
    "margherita": "cheese",  # a margherita pizza is a cheese (tomato, mozzarella) pizza
    "meatloaf": "meat loaf",
    "natural yoghurt": "plain yogurt",
    "natural yogurt": "plain yogurt",
    "french toast": "french toast",  # not French bread toasted
    "iced tea": "tea iced",
    "buffalo wing": "chicken wing with hot sauce",
}
# Words matched before the singular is taken: "fries" is French fries, not "fried".
WORD_SYNONYMS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"\b(?<!french )fries\b"), "french fries"),
)


PHRASES: Final = (
    ("dry heat", "dryheat"),
    ("moist heat", "moistheat"),
    ("flesh and skin", "fleshandskin"),
    ("w/", "with "),
    ("m&ms", "m&m's"),
)


# Words that turn a food into a different product (a substitute, a dried form, a
# dish, a reduced-fat variant...). A name holding one the query does not ask for
# is pushed down hard: "milk" should not find "Milk, dry" or "Milk shakes".
TYPED_CHANGING_WORDS: Final = frozenset(
    {
        "substitute", "imitation", "meatless", "topping", "babyfood", "baby", "infant",
        "formula", "toddler", "dry", "dried", "powder", "powdered", "dehydrated", "mix",
        "spread", "sandwich", "salad", "sauce", "soup", "gravy", "flavored", "candy", "candie",
        "dessert", "low", "free", "nonfat", "lowfat", "reduced", "light", "lite", "sodium",
        "analog", "cracker", "prepackaged", "kit", "shake", "tender", "breaded", "restaurant",
        "school", "glazed", "imported", "zealand", "australian", "native", "alaska", "navajo",
        "hopi", "shoshone", "apache", "frozen", "condensed", "evaporated", "concentrate",
        "concentrated", "bar", "chip", "pie", "cake", "roll", "stick", "bit", "strip",
        "filling", "juice", "flour", "bran", "germ", "pickled", "smoked", "stuffed",
        "fortified", "enhanced", "calcium", "lactose", "solution", "oil", "unsalted",
        "buttermilk", "human", "goat", "sheep", "buffalo", "chocolate", "vanilla", "strawberry",
        "fruit", "honey", "sweetened", "unsweetened", "diet", "decaffeinated", "instant",
        "batter", "dough", "refrigerated", "heated", "microwaved", "meal", "dinner", "entree",
        "frankfurter", "loaf", "patty", "nugget", "fillet", "steak", "liver", "giblet", "skin",
        "neck", "back", "wing", "thigh", "drumstick", "breast", "leg", "gizzard", "heart",
        "butter", "paste", "puree", "dressing", "relish", "drink", "cocktail", "nectar",
        "syrup", "extract", "crisp", "liqueur", "greek", "alcoholic", "vodka", "rum", "gin",
        "whiskey", "tequila", "brandy", "wine", "beer",
    }
)  # fmt: skip

# Words that name a dish ("pulled pork sandwich", "chicken curry"): a query that ends
# in one names that dish, and a food whose name lacks the word is another food
# ("Pulled pork in barbecue sauce"). The dish words of issue 12, and their kin.
DISH_WORDS: Final = frozenset(
    {
        "sandwich", "wrap", "burger", "hamburger", "cheeseburger", "pizza", "curry",
        "lasagna", "soup", "salad", "stew", "casserole", "burrito", "taco", "enchilada",
        "quesadilla", "rice",
    }
)  # fmt: skip
