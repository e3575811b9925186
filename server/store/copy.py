"""`zmot store copy`: move what a store holds to another backend (SQLite ↔ Redis), for a server that
grows from one instance to several, or back.

Briefings keep their page and the TTL they had left, every price observation is copied (and counted on
both sides), watches and the shoppers' corrections keep their state, and the alerts still kept for
GET /v1/alerts go with them. The fetch cache is not copied: it fills again as pages are fetched.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from server.errors import ConfigError
from server.settings import WatchSettings
from server.store.redis_store import RedisStore, where
from server.store.sqlite import SQLiteStore

__all__ = ["CopyCounts", "copy_store", "open_location", "run_copy"]

_READABLE_AFTER_TTL_S = 86400.0  # as both stores keep a briefing readable by id
_PRICE_BATCH = 1000
_ALERTS_KEEP_S = WatchSettings().alerts_keep_s

CopyableStore = SQLiteStore | RedisStore


@dataclass
class CopyCounts:
    """What a copy moved, and what it left behind on purpose."""

    briefings: int = 0
    briefings_past_their_time: int = 0
    products: int = 0
    prices: int = 0
    prices_in_target: int = 0
    watches: int = 0
    corrections: int = 0
    alerts: int = 0


def open_location(location: str, *, prefix: str) -> CopyableStore:
    """The store a `--from`/`--to` names: `sqlite:PATH`, or a `redis://` (`rediss://`, `unix://`) URL."""
    if location.startswith("sqlite:"):
        path = location.removeprefix("sqlite:")
        if not path:
            raise ConfigError("sqlite: needs a path, as in sqlite:/var/lib/zmot/zmot.sqlite3")
        return SQLiteStore(Path(path).expanduser())
    if location.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(location, prefix=prefix)
    raise ConfigError(f"{location!r} is no store: use sqlite:PATH or redis://HOST:PORT/DB")


def describe(store: CopyableStore) -> str:
    if isinstance(store, SQLiteStore):
        return f"sqlite:{store.path}"
    return f"{where(store.url)} (keys under {store.prefix!r})"


async def copy_store(source: CopyableStore, target: CopyableStore, *, now: float) -> CopyCounts:
    """Copy briefings, prices, watches, corrections and alerts from `source` into `target`, which must hold
    none yet: a second copy would record every price twice."""
    if not await target.is_empty():
        raise ConfigError(
            f"{describe(target)} already holds briefings, prices or watches: copy into an empty store"
        )
    counts = CopyCounts()
    for stored in await source.stored_briefings():
        if stored.expires_at + _READABLE_AFTER_TTL_S <= now:
            counts.briefings_past_their_time += 1  # purged at the source's next purge anyway
            continue
        await target.put_stored_briefing(stored)
        counts.briefings += 1
    for product_id in await source.priced_products():
        observations = await source.prices(product_id)
        for start in range(0, len(observations), _PRICE_BATCH):
            await target.add_prices(observations[start : start + _PRICE_BATCH])
        counts.products += 1
        counts.prices += len(observations)
        counts.prices_in_target += len(await target.prices(product_id))
    for watch in await source.watches():
        _, added = await target.add_watch(watch)
        counts.watches += added
    for correction in await source.all_corrections():
        await target.put_correction(correction)
        counts.corrections += 1
    for alert in await source.all_alerts():
        # Kept as long as a server keeps them by default from when they fired; the target's own server
        # trims them to its `watch.alerts_keep_s` at its next alert.
        await target.add_alert(alert, keep_s=max(0.0, now - alert.at) + _ALERTS_KEEP_S)
        counts.alerts += 1
    return counts


def run_copy(source_location: str, target_location: str, *, prefix: str) -> CopyCounts:
    """What the command does: open both stores, copy, and say what was copied."""
    if source_location.startswith("sqlite:"):
        path = Path(source_location.removeprefix("sqlite:")).expanduser()
        if not path.is_file():  # opening it would make an empty store there
            raise ConfigError(f"there is no store at {path}")
    source = open_location(source_location, prefix=prefix)
    target = open_location(target_location, prefix=prefix)
    counts = asyncio.run(_copy_between(source, target))
    print(f"copied {describe(source)} to {describe(target)}")
    print(f"briefings: {counts.briefings} ({counts.briefings_past_their_time} past their time, not copied)")
    print(
        f"price observations: {counts.prices} of {counts.products} products"
        f" ({counts.prices_in_target} in the target)"
    )
    print(f"watches: {counts.watches}")
    print(f"corrections: {counts.corrections}")
    print(f"alerts: {counts.alerts}")
    print("fetch cache: not copied (it fills again as pages are fetched)")
    if counts.prices_in_target != counts.prices:
        raise ConfigError("the target holds a different number of price observations than were copied")
    return counts


async def _copy_between(source: CopyableStore, target: CopyableStore) -> CopyCounts:
    await source.open()
    try:
        await target.open()
        try:
            return await copy_store(source, target, now=time.time())
        finally:
            await target.close()
    finally:
        await source.close()
