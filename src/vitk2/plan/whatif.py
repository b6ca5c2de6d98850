"""What-if: the report as it would be with supplements (or foods) added, next to the
current one. Nothing is stored.

An addition is meal text for one item followed by an optional frequency
("MK-7 100 ug daily", "1 capsule MyK2 twice a day", "50 g natto 3 times a week").
Its doses go onto the logged days of the period as synthetic diary entries and the
report is built again with `build_report`. Frequencies below one dose a day are
spread evenly over the logged days in date order, starting with the first: an
unlogged day is missing, so it gets no dose either.

>>> parse_frequency("MK-7 100 ug 3 times a week")
('MK-7 100 ug', Frequency(label='3 times a week', per_day=Fraction(3, 7), default=False))
>>> Frequency("every other day", Fraction(1, 2)).doses(5)
(1, 0, 1, 0, 1)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any, Final, Protocol

from rapidfuzz import fuzz, process

from vitk2.assess.finding import Finding
from vitk2.assess.reference import Authority
from vitk2.assess.report import FOCUS_KEYS, Report
from vitk2.errors import InvalidOptionError, MealParseError, quoted
from vitk2.foods.values import VectorSource
from vitk2.intake.diary import DiaryEntry, EntryKind
from vitk2.intake.meals import MealParser
from vitk2.intake.totals import KEYS
from vitk2.safety.findings import assess, baseline_start

__all__ = [
    "MAX_DOSES_PER_DAY",
    "Addition",
    "DiaryReader",
    "Frequency",
    "WhatIf",
    "WhatIfService",
    "build_whatif",
    "parse_addition",
    "parse_frequency",
    "run_whatif",
]

#: The report's keys shown for "current" and "with_additions".
SUMMARY_KEYS: Final = (
    "mean",
    "mean_supplements",
    "incomplete",
    "reference",
    "adequacy",
    "k2",
    "notes",
)
#: More doses a day than this is taken as a typing error.
MAX_DOSES_PER_DAY: Final = 10
FINDINGS_NOTE: Final = (
    "Findings are those of the diary with the additions; status says whether each is new, "
    "changed or unchanged against the diary as it is, and resolved lists the ones the "
    "additions would remove."
)
EXAMPLES: Final = (
    "write a supplement with its dose or a food with its amount, then how often, e.g. "
    "'MK-7 100 ug daily', '1000 IU vitamin D3 daily', '1 capsule MyK2 twice daily' "
    "or '50 g natto 3 times a week'"
)
_FREQUENCIES: Final = (
    "daily (the default), every day, twice daily, N times a day, every other day, "
    "N times a week (or Nx/week), weekly"
)
_NUMBERS: Final[dict[str, int]] = {
    "once": 1, "twice": 2, "thrice": 3, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_N = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten"
_FREQUENCY = re.compile(
    r"(?:^|\s|(?=/))(?:"
    r"(?P<other>every\s+(?:other|second)\s+day|(?:on\s+)?alternate\s+days)"
    r"|(?P<each>(?:every|each)\s+(?:morning|evening|night)|nightly)"
    rf"|(?:(?:(?P<n>{_N})\s*(?:x|×|times|(?=/))|(?P<w>once|twice|thrice))\s*)?"
    r"(?:(?P<adj>daily|weekly)|(?:/|a|an|per|each|every)?\s*(?P<per>day|week))"
    r")\s*$",
    re.IGNORECASE,
)
#: Frequency words, to recognise a misspelt one ("dayly").
_FREQUENCY_WORDS: Final = (
    "daily", "weekly", "days", "weeks", "times", "twice", "once", "thrice", "every",
    "other", "alternate", "morning", "evening", "nightly", "monthly",
)  # fmt: skip
#: Words of a frequency vitk2 does not read ("every 3 days", "monthly").
_UNREAD = re.compile(
    r"\b(?:every|each|daily|weekly|monthly|yearly|annually|hourly|nightly|fortnightly|"
    r"times|once|twice|thrice|days?|weeks?|months?|years?|hours?|fortnight|bid|tid|qid|qd|qod)"
    r"\b|/\s*(?:d|day|wk|week|month)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often an addition is taken: ``per_day`` doses per (logged) day."""

    label: str
    per_day: Fraction
    default: bool = False

    def doses(self, n_days: int) -> tuple[int, ...]:
        """Whole doses on each of ``n_days`` consecutive logged days: day ``i`` gets
        ``ceil((i + 1) r) - ceil(i r)``, so the first day has a dose and every prefix
        of days is within one dose of the rate ``r``."""
        r = self.per_day
        return tuple(math.ceil((i + 1) * r) - math.ceil(i * r) for i in range(n_days))


