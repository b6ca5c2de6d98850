"""Models: what a supplement regimen does over time.

Owns the one-compartment pharmacokinetic model of K1, MK-4 and MK-7 (`pk`), the
status model of dp-ucMGP and ucOC against MK-7 dose and duration (`status`), the
parameter type both report (`parameters`) and the values they return (`results`).
Parameters are read from `vitk2.evidence`. `regimen` turns a simulated regimen into the
one JSON document the CLI and the web API give.
"""

__all__ = ["parameters", "pk", "regimen", "results", "status"]
