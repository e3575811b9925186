"""`zmot store copy` as an operator runs it, moving from one SQLite file to a Redis shared by several
instances and back: every price observation arrives (counted), briefings keep the TTL they had left,
watches keep their state, and each client's recent alerts are still there for its GET /v1/alerts."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis.asyncio import Redis

from server.store import PriceObservation, RedisStore, SQLiteStore, Watch, WatchAlert
from tests.server.test_store import briefing

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HOUR_S, DAY_S = 3600, 86400


def zmot_store_copy(source: str, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", "store", "copy", "--from", source, "--to", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def observations() -> list[PriceObservation]:
    """Three products seen at several shops and pages, with two observations identical in every field."""
    seen = [
        PriceObservation(f"{p:016x}", f"Shop {i % 4}", f"{10 + i}.99", "EUR", 1_700_000_000.0 + i * 0.5, url)
        for p in range(3)
        for i in range(70 + p)
        for url in ([f"http://shop{i % 4}.test/p{p}"] if i % 5 else [None])
    ]
    return [*seen, seen[0]]


async def fill(store: SQLiteStore, now: float) -> None:
    store._clock = lambda: now - 2 * HOUR_S
    await store.put_briefing(briefing("served"), page_key="page-1", ttl_s=3 * HOUR_S)
    await store.put_briefing(briefing("only-by-id"), page_key="page-2", ttl_s=HOUR_S)
    store._clock = lambda: now - 3 * DAY_S
    await store.put_briefing(briefing("gone"), page_key="page-3", ttl_s=HOUR_S)
    store._clock = time.time
    await store.add_prices(observations())
    await store.add_watch(
        Watch("0" * 16, "http://shop0.test/p0", 3600.0, 1.0, now + 10.5, now - 3590.25, "HTTP 503", 2)
    )
    await store.add_watch(Watch("1" * 16, "http://shop1.test/p1", 86400.0, 2.0, now - 1.0))
    for alert in alerts(now):
        await store.add_alert(alert, keep_s=14 * DAY_S)


def alerts(now: float) -> list[WatchAlert]:
    """Two clients' alerts: a drop yesterday for one, a restock an hour ago for the other."""
    drop = WatchAlert(
        "a1",
        "",
        "0" * 16,
        "http://shop0.test/p0",
        "Kettle",
        "drop",
        "12.99",
        "10.99",
        "EUR",
        "Shop 0",
        now - DAY_S,
        "Kettle: 10,99 €",
        "Down from 12,99 €",
    )
    restock = WatchAlert(
        "a2",
        "token-b",
        "1" * 16,
        "http://shop1.test/p1",
        "Toaster",
        "restock",
        None,
        "20.00",
        "EUR",
        None,
        now - HOUR_S,
        "Toaster is back",
        "In stock at 20,00 €",
    )
    return [drop, restock]


async def everything(store: SQLiteStore | RedisStore) -> tuple[list, dict, list, list]:
    briefings = sorted((b.id, b.page_key, b.created_at, b.expires_at) for b in await store.stored_briefings())
    prices = {p: await store.prices(p) for p in await store.priced_products()}
    alerts = [*await store.alerts_since("", 0), *await store.alerts_since("token-b", 0)]
    return briefings, prices, await store.watches(), alerts


async def test_a_sqlite_store_copied_to_redis_and_back_keeps_every_briefing_price_and_watch(
    tmp_path, redis_url
):
    now = time.time()
    source_path, back_path = tmp_path / "zmot.sqlite3", tmp_path / "back" / "zmot.sqlite3"
    async with SQLiteStore(source_path) as source:
        await fill(source, now)
        before = await everything(source)
    kept = [b for b in before[0] if b[0] != "gone"]  # more than a day past its TTL: purged at the source too

    there = zmot_store_copy(f"sqlite:{source_path}", redis_url)
    assert there.returncode == 0, there.stderr
    assert "briefings: 2 (1 past their time, not copied)" in there.stdout
    counted = len(observations())
    assert f"price observations: {counted} of 3 products ({counted} in the target)" in there.stdout
    assert "watches: 2" in there.stdout and "alerts: 2" in there.stdout
    assert "fetch cache: not copied" in there.stdout

    async with RedisStore(redis_url) as shared:
        assert await everything(shared) == (kept, before[1], before[2], alerts(now))
        assert (await shared.fresh_briefing_for_page("page-1"))["id"] == "served"
        assert await shared.fresh_briefing_for_page("page-2") is None  # past its TTL: by id only
        assert (await shared.get_briefing("only-by-id"))["id"] == "only-by-id"
    raw = Redis.from_url(redis_url)
    try:  # Redis keeps each briefing a day past the TTL it had left
        assert DAY_S + HOUR_S - 60 < await raw.ttl("zmot:briefing:served") <= DAY_S + HOUR_S
        assert DAY_S - HOUR_S - 60 < await raw.ttl("zmot:briefing:only-by-id") <= DAY_S - HOUR_S
    finally:
        await raw.aclose()

    back = zmot_store_copy(redis_url, f"sqlite:{back_path}")
    assert back.returncode == 0, back.stderr
    assert "briefings: 2 (0 past their time, not copied)" in back.stdout
    assert f"price observations: {len(observations())} of 3 products" in back.stdout
    async with SQLiteStore(back_path) as returned:
        assert await everything(returned) == (kept, before[1], before[2], alerts(now))


async def test_a_copy_into_a_store_that_holds_data_is_refused_in_one_line(tmp_path, redis_url):
    source_path = tmp_path / "zmot.sqlite3"
    async with SQLiteStore(source_path) as source:
        await source.add_prices(observations()[:3])
    assert zmot_store_copy(f"sqlite:{source_path}", redis_url).returncode == 0
    again = zmot_store_copy(f"sqlite:{source_path}", redis_url)
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        f"zmot: {redis_url} (keys under 'zmot:') already holds briefings, prices or watches:"
        " copy into an empty store"
    ]
    async with RedisStore(redis_url) as shared:
        assert len(await shared.prices("0" * 16)) == 3  # nothing was copied twice


def test_a_missing_source_file_is_not_created_by_the_copy(tmp_path, redis_url):
    missing = tmp_path / "nothing-here.sqlite3"
    done = zmot_store_copy(f"sqlite:{missing}", redis_url)
    assert done.returncode == 2 and done.stderr.strip() == f"zmot: there is no store at {missing}"
    assert not missing.exists()