def _count(n: str | None, word: str | None) -> int:
    text = (n or word or "1").lower()
    return int(text) if text.isdigit() else _NUMBERS[text]


def _times(count: int, period: str) -> str:
    if period == "day":
        return {1: "daily", 2: "twice daily"}.get(count, f"{count} times daily")
    return "weekly" if count == 1 else f"{count} times a week"


def parse_frequency(text: str) -> tuple[str, Frequency]:
    """Split the frequency off the end of ``text``: (the item text, its frequency).
    No frequency means daily; a frequency vitk2 cannot read is an error."""
    clean = " ".join(text.split())
    match = _FREQUENCY.search(clean)
    if match is None:
        frequency = Frequency("daily", Fraction(1), default=True)
        rest = clean
    else:
        rest = clean[: match.start()].strip()
        if match["other"]:
            frequency = Frequency("every other day", Fraction(1, 2))
        elif match["each"]:
            frequency = Frequency("daily", Fraction(1))
        else:
            count = _count(match["n"], match["w"])
            period = "week" if (match["adj"] or match["per"]).lower().startswith("week") else "day"
            if count < 1:
                raise InvalidOptionError(
                    f"--add {quoted(text)}: a frequency needs at least one dose, e.g. "
                    "'once a week'."
                )
            frequency = Frequency(
                _times(count, period), Fraction(count, 7 if period == "week" else 1)
            )
    if match is not None and re.search(r"(?<![\w.,-])\d+(?:[.,]\d+)?$", rest):
        raise InvalidOptionError(
            f"--add {quoted(text)}: what does the number before {match.group().strip()!r} count? "
            "Write doses as '2 times daily' or '2x/week', units first as "
            "'2 capsules MK-7 90 ug daily'."
        )
    if _UNREAD.search(rest):
        raise InvalidOptionError(
            f"Unknown frequency in --add {quoted(text)}: end it with one of {_FREQUENCIES}, "
            "e.g. 'MK-7 100 ug 3 times a week'."
        )
    if frequency.per_day > MAX_DOSES_PER_DAY:
        raise InvalidOptionError(
            f"--add {quoted(text)}: {frequency.label} is more than {MAX_DOSES_PER_DAY} doses a "
            "day; write the amount of one dose and how often it is taken."
        )
    return rest, frequency


def _refuse_frequency_typo(text: str, rest: str, name: str) -> None:
    """A last word that looks like a misspelt frequency ("dayly") is not silently
    ignored (a supplement) or searched as a food word: it is an unknown frequency.
    A word of the matched food's own name ("dairy", "dates") is left alone."""
    words = rest.lower().split()
    last = words[-1].strip(".,;:!") if words else ""
    if len(last) < 4 or last in name.lower():
        return
    match = process.extractOne(last, _FREQUENCY_WORDS, scorer=fuzz.ratio, score_cutoff=75)
    if match is not None:
        raise InvalidOptionError(
            f"Unknown frequency {quoted(last)} in --add {quoted(text)}: did you mean "
            f"{match[0]!r}? End it with one of {_FREQUENCIES}, e.g. 'MK-7 100 ug daily'."
        )


