"""Watching a product: the API, and the background checks that grow its price history."""

from __future__ import annotations

import pytest

from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from scrapers.types import Product
from server.fetch import Fetcher
from server.products import product_id
from server.store import SQLiteStore, Watch
from server.store.base import SiteCorrection
from server.watcher import MAX_BACKOFF_S, PriceWatcher, next_check_after
from tests.pagegen import product_page


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class BuggyOnOneShop(SchemaOrgScraper):
    """The generic scraper with a bug that one shop's pages trigger: there it raises, so the registry has
    nothing to fall back to and raises too (not a ZmotError)."""

    def extract(self, page, base=None):
        if "buggy-shop.test" in page.url:
            raise RuntimeError("this plugin is broken")
        return super().extract(page, base)


@pytest.fixture
async def watcher(tmp_path, fetch_settings, cpu):
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    registry = Registry()
    registry.add(BuggyOnOneShop())
    async with Fetcher(fetch_settings, store=store) as fetcher:
        yield PriceWatcher(registry, fetcher, store, cpu=cpu, clock=Clock())
    await store.close()


async def watch_page(watcher: PriceWatcher, pid: str, url: str, interval_s: float = 3600, due_in: float = 0):
    now = watcher.clock()
    watch, _ = await watcher.store.add_watch(
        Watch(pid, url, interval_s, created_at=now, next_check=now + due_in)
    )
    return watch


async def stored(watcher: PriceWatcher, pid: str, url: str) -> Watch:
    return next(w for w in await watcher.store.watches() if (w.product_id, w.url) == (pid, url))


async def test_shopper_watches_a_product_on_two_shops_and_unwatches_one_then_all(client, local_web):
    for shop in ("watch-shop.test", "other-shop.test"):
        local_web.add_page(shop, "/p/kettle", product_page(gtin="8001234500009"))
    url, other = local_web.url("watch-shop.test", "/p/kettle"), local_web.url("other-shop.test", "/p/kettle")
    pid = product_id(Product(gtin="8001234500009"), url)  # what a briefing of either page says

    response = await client.post("/v1/watch", json={"product_id": pid, "url": url})
    assert response.status == 201
    watch = await response.json()
    assert watch["product_id"] == pid and watch["next_check"] > watch["created_at"]
    assert watch["failures"] == 0
    again = await client.post("/v1/watch", json={"product_id": pid, "url": url})
    assert again.status == 200 and await again.json() == watch  # the same watch, unchanged
    assert (await client.post("/v1/watch", json={"product_id": pid, "url": other})).status == 201
    listed = await (await client.get("/v1/watch")).json()
    assert sorted((w["product_id"], w["url"]) for w in listed["watches"]) == [(pid, other), (pid, url)]

    assert (await client.delete(f"/v1/watch/{pid}", params={"url": other})).status == 204
    assert (await client.delete(f"/v1/watch/{pid}", params={"url": other})).status == 404
    listed = await (await client.get("/v1/watch")).json()
    assert [w["url"] for w in listed["watches"]] == [url]
    assert (await client.delete(f"/v1/watch/{pid}")).status == 204
    gone = await client.delete(f"/v1/watch/{pid}")
    assert gone.status == 404 and (await gone.json())["error"]["code"] == "not_found"


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
    await watch_page(watcher, pid, url)
    assert await watcher.run_due() == 1

    local_web.add_page("watch-shop.test", "/p/steady", product_page(gtin="8001234500001", price="44.50"))
    watcher.clock.now += 1800
    assert await watcher.run_due() == 0  # not due yet
    watcher.clock.now += 1800
    assert await watcher.run_due() == 1
    points = await watcher.store.prices(pid)
    assert [p.amount for p in points] == ["50.00", "44.50"]
    assert {p.url for p in points} == {url}  # each price keeps the page it was seen on
    (watch,) = await watcher.store.watches()
    assert watch.last_error is None and watch.next_check == watcher.clock.now + 3600


async def test_a_failing_page_costs_only_its_own_watch(watcher, local_web):
    local_web.add_page("watch-shop.test", "/p/ok", product_page(gtin="8001234500002"))
    broken = await watch_page(watcher, "aaaaaaaaaaaaaaaa", local_web.url("faults.test", "/status/500"), 600)
    gone = await watch_page(watcher, "bbbbbbbbbbbbbbbb", local_web.url("watch-shop.test", "/p/ok"), 600)
    assert await watcher.run_due() == 2
    errors = {w.product_id: w.last_error for w in await watcher.store.watches()}
    assert "HTTP 500" in errors[broken.product_id]
    assert errors[gone.product_id] == "the page no longer shows this product"
    assert await watcher.store.due_watches(watcher.clock()) == []


