"""Shopify: the shop's own code is its product JSON's variant `sku`, and the page says where it came from."""

from __future__ import annotations

import asyncio

from scrapers.base import Page, PluginContext
from scrapers.registry import load_registry
from server.fetch import Fetcher
from tests.scrapers.golden import PAGES


async def test_the_product_json_sku_is_the_sku_and_its_source_is_shopify(local_web, fetch_settings):
    host = "aurora-roastery.test"
    local_web.add_page(
        host,
        "/products/miscela-oro-1kg.json",
        '{"product": {"id": 7, "title": "Miscela Oro", "variants": ['
        '{"id": 40112233445566, "price": "24.90", "sku": "MO-1KG-GR"}]}}',
        content_type="application/json",
    )
    url = f"http://{host}/products/miscela-oro-1kg?variant=40112233445566"
    html = (PAGES / "shopify" / "coffee-beans.html").read_text(encoding="utf-8")  # its JSON-LD says ORO-1000
    registry = load_registry()
    page = registry.scrape(Page(url, html))
    async with Fetcher(fetch_settings) as fetcher:
        ctx = PluginContext(fetch=fetcher.fetch, deadline=asyncio.get_running_loop().time() + 5)
        outcome = await registry.enrich(ctx, page)
    assert outcome.value is not None and outcome.value.product.sku == "MO-1KG-GR"
    assert outcome.value.field_sources["sku"] == "shopify"
    assert outcome.value.field_sources["name"] == "jsonld"  # the page's own name stays the page's
