"""Watches that reach the shopper: the server checks a shop's page as its price moves, and a change that
holds over two checks sends one real Apprise notification (json:// to a loopback receiver, see
test_notify.py) and is kept for GET /v1/alerts. A flicker sends nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest

from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from scrapers.types import Product
from server.fetch import Fetcher
from server.products import product_id
from server.store import SQLiteStore, Watch
from server.watch import drain
from server.watcher import PriceWatcher
from tests.pagegen import product_page
from tests.server.conftest import make_settings
from tests.server.test_notify import Receiver, receiver  # noqa: F401 (the fixture)

SHOP = "alert-shop.test"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def shop_page(gtin: str, price: str, *, in_stock: bool = True) -> str:
    page = product_page(gtin=gtin, price=price, name="Brava Steel Kettle 1.7 L")
    return page if in_stock else page.replace("schema.org/InStock", "schema.org/OutOfStock")


@pytest.fixture
async def watcher(tmp_path, local_web, cpu, receiver: Receiver) -> AsyncIterator[PriceWatcher]:  # noqa: F811
    settings = make_settings(
        tmp_path,
        local_web,
        notify={"urls": [receiver.url("json", "/alerts")], "timeout_s": 5},
        watch={"confirm_after_s": 600, "jitter": 0.0},
    )
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    registry = Registry()
    registry.add(SchemaOrgScraper())
    async with Fetcher(settings.fetch, store=store) as fetcher:
        yield PriceWatcher(registry, fetcher, store, cpu=cpu, settings=settings, clock=Clock())
    await store.close()


class Shop:
    """One product page on the local web whose price and stock the story changes, watched by one client."""

    def __init__(self, local_web, watcher: PriceWatcher, receiver: Receiver, gtin: str) -> None:  # noqa: F811
        self.local_web, self.watcher, self.receiver, self.gtin = local_web, watcher, receiver, gtin
        self.path = f"/p/kettle-{gtin}"
        self.url = local_web.url(SHOP, self.path)
        self.pid = product_id(Product(gtin=gtin), self.url)

    def sells_at(self, price: str, *, in_stock: bool = True) -> None:
        self.local_web.add_page(SHOP, self.path, shop_page(self.gtin, price, in_stock=in_stock))

    async def watch(self, **rules: Any) -> Watch:
        now = self.watcher.clock()
        fresh = Watch(
            self.pid, self.url, 3600.0, created_at=now, next_check=now, name="Brava kettle", **rules
        )
        watch, _ = await self.watcher.store.add_watch(fresh)
        return watch

    async def check(self) -> Watch:
        """An hour on, the server checks the page; returns the watch as stored, alerts sent."""
        self.watcher.clock.now += 3600
        (watch,) = await self.watcher.store.watches()
        checked = await self.watcher.check(watch)
        await drain()
        return checked

    async def alerts(self) -> list[tuple[str, str | None, str | None]]:
        kept = await self.watcher.store.alerts_since("", 0.0)
        return [(a.rule, a.old_price, a.new_price) for a in kept]

    def notified(self) -> list[dict[str, Any]]:
        return [payload for path, payload in self.receiver.got if path == "/alerts"]


@pytest.fixture
def shop(local_web, watcher, receiver):  # noqa: F811
    return lambda gtin: Shop(local_web, watcher, receiver, gtin)


async def test_a_price_drop_that_holds_on_the_second_check_sends_exactly_one_notification(shop):
    kettle = shop("8001234513001")
    kettle.sells_at("39.90")
    await kettle.watch()
    first = await kettle.check()
    assert (first.status, first.last_price, first.availability) == ("ok", "39.90", "in_stock")

    kettle.sells_at("34.90")
    pending = await kettle.check()
    assert pending.last_price == "39.90" and pending.candidate_price == "34.90"
    assert kettle.notified() == [] and await kettle.alerts() == []
    assert pending.next_check == kettle.watcher.clock() + 600  # checked again soon, to confirm it

    confirmed = await kettle.check()
    assert confirmed.last_price == "34.90" and confirmed.candidate_price is None
    (message,) = kettle.notified()
    assert message["title"] == "Price drop: Brava kettle"
    assert "€39.90 → €34.90 at Kitchen Corner" in message["message"] and kettle.url in message["message"]
    assert await kettle.alerts() == [("drop", "39.90", "34.90")]

    await kettle.check()  # the same lower price again is no news
    assert len(kettle.notified()) == 1


async def test_a_price_that_flickers_down_for_one_check_sends_nothing(shop):
    kettle = shop("8001234513002")
    kettle.sells_at("39.90")
    await kettle.watch()
    await kettle.check()
    kettle.sells_at("19.90")
    await kettle.check()
    kettle.sells_at("39.90")
    back = await kettle.check()
    await kettle.check()
    assert back.last_price == "39.90" and back.candidate_price is None
    assert kettle.notified() == [] and await kettle.alerts() == []
    prices = [p.amount for p in await kettle.watcher.store.prices(kettle.pid)]
    assert prices == ["39.90", "19.90", "39.90", "39.90"]  # the flicker is in the history all the same


async def test_back_in_stock_is_told_once_when_it_holds(shop):
    kettle = shop("8001234513003")
    kettle.sells_at("39.90", in_stock=False)
    await kettle.watch()
    assert (await kettle.check()).availability == "out_of_stock"
    kettle.sells_at("39.90")
    assert (await kettle.check()).availability == "out_of_stock"  # once is not yet a restock
    assert (await kettle.check()).availability == "in_stock"
    await kettle.check()
    (message,) = kettle.notified()
    assert message["title"] == "Back in stock: Brava kettle"
    assert [rule for rule, _, _ in await kettle.alerts()] == ["back_in_stock"]


async def test_a_price_below_the_target_is_told_in_the_shoppers_language(shop):
    kettle = shop("8001234513004")
    kettle.sells_at("39.90")
    await kettle.watch(target_price="35", notify_on=("below",), locale="it")
    await kettle.check()
    kettle.sells_at("36.50")  # a drop, but not below 35: this shopper asked for "below" only
    await kettle.check()
    await kettle.check()
    assert kettle.notified() == []
    kettle.sells_at("34.90")
    await kettle.check()
    await kettle.check()
    (message,) = kettle.notified()
    assert message["title"] == "Prezzo in calo: Brava kettle"
    assert "Avviso: sotto 35,00\xa0€" in message["message"]
    assert [a[0] for a in await kettle.alerts()] == ["below"]


async def test_a_new_lowest_price_is_told_and_a_lesser_drop_is_not(shop):
    kettle = shop("8001234513005")
    await kettle.watch(notify_on=("lowest",))
    for price in ("39.90", "29.90", "29.90", "39.90", "39.90", "34.90", "34.90", "24.90", "24.90"):
        kettle.sells_at(price)
        await kettle.check()
    assert await kettle.alerts() == [("lowest", "39.90", "29.90"), ("lowest", "34.90", "24.90")]
    assert [m["title"] for m in kettle.notified()] == ["New lowest price: Brava kettle"] * 2


async def test_a_page_the_server_may_not_read_is_blocked_and_says_why(watcher, local_web):
    url = local_web.url("faults.test", "/status/403")
    now = watcher.clock()
    watch, _ = await watcher.store.add_watch(Watch("aaaaaaaaaaaaaaaa", url, 3600.0, now, now))
    blocked = await watcher.check(watch)
    assert blocked.status == "blocked" and blocked.last_error == "the site refused zmot (HTTP 403)"
    local_web.add_page(
        "walled-shop.test", "/captcha", "<html><title>Robot Check</title>Enter the captcha</html>"
    )
    url = local_web.url("walled-shop.test", "/captcha")
    watch, _ = await watcher.store.add_watch(Watch("bbbbbbbbbbbbbbbb", url, 3600.0, now, now))
    walled = await watcher.check(watch)
    assert walled.status == "blocked" and "bot check" in walled.last_error


async def test_a_watch_starts_from_the_price_its_briefing_recorded(shop):
    """The shopper watched from a briefing, which recorded the price: a drop at the first two checks is
    already a drop."""
    from server.store import PriceObservation
    from server.watch.rules import baseline

    kettle = shop("8001234513006")
    seen = PriceObservation(kettle.pid, "Kitchen Corner", "39.90", "EUR", 1_799_999_000.0, kettle.url)
    started = baseline(await kettle.watch(), [seen], kettle.url)
    assert (started.last_price, started.currency, started.availability) == ("39.90", "EUR", None)
    await kettle.watcher.store.update_watch(dataclasses.replace(started))
    kettle.sells_at("34.90")
    await kettle.check()
    await kettle.check()
    assert await kettle.alerts() == [("drop", "39.90", "34.90")]
