"""OpenGraph and product meta tags (og:title, product:price:amount, …): the product as the page's head
describes it, for pages without schema.org markup and for what that markup leaves empty."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from scrapers.markup import TITLE_SEPARATOR, text_content
from scrapers.page_index import PageIndex
from scrapers.page_site import Site, availability_of, gtin_of, url_of
from scrapers.prices import parse_price
from scrapers.schemaorg import text_of
from scrapers.types import Offer, ProductPage

__all__ = ["fill_from_meta", "is_product_meta", "meta_of"]


def meta_of(tree: HtmlElement) -> dict[str, str]:
    """First value of each meta property/name/itemprop (lower-cased key), and "canonical" from <link>."""
    found: dict[str, str] = {}
    for element in tree.iter("meta", "link"):
        if element.tag == "link":
            if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
                found.setdefault("canonical", element.get("href", ""))
            continue
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def is_product_meta(meta: dict[str, str]) -> bool:
    kinds = ("product", "og:product", "product.item", "product.group")
    return meta.get("og:type", "").lower() in kinds or any(key in meta for key in _PRICE_KEYS)


# The price in meta tags: OpenGraph's product keys first, then spellings some shops use instead
# ("og:price" content="30,000원~").
_PRICE_KEYS = ("product:price:amount", "og:price:amount", "og:price", "product:price")


def fill_from_meta(
    result: ProductPage, meta: dict[str, str], tree: HtmlElement, site: Site, index: PageIndex | None = None
) -> None:
    """Fill what structured data left empty from meta tags; never overwrite it. Sources say "og".
    `index` is the page's shared index (`Page.index`), which saves a scan for loose itemprops."""
    product = result.product
    found = {
        "name": _without_site_name(
            text_of(meta.get("og:title") or meta.get("twitter:title")), meta.get("og:site_name"), site
        ),
        "brand": text_of(meta.get("product:brand") or meta.get("og:brand")),
        "image": url_of(meta.get("og:image") or meta.get("og:image:url"), site),
        "gtin": gtin_of(meta.get("product:ean") or meta.get("product:upc")),
        "sku": text_of(meta.get("product:retailer_item_id")),
    }
    for name, value in found.items():
        if value and not getattr(product, name):
            setattr(product, name, value)
            result.set_source(name, "og")
    product.canonical_url = url_of(meta.get("canonical") or meta.get("og:url"), site) or product.canonical_url
    if result.offers:
        _sale_from_meta(result, meta, site)
    else:
        offer = _meta_offer(meta, index or PageIndex(tree), site)
        result.offers = [offer] if offer is not None else []
        if offer is not None:
            for name in ("price", "currency", "availability"):
                if getattr(offer, name) not in (None, "unknown"):
                    result.set_source(name, "og")


def _sale_from_meta(result: ProductPage, meta: dict[str, str], site: Site) -> None:
    """Meta tags that tell a sale price from the regular one (product:sale_price, og:price:standard_amount)
    correct markup that gives only the regular price; and their availability fills an unknown one."""
    offer = result.offers[0]
    code = offer.currency or meta.get("product:price:currency") or meta.get("og:price:currency")
    sale, _ = parse_price(
        meta.get("product:sale_price:amount")
        or meta.get("product:price:amount")
        or meta.get("og:price:amount"),
        currency=code,
        country=site.country,
    )
    regular, _ = parse_price(
        meta.get("product:original_price:amount")
        or meta.get("og:price:standard_amount")
        or meta.get("product:price:standard_amount"),
        currency=code,
        country=site.country,
    )
    if sale and regular and offer.price == regular and Decimal(sale) < Decimal(regular) and Decimal(sale) > 0:
        offer.price, offer.list_price = sale, regular
        result.set_source("price", "og")
        result.set_source("list_price", "og")
    if offer.availability == "unknown":
        offer.availability = availability_of(meta.get("product:availability") or meta.get("og:availability"))
        if offer.availability != "unknown":
            result.set_source("availability", "og")


def _meta_offer(meta: dict[str, str], index: PageIndex, site: Site) -> Offer | None:
    price = (
        next((meta[key] for key in _PRICE_KEYS if key in meta), None)
        or _itemprop(index, "price")
        or _twitter_price(meta)
    )
    currency = (
        meta.get("product:price:currency")
        or meta.get("og:price:currency")
        or _itemprop(index, "pricecurrency")
    )
    amount, code = parse_price(price, currency=currency, country=site.country)
    if amount is not None and float(amount) == 0:
        amount = None  # a zero price is a placeholder (sold out, price on request), not a price
    availability = availability_of(meta.get("product:availability") or meta.get("og:availability"))
    if amount is None and availability == "unknown":
        return None
    return Offer(price=amount, currency=code, availability=availability)


_ALNUM = re.compile(r"[\W_]+")
_GENERIC_LABELS = frozenset({"shop", "store", "online", "boutique", "tienda", "negozio", "loja", "produkt"})


def _without_site_name(title: str | None, site_name: str | None, site: Site) -> str | None:
    """A title without the shop's name after it ("Moka Express | Bialetti Store"): the last part after a
    separator when it is the og:site_name or the shop's domain name ("Amazon.de" on amazon.de)."""
    if not title:
        return title
    found = list(TITLE_SEPARATOR.finditer(title))
    if not found or not title[: found[-1].start()].strip():
        return title
    head, tail = title[: found[-1].start()], title[found[-1].end() :]
    shop = _ALNUM.sub("", tail.lower())
    host = (urlsplit(site.base_url).hostname or "").lower()
    labels = [label for label in host.split(".") if len(label) > 3 and label not in _GENERIC_LABELS]
    if shop and (shop == _ALNUM.sub("", (site_name or "").lower()) or any(label in shop for label in labels)):
        return head.strip()
    return title


def _twitter_price(meta: dict[str, str]) -> str | None:
    """The price a Twitter card shows as one of its two labelled values (twitter:label1 "Price",
    twitter:data1 "$49.99"), as many shop themes write it."""
    for number in ("1", "2"):
        if meta.get(f"twitter:label{number}", "").lower() in _PRICE_LABELS:
            return meta.get(f"twitter:data{number}")
    return None


_PRICE_LABELS = frozenset({"price", "prix", "prezzo", "preis", "precio", "preço", "prijs", "pris", "cena"})


def _itemprop(index: PageIndex, name: str) -> str | None:
    """A loose microdata property outside any item (some shops mark up only the price)."""
    for element in index.itemprops:
        if (element.get("itemprop") or "").replace("P", "p").replace("C", "c") != name:
            continue
        if any(e.get("itemscope") is not None for e in (element, *element.iterancestors())):
            continue
        value = element.get("content") or text_content(element)
        if value and value.strip():
            return value.strip()
    return None
