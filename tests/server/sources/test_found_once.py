"""One briefing's offers and mentions share what they find: a result page both want is read once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from scrapers.search import SearXNGSearch
from server.fetch import Fetcher
from server.sources.found import FoundPages, read_found
from server.sources.mentions import find_mentions
from server.sources.offers import find_offers
from server.workers import CpuPool
from tests.server.sources.test_found_on_the_web import HEADPHONES, context

pytestmark = pytest.mark.slow  # starts worker processes


class CountingPool(CpuPool):
    """A real pool that counts the result pages it was asked to read, by URL."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.reads: Counter[str] = Counter()

    async def run(self, fn, /, *args, **kwargs):
        if fn is read_found:
            self.reads[args[0].url] += 1  # the fetched page
        return await super().run(fn, *args, **kwargs)


class CountingFound(FoundPages):
    """The briefing's shared finds, counting how often each page was asked for."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.asks: Counter[str] = Counter()

    async def read(self, url):
        self.asks[url] += 1
        return await super().read(url)


async def test_a_page_both_offers_and_mentions_find_is_read_once(fetch_settings):
    registry = Registry()
    registry.add(SchemaOrgScraper())
    async with Fetcher(fetch_settings) as fetcher, CountingPool(2) as cpu:
        ctx = context(fetcher, budget_s=4.0)  # roomy: a slow blog among the results waits it out
        found = CountingFound(ctx, cpu, HEADPHONES)
        mentions, offers = await asyncio.gather(
            find_mentions(ctx, SearXNGSearch(), HEADPHONES, cpu=cpu, lang="en", found=found),
            find_offers(
                ctx,
                SearXNGSearch(),
                registry,
                HEADPHONES,
                page_url="http://shop-us.test/p",
                cpu=cpu,
                found=found,
            ),
        )
    assert mentions.items and offers.offers  # both found what they look for
    wanted_twice = [url for url, asks in found.asks.items() if asks > 1]
    assert wanted_twice  # some result pages turn up in both searches…
    assert all(cpu.reads[url] <= 1 for url in found.asks)  # …and every page was read once at most