async def test_broken_watches_never_starve_a_good_one(watcher, local_web):
    local_web.add_page("watch-shop.test", "/p/good", product_page(gtin="8001234500003", price="19.90"))
    good_url = local_web.url("watch-shop.test", "/p/good")
    good = product_id(Product(gtin="8001234500003"), good_url)
    local_web.add_page("buggy-shop.test", "/p/any", product_page())
    broken_urls = ("http://a\u0001b.example/", local_web.url("buggy-shop.test", "/p/any"))
    for i in range(25):  # more than one tick checks, each more overdue than the good watch
        await watch_page(watcher, f"{i:016x}", broken_urls[i % 2], due_in=-100 + i)
    await watch_page(watcher, good, good_url)

    assert await watcher.run_due() == 20
    assert await watcher.run_due() == 6  # the 5 broken ones left, and the good one
    assert [p.amount for p in await watcher.store.prices(good)] == ["19.90"]
    assert await watcher.run_due() == 0  # every broken watch was moved on, none is stuck at the front
    for watch in await watcher.store.watches():
        if watch.product_id != good:
            assert watch.failures == 1 and watch.last_error
            assert watch.next_check == watch.last_checked + watch.interval_s


async def test_a_plugin_bug_is_recorded_on_the_watch_and_backs_it_off(watcher, local_web):
    local_web.add_page("buggy-shop.test", "/p/buggy", product_page(gtin="8001234500004"))
    url = local_web.url("buggy-shop.test", "/p/buggy")
    await watch_page(watcher, "cccccccccccccccc", url, interval_s=600)
    assert await watcher.run_due() == 1
    watch = await stored(watcher, "cccccccccccccccc", url)
    assert "this plugin is broken" in watch.last_error and watch.failures == 1
    assert watch.next_check == watcher.clock() + 600


async def test_a_page_that_keeps_failing_is_checked_less_often_until_it_works_again(watcher, local_web):
    url = local_web.url("watch-shop.test", "/p/coming-soon")
    pid = product_id(Product(gtin="8001234500005"), url)
    await watch_page(watcher, pid, url, interval_s=600)
    waits = []
    for _ in range(3):
        await watcher.run_due()  # 404: no such page yet
        watch = await stored(watcher, pid, url)
        waits.append(watch.next_check - watcher.clock())
        watcher.clock.now = watch.next_check
    assert waits == [600, 1200, 2400] and watch.failures == 3

    local_web.add_page("watch-shop.test", "/p/coming-soon", product_page(gtin="8001234500005"))
    assert await watcher.run_due() == 1
    watch = await stored(watcher, pid, url)
    assert watch.failures == 0 and watch.last_error is None
    assert watch.next_check == watcher.clock() + 600


def test_the_wait_after_failures_is_capped_at_a_day_and_never_below_the_interval():
    often = Watch("aaaaaaaaaaaaaaaa", "http://a.test/", 600, 0, 0, failures=1000)
    assert next_check_after(often, now=10.0) == 10.0 + MAX_BACKOFF_S
    rarely = Watch("aaaaaaaaaaaaaaaa", "http://a.test/", 2 * MAX_BACKOFF_S, 0, 0, failures=5)
    assert next_check_after(rarely, now=10.0) == 10.0 + 2 * MAX_BACKOFF_S


async def test_a_watch_deleted_during_its_check_stays_deleted(watcher, local_web):
    local_web.add_page("watch-shop.test", "/p/gone", product_page(gtin="8001234500006"))
    url = local_web.url("watch-shop.test", "/p/gone")
    watch = await watch_page(watcher, product_id(Product(gtin="8001234500006"), url), url)
    await watcher.store.delete_watch(watch.product_id)
    await watcher.check(watch)
    assert await watcher.store.watches() == []


async def test_a_watch_reads_its_page_through_its_owner_s_corrections(watcher, local_web):
    """The shopper corrected this shop's price (its markup says the open-box 79.00): the server's own checks
    record the price the shopper pointed at, as their briefings do, and another client's watch does not."""
    shown = product_page(gtin="8001234500002", price="79.00").replace(
        '<p class="price">', '<p id="new-price">99.00 EUR</p><p class="price">'
    )
    local_web.add_page("outlet-watch.test", "/p/kettle", shown)
    url = local_web.url("outlet-watch.test", "/p/kettle")
    pid = product_id(Product(gtin="8001234500002"), url)
    now = watcher.clock()
    await watcher.store.put_correction(
        SiteCorrection("c1", "shopper", "outlet-watch.test", "price", "#new-price", "99.00 EUR", now)
    )
    for owner in ("shopper", "someone else"):
        await watcher.store.add_watch(Watch(pid, url, 3600, created_at=now, next_check=now, owner=owner))
    assert await watcher.run_due() == 2
    assert sorted(p.amount for p in await watcher.store.prices(pid)) == ["79.00", "99.00"]
