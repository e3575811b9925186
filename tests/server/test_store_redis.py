"""What only the Redis store does: keys under their own prefix beside other data, expiry left to Redis,
a clear refusal when Redis is not there, and acknowledged writes that outlive a crash of redis-server."""

from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
import sys

import pytest
from redis.asyncio import Redis

from scrapers.base import FetchResponse
from server.errors import ConfigError
from server.settings import StoreSettings
from server.store import PriceObservation, RedisStore, Watch, open_store
from tests.redisd import RedisServer
from tests.server.test_store import briefing
from tests.tools import free_port

DAY_S = 86400


@pytest.fixture
async def raw(redis_url):
    """A plain client on the same Redis, to look at what the store left there."""
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def fill(store: RedisStore) -> None:
    await store.put_briefing(briefing("b1"), page_key="page-1", ttl_s=3600)
    await store.put_fetch("GET http://a.test/", FetchResponse("http://a.test/", 200, {}, b"<html>"), ttl_s=60)
    await store.add_prices([PriceObservation("p", "Shop", "1.00", "EUR", 1.0, "http://a.test/p")])
    await store.add_watch(Watch("p", "http://a.test/p", 3600.0, created_at=1.0, next_check=2.0))


async def test_every_key_is_under_the_prefix_and_other_data_is_left_alone(redis_url, raw):
    await raw.set("someone-else:counter", "7")
    async with RedisStore(redis_url, prefix="shop-a:") as a, RedisStore(redis_url, prefix="shop-b:") as b:
        await fill(a)
        assert await b.get_briefing("b1") is None and await b.prices("p") == [] and await b.watches() == []
        assert await a.purge_expired() == 0
    ours = {key.decode() async for key in raw.scan_iter()} - {"someone-else:counter"}
    assert len(ours) > 5 and all(key.startswith("shop-a:") for key in ours)
    assert await raw.get("someone-else:counter") == b"7"


async def test_the_default_prefix_is_zmot(redis_url, raw):
    async with open_store(StoreSettings(backend="redis", redis_url=redis_url)) as store:
        await fill(store)
    keys = [key async for key in raw.scan_iter()]
    assert len(keys) > 5 and all(key.startswith(b"zmot:") for key in keys)


async def test_redis_expires_a_briefing_a_day_after_its_ttl_and_a_cached_page_with_its_ttl(redis_url, raw):
    async with RedisStore(redis_url) as store:
        await fill(store)
    briefing_ttl = await raw.ttl("zmot:briefing:b1")
    assert DAY_S < briefing_ttl <= DAY_S + 3600
    assert 0 < await raw.ttl("zmot:page:page-1") <= DAY_S + 3600
    assert 0 < await raw.ttl("zmot:fetch:GET http://a.test/") <= 60
    assert await raw.ttl("zmot:prices:p") == -1 and await raw.ttl("zmot:watches") == -1  # kept for good


async def test_purging_clears_the_index_of_pages_redis_expired_by_itself(redis_url, raw):
    async with RedisStore(redis_url) as store:
        await store.put_fetch("GET http://a.test/", FetchResponse("http://a.test/", 200, {}, b"x"), ttl_s=60)
        await raw.delete("zmot:fetch:GET http://a.test/")  # as Redis does once the TTL has passed
        assert await store.get_fetch("GET http://a.test/") is None
        assert await raw.zcard("zmot:fetches") == 1
        store._clock = lambda: 9e12  # the entry is past its time for the store too
        assert await store.purge_expired() == 0  # nothing was left to delete but the index entry
        assert await raw.zcard("zmot:fetches") == 0


async def test_a_redis_that_keeps_writes_only_in_memory_is_named_at_start(redis_url, raw, caplog):
    await raw.config_set("appendonly", "no")
    try:
        with caplog.at_level(logging.WARNING, logger="zmot.store"):
            async with RedisStore(redis_url):
                pass
    finally:
        await raw.config_set("appendonly", "yes")
    assert [r.getMessage() for r in caplog.records] == [
        f"Redis at {redis_url} has appendonly off: acknowledged writes since its last snapshot are lost"
        " if it stops (set appendonly yes)"
    ]
    caplog.clear()
    async with RedisStore(redis_url):
        assert caplog.records == []


async def test_an_unreachable_redis_is_one_clear_line_without_the_password():
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    with pytest.raises(ConfigError) as caught:
        await open_store(StoreSettings(backend="redis", redis_url=url)).open()
    message = caught.value.message
    assert message.startswith(f"cannot reach Redis at redis://127.0.0.1:{url.rsplit(':', 1)[1]}")
    assert "hunter2" not in message and "\n" not in message


@pytest.mark.slow
def test_serve_with_an_unreachable_redis_stops_with_one_line(tmp_path):
    config = tmp_path / "zmot.toml"
    config.write_text(
        f'[server]\nport = {free_port()}\npairing = false\n[store]\nbackend = "redis"\n'
        f'redis_url = "redis://127.0.0.1:{free_port()}/0"\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("zmot: ")] == [
        line for line in done.stderr.splitlines() if "cannot reach Redis" in line
    ]
    assert "zmot: cannot reach Redis at redis://127.0.0.1:" in done.stderr


@pytest.mark.slow
async def test_acknowledged_writes_survive_redis_server_being_killed_and_started_again(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        async with RedisStore(server.url) as store:
            for i in range(200):
                await store.put_briefing(briefing(f"b{i}"), page_key=f"page-{i}", ttl_s=3600)
                await store.add_prices([PriceObservation("p", "Shop", f"{i}.00", "EUR", float(i), None)])
            await store.add_watch(Watch("p", "http://a.test/p", 3600.0, created_at=1.0, next_check=2.0))
            claimed = await store.claim_due_watches(10.0, limit=5, lease_s=60.0)
            server.process.kill()  # no shutdown: only what reached the append-only file is kept
            server.process.wait()
            server.start()
            assert (await store.fresh_briefing_for_page("page-199"))["id"] == "b199"
            assert [p.amount for p in await store.prices("p")] == [f"{i}.00" for i in range(200)]
            assert await store.watches() == claimed  # the claim's lease too
    finally:
        server.stop()


async def test_a_watch_stored_before_owners_reads_as_the_pairing_codes_with_the_default_rules(redis_url, raw):
    """What an older zmot left in Redis: a two-part field, a state without the new keys, no rules."""
    field = json.dumps(["aaaaaaaaaaaaaaaa", "http://a.test/p"])
    state = {"interval_s": 3600.0, "created_at": 1.0, "last_checked": 1.5, "last_error": None, "failures": 0}
    await raw.hset("zmot:watches", field, json.dumps(state))
    await raw.zadd("zmot:watches:due", {field: 2.0})
    async with RedisStore(redis_url) as store:
        (old,) = await store.watches("")
        assert old == Watch("aaaaaaaaaaaaaaaa", "http://a.test/p", 3600.0, 1.0, 2.0, last_checked=1.5)
        ruled = await store.set_watch_rules(
            dataclasses.replace(old, target_price="9.99", notify_on=("below",))
        )
        assert ruled.target_price == "9.99" and ruled.last_checked == 1.5
        assert await store.delete_watch("aaaaaaaaaaaaaaaa") == 1
        assert await raw.exists("zmot:watches", "zmot:watches:due", "zmot:watches:rules") == 0
