"""The fallback page scraper: the schema.org Product (JSON-LD, microdata, RDFa), else OpenGraph/meta tags.

It answers for every URL; site plugins get its result as `base` and refine it.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.page_meta import fill_from_meta, is_product_meta, meta_of
from scrapers.page_reconcile import reconcile
from scrapers.page_site import (
    Site,
    availability_of,
    checked_gtin,
    gtin_of,
    language_of,
    shop_code_of,
    site_of,
    url_of,
)
from scrapers.prices import parse_price
from scrapers.schemaorg import (
    as_nodes,
    count_of,
    find_product,
    first_value,
    is_listing,
    jsonld_items,
    long_text_of,
    microdata_product,
    number_of,
    rdfa_product,
    text_of,
    type_names,
)
from scrapers.types import Offer, Product, ProductPage, Rating, Review
from scrapers.visible import read_visible

__all__ = ["SchemaOrgScraper"]

log = logging.getLogger("zmot.plugins")

_NOT_THE_PRICE = ("listprice", "strikethroughprice", "msrp", "srp", "invoiceprice")
_GTIN_KEYS = ("gtin13", "gtin12", "gtin14", "gtin8", "gtin")
_ISBN = re.compile(r"97[89]\d{10}")
_GTIN_PREFIX = re.compile(r"(?:isbn|ean|upc|gtin(?:8|12|13|14)?)\s*:\s*([\d\s-]+)", re.I)
_AUCTION_TYPES = {"AuctionOffer", "Auction"}


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
    site = site_of(page, tree)
    meta = meta_of(tree)
    node, syntax = _markup_product(page, site)
    result = ProductPage(url=page.url, plugin=SchemaOrgScraper.name)
    if node is not None:
        result.product = _product(node, site)
        result.offers = _offers(node.get("offers"), site)
        result.rating = _rating(node.get("aggregateRating"))
        result.reviews = _reviews(node.get("review") or node.get("reviews"), site)
        _mark_sources(result, syntax)
    listing = node is None and syntax == "listing"
    if node is not None or is_product_meta(meta):
        fill_from_meta(result, meta, tree, site, page.index)
    if not listing:
        currency = (
            next((o.currency for o in result.offers if o.currency), None)
            or meta.get("product:price:currency")
            or meta.get("og:price:currency")
        )
        visible = read_visible(
            tree,
            index=page.index,
            country=site.country,
            meta_title=meta.get("og:title") or _page_title(page.tree),
            currency=currency,
            url=page.url,
        )
        reconcile(
            result,
            visible,
            markup=node is not None or is_product_meta(meta),
            price_is_lowest=node is not None and _lowest_of_many(node.get("offers")),
        )
    return result


def _page_title(tree: Any) -> str | None:
    """The text of the page's <title>, for pages without an og:title."""
    title = tree.find("head/title")
    return " ".join(title.text.split()) if title is not None and title.text else None


def _markup_product(page: Page, site: Site) -> tuple[dict[str, Any] | None, str]:
    """The schema.org Product and the syntax that carried it ("jsonld", "microdata", "rdfa"), or
    (None, "listing") for a page of many products (search results), or (None, "") for none."""
    items = jsonld_items(page.tree, page.url)
    if is_listing(items):
        return None, "listing"
    for syntax, node in (
        ("jsonld", lambda: find_product(items)),
        ("microdata", lambda: microdata_product(page.tree, site.base_url, page.index.itemscopes)),
        ("rdfa", lambda: rdfa_product(page.tree, site.base_url, page.index.typeofs)),
    ):
        found = node()
        if found is not None:
            return found, syntax
    return None, ""


def _mark_sources(result: ProductPage, syntax: str) -> None:
    """Every field the markup filled came from that markup."""
    product = result.product
    for name in ("name", "brand", "gtin", "mpn", "sku", "image", "category"):
        if getattr(product, name):
            result.set_source(name, syntax)
    offer = result.offers[0] if result.offers else None
    for name in ("price", "currency", "list_price"):
        if offer is not None and getattr(offer, name):
            result.set_source(name, syntax)
    if offer is not None and offer.availability != "unknown":
        result.set_source("availability", syntax)
    if result.rating.value is not None:
        result.set_source("rating", syntax)
    if result.rating.count is not None:
        result.set_source("rating_count", syntax)
    if result.reviews:
        result.set_source("reviews", syntax)


# -- product ---------------------------------------------------------------------------------------------


