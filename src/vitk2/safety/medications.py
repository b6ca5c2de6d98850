"""Anticoagulants in the profile's medication list: vitamin K antagonists (VKA)
and direct oral anticoagulants (DOAC), recognised by generic or brand name.

Only the class matters to vitk2: VKAs (warfarin, acenocoumarol, phenprocoumon …)
work by blocking the recycling of vitamin K, so vitamin K intake changes their
effect; DOACs act on thrombin or factor Xa instead (see `vitk2 evidence show
vangorp2015`). Any other medication is kept in the profile but has no rule.

>>> anticoagulation(["Warfarin 5 mg", "metformin"]).vka
('warfarin',)
>>> anticoagulation(["Eliquis"]).doac
('apixaban',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "DOAC_NAMES",
    "VKA_NAMES",
    "Anticoagulation",
    "MedicationClass",
    "anticoagulation",
    "classify_medication",
]

MedicationClass = Literal["vka", "doac"]

#: Vitamin K antagonists: name or brand (lower case) -> generic name.
VKA_NAMES: Final[dict[str, str]] = {
    "warfarin": "warfarin",
    "coumadin": "warfarin",
    "jantoven": "warfarin",
    "marevan": "warfarin",
    "waran": "warfarin",
    "warfant": "warfarin",
    "acenocoumarol": "acenocoumarol",
    "acenocoumarin": "acenocoumarol",
    "nicoumalone": "acenocoumarol",
    "sintrom": "acenocoumarol",
    "sinthrome": "acenocoumarol",
    "phenprocoumon": "phenprocoumon",
    "marcumar": "phenprocoumon",
    "marcoumar": "phenprocoumon",
    "falithrom": "phenprocoumon",
    "fluindione": "fluindione",
    "previscan": "fluindione",
    "phenindione": "phenindione",
}
#: Direct oral anticoagulants: name or brand (lower case) -> generic name.
DOAC_NAMES: Final[dict[str, str]] = {
    "apixaban": "apixaban",
    "eliquis": "apixaban",
    "rivaroxaban": "rivaroxaban",
    "xarelto": "rivaroxaban",
    "dabigatran": "dabigatran",
    "pradaxa": "dabigatran",
    "pradax": "dabigatran",
    "edoxaban": "edoxaban",
    "lixiana": "edoxaban",
    "savaysa": "edoxaban",
    "betrixaban": "betrixaban",
}
_WORD = re.compile(r"[a-z]+")


def classify_medication(name: str) -> tuple[MedicationClass, str] | None:
    """``("vka" | "doac", generic name)`` when any word of ``name`` is a known
    anticoagulant ("Warfarin sodium 5 mg" -> warfarin), else None."""
    for word in _WORD.findall(name.casefold()):
        if word in VKA_NAMES:
            return "vka", VKA_NAMES[word]
        if word in DOAC_NAMES:
            return "doac", DOAC_NAMES[word]
    return None


@dataclass(frozen=True, slots=True)
class Anticoagulation:
    """The generic names of the VKAs and DOACs in a medication list."""

    vka: tuple[str, ...] = ()
    doac: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.vka or self.doac)


def anticoagulation(medications: Iterable[str]) -> Anticoagulation:
    """Sort a medication list into VKAs and DOACs (each generic name once)."""
    vka: list[str] = []
    doac: list[str] = []
    for name in medications:
        found = classify_medication(name)
        if found is None:
            continue
        kind, generic = found
        target = vka if kind == "vka" else doac
        if generic not in target:
            target.append(generic)
    return Anticoagulation(tuple(vka), tuple(doac))
