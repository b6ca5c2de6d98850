"""`CachedDiaryService`: a `DiaryService` whose reports are computed once per state of
the diary (the web app answers many requests from one state)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar, cast

from vitk2.assess.reference import Authority
from vitk2.assess.report import Report
from vitk2.foods.database import FoodDB
from vitk2.safety.consistency import Consistency
from vitk2.services.diary import DiaryService
from vitk2.store import DiaryStore

__all__ = ["CachedDiaryService"]

_T = TypeVar("_T")


class CachedDiaryService(DiaryService):
    """A `DiaryService` that computes each report once per state of the diary.

    The key is the store's `DiaryStore.state_token` (it changes with every committed
    write, by this process or another) plus the arguments, so a write invalidates
    everything at once and no result is ever served for a diary state it was not
    computed from. Where the store cannot tell its state cheaply nothing is cached.
    Thread-safe: concurrent requests for the same key wait for one computation."""

    def __init__(self, store: DiaryStore, db: FoodDB | None = None, *, size: int = 64) -> None:
        super().__init__(store, db)
        self._size = size
        self._memo: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[tuple[Hashable, ...], threading.Lock] = {}

    def memo(self, key: tuple[Hashable, ...], compute: Callable[[], _T]) -> _T:
        """``compute()`` once per diary state and ``key``; later calls get the result."""
        state = self.store.state_token()
        if state is None:
            return compute()
        full = (state, *key)
        with self._lock:
            if full in self._memo:
                self._memo.move_to_end(full)
                return cast(_T, self._memo[full])
            pending = self._pending.setdefault(full, threading.Lock())
        with pending:
            with self._lock:
                if full in self._memo:
                    return cast(_T, self._memo[full])
            value = compute()
            with self._lock:
                self._memo[full] = value
                self._pending.pop(full, None)
                while len(self._memo) > self._size:
                    self._memo.popitem(last=False)
        return value

    def peek(self, key: tuple[Hashable, ...]) -> object | None:
        """The result `memo` holds for ``key`` in the diary's current state, or None
        (nothing is computed: a caller on an event loop can answer at once)."""
        state = self.store.state_token()
        if state is None:
            return None
        with self._lock:
            return self._memo.get((state, *key))

    def report(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        authority: Authority = "iom",
        baseline: tuple[date, date] | None = None,
    ) -> Report:
        return self.memo(
            ("report", start, end, authority, baseline),
            lambda: super(CachedDiaryService, self).report(
                start=start, end=end, authority=authority, baseline=baseline
            ),
        )

    def consistency(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        baseline: tuple[date, date] | None = None,
    ) -> Consistency:
        return self.memo(
            ("consistency", start, end, baseline),
            lambda: super(CachedDiaryService, self).consistency(
                start=start, end=end, baseline=baseline
            ),
        )
