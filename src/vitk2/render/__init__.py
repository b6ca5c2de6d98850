"""Render: pages and plots for people to read or print.

Owns the printable assessment report (`report_html`), the clinician summary
(`clinician_html`), their Jinja2 templates (``templates/``) and the plots of a
simulation (`plots`). Renders domain values; computes nothing new.
"""

__all__ = ["clinician_html", "plots", "report_html"]
