"""What a finding is: a statement about one person's record with the evidence behind it,
``{"id", "severity", "title", "detail", "evidence", "applies_to"}``. A finding
without evidence keys cannot be made: `Finding` refuses it.

Reports carry findings, so the value lives here; the rules that raise them are in
`vitk2.safety.rules` and `vitk2.safety.findings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from vitk2.errors import DataError

__all__ = ["SEVERITIES", "Finding", "Severity"]

Severity = Literal["info", "caution", "warning"]
#: Mildest first; findings are listed most severe first.
SEVERITIES: Final[tuple[Severity, ...]] = ("info", "caution", "warning")


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
