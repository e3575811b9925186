"""The registry: site plugins win over the generic one, and a broken plugin costs only its own result."""

from __future__ import annotations

import asyncio

from scrapers.base import Page, PageScraper, PluginContext
from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry, load_registry
from scrapers.sites.shopify import ShopifyScraper
from scrapers.sources import MentionSource, OfferSource, SearchProvider
from scrapers.types import ProductPage, SearchResult
from server.fetch import Fetcher
from tests.pagegen import product_page
from tests.scrapers.golden import PAGES

URL = "https://kettles.example/p/kettle"


class ExplodingSite(PageScraper):
    name = "exploding"
    domains = ("kettles.example",)

    def extract(self, page, base=None):
        raise ValueError("selector broke")


class GarbageSite(PageScraper):
    name = "garbage"
    domains = ("kettles.example",)

    def extract(self, page, base=None):
        result = ProductPage(url=page.url, plugin=self.name)
        result.rating.value = 42.0
        return result


class HangingSite(PageScraper):
    name = "hanging"
    domains = ("kettles.example",)

    def extract(self, page, base=None):
        return ProductPage(url=page.url, plugin=self.name)

    async def more_reviews(self, ctx, result, *, limit):
        await asyncio.sleep(30)
        return []


class EchoSearch(SearchProvider):
    name = "echo"

    async def search(self, ctx, query, *, limit=10, lang=None):
        return [SearchResult(title=query, url="https://echo.example/")]


class NoMentions(MentionSource):
    name = "no-mentions"


class NoOffers(OfferSource):
    name = "no-offers"


def registry_of(*plugins) -> Registry:
    registry = Registry()
    registry.add(SchemaOrgScraper())
    for plugin in plugins:
        registry.add(plugin)
    return registry


def test_a_raising_site_plugin_leaves_the_generic_result_and_says_so():
    page = registry_of(ExplodingSite()).scrape(Page(URL, product_page()))
    assert page.plugin == "generic" and page.is_product
    assert page.errors == ["exploding: ValueError: selector broke"]
    assert "errors" not in page.to_json()


def test_a_site_plugin_returning_garbage_is_not_believed():
    page = registry_of(GarbageSite()).scrape(Page(URL, product_page()))
    assert page.plugin == "generic" and page.rating.value != 42.0
    assert page.errors and "rating 42.0" in page.errors[0]


async def test_a_hanging_plugin_times_out_at_the_deadline_and_the_caller_goes_on():
    registry = registry_of(HangingSite())
    result = registry.scrape(Page(URL, product_page()))
    ctx = PluginContext(fetch=None, deadline=asyncio.get_running_loop().time() + 0.2)  # type: ignore[arg-type]
    outcome = await registry.more_reviews(ctx, result, limit=5)
    assert (outcome.plugin, outcome.status, outcome.value) == ("hanging", "timeout", None)
    assert outcome.elapsed_ms < 1000


def test_every_kind_is_registered_and_listed():
    registry = registry_of(EchoSearch(), NoMentions(), NoOffers())
    assert [p.name for p in registry.of_kind("search")] == ["echo"]
    assert [p.name for p in registry.of_kind("mentions")] == ["no-mentions"]
    assert [p.name for p in registry.of_kind("offers")] == ["no-offers"]
    assert {(i.name, i.kind) for i in registry.infos} >= {
        ("echo", "search"),
        ("no-mentions", "mentions"),
        ("no-offers", "offers"),
        ("generic", "page"),
    }


def test_every_built_in_site_plugin_is_installed_through_its_entry_point():
    names = {info.name for info in load_registry().infos if info.kind == "page"}
    assert names >= {
        "generic",
        "amazon",
        "ebay",
        "walmart",
        "bestbuy",
        "shopify",
        "woocommerce",
        "mediaworld",
        "unieuro",
        "fnac",
        "cdiscount",
    }


def test_a_shopify_store_is_recognized_by_its_markup_on_any_domain():
    html = (PAGES / "shopify" / "coffee-beans.html").read_text(encoding="utf-8")
    registry = load_registry()
    assert (
        registry.site_scraper_for(
            "https://any-shop.example/products/x", Page("https://any-shop.example/products/x", html)
        ).name
        == "shopify"
    )
    assert (
        registry.site_scraper_for(
            "https://any-shop.example/products/x", Page("https://any-shop.example/products/x", product_page())
        )
        is None
    )


async def test_shopify_completes_the_product_from_its_product_json(local_web, fetch_settings):
    host = "aurora-coffee.test"
    local_web.add_page(
        host,
        "/products/miscela-oro-1kg.json",
        """{"product": {"id": 7, "title": "Miscela Oro",
        "vendor": "Torrefazione Aurora", "product_type": "Caffè in grani", "handle": "miscela-oro-1kg",
        "variants": [{"id": 1, "price": "24.90", "sku": "ORO-1000", "barcode": "8001234567890"},
                     {"id": 2, "price": "12.90", "sku": "ORO-500", "barcode": "8001234567883"}]}}""",
        content_type="application/json",
    )
    url = f"http://{host}/products/miscela-oro-1kg?variant=2"
    html = (PAGES / "shopify" / "coffee-beans.html").read_text(encoding="utf-8")
    registry = load_registry()
    page = registry.scrape(Page(url, html))
    async with Fetcher(fetch_settings) as fetcher:
        ctx = PluginContext(fetch=fetcher.fetch, deadline=asyncio.get_running_loop().time() + 5)
        outcome = await registry.enrich(ctx, page)
    assert outcome.status == "ok" and outcome.value is not None
    assert (outcome.value.product.sku, outcome.value.product.gtin) == ("ORO-500", "8001234567883")
    assert (outcome.value.offers[0].price, outcome.value.offers[0].currency) == ("12.90", "EUR")
    assert outcome.value.product.category == "Caffè in grani"
    assert isinstance(ShopifyScraper(), PageScraper)
