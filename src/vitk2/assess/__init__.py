"""Assess: a period of intake against reference values.

Owns reference values by authority and life stage (`reference`), the IOM adequacy
assessment (`adequacy`), the report value (`report`), how a report is added up from
diary entries (`build`), its plain-language notes (`notes`) and what a finding is
(`finding`: reports carry findings; the rules that raise them are in `vitk2.safety`),
and for populations: the usual-intake model (`usual`), survey replicate weights
(`survey`) and a group's usual-intake distribution against cut-points (`population`).
Builds on `vitk2.intake`, `vitk2.foods` and `vitk2.evidence`.
"""

__all__ = [
    "adequacy", "build", "finding", "notes", "population", "reference", "report", "survey",
    "usual",
]  # fmt: skip
