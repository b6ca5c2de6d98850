"""The findings engine: rules as data (``data/findings.toml``) plus code
(`vitk2.safety.checks`), evaluated over one period of a diary.

Loading the rules checks them: every rule has a condition in code and every
condition a rule, every rule cites evidence keys that exist in the evidence
file, severities and grades are known. A rule with no evidence behind it cannot
be loaded, so it cannot ship.

>>> rules = load_rules()
>>> rules.rule("vka-mk7-supplement").evidence
('theuwissen2013', 'schurgers2007', 'schurgers2004')
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from typing import Any, Final, cast

from vitk2.assess.build import build_report
from vitk2.assess.finding import SEVERITIES, Finding, Severity
from vitk2.assess.reference import Authority
from vitk2.assess.report import Report
from vitk2.errors import DataError, UnknownEvidenceError
from vitk2.evidence.records import citation, evidence_by_key, source_reliabilities
from vitk2.foods.values import VectorSource
from vitk2.intake.dates import shift_day
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.profile import Profile
from vitk2.intake.totals import KEYS
from vitk2.safety.checks import CHECKS, Context
from vitk2.safety.consistency import SERIES_KEYS, Consistency, Thresholds, weekly_consistency
from vitk2.safety.medications import anticoagulation
from vitk2.safety.rules import Rule, placeholders

__all__ = [
    "RuleSet",
    "assess",
    "baseline_start",
    "consistency_for",
    "evaluate_findings",
    "findings_document",
    "load_rules",
    "parse_rules",
]

_RULE_KEYS: Final = frozenset({"id", "severity", "grade", "title", "detail", "evidence", "params"})
_SETTINGS: Final = ("min_window_days", "baseline_days", "min_baseline_days")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules, the evidence grades they use, and the consistency settings."""

    rules: tuple[Rule, ...]
    grades: Mapping[str, str]
    settings: Mapping[str, int]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise DataError(f"No finding rule {rule_id!r}.")

    def thresholds(self) -> Thresholds:
        """The consistency thresholds: the K1 and MK-7 rules' params and the settings."""
        k1 = self.rule("vka-k1-consistency").params
        mk7 = self.rule("vka-mk7-consistency").params
        return Thresholds(
            k1_change_ug=k1["k1_change_ug"],
            k1_ratio_high=k1["k1_ratio_high"],
            k1_ratio_low=k1["k1_ratio_low"],
            k1_min_change_ug=k1["k1_min_change_ug"],
            mk7_change_ug=mk7["mk7_change_ug"],
            min_window_days=self.settings["min_window_days"],
            baseline_days=self.settings["baseline_days"],
            min_baseline_days=self.settings["min_baseline_days"],
        )


def _fail(where: str, problem: str) -> DataError:
    return DataError(f"findings rules, {where}: {problem}")


def _rule(raw: Mapping[str, Any], grades: Mapping[str, str], position: int) -> Rule:
    where = f"rule {raw.get('id', f'#{position}')!r}"
    unknown = set(raw) - _RULE_KEYS
    missing = _RULE_KEYS - {"params"} - set(raw)
    if unknown or missing:
        raise _fail(where, f"unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    for key in ("id", "severity", "grade", "title", "detail"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise _fail(where, f"{key} must be a non-empty string")
    if raw["severity"] not in SEVERITIES:
        raise _fail(where, f"severity must be one of {', '.join(SEVERITIES)}")
    if raw["grade"] not in grades:
        raise _fail(where, f"grade {raw['grade']!r} is not in [grades]")
    evidence = raw["evidence"]
    if not isinstance(evidence, list) or not evidence:
        raise _fail(where, "cites no evidence; a rule with no evidence behind it does not ship")
    for key in evidence:
        try:
            evidence_by_key(key)
        except UnknownEvidenceError:
            raise _fail(where, f"evidence key {key!r} is not in the evidence file") from None
    params = raw.get("params", {})
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in params.values()):
        raise _fail(where, "params must be numbers")
    try:
        placeholders(raw["title"])
        placeholders(raw["detail"])
    except ValueError as error:
        raise _fail(where, f"bad placeholder ({error})") from None
    return Rule(
        id=raw["id"],
        severity=cast(Severity, raw["severity"]),
        grade=raw["grade"],
        title=raw["title"],
        detail=raw["detail"],
        evidence=tuple(evidence),
        params={k: float(v) for k, v in params.items()},
    )