def _product(node: dict[str, Any], site: Site) -> Product:
    product = Product(
        name=text_of(node.get("name")),
        brand=text_of(node.get("brand")),
        gtin=next(filter(None, (gtin_of(node.get(k)) for k in _GTIN_KEYS)), None),
        mpn=text_of(node.get("mpn")),
        sku=text_of(node.get("sku")) or _offer_sku(node.get("offers")) or shop_code_of(node, _GTIN_KEYS),
        image=url_of(node.get("image"), site),
        category=_category(node.get("category")),
        canonical_url=url_of(node.get("url"), site),
    )
    product_id = node.get("productID")
    isbn = gtin_of(node.get("isbn")) or checked_gtin(product_id) or _prefixed_gtin(product_id)
    if product.sku and _ISBN.fullmatch(product.sku.replace("-", "")):
        isbn = isbn or product.sku.replace("-", "")
        product.sku = None  # a book's ISBN is its GTIN, not the shop's own code
    product.gtin = product.gtin or isbn
    return product


def _prefixed_gtin(value: Any) -> str | None:
    """A productID written as schema.org's examples write one: "isbn:9782365775717", "ean:…", "gtin13:…"."""
    found = _GTIN_PREFIX.fullmatch(text_of(value) or "") if isinstance(value, str) else None
    return gtin_of(found.group(1)) if found else None


def _offer_sku(value: Any) -> str | None:
    """The sku an Offer carries (schema.org puts it there too) when the Product has none; only when every
    offer that has one agrees, since offers of different variants carry the variants' codes."""
    codes = {code for code in (text_of(o.get("sku")) for o in as_nodes(value)) if code}
    return codes.pop() if len(codes) == 1 else None


def _category(value: Any) -> str | None:
    if isinstance(value, list):
        names = [name for name in map(text_of, value) if name]
        return " > ".join(names) or None
    return text_of(value)


# -- offers ----------------------------------------------------------------------------------------------


def _offers(value: Any, site: Site) -> list[Offer]:
    offers: list[Offer | None] = []
    for node in as_nodes(value):
        nested = as_nodes(node.get("offers")) if "AggregateOffer" in type_names(node) else []
        if nested:  # the concrete offers say more than the aggregate's range
            currency = text_of(node.get("priceCurrency"))
            offers.extend(_offer(child, site, currency) for child in nested)
        else:
            offers.append(_offer(node, site))
    return [offer for offer in offers if offer is not None]


def _lowest_of_many(value: Any) -> bool:
    """True when the markup's only price is an AggregateOffer's lowest ("57 offers from 4,09 €"): the
    cheapest of many sellers, not the price of what the buy button buys."""
    nodes = as_nodes(value)
    return bool(nodes) and all(
        "AggregateOffer" in type_names(n) and n.get("price") is None and not as_nodes(n.get("offers"))
        for n in nodes
    )


def _offer(node: dict[str, Any], site: Site, currency: str | None = None) -> Offer | None:
    price, code = _offer_price(node, site, currency)
    offer = Offer(
        seller=text_of(node.get("seller") or node.get("offeredBy")),
        price=price,
        currency=code,
        availability=availability_of(node.get("availability")),
        url=url_of(node.get("url"), site),
        list_price=_list_price(node, site, code),
        auction=bool(type_names(node) & _AUCTION_TYPES),
    )
    offer.shipping = _shipping(node.get("shippingDetails"), site, code)
    if offer.price is None and offer.availability == "unknown" and offer.seller is None:
        return None
    return offer


def _offer_price(node: dict[str, Any], site: Site, currency: str | None) -> tuple[str | None, str | None]:
    currency = text_of(node.get("priceCurrency")) or currency
    candidates = [(node.get("price"), currency), (node.get("lowPrice"), currency)]
    for spec in as_nodes(node.get("priceSpecification")):
        if not any(kind in (text_of(spec.get("priceType")) or "").lower() for kind in _NOT_THE_PRICE):
            candidates.append((spec.get("price"), text_of(spec.get("priceCurrency")) or currency))
    for value, hint in candidates:
        amount, code = parse_price(first_value(value), currency=hint, country=site.country)
        if amount is not None and Decimal(amount) > 0:  # 0 is a sold-out or "on request" placeholder
            return amount, code
    return None, None


def _list_price(node: dict[str, Any], site: Site, currency: str | None) -> str | None:
    """The former or list price a priceSpecification marks (priceType ListPrice / StrikethroughPrice)."""
    for spec in as_nodes(node.get("priceSpecification")):
        kind = (text_of(spec.get("priceType")) or "").lower()
        if "listprice" in kind or "strikethroughprice" in kind or "msrp" in kind:
            hint = text_of(spec.get("priceCurrency")) or currency
            amount, _ = parse_price(first_value(spec.get("price")), currency=hint, country=site.country)
            if amount is not None and Decimal(amount) > 0:
                return amount
    return None


def _shipping(value: Any, site: Site, currency: str | None) -> str | None:
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


def _reviews(value: Any, site: Site) -> list[Review]:
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
            language=language_of(text_of(node.get("inLanguage"))) or site.language,
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
