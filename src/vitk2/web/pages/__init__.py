"""The pages, one module each. Every module has ``page`` (`vitk2.web.templating.Page`:
path, title, menu order) and ``router`` (its routes); `vitk2.web.app` finds them, so a
new page is one module here and one template in ``templates/pages/``."""

__all__ = [
    "anticoagulant",
    "diary",
    "evidence",
    "foods",
    "own_foods",
    "plan",
    "profile",
    "report",
    "supplements",
    "today",
]
