"""Every store backend (SQLite, Redis) keeps the same promises: briefings by id and by page within their TTL,
the fetch cache, prices, watches, and claims of due watches that several instances never share."""

import asyncio
import dataclasses
import random

import pytest

from scrapers.base import FetchResponse
from server.store import PriceObservation, RedisStore, SQLiteStore, Watch, WatchAlert, purging


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request, tmp_path):
    """Makes stores of one backend on one shared place (a file, a Redis), as several instances would."""
    if request.param == "sqlite":
        return lambda clock: SQLiteStore(tmp_path / "data" / "zmot.sqlite3", clock=clock)
    url = request.getfixturevalue("redis_url")
    return lambda clock: RedisStore(url, clock=clock)


@pytest.fixture
async def store(make_store):
    clock = Clock()
    store = make_store(clock)
    await store.open()
    store.clock = clock
    yield store
    await store.close()


def briefing(bid: str, status: str = "complete", product_id: str = "0123456789abcdef") -> dict:
    return {"id": bid, "status": status, "product": {"id": product_id, "name": "Kettle"}}


async def test_briefing_is_found_by_id_and_by_page_until_its_ttl(store):
    await store.put_briefing(briefing("b1"), page_key="page-1", ttl_s=60)
    assert (await store.get_briefing("b1"))["product"]["name"] == "Kettle"
    assert (await store.fresh_briefing_for_page("page-1"))["id"] == "b1"
    store.clock.now += 61
    assert await store.fresh_briefing_for_page("page-1") is None
    assert (await store.get_briefing("b1"))["id"] == "b1"  # still readable by id


async def test_a_forged_page_of_the_same_product_is_not_served_the_real_pages_briefing(store):
    await store.put_briefing(briefing("real", product_id="aaaaaaaaaaaaaaaa"), page_key="real-shop", ttl_s=600)
    assert await store.fresh_briefing_for_page("forged-shop") is None
    await store.put_briefing(
        briefing("forged", product_id="aaaaaaaaaaaaaaaa"), page_key="forged-shop", ttl_s=600
    )
    assert (await store.fresh_briefing_for_page("real-shop"))["id"] == "real"
    assert (await store.fresh_briefing_for_page("forged-shop"))["id"] == "forged"


async def test_a_briefing_without_a_page_key_is_only_found_by_id(store):
    await store.put_briefing(briefing("lonely"), page_key="p", ttl_s=600)
    await store.put_briefing(briefing("lonely"), page_key=None, ttl_s=600)  # stored again, pageless
    assert (await store.get_briefing("lonely"))["id"] == "lonely"
    assert await store.fresh_briefing_for_page("p") is None


async def test_a_running_briefing_is_not_served_for_the_page(store):
    await store.put_briefing(briefing("b2", "running"), page_key="p2", ttl_s=60)
    assert await store.fresh_briefing_for_page("p2") is None
    await store.put_briefing(briefing("b3", "partial"), page_key="p2", ttl_s=60)
    assert (await store.fresh_briefing_for_page("p2"))["id"] == "b3"


async def test_newest_fresh_briefing_wins(store):
    await store.put_briefing(briefing("old"), page_key="p", ttl_s=600)
    store.clock.now += 5
    await store.put_briefing(briefing("new"), page_key="p", ttl_s=600)
    assert (await store.fresh_briefing_for_page("p"))["id"] == "new"


async def test_fetch_cache_keeps_bytes_and_expires(store):
    response = FetchResponse("http://a.test/", 200, {"content-type": "text/html"}, b"\x00<html>\xff")
    await store.put_fetch("GET http://a.test/", response, ttl_s=10)
    cached = await store.get_fetch("GET http://a.test/")
    assert cached.body == b"\x00<html>\xff" and cached.from_cache
    assert cached.headers["content-type"] == "text/html"
    store.clock.now += 11
    assert await store.get_fetch("GET http://a.test/") is None
    assert await store.purge_expired() == 1


async def test_purge_drops_briefings_a_day_past_their_ttl(store):
    await store.put_briefing(briefing("stale"), page_key="p", ttl_s=60)
    await store.put_briefing(briefing("fresh"), page_key="q", ttl_s=3 * 86400)
    store.clock.now += 61
    assert await store.purge_expired() == 0  # past its TTL, still readable by id for a day
    store.clock.now += 86400
    assert await store.purge_expired() == 1
    assert await store.get_briefing("stale") is None
    assert (await store.get_briefing("fresh"))["id"] == "fresh"


