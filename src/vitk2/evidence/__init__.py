"""Evidence: the cited records every reference value, model parameter and finding
rests on (`records`: loading, search, citations and reliability flags).

Sits beside `vitk2.intake` and below `vitk2.assess`, `vitk2.safety` and
`vitk2.models`, which all read it; it imports nothing else of vitk2 but `vitk2.errors`.
"""

__all__ = ["records"]
