"""Safety: findings about one person's record, each citing its evidence.

Owns medications and anticoagulation (`medications`), INR readings (`inr`), the
weekly vitamin K consistency view (`consistency`), the finding rules of
``data/findings.toml`` (`rules`), the checks that fill them (`checks`) and the
assessment that runs them over a report (`findings`). Builds on `vitk2.assess`.
"""

__all__ = ["checks", "consistency", "findings", "inr", "medications", "rules"]
