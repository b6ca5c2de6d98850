"""Plan: changes to what a person eats or takes, and what they would do.

Owns the what-if view (`whatif`: the report and findings with supplements or foods
added). The planner and substitutes will live here too. Sits above
`vitk2.safety`, since a changed diet is judged by the same findings.
"""

__all__ = ["whatif"]
