"""Watching a product: the API, and the background checks that grow its price history."""

from __future__ import annotations

import pytest

from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from scrapers.types import Product
from server.fetch import Fetcher
from server.products import product_id
from server.store import SQLiteStore, Watch
from server.watcher import PriceWatcher
from tests.pagegen import product_page
from tests.server.test_api import brief


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def watcher(tmp_path, fetch_settings):
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    registry = Registry()
    registry.add(SchemaOrgScraper())
    async with Fetcher(fetch_settings, store=store) as fetcher:
        yield PriceWatcher(registry, fetcher, store, clock=Clock())
    await store.close()


async def test_shopper_watches_and_unwatches_a_product(client, local_web):
    local_web.add_page("watch-shop.test", "/p/kettle", product_page())
    url = local_web.url("watch-shop.test", "/p/kettle")
    briefing = await brief(client, url=url)
    pid = briefing["product"]["id"]

    response = await client.post("/v1/watch", json={"product_id": pid, "url": url})
    assert response.status == 201
    watch = await response.json()
    assert watch["product_id"] == pid and watch["next_check"] > watch["created_at"]
    listed = await (await client.get("/v1/watch")).json()
    assert [w["product_id"] for w in listed["watches"]] == [pid]

    assert (await client.delete(f"/v1/watch/{pid}")).status == 204
    again = await client.delete(f"/v1/watch/{pid}")
    assert again.status == 404 and (await again.json())["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"product_id": "x", "url": "https://shop.example/p"}, "invalid_product"),
        ({"product_id": "0123456789abcdef"}, "invalid_url"),
        ({"product_id": "0123456789abcdef", "url": "http://10.0.0.1/p"}, "address_blocked"),
    ],
)
async def test_bad_watch_requests_are_refused(client, body, code):
    response = await client.post("/v1/watch", json=body)
    assert response.status == 400
    assert (await response.json())["error"]["code"] == code


async def test_due_watch_records_the_price_and_the_history_grows(watcher, local_web):
    local_web.add_page("watch-shop.test", "/p/steady", product_page(gtin="8001234500001", price="50.00"))
    url = local_web.url("watch-shop.test", "/p/steady")
    pid = product_id(Product(gtin="8001234500001"), url)
    now = watcher.clock()
    await watcher.store.put_watch(Watch(pid, url, 3600, created_at=now, next_check=now))
    assert await watcher.run_due() == 1

    local_web.add_page("watch-shop.test", "/p/steady", product_page(gtin="8001234500001", price="44.50"))
    watcher.clock.now += 1800
    assert await watcher.run_due() == 0  # not due yet
    watcher.clock.now += 1800
    assert await watcher.run_due() == 1
    assert [p.amount for p in await watcher.store.prices(pid)] == ["50.00", "44.50"]
    (watch,) = await watcher.store.watches()
    assert watch.last_error is None and watch.next_check == watcher.clock.now + 3600


async def test_a_failing_page_costs_only_its_own_watch(watcher, local_web):
    local_web.add_page("watch-shop.test", "/p/ok", product_page(gtin="8001234500002"))
    now = watcher.clock()
    broken = Watch("aaaaaaaaaaaaaaaa", local_web.url("faults.test", "/status/500"), 600, now, now)
    gone = Watch("bbbbbbbbbbbbbbbb", local_web.url("watch-shop.test", "/p/ok"), 600, now, now)
    for watch in (broken, gone):
        await watcher.store.put_watch(watch)
    assert await watcher.run_due() == 2
    errors = {w.product_id: w.last_error for w in await watcher.store.watches()}
    assert "HTTP 500" in errors["aaaaaaaaaaaaaaaa"]
    assert errors["bbbbbbbbbbbbbbbb"] == "the page no longer shows this product"
    assert await watcher.store.due_watches(watcher.clock()) == []
