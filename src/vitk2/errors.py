"""The exception tree. Every error vitk2 raises on purpose is a `Vitk2Error`.

Each concrete error also inherits the matching builtin, so callers may catch
``LookupError`` or ``ValueError`` as usual. Messages name the bad value, what was
expected and how to fix it; the CLI prints them as one line.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "EmptyQueryError",
    "ImportFileError",
    "InvalidOptionError",
    "MealParseError",
    "StoreError",
    "UnknownEntryError",
    "UnknownEvidenceError",
    "UnknownFoodError",
    "UnknownInrReadingError",
    "UnknownNutrientError",
    "UnknownOwnFoodError",
    "UnknownSupplementError",
    "Vitk2Error",
    "quoted",
]

#: User text longer than this is cut (with an ellipsis) where a message echoes it.
QUOTE_MAX_CHARS = 60


def quoted(text: object, limit: int = QUOTE_MAX_CHARS) -> str:
    """User text as a message shows it: ``repr`` of at most ``limit`` characters, the
    middle cut with an ellipsis, so a 10,000-character input is not echoed back whole.

    >>> quoted("50 g natto")
    "'50 g natto'"
    >>> quoted("x" * 1000, limit=11)
    "'xxxxx…xxxxx'"
    """
    shown = str(text)
    if len(shown) > limit:
        head = (limit - 1) // 2 + (limit - 1) % 2
        shown = f"{shown[:head]}…{shown[len(shown) - (limit - 1 - head) :]}"
    return repr(shown)


class Vitk2Error(Exception):
    """Root of every error vitk2 raises on purpose."""


class UnknownFoodError(LookupError, Vitk2Error):
    """A food id that is not in the database."""

    def __init__(self, food_id: str, *, suggestion: str | None = None) -> None:
        self.food_id = food_id
        self.suggestion = suggestion
        hint = f" {suggestion}" if suggestion else ""
        if food_id.startswith("my:"):
            super().__init__(
                f"{quoted(food_id)} is the id of one of your own recipes or foods, which "
                "live in your diary, not in the food database: see it with "
                f"`vitk2 recipe show {quoted(food_id)}` or `vitk2 food show {quoted(food_id)}`."
                f"{hint}"
            )
            return
        super().__init__(
            f"Unknown food id {quoted(food_id)}: expected 'usda:<5-digit NDB number>' such as "
            f"'usda:01022' or 'fndds:<8-digit FNDDS code>' such as 'fndds:58106230'.{hint} "
            "Find ids with `vitk2 foods search TEXT`."
        )

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class UnknownNutrientError(LookupError, Vitk2Error):
    """A nutrient key or alias that vitk2 does not know."""

    def __init__(self, text: str, *, suggestions: tuple[str, ...] = ()) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = f" Did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown nutrient {quoted(text)}.{hint} "
            "Use a key such as 'k2_ug', 'mk7_ug', 'vitd_ug', 'calcium_mg' or a short alias "
            "('k2', 'mk7', 'vitd', 'calcium'); `vitk2 nutrients` lists them all."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class EmptyQueryError(ValueError, Vitk2Error):
    """A search query with nothing to search for."""

    def __init__(self) -> None:
        super().__init__(
            "Empty search query: type part of a food name, e.g. `vitk2 foods search gouda`."
        )


class InvalidOptionError(ValueError, Vitk2Error):
    """An option value outside what the command accepts."""


class DataError(RuntimeError, Vitk2Error):
    """The shipped food database is missing or damaged."""


class MealParseError(ValueError, Vitk2Error):
    """Meal text that cannot be turned into items (empty, impossible amounts …)."""


class UnknownEntryError(LookupError, Vitk2Error):
    """A diary entry id that is not in the diary."""

    def __init__(self, entry_id: int) -> None:
        self.entry_id = entry_id
        super().__init__(
            f"No diary entry with id {entry_id}. "
            "List entries and their ids with `vitk2 diary show`."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownInrReadingError(LookupError, Vitk2Error):
    """An INR reading id that is not in the diary."""

    def __init__(self, reading_id: int) -> None:
        self.reading_id = reading_id
        super().__init__(
            f"No INR reading with id {reading_id}. "
            "List readings and their ids with `vitk2 inr show`."
        )

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class UnknownSupplementError(LookupError, Vitk2Error):
    """A supplement product name that is neither built in nor defined by the user."""

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownOwnFoodError(LookupError, Vitk2Error):
    """A name or ``my:`` id that is none of the user's own foods or recipes."""

    def __str__(self) -> str:
        return str(self.args[0])


class StoreError(RuntimeError, Vitk2Error):
    """The diary database cannot be opened, reached or written."""


class ImportFileError(ValueError, Vitk2Error):
    """A diary import file with bad rows; nothing was imported."""


class UnknownEvidenceError(LookupError, Vitk2Error):
    """An evidence source key that is not in the shipped evidence base."""

    def __init__(self, source_key: str, *, suggestions: tuple[str, ...] = ()) -> None:
        self.source_key = source_key
        self.suggestions = suggestions
        hint = f" Did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown evidence source key {quoted(source_key)}: expected a source_key of "
            f"vitk2's evidence base such as 'iom2011_ca' or 'gast2009'.{hint} "
            "Find keys with `vitk2 evidence search TEXT`."
        )

    def __str__(self) -> str:
        return str(self.args[0])
