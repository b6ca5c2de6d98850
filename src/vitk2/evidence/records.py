"""The shipped evidence base: cited figures on vitamin K, vitamin D and calcium.

Every reference value, trial figure and pharmacokinetic parameter vitk2 shows comes
from one record of ``vitk2/data/evidence.json`` (a list of records with the fields
``topic, claim, value, unit, population, n, dose, duration, source_key, citation,
read_at, locator, note`` and, where the curator left one, ``citation_note``). A record
is addressed by its position in that list (:attr:`EvidenceRecord.index`) or, for a
whole source, by its ``source_key``.

``citation`` is the bibliographic reference only: it is what users see. The curator's
working remarks on it (where the reference was read, what the page did not show)
are in ``citation_note``; `vitk2 evidence show` prints them apart, as where the
reference was read, and they are never shown as the citation.

Reliability
-----------
Each record gets a :attr:`EvidenceRecord.reliability` derived from its own text, so
that a secondary or missing figure can always be shown as such. The first rule that
matches wins:

1. ``"not_found"`` — the topic is ``NOT_FOUND`` or the value is the text
   ``"NOT FOUND"``: no stored page gave the figure.
2. ``"secondary"`` — the locator, citation or citation note names a secondary origin (*secondary*,
   *sec.*, *vendor*, *forum*, *blog*, *wiki*, *AI-compiled*, *AI-generated*,
   *review table*), or the note says *secondary* / *sec.* / *low reliability*
   (all case-insensitive). Such a record was read in a reproduction, a review
   table, a vendor page, a blog or an AI-compiled page, or takes part of its figure
   from one. A note that merely *mentions* a vendor page or review table as an
   aside (record 0: dose size per a vendor page; record 36: a review table's wrong
   duration) does not demote a record read in its primary source.
3. ``"abstract"`` — the locator mentions *abstract*: only the abstract was read.
4. ``"primary"`` — anything else (a primary table or full text was read).

>>> rec = load_evidence()[0]
>>> rec.source_key, rec.reliability
('schurgers2007', 'abstract')
>>> [r.source_key for r in search_evidence("MK-7 INR acenocoumarol")][:2]
['theuwissen2013', 'theuwissen2013']
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final, Literal

from vitk2.errors import DataError, InvalidOptionError, UnknownEvidenceError, quoted

__all__ = [
    "RELIABILITIES",
    "RELIABILITY_MEANINGS",
    "TOPICS",
    "EvidenceRecord",
    "Reliability",
    "citation",
    "evidence_by_key",
    "evidence_record",
    "load_evidence",
    "reliability_of",
    "search_evidence",
    "source_reliabilities",
    "topic_code",
]

Reliability = Literal["primary", "abstract", "secondary", "not_found"]
RELIABILITIES: Final[tuple[Reliability, ...]] = ("primary", "abstract", "secondary", "not_found")
#: What each reliability flag means, in words (see the module docstring for the rule).
RELIABILITY_MEANINGS: Final[dict[Reliability, str]] = {
    "primary": "read in the primary source (its table or full text)",
    "abstract": "read in the abstract only, not the full text",
    "secondary": (
        "read second-hand: a review table, a reproduction, a vendor page, a blog, a forum "
        "or an AI-compiled page, or part of the figure comes from one"
    ),
    "not_found": "no stored page gave the figure",
}
#: Topic codes of the evidence file and their names.
TOPICS: Final[dict[str, str]] = {
    "A_PK": "pharmacokinetics",
    "B_biomarker": "biomarker trials",
    "C_VKA": "vitamin K antagonist interactions",
    "D_epi": "epidemiology",
    "E_DRV": "reference values",
    "F_mech": "mechanism",
    "NOT_FOUND": "not found",
}

_SECONDARY_MARKERS: Final[tuple[str, ...]] = (
    "secondary",
    "sec.",
    "vendor",
    "forum",
    "blog",
    "wiki",
    "ai-compiled",
    "ai-generated",
    "review table",
)
_SECONDARY_NOTE_MARKERS: Final[tuple[str, ...]] = ("secondary", "sec.", "low reliability")
_FIELDS: Final[tuple[str, ...]] = (
    "topic",
    "claim",
    "value",
    "unit",
    "population",
    "n",
    "dose",
    "duration",
    "source_key",
    "citation",
    "read_at",
    "locator",
    "note",
)


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One cited figure of the evidence base, exactly as stored, plus its position.

    ``value`` is a number when the source gave one number and text otherwise
    (``"7-8"``, ``"211.7 / 29.1"``, ``"200 (AI)"``, ``"NOT FOUND"`` …).
    """

    index: int
    topic: str
    claim: str
    value: float | str | None
    unit: str | None
    population: str | None
    n: int | None
    dose: str | None
    duration: str | None
    source_key: str
    citation: str | None
    read_at: str | None
    locator: str | None
    note: str | None
    reliability: Reliability
    citation_note: str | None = None

    @property
    def text(self) -> str:
        """Every text field joined: handy to check that a figure occurs in the record."""
        parts = (self.claim, self.value, self.unit, self.population, self.dose)
        more = (self.duration, self.note, self.n)
        return " | ".join(str(p) for p in (*parts, *more) if p is not None)


