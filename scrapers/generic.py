"""The fallback page scraper: the schema.org Product (JSON-LD, microdata, RDFa), else OpenGraph/meta tags.

It answers for every URL; site plugins get its result as `base` and refine it.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.prices import country_of, parse_price
from scrapers.schemaorg import (
    as_nodes,
    count_of,
    find_product,
    first_value,
    jsonld_items,
    long_text_of,
    microdata_product,
    number_of,
    rdfa_product,
    text_of,
    type_names,
)
from scrapers.types import Availability, Offer, Product, ProductPage, Rating, Review

__all__ = ["SchemaOrgScraper"]

log = logging.getLogger("zmot.plugins")

_AVAILABILITY: dict[str, Availability] = {
    "instock": "in_stock", "instoreonly": "in_stock", "onlineonly": "in_stock", "available": "in_stock",
    "limitedavailability": "in_stock", "outofstock": "out_of_stock", "oos": "out_of_stock",
    "soldout": "out_of_stock", "discontinued": "out_of_stock", "unavailable": "out_of_stock",
    "preorder": "preorder", "presale": "preorder",
    "backorder": "preorder",  # bought now, shipped later: closer to a pre-order than to either stock state
}
_NOT_THE_PRICE = ("listprice", "strikethroughprice", "msrp", "srp", "invoiceprice")
_GTIN_KEYS = ("gtin13", "gtin12", "gtin14", "gtin8", "gtin")


@dataclass
class _Site:
    """What the page says about where it is: base URL for links, country for "$" and dates, language."""

    base_url: str
    country: str | None
    language: str | None


class SchemaOrgScraper(PageScraper):
    """schema.org Product from JSON-LD, microdata or RDFa; OpenGraph and product meta tags otherwise."""

    name = "generic"
    fallback = True

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The product page as the page's own markup describes it; an empty one for garbage."""
        try:
            return _extract(page)
        except Exception as exc:  # a hostile page must cost only its own result
            log.warning("generic scraper failed on %s: %r", page.url, exc, exc_info=True)
            return ProductPage(url=page.url, plugin=self.name)


def _extract(page: Page) -> ProductPage:
    tree = page.tree
    site = _site(page, tree)
    meta = _meta(tree)
    node = (find_product(jsonld_items(tree, page.url)) or microdata_product(tree, site.base_url)
            or rdfa_product(tree, site.base_url))
    result = ProductPage(url=page.url, plugin=SchemaOrgScraper.name)
    if node is not None:
        result.product = _product(node, site)
        result.offers = _offers(node.get("offers"), site)
        result.rating = _rating(node.get("aggregateRating"))
        result.reviews = _reviews(node.get("review") or node.get("reviews"), site)
    if node is not None or _is_product_meta(meta):
        _fill_from_meta(result, meta, tree, site)
    return result


def _site(page: Page, tree: HtmlElement) -> _Site:
    base_href = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip().lower()
    region = re.fullmatch(r"[a-z]{2,3}[-_]([a-z]{2})", lang)
    return _Site(
        base_url=urljoin(page.url, base_href) if base_href else page.url,
        country=country_of(page.url) or (region.group(1) if region else None),
        language=_language(lang),
    )


def _url(value: Any, site: _Site) -> str | None:
    value = first_value(value)
    if isinstance(value, dict):  # ImageObject
        value = first_value(value.get("url") or value.get("contentUrl"))
    if not isinstance(value, str) or not value.strip():
        return None
    return urljoin(site.base_url, html.unescape(value.strip()))


def _language(value: str | None) -> str | None:
    match = re.match(r"([a-zA-Z]{2,3})(?:[-_]|$)", (value or "").strip())
    return match.group(1).lower() if match else None


# -- product ---------------------------------------------------------------------------------------------


def _product(node: dict[str, Any], site: _Site) -> Product:
    return Product(
        name=text_of(node.get("name")),
        brand=text_of(node.get("brand")),
        gtin=next(filter(None, (_gtin(node.get(k)) for k in _GTIN_KEYS)), None),
        mpn=text_of(node.get("mpn")),
        sku=text_of(node.get("sku")),
        image=_url(node.get("image"), site),
        category=_category(node.get("category")),
        canonical_url=_url(node.get("url"), site),
    )


def _gtin(value: Any) -> str | None:
    text = text_of(value)
    if not text or not re.fullmatch(r"[\d\s-]+", text):
        return None  # GS1 Digital Link URLs and the like: not a bare number, not worth guessing
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) in (8, 12, 13, 14) else None


def _category(value: Any) -> str | None:
    if isinstance(value, list):
        names = [name for name in map(text_of, value) if name]
        return " > ".join(names) or None
    return text_of(value)


# -- offers ----------------------------------------------------------------------------------------------


def _offers(value: Any, site: _Site) -> list[Offer]:
    offers: list[Offer | None] = []
    for node in as_nodes(value):
        nested = as_nodes(node.get("offers")) if "AggregateOffer" in type_names(node) else []
        if nested:  # the concrete offers say more than the aggregate's range
            currency = text_of(node.get("priceCurrency"))
            offers.extend(_offer(child, site, currency) for child in nested)
        else:
            offers.append(_offer(node, site))
    return [offer for offer in offers if offer is not None]


