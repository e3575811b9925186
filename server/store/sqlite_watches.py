"""The SQLite store's watches: one row per (owner, product, page), the claims that share them out among
several zmot instances on one file, and the alerts they fired."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiosqlite

from server.store.base import RULE_FIELDS, Watch, WatchAlert

__all__ = ["SQLiteWatches"]

T = TypeVar("T")

_FIELDS = [f.name for f in dataclasses.fields(Watch)]
_WATCH_COLUMNS = ", ".join(_FIELDS)
_WATCH_MARKS = ", ".join("?" for _ in _FIELDS)
_KEY = ("owner", "product_id", "url")
_WHERE_KEY = "owner = ? AND product_id = ? AND url = ?"
# What a check records: everything but the key, the rules and when the watch was made.
_CHECKED = [name for name in _FIELDS if name not in (*_KEY, *RULE_FIELDS, "created_at")]
_DUE_ORDER = "ORDER BY next_check, created_at, product_id, url, owner"
_ALERT_COLUMNS = ", ".join(f.name for f in dataclasses.fields(WatchAlert))
_ALERT_MARKS = ", ".join("?" for _ in dataclasses.fields(WatchAlert))


def _value(watch: Watch, name: str) -> Any:
    value = getattr(watch, name)
    return json.dumps(list(value)) if name == "notify_on" else value


def _row(watch: Watch) -> tuple[Any, ...]:
    return tuple(_value(watch, name) for name in _FIELDS)


def _key(watch: Watch) -> tuple[str, str, str]:
    return watch.owner, watch.product_id, watch.url


def _watch(row: tuple[Any, ...]) -> Watch:
    values = dict(zip(_FIELDS, row, strict=True))
    values["notify_on"] = tuple(json.loads(values["notify_on"]))
    return Watch(**values)


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
                " ON CONFLICT (owner, product_id, url) DO NOTHING",
                _row(watch),
            )
            rows = await _select(db, f"SELECT {_WATCH_COLUMNS} FROM watches WHERE {_WHERE_KEY}", _key(watch))
            assert rows  # inserted, or there already, within this transaction
            return _watch(rows[0]), added > 0

        return await self._write(add)

    async def update_watch(self, watch: Watch) -> bool:
        assignments = ", ".join(f"{name} = ?" for name in _CHECKED)
        values = tuple(_value(watch, name) for name in _CHECKED)
        changed = await self._change(
            f"UPDATE watches SET {assignments} WHERE {_WHERE_KEY}", values + _key(watch)
        )
        return changed > 0

    async def set_watch_rules(self, watch: Watch) -> Watch | None:
        assignments = ", ".join(f"{name} = ?" for name in RULE_FIELDS)
        values = tuple(_value(watch, name) for name in RULE_FIELDS)

        async def set_rules(db: aiosqlite.Connection) -> Watch | None:
            await _run(db, f"UPDATE watches SET {assignments} WHERE {_WHERE_KEY}", values + _key(watch))
            rows = await _select(db, f"SELECT {_WATCH_COLUMNS} FROM watches WHERE {_WHERE_KEY}", _key(watch))
            return _watch(rows[0]) if rows else None

        return await self._write(set_rules)

    async def delete_watch(self, product_id: str, url: str | None = None, *, owner: str = "") -> int:
        if url is None:
            return await self._change(
                "DELETE FROM watches WHERE owner = ? AND product_id = ?", (owner, product_id)
            )
        return await self._change(f"DELETE FROM watches WHERE {_WHERE_KEY}", (owner, product_id, url))

    async def watches(self, owner: str | None = None) -> list[Watch]:
        order = "ORDER BY created_at, product_id, url, owner"
        if owner is None:
            rows = await self._rows(f"SELECT {_WATCH_COLUMNS} FROM watches {order}")
        else:
            rows = await self._rows(f"SELECT {_WATCH_COLUMNS} FROM watches WHERE owner = ? {order}", (owner,))
        return [_watch(row) for row in rows]

    async def due_watches(self, now: float, limit: int = 20) -> list[Watch]:
        rows = await self._rows(
            f"SELECT {_WATCH_COLUMNS} FROM watches WHERE next_check <= ? {_DUE_ORDER} LIMIT ?", (now, limit)
        )
        return [_watch(row) for row in rows]

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
            claimed = [dataclasses.replace(_watch(row), next_check=until) for row in rows]
            for watch in claimed:
                await _run(db, f"UPDATE watches SET next_check = ? WHERE {_WHERE_KEY}", (until, *_key(watch)))
            return claimed

        return await self._write(claim)

    async def add_alert(self, alert: WatchAlert, *, keep_s: float) -> None:
        async def add(db: aiosqlite.Connection) -> None:
            await _run(
                db,
                f"INSERT OR IGNORE INTO alerts ({_ALERT_COLUMNS}) VALUES ({_ALERT_MARKS})",
                dataclasses.astuple(alert),
            )
            await _run(db, "DELETE FROM alerts WHERE owner = ? AND at < ?", (alert.owner, alert.at - keep_s))

        await self._write(add)

    async def alerts_since(self, owner: str, since: float) -> list[WatchAlert]:
        rows = await self._rows(
            f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE owner = ? AND at > ? ORDER BY at, id", (owner, since)
        )
        return [WatchAlert(*row) for row in rows]

    async def all_alerts(self) -> list[WatchAlert]:
        """Every owner's alerts, oldest first, for `zmot store copy`."""
        return [
            WatchAlert(*row)
            for row in await self._rows(f"SELECT {_ALERT_COLUMNS} FROM alerts ORDER BY at, id")
        ]


async def _run(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...] = ()) -> int:
    async with db.execute(sql, params) as cursor:
        return cursor.rowcount


async def _select(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    async with db.execute(sql, params) as cursor:
        return list(await cursor.fetchall())
