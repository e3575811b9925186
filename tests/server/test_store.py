"""The SQLite store: briefings by id and by page within their TTL, the fetch cache, prices, watches."""

import asyncio
import contextlib
import logging
import sqlite3

import pytest

from scrapers.base import FetchResponse
from server.store import PriceObservation, SQLiteStore, Watch, purging


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


def briefing(bid: str, status: str = "complete", product_id: str = "0123456789abcdef") -> dict:
    return {"id": bid, "status": status, "product": {"id": product_id, "name": "Kettle"}}


async def count(store: SQLiteStore, table: str) -> int:
    async with store.db.execute(f"SELECT count(*) FROM {table}") as cur:
        return (await cur.fetchone())[0]


async def test_the_store_file_is_created_in_wal_mode(store, tmp_path):
    assert (tmp_path / "data" / "zmot.sqlite3").exists()
    async with store.db.execute("PRAGMA journal_mode") as cur:
        assert (await cur.fetchone())[0] == "wal"


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
    await store.put_briefing(briefing("lonely"), page_key=None, ttl_s=600)
    assert (await store.get_briefing("lonely"))["id"] == "lonely"
    async with store.db.execute("SELECT product_id, page_key FROM briefings WHERE id = 'lonely'") as cur:
        assert await cur.fetchone() == ("0123456789abcdef", None)


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
            if await count(store, "fetch_cache") == 0 and await count(store, "briefings") == 0:
                break
            await asyncio.sleep(0.01)
    assert await count(store, "fetch_cache") == 0
    assert await count(store, "briefings") == 0


class FailingPurge(SQLiteStore):
    """A store whose disk fails every purge."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.calls = 0
        self.failed_five_times = asyncio.Event()

    async def purge_expired(self) -> int:
        self.calls += 1
        if self.calls == 5:
            self.failed_five_times.set()
        raise sqlite3.OperationalError("disk I/O error")


async def test_a_failing_purge_is_logged_once_and_never_stops_the_server(tmp_path, caplog):
    store = FailingPurge(tmp_path / "broken.sqlite3")
    with caplog.at_level(logging.WARNING, logger="zmot.store"):
        async with purging(store, every_s=0.001):
            await store.failed_five_times.wait()
    assert [r.getMessage() for r in caplog.records].count(
        "could not purge expired rows from the store; will keep trying"
    ) == 1


async def test_prices_come_back_oldest_first_with_their_page_and_seller(store):
    await store.add_prices([PriceObservation("p", "Shop B", "12.00", "EUR", 20.0, "http://b.test/p")])
    await store.add_prices([PriceObservation("p", "Shop A", "10.50", "EUR", 10.0, "http://a.test/p")])
    await store.add_prices([])
    assert await store.prices("p") == [
        PriceObservation("p", "Shop A", "10.50", "EUR", 10.0, "http://a.test/p"),
        PriceObservation("p", "Shop B", "12.00", "EUR", 20.0, "http://b.test/p"),
    ]
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
        await store.put_briefing(briefing(f"x{i}"), page_key="p", ttl_s=60)
    task.cancel()
    assert ticks > 50  # the loop kept running while SQLite worked in its thread


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


async def test_a_write_refused_while_another_process_held_the_file_does_not_poison_the_next(tmp_path):
    path = tmp_path / "shared.sqlite3"
    store = SQLiteStore(path, busy_timeout_s=0.05)
    await store.open()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the other process is writing, for longer than we wait
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await store.put_briefing(briefing("blocked"), page_key="p", ttl_s=60)
        assert await store.get_briefing("blocked") is None  # reads go on meanwhile (WAL)
        other.execute("INSERT INTO prices VALUES ('p', 'Other', '2.00', 'EUR', 2.0, NULL)")
        other.execute("COMMIT")  # what this store read before is now out of date
        await store.put_briefing(briefing("after"), page_key="p", ttl_s=60)
        await store.add_prices([PriceObservation("p", "Shop", "1.00", "EUR", 1.0, "http://a.test/")])
        assert (await store.fresh_briefing_for_page("p"))["id"] == "after"
        assert [p.seller for p in await store.prices("p")] == ["Shop", "Other"]
        assert other.execute("SELECT count(*) FROM prices").fetchone() == (2,)  # committed, not pending
    finally:
        other.close()
        await store.close()


async def test_a_store_opens_while_another_process_reads_a_file_it_cannot_switch_to_wal(tmp_path):
    path = tmp_path / "old-mode.sqlite3"
    first = SQLiteStore(path)
    await first.open()
    await first.put_briefing(briefing("kept"), page_key="p", ttl_s=60)
    await first.close()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as setup:
        assert setup.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM briefings").fetchone()  # holds a read lock: no WAL switch now
        store = SQLiteStore(path, busy_timeout_s=0.05)
        await store.open()
        assert (await store.get_briefing("kept"))["id"] == "kept"
        await store.close()
    finally:
        reader.close()
    store = SQLiteStore(path)
    await store.open()  # nobody else holds it now: the file is switched to WAL
    async with store.db.execute("PRAGMA journal_mode") as cur:
        assert (await cur.fetchone())[0] == "wal"
    await store.close()


OLD_SCHEMA = """
CREATE TABLE briefings (id TEXT PRIMARY KEY, product_id TEXT, status TEXT NOT NULL,
    created_at REAL NOT NULL, expires_at REAL NOT NULL, body TEXT NOT NULL);
CREATE INDEX briefings_by_product ON briefings (product_id, created_at);
CREATE TABLE prices (product_id TEXT NOT NULL, seller TEXT NOT NULL, amount TEXT NOT NULL,
    currency TEXT NOT NULL, observed_at REAL NOT NULL, url TEXT);
CREATE TABLE watches (product_id TEXT PRIMARY KEY, url TEXT NOT NULL, interval_s REAL NOT NULL,
    created_at REAL NOT NULL, next_check REAL NOT NULL, last_checked REAL, last_error TEXT);
INSERT INTO briefings VALUES ('old', 'aaaaaaaaaaaaaaaa', 'complete', 1.0, 9e12, '{"id": "old"}');
INSERT INTO watches VALUES ('aaaaaaaaaaaaaaaa', 'http://a.test/p', 3600, 1.0, 2.0, NULL, 'HTTP 500');
"""


async def test_a_file_from_the_previous_version_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as old:
        old.executescript(OLD_SCHEMA)
    for _ in range(2):  # opening an already migrated file changes nothing
        store = SQLiteStore(path)
        await store.open()
        assert (await store.get_briefing("old"))["id"] == "old"
        assert (await store.watches())[0] == Watch(
            "aaaaaaaaaaaaaaaa", "http://a.test/p", 3600, 1.0, 2.0, None, "HTTP 500", failures=0
        )
        _, created = await store.add_watch(watch("aaaaaaaaaaaaaaaa", "http://b.test/p"))
        await store.put_briefing(briefing("new"), page_key="page", ttl_s=60)
        assert (await store.fresh_briefing_for_page("page"))["id"] == "new"
        await store.close()
    assert created is False  # added on the first open, found on the second
