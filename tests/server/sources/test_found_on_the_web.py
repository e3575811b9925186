"""Mentions and other sellers' offers found on the local web through a SearXNG-format search."""

from __future__ import annotations

import asyncio

import pytest

from scrapers.base import PluginContext
from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from scrapers.search import HackerNewsSearch, RedditSearch, SearXNGSearch
from scrapers.types import Offer, Product
from server.analysis.prices import price_section
from server.fetch import Fetcher
from server.settings import SearchSettings
from server.sources.mentions import find_mentions
from server.sources.offers import find_offers
from server.workers import CpuPool

HEADPHONES = Product(
    name="Sonara QuietPro 700 Wireless Noise Cancelling Headphones, Midnight Black",
    brand="Sonara",
    gtin="842075613316",
    mpn="QP700-BLK",
)
ESPRESSO = Product(
    name="Ardenza Sorrento Pro – Macchina da caffè espresso con gruppo E61, acciaio inox",
    brand="Ardenza",
    gtin="8006347120755",
    mpn="SRP-E61-IX",
)


@pytest.fixture
async def fetcher(fetch_settings):
    async with Fetcher(fetch_settings) as fetcher:
        yield fetcher


@pytest.fixture
async def cpu():
    """The worker processes that read the pages found (tests using it start processes: marked slow)."""
    async with CpuPool(2) as pool:
        yield pool


def context(fetcher, url="http://search.test/search", budget_s: float = 4.0) -> PluginContext:
    return PluginContext(
        fetch=fetcher.fetch,
        settings=SearchSettings(provider="searxng", url=url),
        deadline=asyncio.get_running_loop().time() + budget_s,
    )


def by_host(items):
    return {item["url"].split("/")[2]: item for item in items}


@pytest.mark.slow
async def test_relevant_mentions_with_kind_sentiment_and_sponsorship(fetcher, cpu):
    found = await find_mentions(
        context(fetcher), SearXNGSearch(), HEADPHONES, cpu=cpu, lang="en", exclude_hosts=("shop-us.test",)
    )
    items = by_host(found.items)
    assert found.query == "Sonara QuietPro 700 review"
    assert {"audioblog.test", "dealsdaily.test", "headfi-forum.test", "technews.test", "videos.test"} <= set(
        items
    )
    assert items["headfi-forum.test"]["kind"] == "forum"
    assert items["videos.test"]["kind"] == "video"
    assert items["technews.test"]["kind"] == "news"
    assert items["audioblog.test"]["kind"] == "blog" and not items["audioblog.test"]["sponsored"]
    assert items["dealsdaily.test"]["sponsored"] is True
    assert items["headfi-forum.test"]["sentiment"]["label"] == "negative"
    assert all(m["snippet"] for m in found.items)
    assert not any(m["snippet"].lower() in m["title"].lower() for m in found.items)  # not the title again
    # Independent sources first.
    flags = [m["sponsored"] for m in found.items]
    assert flags == sorted(flags)


@pytest.mark.slow
async def test_sidebar_only_page_and_duplicate_urls_are_left_out(fetcher, cpu):
    found = await find_mentions(context(fetcher), SearXNGSearch(), HEADPHONES, cpu=cpu, lang="en")
    urls = [m["url"] for m in found.items]
    assert not any("turntable-setup" in u for u in urls)
    assert sum("audioblog.test/reviews/sonara-quietpro-700-review" in u for u in urls) == 1
    skipped = [s for s in found.sources if s["status"] == "skipped"]
    assert any("turntable-setup" in s["url"] for s in skipped)


@pytest.mark.slow
async def test_hanging_and_failing_blogs_cost_only_their_own_entries(fetcher, cpu):
    found = await find_mentions(
        context(fetcher), SearXNGSearch(), HEADPHONES, cpu=cpu, lang="en"
    )
    status = {s["url"].split("/")[2]: s["status"] for s in found.sources if s["url"]}
    assert status["slowreviews.test"] == "timeout"
    assert status["brokenreviews.test"] == "error"
    assert len(found.items) >= 4


@pytest.mark.slow
async def test_italian_review_is_found_for_an_italian_shopper(fetcher, cpu):
    found = await find_mentions(
        context(fetcher),
        SearXNGSearch(),
        ESPRESSO,
        cpu=cpu,
        lang="it",
        exclude_hosts=("shop-it.test", "negozio-b.test"),
    )
    items = by_host(found.items)
    assert found.query == "Ardenza Sorrento Pro recensione"
    assert items["caffeblog.test"]["language"] == "it" and not items["caffeblog.test"]["sponsored"]
    assert items["offertecaffe.test"]["sponsored"] is True


