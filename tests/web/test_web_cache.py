"""`CachedDiaryService`: a result is computed once per state of the diary, and every
committed write, by this store or by another connection (another process), gives a
new state. On SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pg_server import PostgresServer
from vitk2.intake.profile import Profile
from vitk2.services import CachedDiaryService
from vitk2.store import DiaryStore

DAY = date(2026, 3, 2)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'diary.sqlite'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    database = server.create_database()
    yield database
    server.drop_database(database)


def test_every_write_of_any_connection_changes_the_state(url: str) -> None:
    with DiaryStore(url) as store, DiaryStore(url) as other:
        service = CachedDiaryService(store)
        first = store.state_token()
        assert first is not None and store.state_token() == first  # reading changes nothing
        service.log("50 g natto", day=DAY)
        second = store.state_token()
        assert second != first
        other.set_profile(Profile(sex="female"))  # another connection, as another process
        assert store.state_token() not in (first, second)


def test_a_result_is_computed_once_per_state(url: str) -> None:
    with DiaryStore(url) as store, DiaryStore(url) as other:
        service = CachedDiaryService(store)
        service.log("50 g natto", day=DAY)
        calls: list[int] = []

        def compute() -> int:
            calls.append(1)
            return len(calls)

        assert service.memo(("k",), compute) == 1
        assert service.memo(("k",), compute) == 1 and service.peek(("k",)) == 1
        report = service.report()
        assert service.report() is report
        other.add_entries(service.parse("1 cup whole milk").entries(DAY))
        assert service.peek(("k",)) is None
        assert service.memo(("k",), compute) == 2
        fresh = service.report()
        assert fresh is not report and fresh.mean("calcium_mg") > report.mean("calcium_mg")


class _NoStateStore(DiaryStore):
    """A store on a backend with no cheap way to tell a change (not SQLite, not
    PostgreSQL): `state_token` gives None."""

    def state_token(self) -> tuple[object, ...] | None:
        return None


def test_no_cheap_state_means_no_cache(tmp_path: Path) -> None:
    with _NoStateStore(str(tmp_path / "diary.sqlite")) as store:
        service = CachedDiaryService(store)
        calls: list[int] = []
        service.memo(("k",), lambda: calls.append(1))
        service.memo(("k",), lambda: calls.append(1))
        assert len(calls) == 2 and service.peek(("k",)) is None


def test_the_sqlite_state_holds_in_wal_mode(tmp_path: Path) -> None:
    """The diary runs in WAL mode (concurrent CLI runs): the state still changes with
    every commit of another connection, and a closed store gives no state."""
    path = tmp_path / "diary.sqlite"
    with DiaryStore(str(path)) as store, DiaryStore(str(path)) as other:
        store.add_entries(CachedDiaryService(store).parse("50 g natto").entries(DAY))
        assert Path(f"{path}-wal").exists()
        first = store.state_token()
        assert first is not None and store.state_token() == first
        other.set_profile(Profile(sex="male"))
        assert store.state_token() != first
    assert store.state_token() is None
