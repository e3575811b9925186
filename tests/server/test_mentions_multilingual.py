"""An Italian, a French and an English shopper each open a product page whose name is in their shop's own
order ("Macchina da caffè Espresso Lume 2", "Aspirateur balai sans fil Dyson V15 Detect Absolute", "Sony
WH-1000XM5 Wireless Headphones, Black"). The search answers with a review, a forum thread and a sponsored
listicle, with the shops, and with 20 real news and blog pages that are not about the product. The
briefing keeps the three pages about the product (the sponsored one flagged), drops every real article,
and finds the cheaper offer of the same product while rejecting a cheaper look-alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.server.conftest import read_events

LOCALWEB = Path(__file__).resolve().parents[1] / "fixtures" / "localweb"
SEARXNG = {"provider": "searxng", "url": "http://search.test/search"}
INDEX = json.loads((LOCALWEB / "search.test" / "index-beyond.json").read_text(encoding="utf-8"))
SHARED_WEB = Path(__file__).resolve().parents[3] / "shared" / "data" / "web"  # where they come from
REAL_ARTICLES = [e["url"] for e in INDEX if "bing" in e["engines"]]  # the 20 real pages, as indexed


@dataclass(frozen=True)
class Shopper:
    locale: str
    page: str  # the product page the shopper opened
    review: str
    forum: str
    sponsored: str
    cheaper: str  # another shop selling the same GTIN for less
    saving: str
    lookalike: str  # a different, cheaper model with a near-identical name


SHOPPERS = {
    "italian": Shopper(
        "it-IT",
        "http://shop-it.test/prodotto/lume-2",
        "http://caffeblog.test/recensioni/lume-2-prova-completa",
        "http://forum-espresso.test/discussione/lume-2-non-scalda-piu.8812/",
        "http://offertecaffe.test/offerte/lume-2-offerta-migliore-prezzo",
        "http://negozio-b.test/prodotti/lume-2-espresso-inox",
        "30.10",  # 449,00 € against 409,00 € + 9,90 € shipping
        "http://negozio-b.test/prodotti/lume-2-mini-espresso",
    ),
    "french": Shopper(
        "fr-FR",
        "http://boutique-maison.test/produit/dyson-v15-detect-absolute",
        "http://blog-maison.test/tests/dyson-v15-detect-absolute-avis",
        "http://forum-menage.test/sujet/dyson-v15-detect-absolute-autonomie.4471/",
        "http://bonsplans.test/guides/dyson-v15-detect-absolute-meilleur-prix",
        "http://electro-discount.test/p/dyson-v15-detect-absolute-394451-01",
        "70.00",
        "http://electro-discount.test/p/dyson-v12-detect-slim-absolute",
    ),
    "english": Shopper(
        "en-US",
        "http://shop-us.test/products/sony-wh-1000xm5",
        "http://audioblog.test/reviews/sony-wh-1000xm5-review",
        "http://headfi-forum.test/threads/sony-wh-1000xm5-impressions.51234/",
        "http://dealsdaily.test/deals/sony-wh-1000xm5-best-price",
        "http://shop-b.test/p/sony-wh-1000xm5-black",
        "55.00",  # $399.99 against $339.00 + $5.99 shipping
        "http://shop-e.test/products/sony-wh-1000xm4-black",
    ),
}


def page_bytes(url: str) -> bytes:
    """The fixture file the local web serves for `url` (see its README for the path rules)."""
    parts = urlsplit(url)
    path = parts.path.lstrip("/")
    path += "index.html" if parts.path.endswith("/") else "" if path.endswith(".html") else ".html"
    return (LOCALWEB / parts.hostname / path).read_bytes()


def page_html(url: str) -> str:
    return page_bytes(url).decode("utf-8")


async def briefing_for(client, shopper: Shopper) -> dict:
    body = {"url": shopper.page, "html": page_html(shopper.page), "locale": shopper.locale}
    started = await (await client.post("/v1/briefings", json=body)).json()
    events = await read_events(await client.get(started["events"]))
    assert events[-1][0] == "done"
    return events[-1][1]


async def test_the_twenty_real_articles_are_served_as_they_are_on_their_own_hosts(local_web):
    assert len(REAL_ARTICLES) == 20
    async with aiohttp.ClientSession() as session:
        for url in REAL_ARTICLES:
            parts = urlsplit(url)
            async with session.get(
                f"http://127.0.0.1:{local_web.port}{parts.path}", headers={"Host": parts.hostname}
            ) as answer:
                assert (answer.status, answer.content_type) == (200, "text/html"), url
    if not SHARED_WEB.is_dir():
        pytest.skip("the shared data set is not on this machine")
    originals = json.loads((SHARED_WEB / "articles.json").read_text(encoding="utf-8"))
    served = {
        f"http://{urlsplit(a['url']).hostname}.test{urlsplit(a['url']).path}": n for n, a in originals.items()
    }
    assert sorted(served) == sorted(REAL_ARTICLES)  # every article, under its real host and path
    for url, name in served.items():
        assert page_bytes(url) == (SHARED_WEB / name).read_bytes(), url  # byte for byte


@pytest.mark.parametrize("who", list(SHOPPERS))
async def test_the_briefing_keeps_the_pages_about_the_product_and_drops_the_real_articles(api_client, who):
    shopper = SHOPPERS[who]
    async with api_client(search=SEARXNG, briefing={"deadline_s": 8.0}) as client:
        briefing = await briefing_for(client, shopper)

    items = {m["url"]: m for m in briefing["mentions"]["items"]}
    assert {shopper.review, shopper.forum, shopper.sponsored} <= set(items)
    assert items[shopper.sponsored]["sponsored"] is True
    assert not items[shopper.review]["sponsored"] and not items[shopper.forum]["sponsored"]
    assert items[shopper.forum]["kind"] == "forum"
    assert list(items)[-1] == shopper.sponsored  # independent sources first

    assert not set(items) & set(REAL_ARTICLES)
    read = {s["url"]: s for s in briefing["sources"] if s["name"] == "mention" and s["url"]}
    seen = [url for url in REAL_ARTICLES if url in read]
    assert len(seen) == 20  # every real article came back from the search, and each was dropped
    assert {read[url]["status"] for url in seen} == {"skipped"}

    price = briefing["price"]
    assert price["lowest"]["url"] == shopper.cheaper
    assert price["saving"]["amount"] == shopper.saving
    offers = {s["url"]: s for s in briefing["sources"] if s["name"] == "offer" and s["url"]}
    rejected = offers[shopper.lookalike]  # found by the search, cheaper, and not taken for the product
    assert rejected["status"] == "skipped"
    assert rejected["error"] in ("not the same product", "not about this product")
