"""``vitk2 evidence search`` and ``vitk2 evidence show``: the records behind every
cited number, with where each was read and how reliable that reading is."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from vitk2.cli.common import json_option
from vitk2.cli.output import line, print_json, stdout, styled
from vitk2.errors import quoted
from vitk2.evidence.records import (
    RELIABILITY_MEANINGS,
    TOPICS,
    EvidenceRecord,
    evidence_by_key,
    search_evidence,
    source_reliabilities,
    topic_code,
)

app = typer.Typer(
    help="Browse the evidence base: the cited records behind vitk2's numbers.",
    no_args_is_help=True,
)
_STYLE = {"primary": "green", "abstract": "yellow", "secondary": "red", "not_found": "red"}


def _value(record: EvidenceRecord) -> str:
    if record.value is None:
        return record.unit or "—"
    return f"{record.value:g}" if isinstance(record.value, float) else str(record.value)


def _with_unit(record: EvidenceRecord) -> str:
    value = _value(record)
    return f"{value} {record.unit}" if record.value is not None and record.unit else value


def record_dict(record: EvidenceRecord) -> dict[str, Any]:
    """A record as JSON: every field, its position and its reliability."""
    return {
        "index": record.index,
        "source_key": record.source_key,
        "topic": record.topic,
        "topic_name": TOPICS.get(record.topic),
        "claim": record.claim,
        "value": record.value,
        "unit": record.unit,
        "population": record.population,
        "n": record.n,
        "dose": record.dose,
        "duration": record.duration,
        "note": record.note,
        "citation": record.citation,
        "citation_note": record.citation_note,
        "read_at": record.read_at,
        "locator": record.locator,
        "reliability": record.reliability,
    }


def _reliability(flag: str) -> Text:
    return styled(flag, _STYLE[flag])


@app.command("search")
def search_command(
    text: str = typer.Argument(..., help="Words to find, e.g. 'MK-7 INR' or 'calcium UL'."),
    topic: str | None = typer.Option(
        None, "--topic", help="Only this topic: a code (C_VKA) or its name (reference values)."
    ),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many records."),
    as_json: bool = json_option(),
) -> None:
    """Find evidence records that contain every word, best match first."""
    found = search_evidence(text, topic=topic, limit=limit)
    if as_json:
        print_json([record_dict(r) for r in found])
        return
    if not found:
        where = f" in topic {topic_code(topic)}" if topic else ""
        stdout.print(
            f"No evidence record contains every word of {quoted(text)}{where}. "
            "Try fewer or other words, e.g. a source key, a nutrient or a drug."
        )
        return
    table = Table("key", "topic", "claim", "value", "population", "reliability", box=None)
    for record in found:
        table.add_row(
            record.source_key,
            record.topic,
            record.claim,
            _with_unit(record),
            record.population or "",
            _reliability(record.reliability),
        )
    stdout.print(table)
    stdout.print(f"{len(found)} record(s). Show one source with `vitk2 evidence show KEY`.")


@app.command("show")
def show_command(
    key: str = typer.Argument(..., help="A source key, e.g. theuwissen2013."),
    as_json: bool = json_option(),
) -> None:
    """Every record of one source: its figures, where they were read, the citation and
    the reliability of the reading."""
    records = evidence_by_key(key.strip())
    flags = source_reliabilities(records[0].source_key)
    notes = {r.citation_note for r in records}
    shared_note = notes.pop() if len(notes) == 1 else None
    if as_json:
        print_json(
            {
                "source_key": records[0].source_key,
                "citation": next((r.citation for r in records if r.citation), None),
                "citation_note": shared_note,
                "reliability": flags[0] if len(flags) == 1 else list(flags),
                "records": [record_dict(r) for r in records],
            }
        )
        return
    citation = next((r.citation for r in records if r.citation), None)
    stdout.print(line(styled(records[0].source_key, "bold"), f": {len(records)} record(s)"))
    stdout.print(citation or "No citation: the figure was not found.")
    if shared_note:
        stdout.print(styled(f"Where this was read (curator's note): {shared_note}", "dim"))
    for record in records:
        stdout.print()
        stdout.print(
            line(
                styled(record.claim, "bold"),
                "  ",
                _reliability(record.reliability),
                " ",
                styled(
                    f"(record {record.index}, {record.topic}: {TOPICS.get(record.topic, '')})",
                    "dim",
                ),
            )
        )
        rows: tuple[tuple[str, str | None], ...] = (
            ("value", _with_unit(record)),
            ("population", record.population),
            ("n", None if record.n is None else str(record.n)),
            ("dose", record.dose),
            ("duration", record.duration),
            ("note", record.note),
            ("read in", record.locator),
            ("read at", record.read_at),
            ("where read", None if record.citation_note == shared_note else record.citation_note),
        )
        for label, value in rows:
            if value:
                stdout.print(f"  {label:<11}{value}")
    stdout.print()
    for flag in flags:
        stdout.print(line(_reliability(flag), f": {RELIABILITY_MEANINGS[flag]}."))
