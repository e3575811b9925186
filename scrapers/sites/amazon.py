"""Amazon product pages on every storefront: product, buy-box offer, rating with histogram, reviews.

Amazon pages carry no schema.org markup, so everything is read from the page's own ids and data-hooks.
The storefront (amazon.ae, amazon.it, …) decides the currency and the language of the page's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper, PluginContext
from scrapers.markup import attr, availability_in, starting_from, text, texts
from scrapers.prices import parse_price
from scrapers.schemaorg import count_of
from scrapers.sites.amazon_reviews import has_next_page, review_key, reviews_in, stars
from scrapers.types import Availability, Offer, Product, ProductPage, Rating, Review

__all__ = ["STOREFRONTS", "AmazonScraper", "Storefront"]


@dataclass(frozen=True)
class Storefront:
    currency: str
    language: str


STOREFRONTS: dict[str, Storefront] = {
    "amazon.com": Storefront("USD", "en"), "amazon.ca": Storefront("CAD", "en"),
    "amazon.com.mx": Storefront("MXN", "es"), "amazon.com.br": Storefront("BRL", "pt"),
    "amazon.co.uk": Storefront("GBP", "en"), "amazon.ie": Storefront("EUR", "en"),
    "amazon.de": Storefront("EUR", "de"), "amazon.fr": Storefront("EUR", "fr"),
    "amazon.it": Storefront("EUR", "it"), "amazon.es": Storefront("EUR", "es"),
    "amazon.nl": Storefront("EUR", "nl"), "amazon.com.be": Storefront("EUR", "fr"),
    "amazon.se": Storefront("SEK", "sv"), "amazon.pl": Storefront("PLN", "pl"),
    "amazon.com.tr": Storefront("TRY", "tr"), "amazon.ae": Storefront("AED", "en"),
    "amazon.sa": Storefront("SAR", "ar"), "amazon.eg": Storefront("EGP", "ar"),
    "amazon.in": Storefront("INR", "en"), "amazon.co.jp": Storefront("JPY", "ja"),
    "amazon.com.au": Storefront("AUD", "en"), "amazon.sg": Storefront("SGD", "en"),
}
_ASIN = re.compile(r"/(?:dp|gp/product|product-reviews|gp/aw/d)/([A-Z0-9]{10})(?:[/?#]|$)")
_PRICE_XPATHS = (
    '//*[@id="corePriceDisplay_desktop_feature_div" or @id="corePrice_feature_div" or @id="apex_desktop"]'
    '//*[contains(@class,"priceToPay") or contains(@class,"apexPriceToPay")]//*[@class="a-offscreen"]',
    '//*[@id="corePrice_feature_div"]//*[contains(@class,"a-price") and not(contains(@class,"a-text-price"))]'
    '//*[@class="a-offscreen"]',
    '//*[@id="priceblock_dealprice" or @id="priceblock_ourprice" or @id="priceblock_saleprice"'
    ' or @id="price_inside_buybox" or @id="newBuyBoxPrice" or @id="kindle-price"]',
)
_BRAND_LINE = re.compile(
    r"^(?:brand|marke|marca|marque|merk|märke|marka)\s*:\s*(?P<a>.+)$"  # "Brand: Versuni"
    r"|^(?:visit the|besuche den|visita lo store di|visiter la boutique|visita la tienda de|bezoek de)\s+"
    r"(?P<b>.+?)(?:[- ](?:store|shop|winkel))?$"  # "Visit the JETech Store", "Besuche den Bosch-Store"
    r"|^(?P<c>.+?)\s*のストアを表示$",
    re.I,
)
_STAR_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}


class AmazonScraper(PageScraper):
    """Amazon product pages (all storefronts) and their `/product-reviews/ASIN` pages."""

    name = "amazon"
    domains = tuple(STOREFRONTS)
    matches_label = f"every Amazon storefront ({len(STOREFRONTS)}: amazon.com, .co.uk, .de, .it, .fr, .ae, …)"

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """Product, buy-box offer, rating, histogram and the reviews shown on the page."""
        result = starting_from(base, page.url, self.name)
        tree, store = page.tree, _storefront(page.url)
        name = text(tree, '//*[@id="productTitle"]')
        if name is None:  # a category, search or deal page: not a product, whatever the generic saw
            return ProductPage(url=page.url, plugin=self.name)
        result.product = _product(tree, page.url, name, result.product)
        offer = _offer(tree, store, result.product.canonical_url)
        if offer is not None:
            result.offers = [offer]
        result.rating = _rating(tree) or result.rating
        result.reviews = reviews_in(tree, language=_language(tree) or store.language) or result.reviews
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
            url = (f"{parts.scheme}://{parts.netloc}/product-reviews/{asin}/ref=cm_cr_arp_d_paging_btm_next_"
                   f"{number}?ie=UTF8&reviewerType=all_reviews&sortBy=recent&pageNumber={number}")
            response = await ctx.fetch(url)
            if response.status != 200:
                ctx.logger.info("amazon reviews page %s answered HTTP %d", url, response.status)
                break
            tree = Page(url=response.url, html=response.text).tree
            fresh = [r for r in reviews_in(tree, language=_language(tree) or store.language)
                     if review_key(r) not in seen]
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


def _product(tree: HtmlElement, url: str, name: str, generic: Product) -> Product:
    canonical = attr(tree, '//link[@rel="canonical"]', "href")
    asin = attr(tree, '//input[@id="ASIN" or @name="ASIN"]', "value")
    if asin is None:
        found = _ASIN.search(canonical or url)
        asin = found.group(1) if found else None
    crumbs = texts(tree, '//*[@id="wayfinding-breadcrumbs_feature_div"]//ul//li'
                         '[not(contains(@class,"divider"))]//a[not(@id="breadcrumb-back-link")]')
    return Product(
        name=name,
        brand=_brand(tree) or generic.brand,
        gtin=generic.gtin,
        mpn=generic.mpn,
        sku=generic.sku,
        asin=asin,
        image=(attr(tree, '//img[@id="landingImage" or @id="imgBlkFront"]', "data-old-hires")
               or attr(tree, '//img[@id="landingImage" or @id="imgBlkFront"]', "src") or generic.image),
        category=" > ".join(crumbs) or generic.category,
        canonical_url=canonical or generic.canonical_url,
    )


def _brand(tree: HtmlElement) -> str | None:
    brand = text(tree, '//tr[contains(@class,"po-brand")]/td[2]')
    if brand:
        return brand
    byline = text(tree, '//*[@id="bylineInfo"]')
    found = _BRAND_LINE.match(byline or "")
    if not found:
        return None
    return (found["a"] or found["b"] or found["c"] or "").strip() or None


def _offer(tree: HtmlElement, store: Storefront, url: str | None) -> Offer | None:
    price = currency = None
    for xpath in _PRICE_XPATHS:
        for words in texts(tree, xpath):
            price, currency = parse_price(words, currency=store.currency)
            if price is not None:
                break
        if price is not None:
            break
    availability = _availability(tree, has_price=price is not None)
    seller = (text(tree, '//*[@id="sellerProfileTriggerId"]')
              or text(tree, '//*[@id="merchantInfoFeature_feature_div"]'
                            '//*[contains(@class,"offer-display-feature-text-message")]'))
    if price is None and availability == "unknown" and seller is None:
        return None
    return Offer(seller=seller, price=price, currency=currency if price else None,
                 availability=availability, url=url)


def _availability(tree: HtmlElement, *, has_price: bool) -> Availability:
    if tree.xpath('//*[@id="outOfStock"]'):
        return "out_of_stock"
    found = availability_in(text(tree, '//*[@id="availability"]'))
    if found == "unknown" and has_price and tree.xpath('//*[@id="add-to-cart-button"]'):
        return "in_stock"
    return found


def _rating(tree: HtmlElement) -> Rating | None:
    value = stars(attr(tree, '//*[@id="acrPopover"]', "title")
                  or text(tree, '//*[@data-hook="rating-out-of-text"]'))
    count = count_of(text(tree, '//*[@id="acrCustomerReviewText"]')
                     or text(tree, '//*[@data-hook="total-review-count"]'))
    if value is None and count is None:
        return None
    return Rating(value=value, count=count, distribution=_histogram(tree, count))


def _histogram(tree: HtmlElement, count: int | None) -> dict[str, int] | None:
    """Ratings per star. Amazon shows rounded percentages, so counts are those shares of the total."""
    shares: dict[str, int] = {}
    rows = tree.xpath('//*[@id="histogramTable"]//li | //*[@id="histogramTable"]//tr')
    for position, row in enumerate(rows):
        link = attr(row, './/a[@href]', "href") or ""
        word = re.search(r"filterByStar=(\w+?)_star", link)
        star = _STAR_WORDS.get(word.group(1)) if word else str(5 - position)
        share = attr(row, './/*[@aria-valuenow]', "aria-valuenow") or text(row, './/text()[contains(., "%")]')
        if star and share and star not in shares:
            shares[star] = count_of(share) or 0
    if len(shares) != 5 or count is None:
        return None
    return {star: round(count * shares[star] / 100) for star in "12345"}
