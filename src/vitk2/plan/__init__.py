"""Plan: changes to what a person eats or takes, and what they would do.

Owns the what-if view (`whatif`: the report and findings with supplements or foods
added) and the planner: the foods a plan may suggest and what they hold (`table`,
`groups`, `candidates`), the reference values and limits it aims within (`targets`),
the optimisation model (`model`, `planner`), the explanation (`explain`), the
ramp-up for fermented foods (`ramp`), the plan document and use case (`options`,
`document`), and substitutes for a food (`substitutes`). docs/plan.md describes it.
Sits above `vitk2.safety`, since a changed diet is judged by the same findings.
"""

__all__ = [
    "candidates",
    "document",
    "explain",
    "groups",
    "model",
    "options",
    "planner",
    "ramp",
    "substitutes",
    "table",
    "targets",
    "whatif",
]
