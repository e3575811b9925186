"""Watched products: their pages are fetched again on a schedule and every price seen is recorded."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable

from scrapers.base import Page
from scrapers.registry import Registry
from server.errors import ZmotError
from server.fetch import Fetcher
from server.products import price_observations, product_id
from server.store.base import Store, Watch
from server.workers import CpuPool

__all__ = ["MAX_BACKOFF_S", "PriceWatcher", "next_check_after"]

log = logging.getLogger("zmot.watch")

MAX_BACKOFF_S = 24 * 3600.0  # a page that keeps failing is still tried once a day
_BATCH = 20  # watches checked side by side in one tick


def next_check_after(watch: Watch, now: float) -> float:
    """When to check again: after the watch's interval, stretched twofold by each failure in a row (up to
    a day, never sooner than the interval), so that broken pages stop crowding out the others."""
    if watch.failures <= 0:
        return now + watch.interval_s
    stretched = watch.interval_s * 2.0 ** min(watch.failures - 1, 32)
    return now + max(watch.interval_s, min(stretched, MAX_BACKOFF_S))


class PriceWatcher:
    """Checks due watches every `tick_s`; one failing page costs only its own watch's check."""

    def __init__(
        self,
        registry: Registry,
        fetcher: Fetcher,
        store: Store,
        *,
        cpu: CpuPool,
        tick_s: float = 30.0,
        check_timeout_s: float = 120.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.fetcher = fetcher
        self.store = store
        self.cpu = cpu
        self.tick_s = tick_s
        self.check_timeout_s = check_timeout_s
        self.clock = clock

    async def check(self, watch: Watch) -> Watch:
        """Fetch the watched page once, record its prices, and schedule the next check.

        Whatever goes wrong with the page, even a bug, is recorded on the watch and pushes its next check
        further out: a watch is never left due, so the same broken pages cannot fill every tick."""
        now = self.clock()
        try:
            async with asyncio.timeout(self.check_timeout_s):
                await self._record_prices(watch, now)
        except ZmotError as exc:
            updated = self._failed(watch, now, exc.message)
            log.info("watch %s %s: %s", watch.product_id, watch.url, exc.message)
        except TimeoutError:
            updated = self._failed(watch, now, f"the check took over {self.check_timeout_s:g} s")
            log.info("watch %s %s: gave up after %g s", watch.product_id, watch.url, self.check_timeout_s)
        except Exception as exc:
            updated = self._failed(watch, now, _describe(exc))
            log.warning("watch %s %s: %s", watch.product_id, watch.url, _describe(exc), exc_info=True)
        else:
            updated = dataclasses.replace(watch, last_checked=now, last_error=None, failures=0)
            updated = dataclasses.replace(updated, next_check=next_check_after(updated, now))
        await self.store.update_watch(updated)
        return updated

    async def _record_prices(self, watch: Watch, now: float) -> None:
        response = await self.fetcher.fetch(watch.url, use_cache=False)
        if response.status >= 400:
            raise ZmotError(f"the shop answered HTTP {response.status}")
        # In a worker process, so that a page that hangs a plugin is stopped with the check.
        page = await self.cpu.run(self.registry.scrape, Page(url=watch.url, html=response.text))
        if not page.is_product or product_id(page.product, watch.url) != watch.product_id:
            raise ZmotError("the page no longer shows this product")
        observations = price_observations(page, watch.product_id, now)
        if not observations:
            raise ZmotError("the page shows no price")
        await self.store.add_prices(observations)

    @staticmethod
    def _failed(watch: Watch, now: float, error: str) -> Watch:
        failed = dataclasses.replace(watch, last_checked=now, last_error=error, failures=watch.failures + 1)
        return dataclasses.replace(failed, next_check=next_check_after(failed, now))

    async def run_due(self) -> int:
        """Check every watch that is due now, side by side; returns how many were checked.

        A store shared by several instances claims the due watches for this one (for as long as a check
        may take), so that each is checked once whatever the number of instances."""
        claim = getattr(self.store, "claim_due_watches", None)
        if claim is not None:
            due = await claim(self.clock(), limit=_BATCH, lease_s=self.check_timeout_s)
        else:
            due = await self.store.due_watches(self.clock(), limit=_BATCH)
        outcomes = await asyncio.gather(*(self.check(w) for w in due), return_exceptions=True)
        for watch, outcome in zip(due, outcomes, strict=True):
            if isinstance(outcome, BaseException):  # the store could not record the check; next tick again
                log.warning("watch %s %s: %s", watch.product_id, watch.url, _describe(outcome))
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


def _describe(exc: BaseException) -> str:
    """A one-line account of an unexpected failure, for the watch's `last_error`."""
    return f"the check failed: {type(exc).__name__}: {exc}"[:500]
