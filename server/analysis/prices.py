"""The price section: the page's offer, the lowest one, the history and a verdict with its reason."""

from __future__ import annotations

import statistics
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from scrapers.types import Offer
from server.store.base import PriceObservation

__all__ = ["price_section"]

_MIN_HISTORY = 3  # fewer points than this say nothing about a "usual" price
_GOOD_DEAL = Decimal("0.95")
_HIGH = Decimal("1.05")


def _amount(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def price_section(offers: list[Offer], history: list[PriceObservation], *, max_offers: int = 10) -> dict:
    """Current offer, offers, lowest, history (points, low, high, typical) and the price verdict."""
    priced = [o for o in offers if _amount(o.price) is not None]
    current = priced[0] if priced else None
    same_currency = [o for o in priced if current and o.currency == current.currency]
    lowest = min(same_currency, key=lambda o: _amount(o.price)) if same_currency else None
    points = [p for p in history if current is None or p.currency == current.currency]
    section: dict[str, Any] = {
        "current": asdict(current) if current else None,
        "offers": [asdict(o) for o in priced[:max_offers]],
        "lowest": asdict(lowest) if lowest else None,
        "history": _history(points),
    }
    section["verdict"], section["reason"] = _verdict(current, points)
    return section


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


def _verdict(current: Offer | None, points: list[PriceObservation]) -> tuple[str, str]:
    if current is None:
        return "unknown", "The page shows no price."
    if len(points) < _MIN_HISTORY:
        return "unknown", f"Not enough price history yet ({len(points)} of {_MIN_HISTORY} observations)."
    now = Decimal(current.price)
    typical = statistics.median(Decimal(p.amount) for p in points)
    change = (now - typical) / typical * 100 if typical else Decimal(0)
    where = f"over {len(points)} observations"
    if now <= typical * _GOOD_DEAL:
        return (
            "good_deal",
            f"{abs(change):.0f}% below its typical price of {typical:.2f} {current.currency} {where}.",
        )
    if now >= typical * _HIGH:
        return "high", f"{change:.0f}% above its typical price of {typical:.2f} {current.currency} {where}."
    return "fair", f"Close to its typical price of {typical:.2f} {current.currency} {where}."
