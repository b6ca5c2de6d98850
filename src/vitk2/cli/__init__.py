"""The ``vitk2`` command line: a thin shell over the services and the domain.

`app` assembles the commands and holds the entry point (`main`); each other module
holds one command group, and `common` and `output` the options and printing they
share. Every failure is one line on stderr: exit code 1 for bad input, 2 for a usage
error.
"""

__all__ = [
    "app", "backup", "clinician", "cohort", "common", "diary", "evidence", "findings", "foods",
    "inr", "output", "own_foods", "plan", "profile", "report", "serve", "supplements", "whatif",
]  # fmt: skip
