"""The SQLite store: briefings by id and by product within their TTL, the fetch cache, prices."""

import asyncio

import pytest

from scrapers.base import FetchResponse
from server.store import PriceObservation, SQLiteStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def store(tmp_path):
    clock = Clock()
    store = SQLiteStore(tmp_path / "data" / "zmot.sqlite3", clock=clock)
    await store.open()
    store.clock = clock
    yield store
    await store.close()


def briefing(bid: str, status: str = "complete") -> dict:
    return {"id": bid, "status": status, "product": {"name": "Kettle"}}


async def test_the_store_file_is_created_in_wal_mode(store, tmp_path):
    assert (tmp_path / "data" / "zmot.sqlite3").exists()
    async with store.db.execute("PRAGMA journal_mode") as cur:
        assert (await cur.fetchone())[0] == "wal"


async def test_briefing_is_found_by_id_and_by_product_until_its_ttl(store):
    await store.put_briefing(briefing("b1"), product_id="p1", ttl_s=60)
    assert (await store.get_briefing("b1"))["product"]["name"] == "Kettle"
    assert (await store.fresh_briefing_for("p1"))["id"] == "b1"
    store.clock.now += 61
    assert await store.fresh_briefing_for("p1") is None
    assert (await store.get_briefing("b1"))["id"] == "b1"  # still readable by id


async def test_a_running_briefing_is_not_served_for_the_product(store):
    await store.put_briefing(briefing("b2", "running"), product_id="p2", ttl_s=60)
    assert await store.fresh_briefing_for("p2") is None
    await store.put_briefing(briefing("b3", "partial"), product_id="p2", ttl_s=60)
    assert (await store.fresh_briefing_for("p2"))["id"] == "b3"


async def test_newest_fresh_briefing_wins(store):
    await store.put_briefing(briefing("old"), product_id="p", ttl_s=600)
    store.clock.now += 5
    await store.put_briefing(briefing("new"), product_id="p", ttl_s=600)
    assert (await store.fresh_briefing_for("p"))["id"] == "new"


async def test_fetch_cache_keeps_bytes_and_expires(store):
    response = FetchResponse("http://a.test/", 200, {"content-type": "text/html"}, b"\x00<html>\xff")
    await store.put_fetch("GET http://a.test/", response, ttl_s=10)
    cached = await store.get_fetch("GET http://a.test/")
    assert cached.body == b"\x00<html>\xff" and cached.from_cache
    assert cached.headers["content-type"] == "text/html"
    store.clock.now += 11
    assert await store.get_fetch("GET http://a.test/") is None
    assert await store.purge_expired() == 1


async def test_prices_come_back_oldest_first(store):
    await store.add_prices([PriceObservation("p", "Shop B", "12.00", "EUR", 20.0)])
    await store.add_prices([PriceObservation("p", "Shop A", "10.50", "EUR", 10.0, "http://a.test/p")])
    points = await store.prices("p")
    assert [(o.seller, o.amount) for o in points] == [("Shop A", "10.50"), ("Shop B", "12.00")]
    assert await store.prices("other") == []


async def test_store_calls_do_not_block_the_event_loop(store):
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    for i in range(50):
        await store.put_briefing(briefing(f"x{i}"), product_id="p", ttl_s=60)
    task.cancel()
    assert ticks > 50  # the loop kept running while SQLite worked in its thread