def _offer(node: dict[str, Any], site: _Site, currency: str | None = None) -> Offer | None:
    price, code = _offer_price(node, site, currency)
    offer = Offer(
        seller=text_of(node.get("seller") or node.get("offeredBy")),
        price=price,
        currency=code,
        availability=_availability(node.get("availability")),
        url=_url(node.get("url"), site),
    )
    offer.shipping = _shipping(node.get("shippingDetails"), site, code)
    if offer.price is None and offer.availability == "unknown" and offer.seller is None:
        return None
    return offer


def _offer_price(node: dict[str, Any], site: _Site, currency: str | None) -> tuple[str | None, str | None]:
    currency = text_of(node.get("priceCurrency")) or currency
    candidates = [(node.get("price"), currency), (node.get("lowPrice"), currency)]
    for spec in as_nodes(node.get("priceSpecification")):
        if not any(kind in (text_of(spec.get("priceType")) or "").lower() for kind in _NOT_THE_PRICE):
            candidates.append((spec.get("price"), text_of(spec.get("priceCurrency")) or currency))
    for value, hint in candidates:
        amount, code = parse_price(first_value(value), currency=hint, country=site.country)
        if amount is not None:
            return amount, code
    return None, None


def _availability(value: Any) -> Availability:
    word = (text_of(value) or "").rstrip("/").rsplit("/", 1)[-1]
    return _AVAILABILITY.get(re.sub(r"[^a-z]", "", word.lower()), "unknown")


def _shipping(value: Any, site: _Site, currency: str | None) -> str | None:
    for details in as_nodes(value):
        for rate in as_nodes(details.get("shippingRate")):
            hint = text_of(rate.get("currency")) or currency
            amount, code = parse_price(first_value(rate.get("value")), currency=hint, country=site.country)
            if amount is not None and (code is None or currency is None or code == currency):
                return amount
    return None


# -- rating and reviews ----------------------------------------------------------------------------------


def _rating(value: Any) -> Rating:
    node = next(iter(as_nodes(value)), None)
    if node is None:
        return Rating()
    score = _on_five(node.get("ratingValue"), node.get("bestRating"))
    count = count_of(node.get("ratingCount"))
    return Rating(value=score, count=count if count is not None else count_of(node.get("reviewCount")))


def _reviews(value: Any, site: _Site) -> list[Review]:
    reviews = []
    for node in as_nodes(value):
        rating_node = next(iter(as_nodes(node.get("reviewRating"))), {})
        rating = _on_five(rating_node.get("ratingValue"), rating_node.get("bestRating"))
        published = text_of(node.get("datePublished") or node.get("dateCreated"))
        review = Review(
            rating=None if rating is None else max(1.0, rating),
            title=text_of(node.get("name") or node.get("headline")),
            text=long_text_of(node.get("reviewBody") or node.get("description")),
            author=text_of(node.get("author")),
            date=parse_date(published, country=site.country),
            language=_language(text_of(node.get("inLanguage"))) or site.language,
        )
        if review.rating is not None or review.text or review.title:
            reviews.append(review)
    return reviews


def _on_five(value: Any, best: Any) -> float | None:
    """A rating out of 5: 8.6 of 10 is 4.3 (proportional; scales start at 0 or 1 and read the same)."""
    score, top = number_of(value), number_of(best) or 5.0
    if score is None or top <= 0:
        return None
    return round(min(5.0, max(0.0, score * 5.0 / top)), 2)


# -- OpenGraph and product meta tags ---------------------------------------------------------------------


def _meta(tree: HtmlElement) -> dict[str, str]:
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


def _is_product_meta(meta: dict[str, str]) -> bool:
    return (meta.get("og:type", "").lower() in ("product", "og:product", "product.item", "product.group")
            or "product:price:amount" in meta or "og:price:amount" in meta)


def _fill_from_meta(result: ProductPage, meta: dict[str, str], tree: HtmlElement, site: _Site) -> None:
    """Fill what structured data left empty from meta tags; never overwrite it."""
    product = result.product
    product.name = product.name or text_of(meta.get("og:title") or meta.get("twitter:title"))
    product.brand = product.brand or text_of(meta.get("product:brand") or meta.get("og:brand"))
    product.image = product.image or _url(meta.get("og:image") or meta.get("og:image:url"), site)
    product.canonical_url = _url(meta.get("canonical") or meta.get("og:url"), site) or product.canonical_url
    product.gtin = product.gtin or _gtin(meta.get("product:ean") or meta.get("product:upc"))
    product.sku = product.sku or text_of(meta.get("product:retailer_item_id"))
    if not result.offers:
        offer = _meta_offer(meta, tree, site)
        result.offers = [offer] if offer is not None else []


def _meta_offer(meta: dict[str, str], tree: HtmlElement, site: _Site) -> Offer | None:
    price = meta.get("product:price:amount") or meta.get("og:price:amount") or _itemprop(tree, "price")
    currency = (meta.get("product:price:currency") or meta.get("og:price:currency")
                or _itemprop(tree, "pricecurrency"))
    amount, code = parse_price(price, currency=currency, country=site.country)
    availability = _availability(meta.get("product:availability") or meta.get("og:availability"))
    if amount is None and availability == "unknown":
        return None
    return Offer(price=amount, currency=code, availability=availability)


def _itemprop(tree: HtmlElement, name: str) -> str | None:
    """A loose microdata property outside any item (some shops mark up only the price)."""
    xpath = "//*[translate(@itemprop, 'PC', 'pc') = $name][not(ancestor-or-self::*[@itemscope])]"
    for element in tree.xpath(xpath, name=name):
        value = element.get("content") or element.text_content()
        if value and value.strip():
            return value.strip()
    return None
