"""The SQLite store's watches: one row per (product, page), and the claims that share them out among
several zmot instances on one file."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiosqlite

from server.store.base import Watch

__all__ = ["SQLiteWatches"]

T = TypeVar("T")

_WATCH_COLUMNS = ", ".join(f.name for f in dataclasses.fields(Watch))
_WATCH_MARKS = ", ".join("?" for _ in dataclasses.fields(Watch))
_DUE_ORDER = "ORDER BY next_check, created_at, product_id, url"


class SQLiteWatches:
    """Watch methods of `SQLiteStore`, which provides the transactions and reads they run in."""

    # Provided by SQLiteStore: one write transaction, a read, and one statement in its own transaction.
    _write: Callable[[Callable[[aiosqlite.Connection], Awaitable[Any]]], Awaitable[Any]]
    _rows: Callable[..., Awaitable[list[tuple[Any, ...]]]]
    _change: Callable[..., Awaitable[int]]

    async def add_watch(self, watch: Watch) -> tuple[Watch, bool]:
        async def add(db: aiosqlite.Connection) -> tuple[Watch, bool]:
            added = await _run(
                db,
                f"INSERT INTO watches ({_WATCH_COLUMNS}) VALUES ({_WATCH_MARKS})"
                " ON CONFLICT (product_id, url) DO NOTHING",
                dataclasses.astuple(watch),
            )
            rows = await _select(
                db,
                f"SELECT {_WATCH_COLUMNS} FROM watches WHERE product_id = ? AND url = ?",
                (watch.product_id, watch.url),
            )
            assert rows  # inserted, or there already, within this transaction
            return Watch(*rows[0]), added > 0

        return await self._write(add)

    async def update_watch(self, watch: Watch) -> bool:
        changed = await self._change(
            "UPDATE watches SET interval_s = ?, next_check = ?, last_checked = ?, last_error = ?,"
            " failures = ? WHERE product_id = ? AND url = ?",
            (
                watch.interval_s,
                watch.next_check,
                watch.last_checked,
                watch.last_error,
                watch.failures,
                watch.product_id,
                watch.url,
            ),
        )
        return changed > 0

    async def delete_watch(self, product_id: str, url: str | None = None) -> int:
        if url is None:
            return await self._change("DELETE FROM watches WHERE product_id = ?", (product_id,))
        return await self._change("DELETE FROM watches WHERE product_id = ? AND url = ?", (product_id, url))

    async def watches(self) -> list[Watch]:
        rows = await self._rows(f"SELECT {_WATCH_COLUMNS} FROM watches ORDER BY created_at, product_id, url")
        return [Watch(*row) for row in rows]

    async def due_watches(self, now: float, limit: int = 20) -> list[Watch]:
        rows = await self._rows(
            f"SELECT {_WATCH_COLUMNS} FROM watches WHERE next_check <= ? {_DUE_ORDER} LIMIT ?", (now, limit)
        )
        return [Watch(*row) for row in rows]

    async def claim_due_watches(self, now: float, *, limit: int, lease_s: float) -> list[Watch]:
        """The pick and the push of next_check are one BEGIN IMMEDIATE transaction: another process
        waits for the write lock, and then no longer sees these watches as due."""
        until = now + lease_s

        async def claim(db: aiosqlite.Connection) -> list[Watch]:
            rows = await _select(
                db,
                f"SELECT {_WATCH_COLUMNS} FROM watches WHERE next_check <= ? {_DUE_ORDER} LIMIT ?",
                (now, limit),
            )
            claimed = [dataclasses.replace(Watch(*row), next_check=until) for row in rows]
            for watch in claimed:
                await _run(
                    db,
                    "UPDATE watches SET next_check = ? WHERE product_id = ? AND url = ?",
                    (until, watch.product_id, watch.url),
                )
            return claimed

        return await self._write(claim)


async def _run(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...] = ()) -> int:
    async with db.execute(sql, params) as cursor:
        return cursor.rowcount


async def _select(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    async with db.execute(sql, params) as cursor:
        return list(await cursor.fetchall())