def reliability_of(
    topic: str,
    value: object,
    *,
    note: str | None,
    locator: str | None,
    citation: str | None,
    citation_note: str | None = None,
) -> Reliability:
    """Classify a record by the rule in the module docstring."""
    if topic == "NOT_FOUND" or (isinstance(value, str) and value.strip().upper() == "NOT FOUND"):
        return "not_found"
    where = " ".join(t for t in (locator, citation, citation_note) if t).lower()
    if any(marker in where for marker in _SECONDARY_MARKERS):
        return "secondary"
    if note is not None and any(m in note.lower() for m in _SECONDARY_NOTE_MARKERS):
        return "secondary"
    if locator is not None and "abstract" in locator.lower():
        return "abstract"
    return "primary"


def _record(index: int, raw: dict[str, object]) -> EvidenceRecord:
    missing = [f for f in _FIELDS if f not in raw]
    if missing:
        raise DataError(f"evidence.json record {index} lacks the fields {', '.join(missing)}.")

    def text(field: str) -> str | None:
        v = raw.get(field)
        return None if v is None else str(v)

    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, int | float | str | type(None)):
        raise DataError(f"evidence.json record {index}: value {value!r} is not a number or text.")
    n = raw["n"]
    if n is not None and not isinstance(n, int):
        raise DataError(f"evidence.json record {index}: n {n!r} is not a whole number.")
    topic = str(raw["topic"])
    return EvidenceRecord(
        index=index,
        topic=topic,
        claim=str(raw["claim"]),
        value=value,
        unit=text("unit"),
        population=text("population"),
        n=n,
        dose=text("dose"),
        duration=text("duration"),
        source_key=str(raw["source_key"]),
        citation=text("citation"),
        read_at=text("read_at"),
        locator=text("locator"),
        note=text("note"),
        reliability=reliability_of(
            topic,
            value,
            note=text("note"),
            locator=text("locator"),
            citation=text("citation"),
            citation_note=text("citation_note"),
        ),
        citation_note=text("citation_note"),
    )


