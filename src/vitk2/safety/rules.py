"""The rule that raises a finding: one ``[[rule]]`` of ``data/findings.toml``, with
placeholders in its title and detail that a check fills."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vitk2.assess.finding import Finding, Severity
from vitk2.errors import DataError

__all__ = ["Rule", "placeholders"]


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template needs."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


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
