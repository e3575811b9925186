"""The pipeline degrades section by section: a broken or hung part costs only its own entry."""

from __future__ import annotations

import asyncio
import time

import pytest

from scrapers.base import PageScraper
from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from server.fetch import Fetcher
from server.pipeline import BriefingRequest, Pipeline
from server.store import SQLiteStore
from server.workers import CpuPool
from tests.pagegen import product_page
from tests.server.conftest import make_settings
from tests.server.hostile_plugins import HangsOnSomePages

URL = "https://shop.example/p/kettle"


class ExplodingScraper(PageScraper):
    name = "exploding"
    fallback = True

    def extract(self, page, base=None):
        raise ValueError("this plugin is broken")


class HangingScraper(PageScraper):
    name = "hanging"
    fallback = True

    def extract(self, page, base=None):
        time.sleep(1.5)
        raise AssertionError("a hung plugin's result must not be waited for")


def registry_of(*plugins: PageScraper) -> Registry:
    registry = Registry()
    for plugin in plugins:
        registry.add(plugin)
    return registry


@pytest.fixture
async def make_pipeline(tmp_path, cpu):
    made = []

    async def make(*plugins: PageScraper, store=None, deadline_s: float = 3.0) -> Pipeline:
        settings = make_settings(tmp_path, briefing={"deadline_s": deadline_s})
        store = store or SQLiteStore(tmp_path / "store.sqlite3")
        await store.open()
        fetcher = Fetcher(settings.fetch, store=store)
        made.append((store, fetcher))
        registry = registry_of(*plugins) if plugins else registry_of(SchemaOrgScraper())
        return Pipeline(settings, registry, fetcher, store, cpu=cpu)

    yield make
    for store, fetcher in made:
        await fetcher.close()
        await store.close()


def source(briefing: dict, name: str) -> dict:
    return next(s for s in briefing["sources"] if s["name"] == name)


async def test_a_broken_scraper_costs_the_page_entry_not_the_briefing(make_pipeline):
    pipeline = await make_pipeline(ExplodingScraper())
    briefing = await pipeline.brief(BriefingRequest(URL, product_page()))
    assert briefing["status"] == "partial"
    assert briefing["product"] is None
    assert source(briefing, "page")["status"] == "error"
    assert "this plugin is broken" in source(briefing, "page")["error"]


async def test_a_hung_scraper_is_left_behind_at_the_deadline(make_pipeline):
    pipeline = await make_pipeline(HangingScraper(), deadline_s=0.4)
    started = time.monotonic()
    briefing = await pipeline.brief(BriefingRequest(URL, product_page()))
    assert time.monotonic() - started < 1.2
    assert briefing["status"] == "partial"
    assert source(briefing, "page")["status"] == "timeout"


class SlowHistoryStore(SQLiteStore):
    async def prices(self, product_id):
        await asyncio.sleep(5)
        return []


class BrokenPriceStore(SQLiteStore):
    async def add_prices(self, observations):
        raise OSError("disk full")


async def test_a_slow_section_times_out_while_the_others_arrive(make_pipeline, tmp_path):
    store = SlowHistoryStore(tmp_path / "slow.sqlite3")
    pipeline = await make_pipeline(SchemaOrgScraper(), store=store, deadline_s=0.5)
    started = time.monotonic()
    briefing = await pipeline.brief(BriefingRequest(URL, product_page()))
    assert 0.4 < time.monotonic() - started < 1.5
    assert briefing["status"] == "partial"
    assert source(briefing, "price")["status"] == "timeout"
    assert source(briefing, "reviews")["status"] == "ok"
    assert briefing["reviews"]["analyzed"] == 10 and briefing["product"]["name"]


async def test_a_failing_section_is_an_error_entry_and_the_rest_goes_on(make_pipeline, tmp_path):
    store = BrokenPriceStore(tmp_path / "broken.sqlite3")
    pipeline = await make_pipeline(SchemaOrgScraper(), store=store)
    briefing = await pipeline.brief(BriefingRequest(URL, product_page()))
    assert briefing["status"] == "partial"
    assert source(briefing, "price") == {**source(briefing, "price"), "status": "error", "error": "disk full"}
    assert briefing["price"] is None
    assert briefing["reviews"]["sentiment"]["positive"] > 0


async def test_two_requests_for_one_page_share_one_briefing(make_pipeline):
    pipeline = await make_pipeline()
    first, second = await asyncio.gather(
        pipeline.start(BriefingRequest(URL, product_page())),
        pipeline.start(BriefingRequest(URL + "?utm_source=mail", product_page())),
    )
    ids = {run.id if run is not None else cached["id"] for run, cached in (first, second)}
    assert len(ids) == 1
    await asyncio.gather(*(run.task for run, _ in (first, second) if run is not None))


async def test_a_partial_briefing_is_served_again_for_a_quarter_of_an_hour(make_pipeline, tmp_path):
    store = BrokenPriceStore(tmp_path / "partial.sqlite3")
    pipeline = await make_pipeline(SchemaOrgScraper(), store=store)
    first = await pipeline.brief(BriefingRequest(URL, product_page()))
    assert first["status"] == "partial"
    _, again = await pipeline.start(BriefingRequest(URL, product_page()))
    assert again["id"] == first["id"]
    async with store.db.execute("SELECT expires_at - created_at FROM briefings") as cur:
        assert (await cur.fetchone())[0] == pytest.approx(15 * 60)


async def test_a_scrape_stopped_at_the_deadline_gives_its_cpu_back(tmp_path):
    settings = make_settings(tmp_path, briefing={"deadline_s": 1.5})
    # One worker: a scrape left running would starve the next briefing.
    async with (
        SQLiteStore(tmp_path / "s.sqlite3") as store,
        Fetcher(settings.fetch) as fetcher,
        CpuPool(1) as cpu,
    ):
        pipeline = Pipeline(settings, registry_of(HangsOnSomePages()), fetcher, store, cpu=cpu)
        spun = await pipeline.brief(BriefingRequest("https://spinning-shop.example/p", product_page()))
        assert source(spun, "page")["status"] == "timeout"
        briefing = await pipeline.brief(BriefingRequest(URL, product_page()))
        assert briefing["status"] == "complete"
        assert briefing["product"]["name"] == "Brava Steel Kettle 1.7 L"


class CountingPool(CpuPool):
    """A real pool that counts the pages it was asked to scrape."""

    scrapes = 0

    async def run(self, fn, /, *args, **kwargs):
        if getattr(fn, "__name__", "") == "scrape":
            self.scrapes += 1
        return await super().run(fn, *args, **kwargs)


async def test_the_same_request_body_again_is_answered_without_a_scrape(tmp_path):
    settings = make_settings(tmp_path)
    store = SQLiteStore(tmp_path / "store.sqlite3")
    async with store, Fetcher(settings.fetch) as fetcher, CountingPool(2) as cpu:
        pipeline = Pipeline(settings, registry_of(SchemaOrgScraper()), fetcher, store, cpu=cpu)
        run, _ = await pipeline.start(BriefingRequest(URL, product_page()), body_key="body-1")
        await run.task
        assert cpu.scrapes == 1
        for _ in range(5):
            again, cached = await pipeline.again("body-1")
            assert again is None and cached["id"] == run.id
        assert await pipeline.again("another body") is None
        assert cpu.scrapes == 1
