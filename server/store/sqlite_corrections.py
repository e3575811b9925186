"""The SQLite store's corrections: one row per (owner, site, field), replaced when the shopper picks again."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import aiosqlite

from server.store.base import SiteCorrection

__all__ = ["SQLiteCorrections"]

_FIELDS = [f.name for f in dataclasses.fields(SiteCorrection)]
_COLUMNS = ", ".join(_FIELDS)
_MARKS = ", ".join("?" for _ in _FIELDS)
_NEWEST_FIRST = "ORDER BY created_at DESC, id DESC"


class SQLiteCorrections:
    """Correction methods of `SQLiteStore`, which provides the transactions and reads they run in."""

    _write: Callable[[Callable[[aiosqlite.Connection], Awaitable[Any]]], Awaitable[Any]]
    _rows: Callable[..., Awaitable[list[tuple[Any, ...]]]]
    _change: Callable[..., Awaitable[int]]

    async def put_correction(self, correction: SiteCorrection) -> None:
        async def put(db: aiosqlite.Connection) -> None:
            # One transaction: the old correction of this field goes as the new one comes.
            key = (correction.owner, correction.site, correction.field)
            async with db.execute("DELETE FROM corrections WHERE owner = ? AND site = ? AND field = ?", key):
                pass
            async with db.execute(
                f"INSERT OR REPLACE INTO corrections ({_COLUMNS}) VALUES ({_MARKS})",
                dataclasses.astuple(correction),
            ):
                pass

        await self._write(put)

    async def corrections(self, owner: str, site: str | None = None) -> list[SiteCorrection]:
        if site is None:
            rows = await self._rows(
                f"SELECT {_COLUMNS} FROM corrections WHERE owner = ? {_NEWEST_FIRST}", (owner,)
            )
        else:
            rows = await self._rows(
                f"SELECT {_COLUMNS} FROM corrections WHERE owner = ? AND site = ? {_NEWEST_FIRST}",
                (owner, site),
            )
        return [SiteCorrection(*row) for row in rows]

    async def delete_correction(self, owner: str, correction_id: str) -> bool:
        changed = await self._change(
            "DELETE FROM corrections WHERE owner = ? AND id = ?", (owner, correction_id)
        )
        return changed > 0

    async def all_corrections(self) -> list[SiteCorrection]:
        """Every owner's corrections, for `zmot store copy`."""
        return [SiteCorrection(*row) for row in await self._rows(f"SELECT {_COLUMNS} FROM corrections")]
