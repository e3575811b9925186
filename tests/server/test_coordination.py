"""Instances of one zmot server on one Redis: who builds a page's briefing, following its events from any
instance, a dead instance's claim running out, and politeness towards a host shared by all of them."""

from __future__ import annotations

import asyncio
import pickle
import time
from collections.abc import AsyncIterator

import pytest

from scrapers.search import HackerNewsSearch
from server.coordination import LocalCoordination
from server.coordination.followed import STOPPED
from server.coordination.redis_group import RedisCoordination

BRIEFING = {"id": "run-a", "url": "http://shop.test/p/kettle", "status": "running", "sources": []}


@pytest.fixture
async def instances(redis_url) -> AsyncIterator[list[RedisCoordination]]:
    """Two instances' coordination on the test's Redis, renewing their leases as `zmot serve` does."""
    group = [RedisCoordination(redis_url, lease_s=1.5, check_s=0.1) for _ in range(2)]
    for instance in group:
        await instance.open()
    yield group
    for instance in group:
        await instance.close()


async def collect(run, keepalive_s: float | None = None) -> list[tuple[str, dict]]:
    return [event async for event in run.follow(keepalive_s=keepalive_s) if event[0] != "keepalive"]


async def test_events_of_a_run_on_one_instance_are_followed_on_the_other(instances):
    a, b = instances
    assert await a.begin("run-a", "page-1", BRIEFING) is None
    a.publish("run-a", "section", {"section": "product", "data": {"name": "Kettle"}})
    followed = await b.remote_run("run-a")
    assert followed is not None and not followed.done
    following = asyncio.create_task(collect(followed))
    a.publish("run-a", "section", {"section": "price", "data": {"verdict": "fair"}})
    done = {**BRIEFING, "status": "complete", "product": {"name": "Kettle"}, "price": {"verdict": "fair"}}
    a.publish("run-a", "done", done)
    await a.end("run-a")

    assert await following == [
        ("section", {"section": "product", "data": {"name": "Kettle"}}),
        ("section", {"section": "price", "data": {"verdict": "fair"}}),
        ("done", done),
    ]
    assert followed.briefing == done
    late = await b.remote_run("run-a")  # a follower that comes after the end replays it all
    assert late is not None and late.done and len(await collect(late)) == 3


async def test_a_page_is_built_by_the_first_instance_that_claims_it_until_it_ends(instances):
    a, b = instances
    assert await a.begin("run-a", "page-1", BRIEFING) is None
    assert await b.begin("run-b", "page-1", {**BRIEFING, "id": "run-b"}) == "run-a"
    assert await b.remote_run("run-b") is None  # the loser announced nothing
    assert await b.begin("run-c", "page-2", {**BRIEFING, "id": "run-c"}) is None  # another page is free
    await a.end("run-a")
    assert await b.begin("run-d", "page-1", {**BRIEFING, "id": "run-d"}) is None


async def test_a_living_instance_keeps_its_claim_beyond_the_lease(instances):
    a, b = instances
    assert await a.begin("run-a", "page-1", BRIEFING) is None
    await asyncio.sleep(a.lease_s * 2)  # renewed every third of the lease meanwhile
    assert await b.begin("run-b", "page-1", BRIEFING) == "run-a"


async def test_a_dead_instance_leaves_a_partial_briefing_and_its_page_to_the_next_request(redis_url):
    dead = RedisCoordination(redis_url, lease_s=0.5, check_s=0.1)  # never opened: nothing renews its lease
    alive = RedisCoordination(redis_url, lease_s=0.5, check_s=0.1)
    try:
        assert await dead.begin("run-a", "page-1", BRIEFING) is None
        dead.publish("run-a", "section", {"section": "product", "data": {"name": "Kettle"}})
        await dead._held["run-a"].writer  # the event is out before the instance "dies"
        followed = await alive.remote_run("run-a")
        assert followed is not None

        events = await collect(followed, keepalive_s=0.05)

        assert [name for name, _ in events] == ["section", "section", "done"]
        ending = events[-1][1]
        assert ending["status"] == "partial" and ending["product"] == {"name": "Kettle"}
        assert ending["sources"][-1]["error"] == STOPPED
        assert await alive.begin("run-b", "page-1", BRIEFING) is None  # the claim ran out with the lease
    finally:
        await dead.close()
        await alive.close()


async def test_a_lone_instance_shares_nothing():
    alone = LocalCoordination()
    assert await alone.begin("run-a", "page-1", BRIEFING) is None
    assert await alone.begin("run-b", "page-1", BRIEFING) is None  # the pipeline joins its own runs
    assert await alone.remote_run("run-a") is None


async def test_three_instances_together_keep_a_hosts_concurrency_and_pacing(redis_url):
    group = [RedisCoordination(redis_url) for _ in range(3)]
    gates = [c.host_slots(2, 0.05, lease_s=10) for c in group]
    in_flight, most, starts = 0, 0, []

    async def request(gate) -> None:
        nonlocal in_flight, most
        async with gate.slot("Shop.test"):
            starts.append(time.monotonic())
            in_flight += 1
            most = max(most, in_flight)
            await asyncio.sleep(0.03)
            in_flight -= 1

    began = time.monotonic()
    try:
        await asyncio.gather(*(request(gate) for gate in gates for _ in range(3)))
    finally:
        for c in group:
            await c.close()
    assert len(starts) == 9 and most <= 2  # per instance alone it would be up to 6
    # Starts booked 50 ms apart across the group: the ninth cannot begin before eight intervals passed.
    assert max(starts) - began >= 8 * 0.05 - 0.005


async def test_a_keyless_search_api_is_paced_for_the_group_not_per_instance(redis_url):
    group = [RedisCoordination(redis_url) for _ in range(2)]
    providers = [HackerNewsSearch() for _ in group]
    for coordination, provider in zip(group, providers, strict=True):
        provider.pace.interval_s = 0.05
        coordination.share_pacing([provider])
    starts = []

    async def ask(provider) -> None:
        await provider.pace.wait()
        starts.append(time.monotonic())

    began = time.monotonic()
    try:
        await asyncio.gather(*(ask(provider) for provider in providers for _ in range(3)))
    finally:
        for c in group:
            await c.close()
    # Six turns 50 ms apart across both instances (alone, each would start its third after 100 ms).
    assert max(starts) - began >= 5 * 0.05 - 0.005
    # The registry still travels to the worker processes, without the connection behind the turns.
    assert pickle.loads(pickle.dumps(providers[0])).pace.interval_s == 0.05
