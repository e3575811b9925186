"""Watched products: their pages are fetched again on a schedule and every price seen is recorded."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from scrapers.base import Page
from scrapers.registry import Registry
from server.errors import ZmotError
from server.fetch import Fetcher
from server.products import price_observations, product_id
from server.store.base import Store, Watch

__all__ = ["PriceWatcher"]

log = logging.getLogger("zmot.watch")


class PriceWatcher:
    """Checks due watches every `tick_s`; one failing page costs only its own watch's check."""

    def __init__(
        self,
        registry: Registry,
        fetcher: Fetcher,
        store: Store,
        *,
        tick_s: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.fetcher = fetcher
        self.store = store
        self.tick_s = tick_s
        self.clock = clock

    async def check(self, watch: Watch) -> Watch:
        """Fetch the watched page once, record its prices, and schedule the next check."""
        now = self.clock()
        error = None
        try:
            response = await self.fetcher.fetch(watch.url, use_cache=False)
            if response.status >= 400:
                raise ZmotError(f"the shop answered HTTP {response.status}")
            page = await asyncio.to_thread(self.registry.scrape, Page(url=watch.url, html=response.text))
            if not page.is_product or product_id(page.product, watch.url) != watch.product_id:
                raise ZmotError("the page no longer shows this product")
            observations = price_observations(page, watch.product_id, now)
            if not observations:
                raise ZmotError("the page shows no price")
            await self.store.add_prices(observations)
        except ZmotError as exc:
            error = exc.message
            log.info("watch %s: %s", watch.product_id, error)
        updated = Watch(
            watch.product_id,
            watch.url,
            watch.interval_s,
            watch.created_at,
            next_check=now + watch.interval_s,
            last_checked=now,
            last_error=error,
        )
        await self.store.put_watch(updated)
        return updated

    async def run_due(self) -> int:
        """Check every watch that is due now; returns how many were checked."""
        due = await self.store.due_watches(self.clock())
        await asyncio.gather(*(self.check(w) for w in due))
        return len(due)

    async def run_forever(self) -> None:
        """The background task: check what is due, then wait a tick, until cancelled."""
        while True:
            try:
                await self.run_due()
            except Exception:  # the store hiccuped; try again next tick rather than stop watching
                log.exception("checking watched products failed")
            await asyncio.sleep(self.tick_s)

    @contextlib.asynccontextmanager
    async def running(self):
        """Run in the background for the duration of the block."""
        task = asyncio.create_task(self.run_forever(), name="price-watcher")
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
