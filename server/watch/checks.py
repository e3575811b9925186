"""One check of a watch, whoever made it: the server fetching the page on schedule (server.watcher) or
the shopper's browser posting a briefing of it. The rules run on what the page shows; a confirmed change
that a rule fires on becomes one alert."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from scrapers.types import ProductPage
from server.errors import ZmotError
from server.products import page_address
from server.store.base import Store, Watch
from server.watch.alerts import fire
from server.watch.rules import confirm, fired_rule, lowest_before, seen_on_page

if TYPE_CHECKING:
    from server.settings import Settings

__all__ = ["briefing_check", "briefing_served", "page_checked"]

log = logging.getLogger("zmot.watch")


async def page_checked(
    store: Store, settings: Settings, watch: Watch, page: ProductPage, now: float
) -> Watch:
    """The watch after a check that read `page` (its prices already recorded): rules run, status ok. The
    caller stores it."""
    seen = seen_on_page(page, watch)
    if seen is None:
        raise ZmotError("the page shows no offer")
    updated, change = confirm(watch, seen, now, settings.watch.confirm_after_s)
    updated = dataclasses.replace(updated, status="ok", last_checked=now, last_error=None, failures=0)
    if change is None:
        return updated
    lowest = None
    if "lowest" in updated.notify_on:
        history = await store.prices(watch.product_id)
        lowest = lowest_before(history, updated.last_seller, updated.currency, change.since)
    rule = fired_rule(updated, change, lowest)
    if rule is not None:
        await fire(store, settings, updated, rule, change, now)
    return updated


async def briefing_check(
    store: Store, settings: Settings, owner: str, product_id: str | None, page: ProductPage, at: float
) -> int:
    """A briefing of a page from the shopper's browser is a check of the shopper's own watches of that
    page: the rules run, a blocked watch is ok again. Returns how many watches it checked; whatever goes
    wrong here is logged and costs the briefing nothing."""
    if product_id is None:
        return 0
    checked = 0
    try:
        address = page_address(page.url)
        for watch in await store.watches(owner):
            if watch.product_id != product_id or page_address(watch.url) != address:
                continue
            updated = await page_checked(store, settings, watch, page, at)
            # A page that failed for a while is back on its ordinary schedule.
            updated = dataclasses.replace(updated, next_check=min(watch.next_check, at + watch.interval_s))
            checked += await store.update_watch(updated)
    except Exception:
        log.warning("the briefing of %s could not check its watches", page.url, exc_info=True)
    return checked


async def briefing_served(store: Store, owner: str, briefing: dict, at: float) -> int:
    """A briefing answered from the store (the page showed the same facts as when it was made) still
    says the shopper's browser reads the page: a blocked watch of it is ok again. Its prices were checked
    when it was made, so the rules do not run again."""
    product = briefing.get("product") if isinstance(briefing.get("product"), dict) else {}
    url = briefing.get("url")
    if not product.get("id") or not isinstance(url, str):
        return 0
    unblocked = 0
    try:
        address = page_address(url)
        for watch in await store.watches(owner):
            if (
                watch.status != "blocked"
                or watch.product_id != product["id"]
                or page_address(watch.url) != address
            ):
                continue
            ok = dataclasses.replace(
                watch,
                status="ok",
                last_error=None,
                failures=0,
                last_checked=at,
                next_check=min(watch.next_check, at + watch.interval_s),
            )
            unblocked += await store.update_watch(ok)
    except Exception:
        log.warning("the briefing of %s could not check its watches", url, exc_info=True)
    return unblocked
