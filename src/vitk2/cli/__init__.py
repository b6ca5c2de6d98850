"""The ``vitk2`` command line: a thin shell over the services and the domain.

`app` assembles the commands; each other module holds one command group, and `common`
and `output` the options and printing they share. Bad input becomes one line on stderr
and exit code 1.
"""

__all__ = [
    "app", "clinician", "common", "diary", "evidence", "findings", "foods", "inr", "output",
    "profile", "report", "serve", "supplements", "whatif",
]  # fmt: skip
