"""The offer an Amazon product page makes: buy box first, then what the page shows when there is none.

Where the buy box has no price of its own, Amazon still shows one a shopper can pay: the used-only buy box
("Buy used £4.45"), the other-sellers box ("New & Used (14) from £4.45") or the selected format of a book
or an e-book in the formats table ("Kindle $10.99"). A page that shows none of them ("See all buying
options" alone, as on amazon.es for an item without a buy box) has no price, and none is made up.
"""

from __future__ import annotations

from scrapers.markup import availability_in, has_class
from scrapers.prices import parse_price
from scrapers.sites._index import PageIndex
from scrapers.types import Availability, Offer

__all__ = ["offer_in"]

_OFFSCREEN = '//*[@class="a-offscreen"]'
# (ids to look under, what to read there), most trusted first: the buy box, then the fallbacks above.
_BUY_BOX: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("corePriceDisplay_desktop_feature_div", "corePrice_feature_div", "apex_desktop"),
        './/*[contains(@class,"priceToPay") or contains(@class,"apexPriceToPay")]' + _OFFSCREEN,
    ),
    (
        ("corePrice_feature_div",),
        './/*[contains(@class,"a-price") and not(contains(@class,"a-text-price"))]' + _OFFSCREEN,
    ),
    (
        (
            "priceblock_dealprice",
            "priceblock_ourprice",
            "priceblock_saleprice",
            "price_inside_buybox",
            "newBuyBoxPrice",
            "kindle-price",
        ),
        ".",
    ),
)
_WITHOUT_BUY_BOX: tuple[tuple[tuple[str, ...], str], ...] = (
    (("usedBuySection",), './/*[contains(@class,"offer-price")]'),
    (("olpLinkWidget_feature_div", "olp_feature_div"), f".//*[{has_class('a-price')}]" + _OFFSCREEN),
    (
        ("tmmSwatches", "formats"),
        f'.//*[{has_class("swatchElement")} and {has_class("selected")}]//*[contains(@class,"slot-price")]',
    ),
)
_BUY_BUTTONS = ("add-to-cart-button", "buy-now-button", "add-to-cart-button-ubb", "one-click-button")
_SELLER = (
    (("sellerProfileTriggerId",), "."),
    (("merchantInfoFeature_feature_div",), './/*[contains(@class,"offer-display-feature-text-message")]'),
)


def offer_in(index: PageIndex, currency: str, url: str | None) -> Offer | None:
    """The page's offer, or None when it shows no price, no availability and no seller."""
    price, found_currency = _price(index, _BUY_BOX, currency)
    if price is None:
        price, found_currency = _price(index, _WITHOUT_BUY_BOX, currency)
    availability = _availability(index, has_price=price is not None)
    seller = next((found for ids, under in _SELLER if (found := index.text(*ids, under=under))), None)
    if price is None and availability == "unknown" and seller is None:
        return None
    return Offer(
        seller=seller,
        price=price,
        currency=found_currency if price else None,
        availability=availability,
        url=url,
    )


def _price(
    index: PageIndex, places: tuple[tuple[tuple[str, ...], str], ...], currency: str
) -> tuple[str | None, str | None]:
    for ids, under in places:
        for words in index.texts(*ids, under=under):
            price, found = parse_price(words, currency=currency)
            if price is not None:
                return price, found
    return None, None


def _availability(index: PageIndex, *, has_price: bool) -> Availability:
    if index.ids("outOfStock"):
        return "out_of_stock"
    found = availability_in(index.text("availability"))
    if found == "unknown" and has_price:
        # The selected format says "Available instantly" for e-books; a buy button is enough elsewhere.
        swatch = index.text(
            "tmmSwatches", under=f'.//*[{has_class("selected")}]//*[contains(@class,"slot-extraMessage")]'
        )
        found = availability_in(swatch)
        if found == "unknown" and index.ids(*_BUY_BUTTONS):
            return "in_stock"
    return found