async def test_purging_in_the_background_empties_expired_rows(store):
    page = FetchResponse("http://a.test/", 200, {}, b"<html>")
    await store.put_fetch("GET http://a.test/", page, ttl_s=10)
    await store.put_briefing(briefing("stale"), page_key="p", ttl_s=10)
    store.clock.now += 2 * 86400
    async with purging(store, every_s=0.01):
        for _ in range(500):  # a generous bound: the first purge runs as the block starts
            if await store.get_briefing("stale") is None:
                break
            await asyncio.sleep(0.01)
    assert await store.get_briefing("stale") is None
    assert await store.purge_expired() == 0  # the cached page went with it


async def test_the_background_purge_stops_whenever_it_is_told_to(store):
    """A server stopping mid-purge must not wait forever: redis-py may swallow a cancellation that lands while
    a command waits for its answer, and the purge loop must stop all the same."""
    page = FetchResponse("http://a.test/", 200, {}, b"<html>")
    pauses = random.Random(7)

    async def purge_briefly(pause: float) -> None:
        await store.put_fetch("GET http://a.test/", page, ttl_s=10)
        async with purging(store, every_s=0):
            await asyncio.sleep(pause)

    for _ in range(150):
        block = asyncio.create_task(purge_briefly(pauses.random() * 0.003))
        done, _ = await asyncio.wait({block}, timeout=30)
        assert block in done, "the purge ran on after it was told to stop"
        block.result()


async def test_prices_come_back_oldest_first_with_their_page_and_seller(store):
    await store.add_prices([PriceObservation("p", "Shop B", "12.00", "EUR", 20.0, "http://b.test/p")])
    await store.add_prices([PriceObservation("p", "Shop A", "10.50", "EUR", 10.0, "http://a.test/p")])
    await store.add_prices([])
    assert await store.prices("p") == [
        PriceObservation("p", "Shop A", "10.50", "EUR", 10.0, "http://a.test/p"),
        PriceObservation("p", "Shop B", "12.00", "EUR", 20.0, "http://b.test/p"),
    ]
    assert await store.prices("other") == []


async def test_two_identical_observations_are_both_kept_in_the_order_they_were_recorded(store):
    same = PriceObservation("p", "Shop A", "10.50", "EUR", 1_700_000_000.123456, "http://a.test/p")
    other_page = dataclasses.replace(same, url="http://a.test/p?colour=red", amount="11.00")
    await store.add_prices([same, same])
    await store.add_prices([other_page, same])
    assert await store.prices("p") == [same, same, other_page, same]


async def test_a_cached_response_comes_back_as_it_was_fetched(store):
    response = FetchResponse("http://a.test/ü?q=1", 404, {"content-type": "text/plain", "x-ünï": "ç"}, b"")
    await store.put_fetch("GET http://a.test/ü?q=1", response, ttl_s=0.5)
    assert await store.get_fetch("GET http://a.test/ü?q=1") == dataclasses.replace(response, from_cache=True)
    assert await store.get_fetch("GET http://a.test/other") is None


async def test_store_calls_do_not_block_the_event_loop(store):
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    for i in range(50):
        await store.put_briefing(briefing(f"x{i}"), page_key="p", ttl_s=60)
    task.cancel()
    assert ticks > 50  # the loop kept running while the store worked


def watch(pid: str, url: str, next_check: float = 100.0, created_at: float = 1.0) -> Watch:
    return Watch(pid, url, 3600.0, created_at=created_at, next_check=next_check)


async def test_one_watch_per_product_and_page_and_a_second_ask_changes_nothing(store):
    first, created = await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://a.test/p", next_check=100))
    assert created and first.next_check == 100
    again, created = await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://a.test/p", next_check=999))
    assert not created and again == first
    _, created = await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://b.test/p"))
    assert created
    assert [w.url for w in await store.watches()] == ["http://a.test/p", "http://b.test/p"]


