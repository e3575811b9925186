"""What only the SQLite store does: one file in WAL mode, shared with other processes, migrated from an
older zmot's tables, and a purge that fails on a broken disk without stopping the server."""

import asyncio
import contextlib
import logging
import sqlite3

import pytest

from server.store import PriceObservation, SQLiteStore, Watch, purging
from tests.server.test_store import alert, briefing, watch


@pytest.fixture
async def store(tmp_path):
    store = SQLiteStore(tmp_path / "data" / "zmot.sqlite3")
    await store.open()
    yield store
    await store.close()


async def test_the_store_file_is_created_in_wal_mode(store, tmp_path):
    assert (tmp_path / "data" / "zmot.sqlite3").exists()
    async with store.db.execute("PRAGMA journal_mode") as cur:
        assert (await cur.fetchone())[0] == "wal"


async def test_a_briefing_keeps_its_product_and_page_in_columns(store):
    await store.put_briefing(briefing("lonely"), page_key=None, ttl_s=600)
    async with store.db.execute("SELECT product_id, page_key FROM briefings WHERE id = 'lonely'") as cur:
        assert await cur.fetchone() == ("0123456789abcdef", None)


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


# The version before owners: watches keyed by (product, page), checked and failing.
PAGE_KEYED_SCHEMA = """
CREATE TABLE watches (product_id TEXT NOT NULL, url TEXT NOT NULL, interval_s REAL NOT NULL,
    created_at REAL NOT NULL, next_check REAL NOT NULL, last_checked REAL, last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (product_id, url));
INSERT INTO watches VALUES ('aaaaaaaaaaaaaaaa', 'http://a.test/p', 3600, 1.0, 2.0, 1.5, NULL, 0);
INSERT INTO watches VALUES ('aaaaaaaaaaaaaaaa', 'http://b.test/p', 3600, 1.0, 2.0, 1.5, 'HTTP 500', 2);
"""


async def test_watches_from_before_owners_become_the_pairing_codes_with_the_default_rules(tmp_path):
    path = tmp_path / "page-keyed.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as old:
        old.executescript(PAGE_KEYED_SCHEMA)
    async with SQLiteStore(path) as store:
        ok, failing = await store.watches("")
        assert (ok.url, ok.status, ok.notify_on, ok.last_checked) == (
            "http://a.test/p",
            "ok",
            ("drop", "back_in_stock"),
            1.5,
        )
        assert (failing.status, failing.last_error, failing.failures) == ("pending", "HTTP 500", 2)
        _, created = await store.add_watch(
            Watch("aaaaaaaaaaaaaaaa", "http://a.test/p", 3600, 5.0, 6.0, owner="a1b2c3d4e5f6")
        )
        assert created  # another client's watch of the same page
        await store.add_alert(alert("", 10.0), keep_s=86400.0 * 14)
    async with SQLiteStore(path) as store:  # opened again: nothing to migrate, nothing lost
        assert len(await store.watches()) == 3 and len(await store.alerts_since("", 0.0)) == 1
