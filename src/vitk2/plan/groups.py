"""What a food holds, for diet patterns and exclusions: milk, egg, meat, fish, soy,
honey, or an animal ingredient the data do not name.

The rules read the data, not guesses (docs/plan.md lists them):

* **SR28 animal groups**: Dairy and Egg Products hold milk (names starting "Egg" hold
  egg); poultry, sausages and luncheon meats, pork, beef, lamb, veal and game hold
  meat; finfish and shellfish hold fish. Their names are not read.
* **Other SR28 groups** (plants, soups, sauces, fats, beverages, cereals, baked
  goods …): the words of the name (`MILK_WORDS` …, after plant phrases such as
  "peanut butter", "almond milk", "cream of wheat" or "eggplant" are set aside), and
  cholesterol, which only animal ingredients bring: a food whose cholesterol is above
  0 (or, outside the plant groups, not known) and whose name names no animal food
  holds an *animal* ingredient the data do not name, which every pattern but the
  omnivore one leaves out.
* **FNDDS foods as eaten**: the union over their recipe, sub-recipes expanded, with
  each SR28 ingredient classed as above (FNDDS's special codes as the SR28 food they
  are valued as; the chorizo code as meat). So a vegan plan never holds a dish whose
  recipe holds milk, egg, meat or fish.
* **Soy** anywhere by name (soy, soybean, tofu, tempeh, natto, miso, edamame, tamari
  …), and in a dish through its ingredients.

>>> classes_from_name("Peanut butter, smooth style, with salt", "Legumes and Legume Products", 0.0)
frozenset()
>>> sorted(classes_from_name("Soup, cream of chicken, canned", "Soups, Sauces, and Gravies", 10.0))
['meat', 'milk']
>>> sorted(classes_from_name("Cookies, sugar, refrigerated dough", "Baked Products", 25.0))
['animal']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from vitk2.errors import InvalidOptionError, quoted

__all__ = [
    "CLASSES",
    "DIETS",
    "Diet",
    "Exclusions",
    "FoodClass",
    "classes_from_name",
    "classify_foods",
    "ingredient_names",
    "read_exclusions",
]

FoodClass = Literal["milk", "egg", "meat", "fish", "soy", "honey", "animal"]
CLASSES: Final[tuple[FoodClass, ...]] = ("milk", "egg", "meat", "fish", "soy", "honey", "animal")
Diet = Literal[
    "omnivore", "pescatarian", "vegetarian", "vegan", "dairy-free", "egg-free", "soy-free"
]
#: What each pattern leaves out. "animal" (an animal ingredient the data do not name)
#: is left out by every pattern that leaves out any animal food.
DIETS: Final[Mapping[Diet, frozenset[FoodClass]]] = {
    "omnivore": frozenset(),
    "pescatarian": frozenset({"meat", "animal"}),
    "vegetarian": frozenset({"meat", "fish", "animal"}),
    "vegan": frozenset({"milk", "egg", "meat", "fish", "honey", "animal"}),
    "dairy-free": frozenset({"milk", "animal"}),
    "egg-free": frozenset({"egg", "animal"}),
    "soy-free": frozenset({"soy"}),
}
#: ``--exclude`` words that name a class rather than a food.
CLASS_WORDS: Final[Mapping[str, FoodClass]] = {
    "dairy": "milk", "egg": "egg", "eggs": "egg", "meat": "meat", "meats": "meat",
    "fish": "fish", "seafood": "fish", "shellfish": "fish", "soy": "soy", "soya": "soy",
    "honey": "honey",
}  # fmt: skip

_SR28_ANIMAL_GROUPS: Final[Mapping[str, FoodClass]] = {
    "Poultry Products": "meat",
    "Sausages and Luncheon Meats": "meat",
    "Pork Products": "meat",
    "Beef Products": "meat",
    "Lamb, Veal, and Game Products": "meat",
    "Finfish and Shellfish Products": "fish",
}
_DAIRY_AND_EGG: Final = "Dairy and Egg Products"
#: Plant groups: an unknown cholesterol value there does not mean an animal ingredient.
_PLANT_GROUPS: Final = frozenset(
    {
        "Spices and Herbs", "Fruits and Fruit Juices", "Vegetables and Vegetable Products",
        "Nut and Seed Products", "Legumes and Legume Products", "Cereal Grains and Pasta",
    }
)  # fmt: skip
_CHORIZO_CODE: Final = "special:100173"

# Plant phrases set aside before the animal words are looked for.
_PLANT_PHRASES = re.compile(
    r"\b(?:peanut|almond|cashew|sesame|sunflower|nut|apple|cocoa|soy|soya|seed|hazelnut|"
    r"pistachio|macadamia|walnut|pecan|pumpkin)[\s-]+butter\b|\bbutter\s*beans?\b|"
    r"\bcream\s+of\s+(?:tartar|wheat|rice)\b|"
    r"\b(?:coconut|almond|soy|soya|rice|oat|cashew|hemp|flax|pea)[\s-]+"
    r"(?:milk|cream|beverage|yogurt|cheese)\b|\bvegetable\s+(?:broth|stock|bouillon)\b|"
    r"\b(?:veggie|vegetable|soy|bean|garden)\s+(?:burger|patty|patties)\b"
)
_TOKEN = re.compile(r"[a-z]+")
MILK_WORDS: Final = (
    "milk milks cheese cheeses cheesy butter buttered buttermilk cream creams creamed creamy "
    "yogurt yoghurt whey casein caseinate kefir ghee lactose curd curds custard pudding "
    "puddings paneer ricotta mozzarella parmesan cheddar formula cheeseburger cheeseburgers"
)
EGG_WORDS: Final = (
    "egg eggs yolk yolks mayonnaise mayo meringue custard eggnog omelet omelette quiche souffle"
)
MEAT_WORDS: Final = (
    "beef pork ham hams bacon chicken turkey duck goose lamb mutton veal venison bison "
    "buffalo elk rabbit meat meats meatball meatballs sausage sausages salami burger burgers "
    "hamburger hamburgers cheeseburger cheeseburgers "
    "pepperoni frankfurter frankfurters hotdog bologna liverwurst pastrami prosciutto chorizo "
    "lard tallow suet gelatin gelatine broth stock bouillon gravy giblets liver poultry "
    "pheasant quail squab caribou moose boar squirrel seal whale walrus"
)
FISH_WORDS: Final = (
    "fish fishes salmon tuna cod anchovy anchovies sardine sardines herring mackerel trout "
    "halibut tilapia catfish pollock haddock flounder carp perch pike snapper swordfish "
    "shark eel roe caviar shrimp prawn prawns crab lobster crayfish clam clams oyster "
    "oysters mussel mussels scallop scallops squid octopus calamari seafood shellfish "
    "surimi worcestershire bonito dashi smelt"
)
SOY_WORDS: Final = "soy soya soybean soybeans soymilk tofu tempeh natto miso edamame tamari okara"
HONEY_WORDS: Final = "honey"


_NAME_WORDS: Final[tuple[tuple[FoodClass, frozenset[str]], ...]] = (
    ("milk", frozenset(MILK_WORDS.split())),
    ("egg", frozenset(EGG_WORDS.split())),
    ("meat", frozenset(MEAT_WORDS.split())),
    ("fish", frozenset(FISH_WORDS.split())),
    ("honey", frozenset(HONEY_WORDS.split())),
)
_SOY: Final = frozenset(SOY_WORDS.split())
_ANIMAL: Final = frozenset({"milk", "egg", "meat", "fish", "honey"})


def classes_from_name(name: str, group: str, cholesterol_mg: float | None) -> frozenset[FoodClass]:
    """The classes of an SR28 food from its group name, its name and its cholesterol
    per 100 g (None: unknown)."""
    found: set[FoodClass] = set()
    lower = name.lower()
    if _SOY.intersection(_TOKEN.findall(lower)):
        found.add("soy")
    if group in _SR28_ANIMAL_GROUPS:
        return frozenset({*found, _SR28_ANIMAL_GROUPS[group]})
    if group == _DAIRY_AND_EGG:
        return frozenset({*found, "egg" if name.lower().startswith("egg") else "milk"})
    words = set(_TOKEN.findall(_PLANT_PHRASES.sub(" ", lower)))
    found.update(cls for cls, names in _NAME_WORDS if not names.isdisjoint(words))
    if not found & _ANIMAL:
        unknown = cholesterol_mg is None and group not in _PLANT_GROUPS
        if unknown or (cholesterol_mg is not None and cholesterol_mg > 0):
            found.add("animal")
    return frozenset(found)


def classify_foods(
    foods: Mapping[str, tuple[str, str, float | None]],
    recipes: Mapping[str, Sequence[tuple[str, float]]],
) -> dict[str, frozenset[FoodClass]]:
    """Classes of every food: ``foods`` maps a food id to (name, SR28 group name or
    WWEIA category, cholesterol per 100 g or None); ``recipes`` the FNDDS recipes
    (`FoodDB.recipe_rows`). An FNDDS food holds what its ingredients hold."""
    classes: dict[str, frozenset[FoodClass]] = {
        food: classes_from_name(name, group, cholesterol)
        for food, (name, group, cholesterol) in foods.items()
        if food.startswith("usda:")
    }

    def of(food: str, seen: frozenset[str]) -> frozenset[FoodClass]:
        if food in classes:
            return classes[food]
        if food == _CHORIZO_CODE:
            return frozenset({"meat"})
        if food in seen or food not in recipes:  # a cycle, or a code valued as nothing
            return frozenset()
        found = frozenset().union(*(of(i, seen | {food}) for i, _ in recipes[food]))
        classes[food] = found
        return found

    for food in foods:
        if food.startswith("fndds:"):
            of(food, frozenset())
    return {food: classes.get(food, frozenset()) for food in foods}


def ingredient_names(
    names: Mapping[str, str], recipes: Mapping[str, Sequence[tuple[str, float]]]
) -> dict[str, tuple[str, ...]]:
    """For each FNDDS food, the names of the SR28 foods in its recipe, sub-recipes
    expanded (what an exclusion is matched against besides the food's own name)."""
    memo: dict[str, tuple[str, ...]] = {}

    def of(food: str, seen: frozenset[str]) -> tuple[str, ...]:
        if food in memo:
            return memo[food]
        if food not in recipes or food in seen:
            return (names[food],) if food in names and food.startswith("usda:") else ()
        found = tuple(dict.fromkeys(n for i, _ in recipes[food] for n in of(i, seen | {food})))
        memo[food] = found
        return found

    return {food: of(food, frozenset()) for food in recipes}


def _stem(word: str) -> str:
    for ending in ("ies", "es", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()))