@dataclass(frozen=True, slots=True)
class Addition:
    """One parsed ``--add``: the item of one dose and how often it is taken.
    ``per_dose`` has every nutrient key (None where a food's value is unknown)."""

    text: str
    item_text: str
    frequency: Frequency
    entry: DiaryEntry  # one dose, as a diary entry (its day is replaced per dose)
    per_dose: Mapping[str, float | None]
    notes: tuple[str, ...] = ()

    @property
    def kind(self) -> EntryKind:
        return self.entry.kind

    def amounts(self, factor: Fraction = Fraction(1)) -> dict[str, float | None]:
        """One dose times ``factor``: a supplement's non-zero nutrients, or for a food
        the report's focus keys (None where unknown: missing, not zero)."""
        food = self.kind == "food"
        out: dict[str, float | None] = {}
        for key in FOCUS_KEYS if food else KEYS:
            value = self.per_dose.get(key)
            if value is None and food:
                out[key] = None
            elif value:
                out[key] = round(float(value * factor), 4)
        return out


def parse_addition(text: str, parser: MealParser) -> Addition:
    """Read one ``--add``: the frequency off the end, then exactly one resolved item."""
    rest, frequency = parse_frequency(text)
    if not rest:
        raise InvalidOptionError(f"--add {quoted(text)} names no supplement or food: {EXAMPLES}.")
    try:
        parsed = parser.parse(rest)
    except MealParseError as error:
        raise MealParseError(f"--add {quoted(text)}: {error}") from None
    if len(parsed.items) != 1:
        items = "; ".join(repr(item.text) for item in parsed.items)
        raise MealParseError(
            f"--add {quoted(text)} holds {len(parsed.items)} items ({items}): give one --add per "
            "item, each with its own frequency."
        )
    (item,) = parsed.items
    _refuse_frequency_typo(text, rest, item.name or "")
    if item.status != "ok" or item.intake is None:
        hint = (
            f"Did you mean: {'; '.join(item.suggestions[:3])}?"
            if item.suggestions
            else f"To fix it, {EXAMPLES}."
        )
        problem = (item.problem or "not a supplement or food vitk2 knows").rstrip(".")
        raise MealParseError(f"--add {quoted(text)}: {problem}. {hint}")
    (entry,) = parsed.entries(date.min)
    return Addition(text, rest, frequency, entry, dict(item.intake.amounts), item.notes)


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The current report, the report with the additions, and where the doses went
    (``doses[a][d]``: doses of addition ``a`` on logged day ``d``)."""

    current: Report
    with_additions: Report
    additions: tuple[Addition, ...]
    doses: tuple[tuple[int, ...], ...]

    def difference(self) -> dict[str, float]:
        change = (self.with_additions.totals - self.current.totals).mean(axis=0)
        return {key: round(float(v), 3) + 0.0 for key, v in zip(KEYS, change, strict=True)}

    def as_dict(self) -> dict[str, Any]:
        now = self.current.as_dict()
        then = self.with_additions.as_dict()
        return {
            "period": now["period"],
            "authority": now["authority"],
            "life_stage": now["life_stage"],
            "additions": [
                _addition_dict(a, d, self.current.days)
                for a, d in zip(self.additions, self.doses, strict=True)
            ],
            "current": {key: now[key] for key in SUMMARY_KEYS},
            "with_additions": {key: then[key] for key in SUMMARY_KEYS},
            "difference": self.difference(),
            "findings": _compare_findings(self.current.findings, self.with_additions.findings),
            "findings_resolved": [
                f.id
                for f in self.current.findings
                if f.id not in {g.id for g in self.with_additions.findings}
            ],
            "findings_note": FINDINGS_NOTE,
            "reference_notes": then["reference_notes"],
            "sources": {**now["sources"], **then["sources"]},
        }


def _compare_findings(before: Sequence[Finding], after: Sequence[Finding]) -> list[dict[str, Any]]:
    old = {f.id: f for f in before}
    out = []
    for finding in after:
        previous = old.get(finding.id)
        status = (
            "new" if previous is None
            else "unchanged" if previous.detail == finding.detail
            else "changed"
        )  # fmt: skip
        out.append({**finding.as_dict(), "status": status})
    return out


def _schedule(addition: Addition, doses: Sequence[int]) -> str:
    n = len(doses)
    total = sum(doses)
    if addition.frequency.per_day.denominator == 1:
        return f"{doses[0]} dose(s) on each of the {n} logged day(s)"
    days = sum(1 for d in doses if d)
    return (
        f"{total} dose(s) on {days} of the {n} logged day(s): {addition.frequency.label} "
        "spread evenly over the logged days in date order, starting with the first"
    )


def _addition_dict(
    addition: Addition, doses: Sequence[int], days: Sequence[date]
) -> dict[str, Any]:
    entry = addition.entry
    total = sum(doses)
    return {
        "text": addition.text,
        "item": addition.item_text,
        "kind": entry.kind,
        "ref": entry.ref,
        "product": entry.name,
        "quantity": entry.quantity,
        "unit": entry.unit,
        "grams_per_dose": entry.grams,
        "per_dose": addition.amounts(),
        "per_day": addition.amounts(addition.frequency.per_day),
        "frequency": addition.frequency.label,
        "frequency_default": addition.frequency.default,
        "doses_per_day": round(float(addition.frequency.per_day), 4),
        "doses_in_period": total,
        "dose_days": [d.isoformat() for d, k in zip(days, doses, strict=True) if k],
        "mean_in_period": addition.amounts(Fraction(total, len(days))),
        "schedule": _schedule(addition, doses),
        "notes": list(addition.notes),
    }


def build_whatif(
    current: Report,
    entries: Sequence[DiaryEntry],
    additions: Sequence[Addition],
    db: VectorSource,
) -> WhatIf:
    """Add the additions' doses to ``entries`` (the entries ``current`` was built
    from, which may reach back for the consistency baselines) on ``current``'s
    logged days and build the report, with its findings, again."""
    if not additions:
        raise InvalidOptionError(f"Nothing to add: give at least one --add; {EXAMPLES}.")
    days = current.days
    doses = tuple(a.frequency.doses(len(days)) for a in additions)
    synthetic = [
        replace(addition.entry, day=day)
        for addition, counts in zip(additions, doses, strict=True)
        for day, count in zip(days, counts, strict=True)
        for _ in range(count)
    ]
    extended = assess(
        [*entries, *synthetic],
        current.profile,
        db,
        start=current.start,
        end=current.end,
        authority=current.authority,
    )
    return WhatIf(current, extended, tuple(additions), doses)


class DiaryReader(Protocol):
    def entries(self, *, start: date | None = None, end: date | None = None) -> list[DiaryEntry]:
        """The entries between two days, inclusive."""


class WhatIfService(Protocol):
    """What the what-if needs of `vitk2.services.DiaryService` (a protocol, so this
    module imports neither the services nor the store)."""

    @property
    def store(self) -> DiaryReader:
        """The diary."""

    def foods(self) -> VectorSource:
        """The food database with the diary's own foods and recipes."""

    def parser(self) -> MealParser:
        """A meal parser that knows the user's products."""

    def report(
        self, *, start: date | None = None, end: date | None = None, authority: Authority = "iom"
    ) -> Report:
        """The current report over the period the diary's rules choose."""


def run_whatif(
    service: WhatIfService,
    texts: Sequence[str],
    *,
    start: date | None = None,
    end: date | None = None,
    authority: Authority = "iom",
) -> WhatIf:
    """The use case: parse the additions (with the user's products), build the
    current report over the period `DiaryService.report` chooses, and the report
    with the additions. Reads the diary; writes nothing."""
    parser = service.parser()
    additions = tuple(parse_addition(text, parser) for text in texts)
    current = service.report(start=start, end=end, authority=authority)
    entries = service.store.entries(start=baseline_start(current.start), end=current.end)
    return build_whatif(current, entries, additions, service.foods())
