"""Keeping the store small: expired cache entries and stale briefings are purged on a schedule."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from server.store.base import Store
from server.tasks import stop_if_cancelled

__all__ = ["purging"]

log = logging.getLogger("zmot.store")


@contextlib.asynccontextmanager
async def purging(store: Store, every_s: float = 3600.0) -> AsyncIterator[None]:
    """Purge expired rows now and every `every_s` seconds for the duration of the block."""
    task = asyncio.create_task(_purge_forever(store, every_s), name="store-purge")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _purge_forever(store: Store, every_s: float) -> None:
    """A failed purge only delays the next one: it is logged once, until a purge succeeds again."""
    failing = False
    while True:
        try:
            removed = await store.purge_expired()
        except Exception:
            if not failing:
                log.warning("could not purge expired rows from the store; will keep trying", exc_info=True)
            failing = True
        else:
            if failing:
                log.info("purging expired rows from the store works again")
            failing = False
            log.debug("purged %d expired rows", removed)
        stop_if_cancelled()
        await asyncio.sleep(every_s)