@dataclass(frozen=True, slots=True)
class Exclusions:
    """What a plan leaves out: classes (from ``--diet`` and class words such as
    ``soy`` or ``dairy``) and foods named by text (every word of one text must be a
    word of the food's name or of one of its ingredients' names, plurals aside)."""

    classes: frozenset[FoodClass]
    texts: tuple[str, ...]
    diets: tuple[Diet, ...] = ()

    def _word_sets(self) -> tuple[frozenset[str], ...]:
        return tuple(_stems(text) for text in self.texts)

    def excludes(
        self, classes: Iterable[FoodClass], names: Iterable[str]
    ) -> tuple[str, str] | None:
        """Why a food with these classes and names (its own and its ingredients') is
        left out: (kind, what), or None."""
        held = set(classes) & self.classes
        if held:
            return "class", sorted(held)[0]
        stems = [_stems(name) for name in names]
        for text, words in zip(self.texts, self._word_sets(), strict=True):
            if any(words <= found for found in stems):
                return "text", text
        return None


def read_exclusions(diets: Sequence[str], texts: Sequence[str]) -> Exclusions:
    """``--diet`` patterns and ``--exclude`` texts, checked. A text that is one class
    word (``soy``, ``dairy``, ``eggs``, ``fish`` …) leaves that class out."""
    chosen: list[Diet] = []
    classes: set[FoodClass] = set()
    for diet in diets:
        key = diet.strip().lower().replace("_", "-").replace(" ", "-")
        match = next((d for d in DIETS if d == key), None)
        if match is None:
            raise InvalidOptionError(
                f"Unknown --diet {quoted(diet)}: expected one of {', '.join(DIETS)}."
            )
        chosen.append(match)
        classes |= DIETS[match]
    kept: list[str] = []
    for text in texts:
        clean = " ".join(text.split())
        if not clean or not re.search(r"[A-Za-z0-9]", clean):
            raise InvalidOptionError(
                f"--exclude {quoted(text)} names no food: give a food or a word of its name, "
                "e.g. --exclude natto or --exclude 'blue cheese'."
            )
        if len(clean) > 100:
            raise InvalidOptionError(
                f"--exclude {quoted(text[:40])}…: at most 100 characters; name one food."
            )
        word = clean.lower()
        if word in CLASS_WORDS:
            classes.add(CLASS_WORDS[word])
        else:
            kept.append(clean)
    return Exclusions(frozenset(classes), tuple(dict.fromkeys(kept)), tuple(chosen))
