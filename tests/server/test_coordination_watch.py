"""Two watchers on one store, as two instances would run them: a due watch is checked by one of them."""

from __future__ import annotations

import asyncio

from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from scrapers.types import Product
from server.fetch import Fetcher
from server.products import product_id
from server.store import SQLiteStore, Watch
from server.watcher import PriceWatcher
from tests.pagegen import product_page


async def test_a_due_watch_is_checked_once_by_two_instances_ticking_together(
    tmp_path, fetch_settings, cpu, local_web
):
    local_web.add_page("watch-twice.test", "/p/kettle", product_page(gtin="8001234500016"))
    url = local_web.url("watch-twice.test", "/p/kettle")
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    registry = Registry()
    registry.add(SchemaOrgScraper())
    now = 1_800_000_000.0
    pid = product_id(Product(gtin="8001234500016"), url)
    await store.add_watch(Watch(pid, url, 3600.0, created_at=now, next_check=now))
    try:
        async with Fetcher(fetch_settings, store=store) as one, Fetcher(fetch_settings, store=store) as two:
            watchers = [PriceWatcher(registry, f, store, cpu=cpu, clock=lambda: now) for f in (one, two)]
            checked = await asyncio.gather(*(w.run_due() for w in watchers))
        assert sorted(checked) == [0, 1]
        assert len(local_web.sent_to("watch-twice.test", "/p/kettle")) == 1
        (watch,) = await store.watches()
        assert watch.failures == 0 and watch.next_check == now + 3600.0
    finally:
        await store.close()