@pytest.mark.slow
async def test_search_that_fails_is_an_error_for_the_caller(fetcher, cpu):
    from scrapers.search._json import SearchFailed

    with pytest.raises(SearchFailed, match="HTTP 500"):
        await find_mentions(
            context(fetcher, url="http://search-fails.test/search"), SearXNGSearch(), HEADPHONES, cpu=cpu
        )


async def test_keyless_providers_read_their_apis(fetcher):
    hn = await HackerNewsSearch().search(
        context(fetcher, url="http://hn.algolia.test/api/v1/search"), "Sonara QuietPro 700"
    )
    reddit = await RedditSearch().search(
        context(fetcher, url="http://reddit.test/search.json"), "QuietPro 700"
    )
    assert hn and all(r.url.startswith("http") and r.title for r in hn)
    assert reddit and all(r.url.startswith("http://reddit.test/r/") for r in reddit)


def generic_registry() -> Registry:
    registry = Registry()
    registry.add(SchemaOrgScraper())
    return registry


@pytest.mark.slow
async def test_other_shops_same_gtin_and_the_cheapest_in_stock(fetcher, cpu):
    found = await find_offers(
        context(fetcher),
        SearXNGSearch(),
        generic_registry(),
        HEADPHONES,
        page_url="http://shop-us.test/products/noise-cancelling-headphones",
        cpu=cpu,
    )
    sites = {o.url.split("/")[2] for o in found.offers}
    assert {"shop-b.test", "shop-c.test", "shop-d.test"} <= sites
    assert "shop-e.test" not in sites  # the QuietPro 500 is another product
    assert "shop-us.test" not in sites  # the shopper's own page is not "another seller"
    current = Offer(
        seller="Brightline", price="249.99", currency="USD", availability="in_stock", shipping="0.00"
    )
    price = price_section([current, *found.offers], [])
    # shop-d is cheaper but sold out; shop-b's 229.00 + 5.99 shipping beats shop-c's 239.50.
    assert price["lowest"]["url"].startswith("http://shop-b.test/")
    assert price["saving"]["amount"] == "15.00"
    assert "save 15.00 USD" in price["reason"]


@pytest.mark.slow
async def test_italian_shop_offer_for_the_espresso_machine(fetcher, cpu):
    found = await find_offers(
        context(fetcher),
        SearXNGSearch(),
        generic_registry(),
        ESPRESSO,
        page_url="http://shop-it.test/prodotto/macchina-caffe-espresso",
        cpu=cpu,
    )
    current = Offer(
        seller="Casa Caffè", price="1299.00", currency="EUR", availability="in_stock", shipping="0.00"
    )
    price = price_section([current, *found.offers], [])
    assert price["lowest"]["url"].startswith("http://negozio-b.test/")
    assert price["saving"]["amount"] == "40.10"


async def test_public_apis_are_paced_however_many_briefings_ask(fetcher):
    hn = HackerNewsSearch()
    hn.pace.interval_s = 0.2
    ctx = context(fetcher, url="http://hn.algolia.test/api/v1/search")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(hn.search(ctx, "Sonara QuietPro 700") for _ in range(3)))
    assert loop.time() - started >= 0.4  # three requests, 0.2 s apart


@pytest.mark.slow
async def test_videos_come_with_their_channel_and_threads_with_their_replies(fetcher, cpu):
    found = await find_mentions(
        context(fetcher), SearXNGSearch(), HEADPHONES, cpu=cpu, lang="en", exclude_hosts=("shop-us.test",)
    )
    items = by_host(found.items)
    assert (items["videos.test"]["channel"], items["videos.test"]["replies"]) == ("Gear Bench", None)
    assert (items["headfi-forum.test"]["replies"], items["headfi-forum.test"]["channel"]) == (5, None)
    assert items["audioblog.test"]["channel"] is None and items["audioblog.test"]["replies"] is None
    assert {m["language"] for m in found.items} == {"en"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "order"),
    [
        # The same three pages: the shopper's language first, the sponsored page last whatever its language.
        ("it", ["caffeblog.test", "reddit.test", "offertecaffe.test"]),
        ("en", ["reddit.test", "caffeblog.test", "offertecaffe.test"]),
    ],
)
async def test_sources_in_the_shoppers_language_come_first(fetcher, cpu, lang, order):
    found = await find_mentions(
        context(fetcher),
        SearXNGSearch(),
        ESPRESSO,
        cpu=cpu,
        lang=lang,
        exclude_hosts=("shop-it.test", "negozio-b.test"),
    )
    hosts = [m["url"].split("/")[2] for m in found.items]
    assert [h for h in hosts if h in order] == order
