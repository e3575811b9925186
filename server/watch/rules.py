"""The rules of a watch, as pure functions of its state: when a price or availability seen counts as
changed (confirmed), and which rule a confirmed change fires.

A value seen that differs from the confirmed one is a candidate; it is confirmed when a later check sees
it again, or once `confirm_after_s` has passed since it was first seen (0: at once). A flicker (one check
lower, then back) is dropped with its candidate and fires nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from scrapers.types import ProductPage
from server.products import page_address
from server.store.base import PriceObservation, Watch

__all__ = ["Change", "Seen", "baseline", "confirm", "fired_rule", "lowest_before", "seen_on_page"]

# Checked in this order; a confirmed change fires one alert, for the first rule that applies.
_PRIORITY = ("back_in_stock", "below", "lowest", "drop")


@dataclass(frozen=True)
class Seen:
    """What one check saw of the watched offer."""

    price: str | None
    currency: str | None
    seller: str | None
    availability: str | None  # in_stock | out_of_stock | None (not said)


@dataclass(frozen=True)
class Change:
    """A confirmed change: from the old confirmed price and availability to the new ones."""

    old_price: str | None
    new_price: str | None
    old_availability: str | None
    new_availability: str | None
    since: float  # when the new value was first seen


def _availability(value: str | None) -> str | None:
    return value if value in ("in_stock", "out_of_stock") else None


def seen_on_page(page: ProductPage, watch: Watch) -> Seen | None:
    """The watched offer on a scraped page: the watch's seller's if the page still has it, else the page's
    first priced offer, else its first offer; None when the page has no offer at all."""
    offers = list(page.offers)
    if not offers:
        return None
    priced = [o for o in offers if o.price and o.currency]
    mine = [o for o in priced if watch.last_seller and o.seller == watch.last_seller]
    offer = (mine or priced or offers)[0]
    price = _decimal(offer.price)
    return Seen(
        price=str(price) if price is not None else None,
        currency=(offer.currency or "").upper() or None,
        seller=offer.seller or (urlsplit(page.url).hostname or "").lower() or None,  # as price_observations
        availability=_availability(offer.availability),
    )


def _decimal(text: str | None) -> Decimal | None:
    try:
        value = Decimal(text) if text is not None else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() else None


def _same_price(a: str | None, b: str | None) -> bool:
    return _decimal(a) == _decimal(b)


def confirm(watch: Watch, seen: Seen, now: float, confirm_after_s: float) -> tuple[Watch, Change | None]:
    """The watch after one check that saw `seen`, and the change it confirmed, if any."""
    price = seen.price or watch.last_price  # a sold-out page may hide its price: it is not a change
    availability = seen.availability or watch.availability
    known = watch.last_price is not None or watch.availability is not None
    if watch.availability is None:  # never known (a watch started from a price alone): learnt, not changed
        watch = dataclasses.replace(watch, availability=availability)
    rebased = watch.currency is not None and seen.currency is not None and seen.currency != watch.currency
    if not known or rebased or (seen.seller and watch.last_seller and seen.seller != watch.last_seller):
        # The first look, another currency or another seller: a new starting point, nothing to compare.
        return _confirmed(watch, price, availability, seen, now), None
    if _same_price(price, watch.last_price) and availability == watch.availability:
        return _confirmed(watch, watch.last_price, availability, seen, now), None
    same_candidate = (
        watch.candidate_since is not None
        and _same_price(price, watch.candidate_price)
        and availability == watch.candidate_availability
    )
    since = watch.candidate_since if same_candidate and watch.candidate_since is not None else now
    checks = watch.candidate_checks + 1 if same_candidate else 1
    if checks < 2 and now - since < confirm_after_s:
        pending = dataclasses.replace(
            watch,
            candidate_price=price,
            candidate_availability=availability,
            candidate_since=since,
            candidate_checks=checks,
        )
        return pending, None
    change = Change(watch.last_price, price, watch.availability, availability, since)
    return _confirmed(watch, price, availability, seen, now), change


def _confirmed(watch: Watch, price: str | None, availability: str | None, seen: Seen, now: float) -> Watch:
    return dataclasses.replace(
        watch,
        last_price=price,
        availability=availability,
        currency=seen.currency or watch.currency,
        last_seller=seen.seller or watch.last_seller,
        last_seen=now,
        candidate_price=None,
        candidate_availability=None,
        candidate_since=None,
        candidate_checks=0,
    )


def baseline(watch: Watch, history: list[PriceObservation], page: str) -> Watch:
    """A new watch starts from the last price recorded for its page (by the briefing the shopper saw), so
    that its first check can already tell a change; `page` is the watch's page_address."""
    mine = [o for o in history if o.url and page_address(o.url) == page and _decimal(o.amount) is not None]
    if not mine:
        return watch
    last = max(mine, key=lambda o: o.observed_at)
    return dataclasses.replace(
        watch,
        last_price=str(_decimal(last.amount)),
        currency=last.currency.upper(),
        last_seller=last.seller,
        last_seen=last.observed_at,
    )


def lowest_before(history: list[PriceObservation], seller: str | None, currency: str | None, since: float):
    """The lowest price seen for the product from this seller (in this currency) before `since`."""
    amounts = [
        _decimal(o.amount)
        for o in history
        if o.observed_at < since and (seller is None or o.seller == seller) and o.currency == currency
    ]
    known = [a for a in amounts if a is not None]
    return min(known) if known else None


def fired_rule(watch: Watch, change: Change, lowest: Decimal | None) -> str | None:
    """The rule a confirmed change fires among those the watch asked for, or None."""
    old, new = _decimal(change.old_price), _decimal(change.new_price)
    target = _decimal(watch.target_price)
    in_stock = change.new_availability != "out_of_stock"
    fired = {
        "back_in_stock": change.old_availability == "out_of_stock" and change.new_availability == "in_stock",
        "below": in_stock
        and target is not None
        and new is not None
        and new <= target
        and (old is None or old > target or change.old_availability == "out_of_stock"),
        "lowest": in_stock
        and new is not None
        and old is not None
        and new < old
        and lowest is not None
        and new < lowest,
        "drop": in_stock and new is not None and old is not None and new < old,
    }
    return next((rule for rule in _PRIORITY if fired[rule] and rule in watch.notify_on), None)
