"""Services: the use cases the CLI and the web app call (log, edit, import, export,
backup, reports, findings, your own foods), over the diary store and the food
database. `DiaryService` in `diary`; `CachedDiaryService` in `cache` keeps results per
state of the diary for the web app. No presentation logic here."""

from vitk2.services.cache import CachedDiaryService
from vitk2.services.diary import DiaryService, LogResult, SavedRecipe

__all__ = ["CachedDiaryService", "DiaryService", "LogResult", "SavedRecipe"]
