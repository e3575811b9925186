"""The default store: one SQLite file (WAL), reached through aiosqlite so the event loop never waits."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

import aiosqlite

from scrapers.base import FetchResponse
from server.store.base import PriceObservation, Watch

__all__ = ["SQLiteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS briefings (
    id TEXT PRIMARY KEY,
    product_id TEXT,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS briefings_by_product ON briefings (product_id, created_at);
CREATE TABLE IF NOT EXISTS fetch_cache (
    key TEXT PRIMARY KEY,
    expires_at REAL NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS prices (
    product_id TEXT NOT NULL,
    seller TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    observed_at REAL NOT NULL,
    url TEXT
);
CREATE INDEX IF NOT EXISTS prices_by_product ON prices (product_id, observed_at);
CREATE TABLE IF NOT EXISTS watches (
    product_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    interval_s REAL NOT NULL,
    created_at REAL NOT NULL,
    next_check REAL NOT NULL,
    last_checked REAL,
    last_error TEXT
);
"""
_WATCH_COLUMNS = ", ".join(f.name for f in dataclasses.fields(Watch))


class SQLiteStore:
    """Briefings, fetch cache and prices in one SQLite file; `path=":memory:"` keeps it in memory."""

    def __init__(self, path: str | Path, *, clock=time.time) -> None:
        self.path = str(path)
        self._clock = clock
        self._db: aiosqlite.Connection | None = None

    async def open(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._db = await aiosqlite.connect(self.path)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")
        await self._db.executescript(_SCHEMA)
        await self._db.commit()

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    async def put_briefing(self, briefing: dict[str, Any], *, product_id: str | None, ttl_s: float) -> None:
        now = self._clock()
        await self.db.execute(
            "INSERT OR REPLACE INTO briefings (id, product_id, status, created_at, expires_at, body)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (briefing["id"], product_id, briefing.get("status", ""), now, now + ttl_s, json.dumps(briefing)),
        )
        await self.db.commit()

    async def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        async with self.db.execute("SELECT body FROM briefings WHERE id = ?", (briefing_id,)) as cur:
            row = await cur.fetchone()
        return json.loads(row[0]) if row else None

    async def fresh_briefing_for(self, product_id: str) -> dict[str, Any] | None:
        async with self.db.execute(
            "SELECT body FROM briefings WHERE product_id = ? AND status != 'running' AND expires_at > ?"
            " ORDER BY created_at DESC LIMIT 1",
            (product_id, self._clock()),
        ) as cur:
            row = await cur.fetchone()
        return json.loads(row[0]) if row else None

    async def get_fetch(self, key: str) -> FetchResponse | None:
        async with self.db.execute(
            "SELECT url, status, headers, body FROM fetch_cache WHERE key = ? AND expires_at > ?",
            (key, self._clock()),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        url, status, headers, body = row
        return FetchResponse(url=url, status=status, headers=json.loads(headers), body=body, from_cache=True)

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        await self.db.execute(
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
        await self.db.commit()

    async def add_prices(self, observations: list[PriceObservation]) -> None:
        await self.db.executemany(
            "INSERT INTO prices (product_id, seller, amount, currency, observed_at, url)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(o.product_id, o.seller, o.amount, o.currency, o.observed_at, o.url) for o in observations],
        )
        await self.db.commit()

    async def prices(self, product_id: str) -> list[PriceObservation]:
        async with self.db.execute(
            "SELECT product_id, seller, amount, currency, observed_at, url FROM prices"
            " WHERE product_id = ? ORDER BY observed_at",
            (product_id,),
        ) as cur:
            rows = await cur.fetchall()
        return [PriceObservation(*row) for row in rows]

    async def purge_expired(self) -> int:
        """Drop expired cache entries and briefings past their TTL by a day; returns rows removed."""
        now = self._clock()
        expired_cache = await self.db.execute("DELETE FROM fetch_cache WHERE expires_at <= ?", (now,))
        # Briefings stay readable by id for a day after they stop being served for their product.
        old_briefings = await self.db.execute("DELETE FROM briefings WHERE expires_at <= ?", (now - 86400,))
        await self.db.commit()
        return expired_cache.rowcount + old_briefings.rowcount

    async def put_watch(self, watch: Watch) -> None:
        await self.db.execute(
            f"INSERT OR REPLACE INTO watches ({_WATCH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            dataclasses.astuple(watch),
        )
        await self.db.commit()

    async def delete_watch(self, product_id: str) -> bool:
        cur = await self.db.execute("DELETE FROM watches WHERE product_id = ?", (product_id,))
        await self.db.commit()
        return cur.rowcount > 0

    async def watches(self) -> list[Watch]:
        async with self.db.execute(f"SELECT {_WATCH_COLUMNS} FROM watches ORDER BY created_at") as cur:
            return [Watch(*row) for row in await cur.fetchall()]

    async def due_watches(self, now: float, limit: int = 20) -> list[Watch]:
        async with self.db.execute(
            f"SELECT {_WATCH_COLUMNS} FROM watches WHERE next_check <= ? ORDER BY next_check LIMIT ?",
            (now, limit),
        ) as cur:
            return [Watch(*row) for row in await cur.fetchall()]