async def test_unwatching_one_page_or_every_page_of_a_product(store):
    for url in ("http://a.test/p", "http://b.test/p", "http://c.test/p"):
        await store.add_watch(watch("aaaaaaaaaaaaaaaa", url))
    await store.add_watch(watch("bbbbbbbbbbbbbbbb", "http://a.test/p"))
    assert await store.delete_watch("aaaaaaaaaaaaaaaa", "http://b.test/p") == 1
    assert await store.delete_watch("aaaaaaaaaaaaaaaa", "http://b.test/p") == 0
    assert await store.delete_watch("aaaaaaaaaaaaaaaa") == 2
    assert [(w.product_id, w.url) for w in await store.watches()] == [("bbbbbbbbbbbbbbbb", "http://a.test/p")]


async def test_a_check_of_a_deleted_watch_does_not_bring_it_back(store):
    added, _ = await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://a.test/p"))
    await store.delete_watch("aaaaaaaaaaaaaaaa")
    assert not await store.update_watch(added)
    assert await store.watches() == []


async def test_due_watches_come_most_overdue_first(store):
    for i, next_check in enumerate((50.0, 10.0, 30.0, 500.0)):
        await store.add_watch(watch(f"{i:016x}", "http://a.test/p", next_check=next_check))
    due = await store.due_watches(now=100.0, limit=2)
    assert [w.next_check for w in due] == [10.0, 30.0]
    assert [w.next_check for w in await store.due_watches(now=100.0)] == [10.0, 30.0, 50.0]


async def test_a_checked_watch_keeps_its_state_to_the_last_digit(store):
    added, _ = await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://a.test/p", next_check=1_700_000_000.1))
    checked = dataclasses.replace(
        added,
        next_check=1_700_003_600.123456,
        last_checked=1_700_000_000.654321,
        last_error="HTTP 503",
        failures=2,
    )
    assert await store.update_watch(checked)
    assert await store.watches() == [checked]
    assert await store.due_watches(now=1_700_003_600.123456) == [checked]
    assert await store.due_watches(now=1_700_003_600.123455) == []


async def test_a_claim_takes_due_watches_until_their_lease_runs_out(store):
    for i, next_check in enumerate((50.0, 10.0, 30.0, 500.0)):
        await store.add_watch(watch(f"{i:016x}", "http://a.test/p", next_check=next_check))
    claimed = await store.claim_due_watches(100.0, limit=2, lease_s=60.0)
    assert [(w.product_id, w.next_check) for w in claimed] == [
        ("0000000000000001", 160.0),
        ("0000000000000002", 160.0),
    ]
    assert [w.product_id for w in await store.due_watches(now=100.0)] == ["0000000000000000"]
    assert [w.product_id for w in await store.claim_due_watches(100.0, limit=5, lease_s=60.0)] == [
        "0000000000000000"
    ]
    assert await store.claim_due_watches(159.0, limit=5, lease_s=60.0) == []  # all leased
    again = await store.claim_due_watches(160.0, limit=5, lease_s=60.0)  # the claimer died: leases ran out
    assert sorted(w.product_id for w in again) == ["0000000000000000", "0000000000000001", "0000000000000002"]


async def test_a_claimed_watch_that_was_deleted_is_not_brought_back(store):
    await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://a.test/p", next_check=10.0))
    (claimed,) = await store.claim_due_watches(100.0, limit=5, lease_s=60.0)
    await store.delete_watch("aaaaaaaaaaaaaaaa")
    assert not await store.update_watch(dataclasses.replace(claimed, next_check=3700.0, last_checked=100.0))
    assert await store.watches() == []
    assert await store.claim_due_watches(1e12, limit=5, lease_s=60.0) == []


async def test_two_instances_claiming_at_once_never_get_the_same_watch(store, make_store):
    for i in range(60):
        await store.add_watch(watch(f"{i:016x}", f"http://shop{i % 3}.test/p", next_check=float(i)))
    other = make_store(store.clock)
    await other.open()
    try:
        claims = [
            s.claim_due_watches(100.0, limit=4, lease_s=60.0) for _ in range(10) for s in (store, other)
        ]
        taken = [(w.product_id, w.url) for claim in await asyncio.gather(*claims) for w in claim]
    finally:
        await other.close()
    assert len(taken) == len(set(taken)) == 60
    assert await store.due_watches(now=100.0) == []


# -- owners, rules and alerts (issue 13) -------------------------------------------------------------------


def alert(owner: str, at: float, rule: str = "drop", url: str = "http://a.test/p") -> WatchAlert:
    return WatchAlert(
        id=f"{owner}-{at}",
        owner=owner,
        product_id="aaaaaaaaaaaaaaaa",
        url=url,
        name="Kettle",
        rule=rule,
        old_price="39.90",
        new_price="34.90",
        currency="EUR",
        seller="Kitchen Corner",
        at=at,
        title="Price drop: Kettle",
        body="€39.90 → €34.90 at Kitchen Corner",
    )


