"""Two pipelines on one Redis behave as one: a page posted to both is briefed once, and a briefing's
events read on the instance that did not build it are the same as on the one that did."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from server.coordination.redis_group import RedisCoordination
from server.fetch import Fetcher
from server.pipeline import BriefingRequest, Pipeline
from server.store import SQLiteStore
from tests.pagegen import product_page
from tests.server.conftest import make_settings

URL = "https://shop.example/p/kettle"


@pytest.fixture
async def two_instances(tmp_path, redis_url, cpu) -> AsyncIterator[list[Pipeline]]:
    """Two instances' pipelines: one store between them (as Redis would be), their own coordination."""
    settings = make_settings(tmp_path)
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    registry = Registry()
    registry.add(SchemaOrgScraper())
    made = []
    for _ in range(2):
        coordination = RedisCoordination(redis_url, check_s=0.1)
        await coordination.open()
        fetcher = Fetcher(settings.fetch, store=store)
        made.append(Pipeline(settings, registry, fetcher, store, cpu=cpu, coordination=coordination))
    yield made
    for pipeline in made:
        await pipeline.close()
        await pipeline.fetcher.close()
        await pipeline.coordination.close()
    await store.close()


async def test_a_page_posted_to_both_instances_at_once_is_briefed_once(two_instances):
    a, b = two_instances
    on_a, on_b = await asyncio.gather(
        a.start(BriefingRequest(URL, product_page())),
        b.start(BriefingRequest(URL + "?utm_source=mail", product_page())),
    )
    ids = {run.id if run is not None else cached["id"] for run, cached in (on_a, on_b)}
    assert len(ids) == 1
    building = [run for run, _ in (on_a, on_b) if run is not None and not run.remote]
    assert len(building) == 1  # the other instance follows it
    await building[0].task
    assert (await a.get(building[0].id))["status"] in {"complete", "partial"}
    assert await b.get(building[0].id) == await a.get(building[0].id)


async def test_events_followed_on_the_other_instance_are_the_same(two_instances):
    a, b = two_instances
    run, _ = await a.start(BriefingRequest(URL, product_page(name="Brava Copper Kettle 1.2 L")))
    assert run is not None and run.id not in b.runs
    await b.adopt(run.id)  # what GET …/events on instance B does first
    followed = b.runs[run.id]
    seen = [event async for event in followed.follow(keepalive_s=None)]
    await run.task
    assert seen == run.events
    assert seen[-1][0] == "done" and seen[-1][1]["id"] == run.id


async def test_a_briefing_finished_on_one_instance_is_served_by_the_other(two_instances):
    a, b = two_instances
    page = product_page(name="Brava Glass Kettle 1.5 L", gtin="8001234567802")
    run, _ = await a.start(BriefingRequest(URL, page))
    await run.task
    again, cached = await b.start(BriefingRequest(URL, page))
    assert again is None and cached["id"] == run.id
