"""The default store: one SQLite file (WAL), reached through aiosqlite so the event loop never waits.

Two zmot processes may share the file. Every write is one short transaction that takes the write lock at
its start (BEGIN IMMEDIATE), waits for the other process up to a busy timeout, and is tried again a few
times; no read keeps a cursor, so no snapshot is held between calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from scrapers.base import FetchResponse
from server.store.base import PriceObservation, StoredBriefing
from server.store.sqlite_corrections import SQLiteCorrections
from server.store.sqlite_schema import is_current, migrate
from server.store.sqlite_watches import SQLiteWatches

__all__ = ["SQLiteStore"]

log = logging.getLogger("zmot.store")

T = TypeVar("T")

_BUSY_TIMEOUT_S = 5.0  # how long one statement waits for another process's write to end
_ATTEMPTS = 3  # a statement that waited that long is tried again, this many times in all
_RETRY_PAUSE_S = 0.05
# Briefings stay readable by id for a day after they stop being served for their page.
_READABLE_AFTER_TTL_S = 86400.0

_PRICE_COLUMNS = ", ".join(f.name for f in dataclasses.fields(PriceObservation))
_PRICE_MARKS = ", ".join("?" for _ in dataclasses.fields(PriceObservation))

Work = Callable[[aiosqlite.Connection], Awaitable[T]]


class SQLiteStore(SQLiteWatches, SQLiteCorrections):
    """Briefings, fetch cache, prices, watches and corrections in one SQLite file; `path=":memory:"` keeps it
    in memory."""

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Callable[[], float] = time.time,
        busy_timeout_s: float = _BUSY_TIMEOUT_S,
    ) -> None:
        self.path = str(path)
        self._clock = clock
        self._busy_timeout_s = busy_timeout_s
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()  # one transaction at a time on this connection

    async def open(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no transaction is opened behind our back; writes say BEGIN themselves.
        self._db = await aiosqlite.connect(self.path, isolation_level=None, timeout=self._busy_timeout_s)
        try:
            await _run(self._db, f"PRAGMA busy_timeout = {int(self._busy_timeout_s * 1000)}")
            await self._use_wal()
            await _run(self._db, "PRAGMA synchronous = NORMAL")
            if not await self._retrying(lambda: is_current(self.db)):
                await self._write(migrate)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    async def __aenter__(self) -> SQLiteStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    async def _use_wal(self) -> None:
        """WAL lets one process read while the other writes. The mode is kept in the file, so it is set
        once; when another process holds the file so the switch is refused, the file is used as it is."""
        (mode,) = await self._one("PRAGMA journal_mode") or ("",)
        if str(mode).lower() in {"wal", "memory"}:
            return
        try:
            await self._retrying(lambda: _run(self.db, "PRAGMA journal_mode = WAL"))
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            log.warning("%s stays in %s mode for now: another process holds it (%s)", self.path, mode, exc)

    async def _retrying(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """`attempt()`, tried again when SQLite stayed busy for the whole busy timeout."""
        for number in range(1, _ATTEMPTS + 1):
            try:
                return await attempt()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or number == _ATTEMPTS:
                    raise
                log.info("%s is busy (%s); trying again", self.path, exc)
                await asyncio.sleep(_RETRY_PAUSE_S * number)
        raise AssertionError("unreachable")

    async def _write(self, work: Work[T]) -> T:
        """Run `work` in one short write transaction, committed before this returns or rolled back."""
        async with self._write_lock:
            return await self._retrying(lambda: self._transaction(work))

    async def _transaction(self, work: Work[T]) -> T:
        db = self.db
        try:
            await _run(db, "BEGIN IMMEDIATE")  # inside: a cancelled BEGIN still runs, and is rolled back
            result = await work(db)
            await _run(db, "COMMIT")
        except BaseException:
            # The transaction may have ended already: SQLite rolls back by itself on some errors.
            with contextlib.suppress(sqlite3.OperationalError):
                await _run(db, "ROLLBACK")
            raise
        return result

    async def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        async def attempt() -> list[tuple[Any, ...]]:
            async with self.db.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

        return await self._retrying(attempt)

    async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    async def _change(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """One statement in its own write transaction; returns the rows it changed."""
        return await self._write(lambda db: _run(db, sql, params))

    async def put_briefing(self, briefing: dict[str, Any], *, page_key: str | None, ttl_s: float) -> None:
        now = self._clock()
        product = briefing.get("product")
        product_id = product.get("id") if isinstance(product, dict) else None
        await self._change(
            "INSERT OR REPLACE INTO briefings"
            " (id, product_id, page_key, status, created_at, expires_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                briefing["id"],
                product_id,
                page_key,
                briefing.get("status", ""),
                now,
                now + ttl_s,
                json.dumps(briefing),
            ),
        )

    async def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        row = await self._one("SELECT body FROM briefings WHERE id = ?", (briefing_id,))
        return json.loads(row[0]) if row else None

    async def fresh_briefing_for_page(self, page_key: str) -> dict[str, Any] | None:
        row = await self._one(
            "SELECT body FROM briefings WHERE page_key = ? AND status != 'running' AND expires_at > ?"
            " ORDER BY created_at DESC LIMIT 1",
            (page_key, self._clock()),
        )
        return json.loads(row[0]) if row else None

    async def get_fetch(self, key: str) -> FetchResponse | None:
        row = await self._one(
            "SELECT url, status, headers, body FROM fetch_cache WHERE key = ? AND expires_at > ?",
            (key, self._clock()),
        )
        if row is None:
            return None
        url, status, headers, body = row
        return FetchResponse(url=url, status=status, headers=json.loads(headers), body=body, from_cache=True)

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        await self._change(
            "INSERT OR REPLACE INTO fetch_cache (key, expires_at, url, status, headers, body)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                key,
                self._clock() + ttl_s,
                response.url,
                response.status,
                json.dumps(response.headers),
                response.body,
            ),
        )

    async def add_prices(self, observations: list[PriceObservation]) -> None:
        if not observations:
            return
        rows = [dataclasses.astuple(o) for o in observations]

        async def insert(db: aiosqlite.Connection) -> None:
            async with db.executemany(f"INSERT INTO prices ({_PRICE_COLUMNS}) VALUES ({_PRICE_MARKS})", rows):
                pass

        await self._write(insert)

    async def prices(self, product_id: str) -> list[PriceObservation]:
        rows = await self._rows(
            f"SELECT {_PRICE_COLUMNS} FROM prices WHERE product_id = ? ORDER BY observed_at", (product_id,)
        )
        return [PriceObservation(*row) for row in rows]

    async def purge_expired(self) -> int:
        """Drop expired cache entries and briefings a day past their TTL; returns rows removed."""
        now = self._clock()

        async def purge(db: aiosqlite.Connection) -> int:
            cache = await _run(db, "DELETE FROM fetch_cache WHERE expires_at <= ?", (now,))
            served_until = now - _READABLE_AFTER_TTL_S
            old = await _run(db, "DELETE FROM briefings WHERE expires_at <= ?", (served_until,))
            return cache + old

        return await self._write(purge)

    # What `zmot store copy` reads and writes besides the Store protocol.

    async def stored_briefings(self) -> list[StoredBriefing]:
        """Every briefing kept, with its page and expiry."""
        rows = await self._rows(
            "SELECT body, page_key, created_at, expires_at FROM briefings ORDER BY created_at"
        )
        return [
            StoredBriefing(json.loads(body), page, created, expires) for body, page, created, expires in rows
        ]

    async def put_stored_briefing(self, stored: StoredBriefing) -> None:
        """Keep a briefing as another store held it: its creation and expiry times are kept too."""
        product = stored.body.get("product")
        product_id = product.get("id") if isinstance(product, dict) else None
        await self._change(
            "INSERT OR REPLACE INTO briefings"
            " (id, product_id, page_key, status, created_at, expires_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                stored.id,
                product_id,
                stored.page_key,
                stored.body.get("status", ""),
                stored.created_at,
                stored.expires_at,
                json.dumps(stored.body),
            ),
        )

    async def priced_products(self) -> list[str]:
        """The ids of the products with at least one price observation."""
        return [
            row[0] for row in await self._rows("SELECT DISTINCT product_id FROM prices ORDER BY product_id")
        ]

    async def is_empty(self) -> bool:
        """Whether the store holds no briefing, price or watch (a copy goes only into an empty store)."""
        row = await self._one(
            "SELECT EXISTS (SELECT 1 FROM briefings) OR EXISTS (SELECT 1 FROM prices)"
            " OR EXISTS (SELECT 1 FROM watches)"
        )
        return not (row and row[0])


async def _run(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...] = ()) -> int:
    """Execute one statement and close its cursor at once; returns the rows it changed."""
    async with db.execute(sql, params) as cursor:
        return cursor.rowcount


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED (any extended code): another connection holds what we need."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
    return "locked" in str(exc) or "busy" in str(exc)
