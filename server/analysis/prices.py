"""The price section: the page's offer, the lowest one, the history and a verdict with its reason."""

from __future__ import annotations

import statistics
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from scrapers.types import Offer
from server.analysis.discount import discount_check
from server.i18n import Code, code, render
from server.store.base import PriceObservation

__all__ = ["price_section"]

_MIN_HISTORY = 3  # fewer points than this say nothing about a "usual" price
_WINDOW_DAYS = 90
_GOOD_DEAL = Decimal("0.95")
_HIGH = Decimal("1.05")
_CHEAPER_ELSEWHERE = Decimal("0.97")  # another offer this much lower is worth telling the shopper


def _amount(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def price_section(
    offers: list[Offer],
    history: list[PriceObservation],
    *,
    max_offers: int = 10,
    lang: str = "en",
    at: float | None = None,
    page_url: str | None = None,
) -> dict:
    """Current offer, offers, lowest, history (points, low, high, typical) and the price verdict, whose
    reason is in `lang` and, as `reason_codes`, in codes a client may render in its own words. With `at`
    (when the page was seen; this visit's own observations are not history) and a reduction shown on the
    page, `discount` says whether it is real."""
    priced = [o for o in offers if _amount(o.price) is not None]
    current = priced[0] if priced else None
    # Like with like: the same currency, in stock, shipping included when the shop says what it costs.
    comparable = [
        o
        for o in priced
        if current and o.currency == current.currency and (o is current or o.availability != "out_of_stock")
    ]
    lowest = min(comparable, key=_total) if comparable else None
    points = [p for p in history if current is None or p.currency == current.currency]
    section: dict[str, Any] = {
        "current": asdict(current) if current else None,
        "offers": [asdict(o) for o in priced[:max_offers]],
        "lowest": asdict(lowest) if lowest else None,
        "history": _history(points),
    }
    recent = _recent(points)
    section["history"].update(_position(current, recent))
    section["saving"] = _saving(current, lowest)
    section["verdict"], reason = _verdict(current, lowest, recent)
    section["reason"] = " ".join(f"{render(sentence, lang)}." for sentence in reason)
    section["reason_codes"], section["language"] = reason, lang
    section["discount"] = _discount(current, history, at, page_url, lang)
    return section


def _discount(
    current: Offer | None, history: list[PriceObservation], at: float | None, page_url: str | None, lang: str
) -> dict[str, Any] | None:
    """The real-discount check, when the page shows a reduction: its finding said in `lang`."""
    if current is None or at is None:
        return None
    check = discount_check(current, history, at=at, page_url=page_url)
    if check["code"] in {"no_claim", "unknown"}:
        return None
    words = check["words"]  # en, it and fr: a briefing served again to another shopper is said in theirs
    return {**check, "reason": words.get(lang) or words["en"], "language": lang if lang in words else "en"}


def _recent(points: list[PriceObservation]) -> list[PriceObservation]:
    """The observations of the last 90 days before the newest one."""
    if not points:
        return []
    newest = max(p.observed_at for p in points)
    return [p for p in points if newest - p.observed_at <= _WINDOW_DAYS * 86400]


def _percentile_rank(now: Decimal, amounts: list[Decimal]) -> int:
    """Share of the prices seen that were lower than `now` (ties count half), 0..100."""
    below = sum(a < now for a in amounts) + sum(a == now for a in amounts) / 2
    return round(below / len(amounts) * 100)


def _quartiles(amounts: list[Decimal]) -> tuple[Decimal, Decimal]:
    ordered = sorted(amounts)
    if len(ordered) < 4:
        return ordered[0], ordered[-1]
    q = statistics.quantiles(ordered, n=4, method="inclusive")
    return q[0], q[2]


def _position(current: Offer | None, points: list[PriceObservation]) -> dict[str, Any]:
    """Where today's price sits among the last 90 days': percentile and typical (middle half) range."""
    amounts = [Decimal(p.amount) for p in points]
    if current is None or len(amounts) < _MIN_HISTORY:
        return {"window_days": _WINDOW_DAYS, "percentile": None, "typical_range": None}
    low, high = _quartiles(amounts)
    return {
        "window_days": _WINDOW_DAYS,
        "percentile": _percentile_rank(Decimal(current.price), amounts),
        "typical_range": [f"{low:.2f}", f"{high:.2f}"],
    }


def _total(offer: Offer) -> Decimal:
    """What the shopper pays: the price, plus shipping when it is known."""
    shipping = _amount(offer.shipping) or Decimal(0)
    return Decimal(offer.price) + shipping


def _saving(current: Offer | None, lowest: Offer | None) -> dict[str, str] | None:
    if current is None or lowest is None or lowest is current:
        return None
    now, low = _total(current), _total(lowest)
    if low >= now:
        return None
    return {
        "amount": f"{now - low:.2f}",
        "currency": current.currency or "",
        "percent": f"{(now - low) / now * 100:.0f}",
    }


def _history(points: list[PriceObservation]) -> dict[str, Any]:
    amounts = [Decimal(p.amount) for p in points]
    return {
        "points": [
            {
                "at": datetime.fromtimestamp(p.observed_at, UTC).isoformat(timespec="seconds"),
                "amount": p.amount,
                "currency": p.currency,
                "seller": p.seller,
            }
            for p in points
        ],
        "low": f"{min(amounts):.2f}" if amounts else None,
        "high": f"{max(amounts):.2f}" if amounts else None,
        "typical": f"{statistics.median(amounts):.2f}" if amounts else None,
    }


def _verdict(
    current: Offer | None, lowest: Offer | None, points: list[PriceObservation]
) -> tuple[str, list[Code]]:
    """The price verdict and its reason, as codes: one sentence on the history, one on a cheaper seller."""
    if current is None:
        return "unknown", [code("price_none")]
    now, cur = Decimal(current.price), current.currency
    elsewhere: list[Code] = []
    if (
        lowest is not None
        and lowest is not current
        and _total(lowest) <= _total(current) * _CHEAPER_ELSEWHERE
    ):
        key = (
            "price_elsewhere_shipping" if lowest.shipping and _amount(lowest.shipping) else "price_elsewhere"
        )
        seller = lowest.seller or code("another_seller")
        save = _total(current) - _total(lowest)
        elsewhere = [
            code(key, seller=seller, amount=f"{_total(lowest):.2f}", currency=cur, save=f"{save:.2f}")
        ]
    if len(points) < _MIN_HISTORY:
        if elsewhere:
            return "high", elsewhere
        return "unknown", [code("price_few", n=len(points), needed=_MIN_HISTORY)]
    amounts = [Decimal(p.amount) for p in points]
    typical = statistics.median(amounts)
    change = (now - typical) / typical * 100 if typical else Decimal(0)
    rank = _percentile_rank(now, amounts)
    usual = {"usual": f"{typical:.2f}", "currency": cur, "days": _WINDOW_DAYS}
    if now <= typical * _GOOD_DEAL:
        return "good_deal", [
            code("price_below", change=_whole(abs(change)), cheaper=100 - rank, **usual),
            *elsewhere,
        ]
    if now >= typical * _HIGH:
        return "high", [code("price_above", change=_whole(change), rank=rank, **usual), *elsewhere]
    return "fair", [code("price_close", **usual), *elsewhere]


def _whole(percent: Decimal) -> int:
    """A percent as the whole number the shopper reads (half to even, as it was always written)."""
    return int(f"{percent:.0f}")
