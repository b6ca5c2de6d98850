"""Plain-language notes for the report: coverage, reference values, and the
vitamin D + K2 + calcium pairing (step 4 of the programme). Safety statements
(anticoagulants, upper limits) are findings: see `vitk2.safety.findings`.

Every number in a note is either the user's own intake or a figure from the
evidence file, cited by its key in square brackets.
"""

from __future__ import annotations

import re
from typing import Final

from vitk2.assess.report import Report
from vitk2.evidence.records import load_evidence
from vitk2.intake.totals import number_text

__all__ = ["number_text", "pairing_notes"]

_IU_PER_UG: Final = 40


def _micro(text: str) -> str:
    """Evidence doses are typed with 'ug'; the report writes µg."""
    return re.sub(r"(?<![A-Za-z])ug\b", "µg", text.replace(">=", "≥"))


def _record_text(source: str, claim_start: str) -> tuple[str, str] | None:
    """(value text, dose) of the first record of ``source`` whose claim starts so."""
    for record in load_evidence():
        if record.source_key == source and record.claim.startswith(claim_start):
            return f"{record.value} {record.unit or ''}".strip(), record.dose or ""
    return None


def _nutrient_note(report: Report, key: str, label: str, unit: str) -> list[str]:
    notes = []
    total = report.mean_total(key)
    target = report.reference(key, ("RDA", "PRI", "AI"))
    upper = report.reference(key, ("UL",))
    if total.value is None:
        return [f"{label}: unknown, no logged food has a known value."]
    mean = total.value
    at_least = "≥ " if total.lower_bound else ""
    extra = f" ({at_least}{number_text(mean * _IU_PER_UG)} IU)" if key == "vitd_ug" else ""
    if target is not None:
        notes.append(
            f"{label} averaged {total.text()} {unit}/day{extra}, "
            f"{at_least}{100 * mean / target.value:.0f} % "
            f"of the {target.type} of {number_text(target.value)} {unit}/day for your life stage "
            f"[{target.source}]."
        )
    else:
        notes.append(f"{label} averaged {total.text()} {unit}/day{extra}.")
    supplements = report.mean(key, source="supplements")
    if supplements > 0:
        notes[-1] += f" Of this, {number_text(supplements)} {unit}/day came from supplements."
    if upper is not None:
        over = [v for v in report.daily(key) if v > upper.value]
        if over:
            notes.append(
                f"{label} from food and supplements was above the tolerable upper intake level "
                f"(UL) of {number_text(upper.value)} {unit}/day on {len(over)} of "
                f"{len(report.days)} "
                f"day(s) [{upper.source}]. Review supplement doses with your clinician."
            )
    return notes


def _coverage_note(report: Report) -> str:
    cov = report.coverage
    food = cov["measured_g"] + cov["imputed_g"] + cov["unknown_g"]
    k2 = report.k2()
    total = report.mean_total("k2_ug")
    text = "No authority sets a K2 intake, so vitk2 shows none. "
    if total.value is None:
        text += "Your K2 intake is unknown: no food you logged has a known K2 value."
    else:
        text += (
            f"Your K2 averaged {total.text()} µg/day "
            f"(range {number_text(k2['low_ug'])}–{number_text(k2['high_ug'])})."
        )
    if food > 0 and cov["unknown_g"] > 0:
        share = 100 * cov["unknown_g"] / food
        text += (
            f" {share:.0f} % of the food you ate by weight has unknown K2 and is not counted, "
            "so your true K2 intake may be higher."
        )
    if cov["imputed_g"] > 0:
        text += (
            f" {100 * cov['imputed_g'] / food:.0f} % by weight has an imputed value "
            "(see `vitk2 foods show ID` for how)."
        )
    return text


def _pairing_notes(report: Report) -> list[str]:
    notes = []
    combo = _record_text("kurnatowska2015", "Change in CCA-IMT")
    if combo is not None:
        notes.append(
            "Vitamin D and calcium are shown next to K2 because K2 is usually taken together "
            f"with them. In one trial, MK-7 with vitamin D ({_micro(combo[1])}) was compared with "
            f"vitamin D alone: change in carotid intima-media thickness {combo[0]} "
            "[kurnatowska2015]."
        )
    calcium = _record_text("cn_mk7_2020", "cOC/ucOC ratio")
    if calcium is not None:
        notes.append(
            "In another trial, adding calcium 500 mg and vitamin D3 to MK-7 gave no additional "
            "effect on osteocalcin carboxylation or bone loss [cn_mk7_2020]."
        )
    return notes


def pairing_notes(report: Report) -> list[str]:
    """All notes, most important first."""
    notes: list[str] = []
    calendar = (report.end - report.start).days + 1
    missing = calendar - len(report.days)
    if missing > 0:
        notes.append(
            f"{missing} of {calendar} days in the period have no entries; means are over the "
            f"{len(report.days)} logged day(s) — an unlogged day is missing, not zero."
        )
    notes.append(_coverage_note(report))
    if report.references.get("vitk_ug") or report.references.get("k1_ug"):
        key = "vitk_ug" if report.references.get("vitk_ug") else "k1_ug"
        label = "Vitamin K (all forms)" if key == "vitk_ug" else "Vitamin K1"
        notes += _nutrient_note(report, key, label, "µg")
    notes += _nutrient_note(report, "vitd_ug", "Vitamin D", "µg")
    notes += _nutrient_note(report, "calcium_mg", "Calcium", "mg")
    notes += _pairing_notes(report)
    return notes
