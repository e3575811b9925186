"""Watched products: their pages are fetched again on a schedule, every price seen is recorded, and the
watch's rules run on it (server.watch). A page the server cannot read is marked blocked."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import random
import time
from collections.abc import Callable

from scrapers.base import Page
from scrapers.registry import Registry
from server.corrections import corrections_of_page, for_page
from server.errors import RobotsDisallowed, ZmotError
from server.fetch import Fetcher
from server.products import price_observations, product_id
from server.settings import Settings, WatchSettings
from server.store.base import Store, Watch
from server.tasks import stop_if_cancelled
from server.watch.blocked import blocked_reason, looks_like_bot_check
from server.watch.checks import page_checked
from server.workers import CpuPool

__all__ = ["MAX_BACKOFF_S", "Blocked", "PriceWatcher", "next_check_after"]

log = logging.getLogger("zmot.watch")

MAX_BACKOFF_S = 24 * 3600.0  # a page that keeps failing is still tried once a day
_BATCH = 20  # watches checked side by side in one tick


class Blocked(ZmotError):
    """The site keeps the server out (refusal, bot check, sign-in): the shopper should open the page."""

    code = "watch_blocked"


def next_check_after(watch: Watch, now: float, jitter: float = 0.0) -> float:
    """When to check again: after the watch's interval, stretched twofold by each failure in a row (up to
    a day, never sooner than the interval), so that broken pages stop crowding out the others. `jitter`
    (a share of the interval) is added, so that watches made together drift apart and a shop does not
    see zmot at the same minute every time."""
    wait = watch.interval_s
    if watch.failures > 0:
        stretched = watch.interval_s * 2.0 ** min(watch.failures - 1, 32)
        wait = max(watch.interval_s, min(stretched, MAX_BACKOFF_S))
    return now + wait + watch.interval_s * jitter


class PriceWatcher:
    """Checks due watches every `tick_s`; one failing page costs only its own watch's check."""

    def __init__(
        self,
        registry: Registry,
        fetcher: Fetcher,
        store: Store,
        *,
        cpu: CpuPool,
        settings: Settings | None = None,
        tick_s: float = 30.0,
        check_timeout_s: float = 120.0,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.registry = registry
        self.fetcher = fetcher
        self.store = store
        self.cpu = cpu
        # Without settings (a bare watcher), checks are not spread and alerts go nowhere but the store.
        self.settings = settings if settings is not None else Settings(watch=WatchSettings(jitter=0.0))
        self.tick_s = tick_s
        self.check_timeout_s = check_timeout_s
        self.clock = clock
        self.rng = rng if rng is not None else random.Random()

    async def check(self, watch: Watch) -> Watch:
        """Fetch the watched page once, record its prices, run the rules, and schedule the next check.

        Whatever goes wrong with the page, even a bug, is recorded on the watch and pushes its next check
        further out: a watch is never left due, so the same broken pages cannot fill every tick."""
        now = self.clock()
        try:
            async with asyncio.timeout(self.check_timeout_s):
                updated = await self._check_page(watch, now)
        except Blocked as exc:
            updated = dataclasses.replace(self._failed(watch, now, exc.message), status="blocked")
            log.info("watch %s %s: blocked: %s", watch.product_id, watch.url, exc.message)
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
            updated = dataclasses.replace(updated, next_check=self._next_check(updated, now))
        await self.store.update_watch(updated)
        return updated

    async def _check_page(self, watch: Watch, now: float) -> Watch:
        try:
            response = await self.fetcher.fetch(watch.url, use_cache=False)
        except RobotsDisallowed as exc:
            raise Blocked(f"the site's robots.txt keeps zmot out: {exc.message}") from None
        reason = blocked_reason(watch.url, response)
        if reason is not None:
            raise Blocked(reason)
        if response.status >= 400:
            raise ZmotError(f"the shop answered HTTP {response.status}")
        html = response.text
        # In a worker process, so that a page that hangs a plugin is stopped with the check; read through the
        # watch owner's corrections of the site, as the owner's briefings are.
        corrections = for_page(await corrections_of_page(self.store, watch.owner, watch.url))
        page = await self.cpu.run(self.registry.scrape, Page(url=watch.url, html=html), corrections)
        if not page.is_product and looks_like_bot_check(html):
            raise Blocked("the site showed a bot check instead of the page")
        if not page.is_product or product_id(page.product, watch.url) != watch.product_id:
            raise ZmotError("the page no longer shows this product")
        if not page.offers:
            raise ZmotError("the page shows no price")
        await self.store.add_prices(price_observations(page, watch.product_id, now))
        return await page_checked(self.store, self.settings, watch, page, now)

    def _next_check(self, watch: Watch, now: float) -> float:
        """The next check after a good one; sooner while a change waits to be confirmed."""
        at = next_check_after(watch, now, self.rng.uniform(0.0, self.settings.watch.jitter))
        confirm_after_s = self.settings.watch.confirm_after_s
        if watch.candidate_since is not None and confirm_after_s > 0:
            at = min(at, now + confirm_after_s)
        return at

    def _failed(self, watch: Watch, now: float, error: str) -> Watch:
        failed = dataclasses.replace(watch, last_checked=now, last_error=error, failures=watch.failures + 1)
        jitter = self.rng.uniform(0.0, self.settings.watch.jitter)
        return dataclasses.replace(failed, next_check=next_check_after(failed, now, jitter))

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
            stop_if_cancelled()
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
