"""The JSON API under ``/api/``: the CLI's use cases over HTTP, answering with the same
JSON documents as the CLI's ``--json`` (`vitk2 report --json` and ``GET /api/report``
give the same document for the same diary).

One module per area, each with its ``router``: `diary` (parse, log, entries, import and
export), `reports` (report, findings, consistency), `foods`, `own_foods` (your recipes
and foods from a label), `supplements` (products and the regimen simulation),
`evidence`, `person` (profile and INR log), `plan` (the plan, its ramp-up calendar
and substitutes) and `session` (the CSRF token); `deps` holds what they share. Every
4xx has the body of `vitk2.web.errors.ErrorResponse`.
"""

__all__ = [
    "deps",
    "diary",
    "evidence",
    "foods",
    "own_foods",
    "person",
    "plan",
    "reports",
    "session",
    "supplements",
]
