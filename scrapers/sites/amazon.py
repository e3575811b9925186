"""Amazon product pages and `/product-reviews/ASIN` pages on every storefront.

Amazon pages carry no schema.org markup, so everything is read from the page's own ids and data-hooks,
found through one index of the page (scrapers/sites/_index.py) rather than a document scan per field.
The storefront (amazon.ae, amazon.it, …) decides the currency and the language of the page's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper, PluginContext
from scrapers.markup import attr, has_class, starting_from, text, text_content
from scrapers.schemaorg import count_of
from scrapers.sites._index import PageIndex
from scrapers.sites.amazon_insights import customers_say
from scrapers.sites.amazon_offer import offer_in
from scrapers.sites.amazon_reviews import has_next_page, review_key, reviews_in, stars
from scrapers.types import Product, ProductPage, Rating, Review

__all__ = ["STOREFRONTS", "AmazonScraper", "Storefront"]


@dataclass(frozen=True)
class Storefront:
    currency: str
    language: str


STOREFRONTS: dict[str, Storefront] = {
    "amazon.com": Storefront("USD", "en"),
    "amazon.ca": Storefront("CAD", "en"),
    "amazon.com.mx": Storefront("MXN", "es"),
    "amazon.com.br": Storefront("BRL", "pt"),
    "amazon.co.uk": Storefront("GBP", "en"),
    "amazon.ie": Storefront("EUR", "en"),
    "amazon.de": Storefront("EUR", "de"),
    "amazon.fr": Storefront("EUR", "fr"),
    "amazon.it": Storefront("EUR", "it"),
    "amazon.es": Storefront("EUR", "es"),
    "amazon.nl": Storefront("EUR", "nl"),
    "amazon.com.be": Storefront("EUR", "fr"),
    "amazon.se": Storefront("SEK", "sv"),
    "amazon.pl": Storefront("PLN", "pl"),
    "amazon.com.tr": Storefront("TRY", "tr"),
    "amazon.ae": Storefront("AED", "en"),
    "amazon.sa": Storefront("SAR", "ar"),
    "amazon.eg": Storefront("EGP", "ar"),
    "amazon.in": Storefront("INR", "en"),
    "amazon.co.jp": Storefront("JPY", "ja"),
    "amazon.com.au": Storefront("AUD", "en"),
    "amazon.sg": Storefront("SGD", "en"),
}
_ASIN = re.compile(r"/(?:dp|gp/product|product-reviews|gp/aw/d)/([A-Z0-9]{10})(?:[/?#]|$)")
_BRAND_LINE = re.compile(
    r"^(?:brand|marke|marca|marque|merk|märke|marka)\s*:\s*(?P<a>.+)$"  # "Brand: Versuni"
    r"|^(?:visit the|besuche den|visita lo store di|visiter la boutique|visita la tienda de|bezoek de)\s+"
    r"(?P<b>.+?)(?:[- ](?:store|shop|winkel))?$"  # "Visit the JETech Store", "Besuche den Bosch-Store"
    r"|^(?P<c>.+?)\s*のストアを表示$",
    re.I,
)
_STAR_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}
_ROWS = etree.XPath(".//li | .//tr")  # the histogram's rows, compiled once rather than per page


class AmazonScraper(PageScraper):
    """Amazon product pages (all storefronts) and their `/product-reviews/ASIN` pages."""

    name = "amazon"
    domains = tuple(STOREFRONTS)
    matches_label = f"every Amazon storefront ({len(STOREFRONTS)}: amazon.com, .co.uk, .de, .it, .fr, .ae, …)"

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """Product, offer, rating, histogram and the reviews shown on a product or reviews page."""
        index, store = page.index, _storefront(page.url)
        name = index.text("productTitle")
        if name is not None:
            product = _product(index, page.url, name)
            offer = offer_in(index, store.currency, product.canonical_url)
            offers = [offer] if offer is not None else None
        elif index.hooks("product-link"):  # "See all reviews": the product is named in the page's header
            product, offers = _reviewed_product(index, page.url), []  # a reviews page sells nothing
        else:  # a category, search or deal page: not a product, whatever the generic saw
            return ProductPage(url=page.url, plugin=self.name)
        own = ProductPage(
            url=page.url,
            plugin=self.name,
            product=product,
            offers=offers or [],
            rating=_rating(index) or Rating(),
            reviews=reviews_in(index, language=_language(page.tree) or store.language),
        )
        result = starting_from(base, page.url, self.name)
        _merge(result, own, replace_offers=offers is not None)
        said = customers_say(index)
        result.customer_summary = said.as_json() if said is not None else None
        return result

    async def more_reviews(self, ctx: PluginContext, result: ProductPage, *, limit: int) -> list[Review]:
        """Page through `/product-reviews/ASIN?pageNumber=N` (newest first) until `limit` new reviews."""
        asin = result.product.asin
        if not asin or limit <= 0:
            return []
        parts = urlsplit(result.url)
        store = _storefront(result.url)
        seen = {review_key(r) for r in result.reviews}
        found: list[Review] = []
        for number in range(1, 51):
            # The form of Amazon's own "Next page" links: newest first, all reviewers.
            url = (
                f"{parts.scheme}://{parts.netloc}/product-reviews/{asin}/ref=cm_cr_arp_d_paging_btm_next_"
                f"{number}?ie=UTF8&reviewerType=all_reviews&sortBy=recent&pageNumber={number}"
            )
            response = await ctx.fetch(url)
            if response.status != 200:
                ctx.logger.info("amazon reviews page %s answered HTTP %d", url, response.status)
                break
            fetched = Page(url=response.url, html=response.text)
            tree = fetched.tree
            fresh = [
                r
                for r in reviews_in(fetched.index, language=_language(tree) or store.language)
                if review_key(r) not in seen
            ]
            for review in fresh:
                seen.add(review_key(review))
            found.extend(fresh)
            if len(found) >= limit or not fresh or not has_next_page(tree):
                break
        return found[:limit]


def _storefront(url: str) -> Storefront:
    host = (urlsplit(url).hostname or "").lower()
    for domain, store in STOREFRONTS.items():
        if host == domain or host.endswith("." + domain):
            return store
    return Storefront("USD", "en")


def _language(tree: HtmlElement) -> str | None:
    match = re.match(r"[a-z]{2}", (tree.get("lang") or "").lower())
    return match.group(0) if match else None


def _asin_in(*urls: str | None) -> str | None:
    for url in urls:
        found = _ASIN.search(url or "")
        if found:
            return found.group(1)
    return None


def _product(index: PageIndex, url: str, name: str) -> Product:
    # Amazon writes its canonical link inside the body. The index's elements stop at it: lxml's iter() by
    # tag would look ahead for the next <link>, often to the end of the page.
    canonical = next(
        (e.get("href") for e in index.elements if e.tag == "link" and e.get("rel") == "canonical"), None
    )
    asin = index.attr("ASIN", name="value") or _asin_in(canonical, url)
    crumbs = index.texts(
        "wayfinding-breadcrumbs_feature_div",
        under='.//ul//li[not(contains(@class,"divider"))]//a[not(@id="breadcrumb-back-link")]',
    )
    image = index.attr("landingImage", "imgBlkFront", name="data-old-hires") or index.attr(
        "landingImage", "imgBlkFront", name="src"
    )
    return Product(
        name=name,
        brand=_brand(index),
        gtin=_isbn13(index),
        sku=asin,  # the ASIN is the code Amazon shows for the item ("ASIN: B0…")
        asin=asin,
        image=image,
        category=" > ".join(crumbs) or None,
        canonical_url=canonical,
    )


def _reviewed_product(index: PageIndex, url: str) -> Product:
    """The product a `/product-reviews/ASIN` page is about, from the header above its reviews."""
    link = index.hooks("product-link")[0]
    asin = _asin_in(url, link.get("href"))
    parts = urlsplit(url)
    byline = text(
        link,
        f"ancestor::*[{has_class('product-title')}]/following-sibling::*[{has_class('product-by-line')}]//a",
    )
    return Product(
        name=" ".join(text_content(link).split()) or None,
        brand=byline,
        sku=asin,
        asin=asin,
        image=next((e.get("src") for e in index.hooks("cr-product-image") if e.get("src")), None),
        canonical_url=f"{parts.scheme}://{parts.netloc}/dp/{asin}" if asin else None,
    )


def _isbn13(index: PageIndex) -> str | None:
    """A book's ISBN-13 (its GTIN) from the "ISBN-13 : 978-…" line or tile of its details."""
    tile = index.text(
        "rpi-attribute-book_details-isbn13", under='.//*[contains(@class,"rpi-attribute-value")]'
    )
    line = next(
        (
            words
            for words in index.texts("detailBullets_feature_div", under=".//li")
            if words.startswith("ISBN-13")
        ),
        None,
    )
    digits = re.sub(r"\D", "", (tile or line or "").removeprefix("ISBN-13"))
    return digits if len(digits) == 13 and digits.startswith(("978", "979")) else None


