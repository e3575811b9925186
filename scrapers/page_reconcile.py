"""Markup and the visible page reconciled: the visible page fills what markup lacks, and where the two
disagree on the price or the stock, what the shopper sees wins. Each decision is written down in
`ProductPage.field_sources` (where the value came from) and `ProductPage.explanation` (why)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from scrapers.types import Offer, ProductPage
from scrapers.visible import MIN_SCORE, Candidate, VisiblePage

__all__ = ["reconcile"]

# A visible value this sure overrides markup that disagrees with it; below it, markup stands.
SURE = 5.0
_WORD = re.compile(r"\w+")
# A page with more enabled buy buttons than this is a list of products, whatever its title says.
_MAX_BUY_BUTTONS = 3
# A stock line this sure (said in so many words, a few steps from the title) stands for the buy button a
# sold-out page no longer shows.
_STOCK_BY_TITLE = 4.0
# Titles of search and category pages ("1 résultat pour …", "Search results for …", "12 Ergebnisse").
_SEARCH_TITLE = re.compile(
    r"\b(results?|résultats?|risultat[oi]|resultados?|ergebnis(se)?|suchergebnis"
    r"|resultaten|wyniki|search for|recherche|ricerca|búsqueda|pesquisa)\b",
    re.I,
)


def reconcile(
    result: ProductPage, visible: VisiblePage, *, markup: bool, price_is_lowest: bool = False
) -> None:
    """Merge what `visible` shows into `result` (the markup's product page), recording sources and why.
    `price_is_lowest`: the markup's price is only the lowest of many sellers' offers (an AggregateOffer)."""
    product_like = markup or _looks_like_a_product(visible)
    why: dict[str, str] = {}
    if product_like:
        why["price"] = _price(result, visible, price_is_lowest)
        why["availability"] = _availability(result, visible)
        for name in ("list_price", "lowest_30d"):
            why[name] = _offer_extra(result, visible, name)
        for name, minimum in (("name", MIN_SCORE), ("brand", 3.0), ("sku", 4.0), ("mpn", 4.0), ("gtin", 4.0)):
            why[name] = _product_field(result, visible, name, minimum)
    _explain(result, visible, why)


def _looks_like_a_product(visible: VisiblePage) -> bool:
    """No markup at all: a title that is not a search's, a price near it shown with confidence, and a buy
    button (an article quoting a price has none; a listing has many), or, on a page with no buy button at
    all, a stock line beside the title ("Sold out", "Esaurito", "Notify me when available")."""
    name = visible.best("name")
    return (
        name is not None
        and not _SEARCH_TITLE.search(name.value)
        and visible.best("price", SURE) is not None
        and (
            1 <= visible.buy_buttons <= _MAX_BUY_BUTTONS
            or visible.buy_buttons == 0
            and visible.best("availability", _STOCK_BY_TITLE) is not None
        )
    )


def _price(result: ProductPage, visible: VisiblePage, lowest: bool) -> str:
    priced = [offer for offer in result.offers if offer.price is not None]
    candidates = visible.candidates.get("price", [])
    for candidate in candidates:
        if not lowest and any(_same(candidate.value, offer.price) for offer in priced):
            candidate.add(1, "the markup has this price")
    visible.rank("price", candidates)
    best = visible.best("price")
    # The lowest of many sellers' prices gives way to the page's own price, unless the two are one.
    own = best is not None and best.score >= SURE - 1 and not any(_same(best.value, o.price) for o in priced)
    if priced and not (lowest and own):
        return _markup_price(result, visible, priced, best)
    if best is None or best.score < SURE - 1:
        return "no price in the markup, and none shown with confidence"
    offer = result.offers[0] if result.offers else None
    if offer is None:
        offer = Offer(url=result.url)  # a price read off the page is offered on that page
        result.offers = [offer]
    previous, had_currency = offer.price, offer.currency is not None
    offer.price, offer.currency = best.value, offer.currency or best.currency
    offer.auction = "auction" in best.flags
    result.set_source("price", "page")
    if not had_currency and offer.currency == best.currency:
        result.set_source("currency", "page")
    if previous is not None:
        return f"the markup's {previous} is the lowest of many sellers' offers: the page's own price"
    return "no price in the markup: the best visible candidate"


def _markup_price(
    result: ProductPage, visible: VisiblePage, priced: list[Offer], best: Candidate | None
) -> str:
    """The markup's offer whose price the page shows best; the page's own price only when the page shows
    none of the markup's prices (or shows them struck through) and is sure of its own."""
    shown: dict[Decimal, float] = {}
    for candidate in visible.candidates.get("price", []):
        if not candidate.flags & {"struck", "elsewhere", "unit", "instalment", "lowest_30d", "other", "net"}:
            amount = Decimal(candidate.value)
            shown[amount] = max(shown.get(amount, candidate.score), candidate.score)
    visible_offers = [offer for offer in priced if Decimal(offer.price or 0) in shown]
    if visible_offers:
        chosen = max(
            visible_offers, key=lambda o: (shown[Decimal(o.price or 0)], o.availability == "in_stock")
        )
        _to_front(result, chosen)
        return f"the markup's offer at {chosen.price}, the one the page shows best"
    offer = priced[0]
    if (
        best is None
        or best.score < SURE
        or (offer.currency and best.currency and offer.currency != best.currency)
    ):
        return "the markup's price (the page shows no price with confidence)"
    _to_front(result, offer)
    if any(_same(offer.price, c.value) for c in visible.candidates.get("list_price", [])):
        offer.list_price = offer.list_price or offer.price
        result.set_source("list_price", result.field_sources.get("price"))
    previous, offer.price = offer.price, best.value
    offer.currency = offer.currency or best.currency
    offer.auction = offer.auction or "auction" in best.flags
    result.set_source("price", "page")
    return f"the page shows {best.value}, not the markup's {previous}: what the shopper sees wins"


def _availability(result: ProductPage, visible: VisiblePage) -> str:
    best = visible.best("availability")
    offer = result.offers[0] if result.offers else None
    if offer is None:
        if best is None:
            return "no offer and nothing visible"
        offer = Offer()
        result.offers = [offer]
    if offer.availability == "out_of_stock":
        other = next((o for o in result.offers[1:] if o.availability == "in_stock"), None)
        if other is not None:
            offer.availability = "in_stock"
            return "the shown offer is sold out, another variant of it is in stock"
    if best is None:
        return "the markup's availability" if offer.availability != "unknown" else "nothing says"
    # Overriding the markup takes a visible answer that is sure and not contradicted by the page itself.
    rival = max(
        (c.score for c in visible.candidates.get("availability", []) if c.value != best.value), default=0.0
    )
    if offer.availability == "unknown" or (
        best.value != offer.availability and best.score >= SURE and best.score - rival >= 2
    ):
        previous, offer.availability = offer.availability, best.value  # type: ignore[assignment]
        result.set_source("availability", "page")
        return f"the page shows {best.value} (markup: {previous})"
    return "the markup's availability"


def _offer_extra(result: ProductPage, visible: VisiblePage, name: str) -> str:
    """The struck-through list price and the EU 30-day lowest price, when the page shows them."""
    offer = result.offers[0] if result.offers else None
    best = visible.best(name)
    if offer is None or offer.price is None or best is None or getattr(offer, name):
        return "markup" if offer is not None and getattr(offer, name) else "not shown"
    if best.currency and offer.currency and best.currency != offer.currency:
        return "shown in another currency"
    if name == "list_price" and Decimal(best.value) <= Decimal(offer.price):
        return f"the struck price {best.value} is not above the price"
    setattr(offer, name, best.value)
    result.set_source(name, "page")
    return "shown on the page"


def _product_field(result: ProductPage, visible: VisiblePage, name: str, minimum: float) -> str:
    best = visible.best(name, minimum)
    current = getattr(result.product, name)
    if best is None:
        return "from the markup" if current else "not shown"
    if not current:
        setattr(result.product, name, best.value)
        result.set_source(name, "page")
        return "the markup has none: the page's"
    if name == "name" and _says_more(best.value, current):
        setattr(result.product, name, best.value)
        result.set_source(name, "page")
        return f"the title shown says more than the markup's {current!r}"
    if name == "sku" and best.value != current and best.score >= SURE:
        result.product.sku = best.value
        result.set_source("sku", "page")
        return f"the code the page shows, not the markup's {current}"
    return "from the markup"


def _says_more(shown: str, markup: str) -> bool:
    """The page's title holds every word of the markup's name and over twice as many (the markup
    shortened "Harry Potter, T6" from "Harry Potter, T6: Harry Potter et le Prince de Sang-Mêlé")."""
    shown_words, markup_words = _WORD.findall(shown.casefold()), set(_WORD.findall(markup.casefold()))
    return (
        bool(markup_words) and markup_words <= set(shown_words) and len(shown_words) > 2 * len(markup_words)
    )


def _to_front(result: ProductPage, offer: Offer) -> None:
    result.offers.remove(offer)
    result.offers.insert(0, offer)


def _same(a: str | None, b: str | None) -> bool:
    try:
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def _explain(result: ProductPage, visible: VisiblePage, why: dict[str, str]) -> None:
    offer = result.offers[0] if result.offers else None
    for name, found in visible.candidates.items():
        if not found and name not in why:
            continue
        holder = result.product if hasattr(result.product, name) else offer
        result.explanation[name] = {
            "value": getattr(holder, name, None) if holder is not None else None,
            "source": result.field_sources.get(name),
            "why": why.get(name, "not used"),
            "candidates": [c.as_json() for c in _top(found)],
        }


def _top(found: list[Candidate], limit: int = 6) -> list[Candidate]:
    """The best candidates, one per value (the same price shown twice is one candidate)."""
    seen: set[str] = set()
    top = []
    for candidate in found:
        if candidate.value not in seen:
            seen.add(candidate.value)
            top.append(candidate)
        if len(top) == limit:
            break
    return top
