"""The fetcher's cache in the store, written behind the fetches.

A briefing reads twenty result pages at once. Awaiting each page's write to the store before handing the
page on made every fetch wait for the writes queued before its own (a 200 KB row at a time, in the store's
one thread): the last pages of a briefing waited 100 ms and more for nothing. So a fetch hands its answer
to a writer and goes on; answers waiting to be written are served from memory meanwhile; at most
`max_pending` wait (a fetch past that waits for room, so memory stays bounded); `close()` writes them all,
so a clean shutdown loses none.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from scrapers.base import FetchResponse
from server.store.base import Store
from server.tasks import stop_if_cancelled

__all__ = ["FetchCache"]

log = logging.getLogger("zmot.fetch")

MAX_PENDING = 64  # answers waiting for their write, at most (each at most fetch.max_bytes)
_FLUSH_TIMEOUT_S = 10.0  # how long close() waits for the store to take what is left


class FetchCache:
    """Answers of the fetcher kept in `store` for `ttl_s` seconds; off without a store or with a TTL of 0."""

    def __init__(self, store: Store | None, ttl_s: float, *, max_pending: int = MAX_PENDING) -> None:
        self._store = store if ttl_s > 0 else None
        self._ttl_s = ttl_s
        self._pending: dict[str, FetchResponse] = {}  # written soon: served from here meanwhile
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=max(1, max_pending))
        self._writer: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return self._store is not None

    async def get(self, key: str) -> FetchResponse | None:
        """The cached answer for `key`, or None. A broken cache costs a cache miss, never the fetch."""
        if self._store is None:
            return None
        cached = self._pending.get(key)
        if cached is None:
            try:
                cached = await self._store.get_fetch(key)
            except Exception:
                log.warning("fetch cache read failed for %s", key, exc_info=True)
                return None
        return None if cached is None else dataclasses.replace(cached, from_cache=True)

    async def put(self, key: str, response: FetchResponse) -> None:
        """Keep `response` under `key`: at once in memory, in the store soon after."""
        if self._store is None:
            return
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(self._store), name="fetch-cache-writer")
        self._pending[key] = response
        await self._queue.put(key)  # waits only while max_pending answers wait for the store already

    async def close(self) -> None:
        """Write every answer still waiting (bounded by a timeout, should the store hang), then stop."""
        writer, self._writer = self._writer, None
        if writer is None:
            return
        try:
            if not writer.done():
                await asyncio.wait_for(self._queue.join(), _FLUSH_TIMEOUT_S)
        except TimeoutError:
            log.warning("fetch cache: %d answers were not written before closing", len(self._pending))
        finally:
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)

    async def _write_all(self, store: Store) -> None:
        """One write at a time, in the order the answers came: the store's reads wait behind one at most."""
        while True:
            key = await self._queue.get()
            response = self._pending.get(key)
            try:
                if response is not None:
                    await store.put_fetch(key, response, self._ttl_s)
            except Exception:
                log.warning("fetch cache write failed for %s", key, exc_info=True)
            finally:
                if response is not None and self._pending.get(key) is response:
                    del self._pending[key]  # a newer answer for the key waits for its own write
                self._queue.task_done()
            stop_if_cancelled()