@cache
def load_evidence() -> tuple[EvidenceRecord, ...]:
    """All records of the shipped evidence base, in file order (read once, cached)."""
    resource = resources.files("vitk2") / "data" / "evidence.json"
    try:
        raw = json.loads(resource.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(
            f"Cannot read vitk2's evidence base ({exc}). Reinstall vitk2: `pip install -e .`."
        ) from exc
    if not isinstance(raw, list):
        raise DataError("evidence.json must hold a list of records.")
    return tuple(_record(i, r) for i, r in enumerate(raw))


@cache
def _by_key() -> dict[str, tuple[EvidenceRecord, ...]]:
    groups: dict[str, list[EvidenceRecord]] = {}
    for rec in load_evidence():
        groups.setdefault(rec.source_key, []).append(rec)
    return {k: tuple(v) for k, v in groups.items()}


def evidence_by_key(source_key: str) -> tuple[EvidenceRecord, ...]:
    """All records of one source, in file order.

    Raises :class:`~vitk2.errors.UnknownEvidenceError` for a key that is not in
    the evidence base (with close matches as suggestions).
    """
    groups = _by_key()
    try:
        return groups[source_key]
    except KeyError:
        close = tuple(difflib.get_close_matches(source_key, groups, n=3, cutoff=0.6))
        raise UnknownEvidenceError(source_key, suggestions=close) from None


def source_reliabilities(source_key: str) -> tuple[Reliability, ...]:
    """The distinct reliability flags of a source's records, sorted: one source can
    hold records read in its abstract and others read second-hand (sato2012)."""
    return tuple(sorted({rec.reliability for rec in evidence_by_key(source_key)}))


def evidence_record(index: int) -> EvidenceRecord:
    """The record at a position of the evidence base (``IndexError`` if out of range)."""
    records = load_evidence()
    if not 0 <= index < len(records):
        raise IndexError(f"evidence record {index} does not exist (0–{len(records) - 1}).")
    return records[index]


def citation(source_key: str) -> str:
    """The citation of a source, the bibliographic reference only (the first record's
    that has one); the curator's ``citation_note`` is never part of it.

    Sources marked NOT FOUND have no citation; their claim is returned instead,
    prefixed ``"Not found: "``, so the caller always gets readable text.
    """
    records = evidence_by_key(source_key)
    for rec in records:
        if rec.citation:
            return rec.citation
    return f"Not found: {records[0].claim}"


def topic_code(text: str) -> str:
    """The topic code for a code or a topic name, case-insensitive ("c_vka",
    "reference values")."""
    wanted = " ".join(text.split()).casefold()
    for code, name in TOPICS.items():
        if wanted in {code.casefold(), name.casefold()}:
            return code
    choices = ", ".join(f"{code} ({name})" for code, name in TOPICS.items())
    raise InvalidOptionError(f"Unknown evidence topic {quoted(text)}: use one of {choices}.")


_WORD: Final = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
#: Where a query word is found, and how much that counts.
_WEIGHTS: Final[tuple[tuple[str, int], ...]] = (
    ("source_key", 5),
    ("claim", 3),
    ("topic", 2),
    ("population", 2),
    ("dose", 2),
    ("value", 1),
    ("duration", 1),
    ("note", 1),
    ("citation", 1),
)


@cache
def _haystacks() -> tuple[tuple[str, ...], ...]:
    """Per record, the searchable text of each weighted field (lower case, and once
    more without hyphens so "mk7" finds "MK-7")."""
    out = []
    for rec in load_evidence():
        fields = []
        for name, _ in _WEIGHTS:
            value = getattr(rec, name)
            text = "" if value is None else str(value).casefold()
            if name == "topic":
                text += " " + TOPICS.get(rec.topic, "").casefold()
            fields.append(f"{text} {text.replace('-', '')}")
        out.append(tuple(fields))
    return tuple(out)


def search_evidence(
    text: str, *, topic: str | None = None, limit: int | None = 20
) -> tuple[EvidenceRecord, ...]:
    """Records that contain every word of ``text`` at the start of a word
    (case-insensitive, in any field: "ca" finds "calcium", not "vascular"), best
    first: a word in the source key or the claim counts more than one in a note.
    ``topic`` (a code or name) keeps one topic; ``limit=None`` returns all."""
    words = _WORD.findall(text.casefold())
    if not words:
        raise InvalidOptionError(
            'Give words to search the evidence for, e.g. `vitk2 evidence search "MK-7 INR"`.'
        )
    code = None if topic is None else topic_code(topic)
    patterns = [re.compile(r"(?<![^\W_])" + re.escape(word)) for word in words]
    scored = []
    for rec, fields in zip(load_evidence(), _haystacks(), strict=True):
        if code is not None and rec.topic != code:
            continue
        score = 0
        for pattern in patterns:
            best = max(
                (w for (_, w), f in zip(_WEIGHTS, fields, strict=True) if pattern.search(f)),
                default=0,
            )
            if best == 0:
                break
            score += best
        else:
            scored.append((-score, rec.index, rec))
    scored.sort(key=lambda item: item[:2])
    found = tuple(rec for _, _, rec in scored)
    return found if limit is None else found[:limit]