def _brand(index: PageIndex) -> str | None:
    brand = index.text("productOverview_feature_div", under='.//tr[contains(@class,"po-brand")]/td[2]')
    if brand:
        return brand
    for byline in index.ids("bylineInfo"):
        words = " ".join(text_content(byline).split())
        found = _BRAND_LINE.match(words)
        if found:
            return (found["a"] or found["b"] or found["c"] or "").strip() or None
        # Older pages: "by <a id=bylineInfo href=…lbr_brands_browse-bin=ChangM>ChangM</a>"; an author's
        # byline on a book links elsewhere and is no brand.
        if byline.tag == "a" and "brands_browse-bin=" in (byline.get("href") or "") and words:
            return words
    return None


def _rating(index: PageIndex) -> Rating | None:
    value = stars(index.attr("acrPopover", name="title") or index.hook_text("rating-out-of-text"))
    count = count_of(index.text("acrCustomerReviewText") or index.hook_text("total-review-count"))
    if value is None and count is None:
        return None
    return Rating(value=value, count=count, distribution=_histogram(index, count))


def _histogram(index: PageIndex, count: int | None) -> dict[str, int] | None:
    """Ratings per star. Amazon shows rounded percentages, so counts are those shares of the total."""
    shares: dict[str, int] = {}
    rows = [row for table in index.ids("histogramTable") for row in _ROWS(table)]
    for position, row in enumerate(rows):
        link = attr(row, ".//a[@href]", "href") or ""
        word = re.search(r"filterByStar=(\w+?)_star", link)
        star = _STAR_WORDS.get(word.group(1)) if word else str(5 - position)
        share = attr(row, ".//*[@aria-valuenow]", "aria-valuenow") or text(row, './/text()[contains(., "%")]')
        if star and share and star not in shares:
            shares[star] = count_of(share) or 0
    if len(shares) != 5 or count is None:
        return None
    return {star: round(count * shares[star] / 100) for star in "12345"}


def _merge(result: ProductPage, own: ProductPage, *, replace_offers: bool) -> None:
    """What the plugin read wins over the generic result; each value it read says "amazon"."""
    for key in (f.name for f in fields(Product)):
        value = getattr(own.product, key)
        if value:
            setattr(result.product, key, value)
    if replace_offers:
        result.offers = own.offers
    if own.rating.value is not None or own.rating.count is not None:
        result.rating = own.rating
    result.reviews = own.reviews or result.reviews
    offer = own.offers[0] if own.offers else None
    found = {
        **{key: getattr(own.product, key) for key in ("name", "brand", "gtin", "sku", "image", "category")},
        "price": offer and offer.price,
        "currency": offer and offer.currency,
        "availability": offer and offer.availability != "unknown",
        "rating": own.rating.value,
        "rating_count": own.rating.count,
        "reviews": own.reviews,
    }
    for key, value in found.items():
        if value:
            result.set_source(key, "amazon")
