"""Web app under load: N concurrent clients on loopback against a 365-day diary.

Usage: python bench/web_load.py [--clients 50] [--seconds 10] [--days 365] [--per-day 15]
                                [--think-ms 0] [--json]

A real `vitk2 serve` process (one Uvicorn worker, as users run it) serves a SQLite diary
of ``--days`` days x ``--per-day`` entries (the meal phrases of bench/report_speed.py).
The load generator is one asyncio process of ``--clients`` keep-alive HTTP/1.1
connections, each sending its next request as soon as the previous answer is read in
full (plus ``--think-ms``, default 0: a closed loop, the hardest case). Each scenario
runs for ``--seconds`` after one warm-up request per client; it reports the latency
percentiles and the throughput.

Scenarios: the Today page of the diary's last day (``GET /?date=…``); the report API
over the whole year (``GET /api/report``, the document of `vitk2 report --json`); and,
for comparison, the same two after every write (a ``POST /api/log`` between rounds
invalidates the cache, so the first request after it computes the report again).
Only loopback is used; the generator stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from report_speed import MEALS
from vitk2 import FoodDB
from vitk2.intake.meals import MealParser
from vitk2.intake.profile import Profile
from vitk2.store import DiaryStore

_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


def build_diary(path: Path, days: int, per_day: int) -> date:
    """The diary of bench/report_speed.py; returns its last day."""
    parser = MealParser(FoodDB.default())
    pool = [e for text in MEALS for e in parser.parse(text).entries(date(2025, 1, 1))]
    rng = random.Random(42)
    start = date(2025, 1, 1)
    entries = [
        replace(rng.choice(pool), day=start + timedelta(days=d))
        for d in range(days)
        for _ in range(per_day)
    ]
    with DiaryStore(str(path)) as store:
        store.add_entries(entries)
        store.set_profile(Profile(sex="female", birth_date=date(1968, 3, 1)))
    return start + timedelta(days=days - 1)


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes
) -> tuple[int, int]:
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    match = _LENGTH.search(head)
    body = await reader.readexactly(int(match.group(1))) if match else b""
    return status, len(body)


def _get(path: str, host: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip, deflate\r\n\r\n".encode()


async def _client(
    host: str, port: int, raw: bytes, *, until: float, think_s: float, latencies: list[float]
) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    try:
        await _request(reader, writer, raw)  # warm-up, not counted
        while time.perf_counter() < until:
            started = time.perf_counter()
            status, _ = await _request(reader, writer, raw)
            latencies.append(time.perf_counter() - started)
            errors += status != 200
            if think_s:
                await asyncio.sleep(think_s)
    finally:
        writer.close()
    return errors


async def scenario(
    url: str, path: str, *, clients: int, seconds: float, think_ms: float
) -> dict[str, Any]:
    """``clients`` connections requesting ``path`` for ``seconds``."""
    where = urlsplit(url)
    host, port = where.hostname or "127.0.0.1", where.port or 80
    raw = _get(path, where.netloc)
    latencies: list[float] = []
    begin = time.perf_counter()
    until = begin + seconds
    errors = await asyncio.gather(
        *(
            _client(host, port, raw, until=until, think_s=think_ms / 1000, latencies=latencies)
            for _ in range(clients)
        )
    )
    elapsed = time.perf_counter() - begin
    return _figures(path, latencies, elapsed, sum(errors))


async def after_writes(
    url: str, path: str, csrf: str, *, clients: int, rounds: int, day: date
) -> dict[str, Any]:
    """Each round: one write (POST /api/log), then every client requests ``path`` once."""
    where = urlsplit(url)
    host, port = where.hostname or "127.0.0.1", where.port or 80
    body = json.dumps({"text": "50 g natto", "date": day.isoformat()}).encode()
    write = (
        f"POST /api/log HTTP/1.1\r\nHost: {where.netloc}\r\nContent-Type: application/json\r\n"
        f"X-CSRF-Token: {csrf}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    connections = [await asyncio.open_connection(host, port) for _ in range(clients)]
    latencies: list[float] = []
    errors = 0
    begin = time.perf_counter()
    raw = _get(path, where.netloc)

    async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> int:
        started = time.perf_counter()
        status, _ = await _request(reader, writer, raw)
        latencies.append(time.perf_counter() - started)
        return int(status != 200)

    for _ in range(rounds):
        status, _ = await _request(*connections[0], write)
        errors += status != 201
        errors += sum(await asyncio.gather(*(one(r, w) for r, w in connections)))
    elapsed = time.perf_counter() - begin
    for _, writer in connections:
        writer.close()
    return _figures(f"{path} after each write", latencies, elapsed, errors)


def _figures(name: str, latencies: list[float], elapsed: float, errors: int) -> dict[str, Any]:
    ms = sorted(v * 1000 for v in latencies)
    cut = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "scenario": name,
        "requests": len(ms),
        "errors": errors,
        "requests_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(cut[49], 1),
        "p95_ms": round(cut[94], 1),
        "p99_ms": round(cut[98], 1),
        "max_ms": round(ms[-1], 1),
    }


def _serve(db: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "vitk2", "serve", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "running at" not in line:
        process.kill()
        raise SystemExit(f"vitk2 serve did not start: {line!r}")
    return process, line.split("running at ", 1)[1].split()[0].rstrip("/")


async def _csrf(url: str) -> str:
    where = urlsplit(url)
    reader, writer = await asyncio.open_connection(where.hostname, where.port)
    writer.write(_get("/api/session", where.netloc))
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    match = _LENGTH.search(head)
    assert match is not None
    body = await reader.readexactly(int(match.group(1)))
    writer.close()
    token: str = json.loads(body)["csrf_token"]
    return token


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=15)
    parser.add_argument("--think-ms", type=float, default=0.0)
    parser.add_argument("--rounds", type=int, default=20, help="writes in the after-write runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        last = build_diary(db, args.days, args.per_day)
        process, url = _serve(db)
        try:
            today = f"/?date={last.isoformat()}"
            results = [
                asyncio.run(scenario(url, path, clients=args.clients, seconds=args.seconds,
                                     think_ms=args.think_ms))
                for path in (today, "/api/report")
            ]  # fmt: skip
            csrf = asyncio.run(_csrf(url))
            results += [
                asyncio.run(after_writes(url, path, csrf, clients=args.clients,
                                         rounds=args.rounds, day=last))
                for path in (today, "/api/report")
            ]  # fmt: skip
        finally:
            process.terminate()
            process.wait(timeout=10)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    load = f"{args.clients} clients, {args.days} days x {args.per_day} entries"
    print(f"{load}, think {args.think_ms:g} ms")
    for r in results:
        print(
            f"{r['scenario']:<40} {r['requests']:>6} req  {r['requests_per_s']:>7} req/s  "
            f"p50 {r['p50_ms']:>6} ms  p95 {r['p95_ms']:>6} ms  p99 {r['p99_ms']:>6} ms  "
            f"max {r['max_ms']:>6} ms  errors {r['errors']}"
        )


if __name__ == "__main__":
    main()