async def test_two_clients_watching_one_page_have_a_watch_each_and_unwatch_only_their_own(store):
    for owner in ("", "a1b2c3d4e5f6", "0f0f0f0f0f0f"):
        _, created = await store.add_watch(
            dataclasses.replace(watch("aaaaaaaaaaaaaaaa", "http://a.test/p"), owner=owner)
        )
        assert created
    assert [w.url for w in await store.watches("a1b2c3d4e5f6")] == ["http://a.test/p"]
    assert len(await store.watches()) == 3
    assert await store.delete_watch("aaaaaaaaaaaaaaaa", owner="a1b2c3d4e5f6") == 1
    assert await store.delete_watch("aaaaaaaaaaaaaaaa", "http://a.test/p", owner="0f0f0f0f0f0f") == 1
    assert [w.owner for w in await store.watches()] == [""]
    assert await store.watches("a1b2c3d4e5f6") == []


async def test_every_field_of_a_watch_comes_back_as_it_was_stored(store):
    full = Watch(
        "aaaaaaaaaaaaaaaa",
        "http://a.test/p",
        3600.0,
        created_at=1_700_000_000.123456,
        next_check=1_700_003_600.654321,
        last_checked=1_700_000_000.5,
        last_error=None,
        owner="a1b2c3d4e5f6",
        name="Lume 2 espresso machine",
        target_price="99.00",
        notify_on=("below", "lowest"),
        locale="it",
        status="ok",
        currency="EUR",
        last_price="104.90",
        last_seller="shop.example",
        last_seen=1_700_000_000.5,
        availability="in_stock",
        candidate_price="94.90",
        candidate_availability="in_stock",
        candidate_since=1_700_000_000.5,
        candidate_checks=1,
    )
    added, created = await store.add_watch(full)
    assert created and added == full
    assert await store.watches("a1b2c3d4e5f6") == [full]
    (claimed,) = await store.claim_due_watches(1_800_000_000.0, limit=5, lease_s=60.0)
    assert claimed == dataclasses.replace(full, next_check=1_800_000_060.0)


async def test_a_check_and_a_change_of_rules_never_overwrite_each_other(store):
    added, _ = await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://a.test/p"))
    checking = dataclasses.replace(added, status="ok", last_price="39.90", currency="EUR", last_checked=5.0)
    ruled = await store.set_watch_rules(dataclasses.replace(added, target_price="30", notify_on=("below",)))
    assert ruled.target_price == "30" and ruled.last_price is None
    assert await store.update_watch(checking)  # read before the rules changed: it keeps them all the same
    (stored,) = await store.watches()
    assert (stored.target_price, stored.notify_on, stored.last_price, stored.status) == (
        "30",
        ("below",),
        "39.90",
        "ok",
    )
    await store.delete_watch("aaaaaaaaaaaaaaaa")
    assert await store.set_watch_rules(ruled) is None
    assert await store.watches() == []


async def test_alerts_are_kept_per_client_newest_last_and_old_ones_go(store):
    keep_s = 14 * 86400.0
    await store.add_alert(alert("a1b2c3d4e5f6", 1000.0), keep_s=keep_s)
    await store.add_alert(alert("a1b2c3d4e5f6", 2000.5, rule="back_in_stock"), keep_s=keep_s)
    await store.add_alert(alert("", 1500.0), keep_s=keep_s)
    mine = await store.alerts_since("a1b2c3d4e5f6", 0.0)
    assert [(a.at, a.rule) for a in mine] == [(1000.0, "drop"), (2000.5, "back_in_stock")]
    assert mine[0] == alert("a1b2c3d4e5f6", 1000.0)
    assert [a.at for a in await store.alerts_since("a1b2c3d4e5f6", 1000.0)] == [2000.5]  # strictly after
    assert [a.owner for a in await store.alerts_since("", 0.0)] == [""]
    await store.add_alert(alert("a1b2c3d4e5f6", 1000.0 + keep_s + 1), keep_s=keep_s)
    assert [a.at for a in await store.alerts_since("a1b2c3d4e5f6", 0.0)] == [2000.5, 1000.0 + keep_s + 1]
