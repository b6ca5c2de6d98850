"""What a finding is, and the rule that raises it (read from ``data/findings.toml``).

A finding is a statement about one person's record with the evidence behind it:
``{"id", "severity", "title", "detail", "evidence", "applies_to"}``. A finding
without evidence keys cannot be made: `Finding` refuses it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from vitk2.errors import DataError

__all__ = ["SEVERITIES", "Finding", "Rule", "Severity", "placeholders"]

Severity = Literal["info", "caution", "warning"]
#: Mildest first; findings are listed most severe first.
SEVERITIES: Final[tuple[Severity, ...]] = ("info", "caution", "warning")


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template needs."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding; ``evidence`` lists evidence source keys (never empty) and
    ``grade`` is the evidence grade letter (see ``[grades]`` in findings.toml)."""

    id: str
    severity: Severity
    title: str
    detail: str
    evidence: tuple[str, ...]
    applies_to: Mapping[str, Any] = field(default_factory=dict)
    grade: str = ""
    grade_text: str = ""

    def __post_init__(self) -> None:
        if not self.evidence:
            raise DataError(
                f"Finding {self.id!r} cites no evidence: every finding must name the "
                "evidence records it rests on."
            )
        if self.severity not in SEVERITIES:
            raise DataError(f"Finding {self.id!r} has an unknown severity {self.severity!r}.")

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self.severity)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "detail": self.detail,
            "evidence": list(self.evidence),
            "evidence_grade": {"grade": self.grade, "meaning": self.grade_text},
            "applies_to": dict(self.applies_to),
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``[[rule]]`` of findings.toml."""

    id: str
    severity: Severity
    grade: str
    title: str
    detail: str
    evidence: tuple[str, ...]
    params: Mapping[str, float] = field(default_factory=dict)

    def finding(
        self,
        values: Mapping[str, str],
        applies_to: Mapping[str, Any],
        *,
        evidence: tuple[str, ...] | None = None,
        grade_text: str = "",
    ) -> Finding:
        """The finding with its placeholders filled from ``values`` and the params."""
        filled = {name: _param_text(value) for name, value in self.params.items()}
        filled.update(values)
        missing = (placeholders(self.title) | placeholders(self.detail)) - set(filled)
        if missing:
            raise DataError(f"Rule {self.id!r}: no value for {', '.join(sorted(missing))}.")
        cited = self.evidence if evidence is None else evidence
        if not set(cited) <= set(self.evidence):
            raise DataError(f"Rule {self.id!r} cites evidence it does not declare: {cited}.")
        return Finding(
            id=self.id,
            severity=self.severity,
            title=self.title.format_map(filled),
            detail=self.detail.format_map(filled),
            evidence=cited,
            applies_to=applies_to,
            grade=self.grade,
            grade_text=grade_text,
        )


def _param_text(value: float) -> str:
    return f"{value:g}"