def parse_rules(text: str) -> RuleSet:
    """Read and check a findings.toml text (`DataError` says what is wrong)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _fail("file", f"not valid TOML ({error})") from None
    grades = data.get("grades", {})
    settings = data.get("consistency", {})
    if not grades or not all(isinstance(v, str) for v in grades.values()):
        raise _fail("[grades]", "needs one text per grade letter")
    if sorted(settings) != sorted(_SETTINGS) or not all(
        isinstance(v, int) and v > 0 for v in settings.values()
    ):
        raise _fail("[consistency]", f"needs positive whole numbers {', '.join(_SETTINGS)}")
    rules = tuple(_rule(raw, grades, i) for i, raw in enumerate(data.get("rule", []), 1))
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise _fail("rules", "two rules have the same id")
    if set(ids) != set(CHECKS):
        raise _fail(
            "rules",
            f"rules without code {sorted(set(ids) - set(CHECKS))}, "
            f"code without a rule {sorted(set(CHECKS) - set(ids))}",
        )
    return RuleSet(rules, dict(grades), dict(settings))


@functools.cache
def load_rules() -> RuleSet:
    """The shipped rules (read once per process)."""
    text = (resources.files("vitk2") / "data" / "findings.toml").read_text("utf-8")
    return parse_rules(text)


def _series(report: Report) -> tuple[dict[str, list[float]], dict[str, list[bool]]]:
    index = {key: i for i, key in enumerate(KEYS)}
    daily = {key: report.daily(key) for key in SERIES_KEYS}
    incomplete = {key: [bool(v) for v in report.incomplete[:, index[key]]] for key in SERIES_KEYS}
    return daily, incomplete


def consistency_for(
    history: Report,
    *,
    start: date,
    end: date,
    baseline_period: tuple[date, date] | None = None,
    inr: Sequence[tuple[date, float]] = (),
    rules: RuleSet | None = None,
) -> Consistency:
    """Weekly and rolling K1/MK-7 windows of ``start``..``end``; ``history`` is a
    report that reaches back far enough for the baselines (see `baseline_start`)."""
    daily, incomplete = _series(history)
    return weekly_consistency(
        history.days,
        daily,
        incomplete,
        start=start,
        end=end,
        thresholds=(rules or load_rules()).thresholds(),
        baseline_period=baseline_period,
        inr=inr,
    )


def baseline_start(start: date, rules: RuleSet | None = None) -> date:
    """The first day the trailing baseline of a period starting on ``start`` reads."""
    return shift_day(start, -(rules or load_rules()).settings["baseline_days"])


def evaluate_findings(
    report: Report,
    entries: Sequence[DiaryEntry],
    db: VectorSource,
    *,
    history: Report | None = None,
    baseline_period: tuple[date, date] | None = None,
    inr: Sequence[tuple[date, float]] = (),
    rules: RuleSet | None = None,
) -> tuple[Finding, ...]:
    """Every finding for ``report``'s period, most severe first.

    ``entries`` are the diary entries (those outside the period are ignored);
    ``history`` a report from `baseline_start` to the period's end, for the
    consistency baselines (default: the period alone)."""
    rules = rules or load_rules()
    profile = report.profile
    anticoag = anticoagulation(profile.medications if profile else ())
    consistency = None
    if anticoag.vka:
        consistency = consistency_for(
            history or report,
            start=report.start,
            end=report.end,
            baseline_period=baseline_period,
            inr=inr,
            rules=rules,
        )
    ctx = Context(
        report=report,
        entries=tuple(e for e in entries if report.start <= e.day <= report.end),
        db=db,
        anticoag=anticoag,
        consistency=consistency,
        settings=dict(rules.settings),
    )
    found: list[Finding] = []
    for rule in rules.rules:
        for match in CHECKS[rule.id](ctx, rule):
            found.append(
                rule.finding(
                    match.values,
                    match.applies_to,
                    evidence=match.evidence,
                    grade_text=rules.grades[rule.grade],
                )
            )
    return tuple(sorted(found, key=lambda f: -f.rank))


def assess(
    entries: Sequence[DiaryEntry],
    profile: Profile | None,
    db: VectorSource,
    *,
    start: date,
    end: date,
    authority: Authority = "iom",
    baseline_period: tuple[date, date] | None = None,
    inr: Sequence[tuple[date, float]] = (),
    rules: RuleSet | None = None,
) -> Report:
    """`build_report` over ``start``..``end`` with its findings. ``entries`` may
    reach back before ``start`` (to `baseline_start`, or into ``baseline_period``):
    for someone on a vitamin K antagonist those days give the consistency baselines."""
    report = build_report(entries, profile, db, start=start, end=end, authority=authority)
    history = None
    if anticoagulation(profile.medications if profile else ()).vka:
        first = baseline_start(start, rules)
        last = end
        if baseline_period is not None:
            first, last = min(first, baseline_period[0]), max(end, baseline_period[1])
        if any(first <= e.day < start or end < e.day <= last for e in entries):
            history = build_report(entries, profile, db, start=first, end=last, authority=authority)
    findings = evaluate_findings(
        report,
        entries,
        db,
        history=history,
        baseline_period=baseline_period,
        inr=inr,
        rules=rules,
    )
    return replace(report, findings=findings)


def findings_document(report: Report) -> dict[str, Any]:
    """The findings of a report as one JSON document (`vitk2 findings --json` and the
    web API): the period, the findings, and each cited source with its reliability."""
    keys = sorted({key for f in report.findings for key in f.evidence})
    return {
        "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
        "life_stage": report.stage,
        "authority": report.authority,
        "findings": [f.as_dict() for f in report.findings],
        "sources": {
            k: {"citation": citation(k), "reliability": ", ".join(source_reliabilities(k))}
            for k in keys
        },
    }
