"""Cohorts: intake and usual-intake distributions for whole studies.

Reads a study's 24-hour recalls (long-format records and a persons file, or the
NHANES layout as it is: `inputs`, `nhanes`), joins them with the food database's
values read at run time (`foods`), adds them up per person and day with one SQL text
(`sql`) on DuckDB or Spark (`engines`), fits the usual-intake model per group of
persons (`usual`, over `vitk2.assess.population`) and summarises the distributions
(`summary`). DuckDB and PyArrow are the extra ``vitk2[cohort]``, PySpark the extra
``vitk2[spark]``; they are imported when used. ``docs/cohort.md`` has the method.
"""

__all__ = ["engines", "foods", "inputs", "nhanes", "sql", "summary", "usual"]
