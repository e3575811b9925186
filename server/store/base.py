"""The store interface: briefings, the fetch cache and price observations, behind one small protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from scrapers.base import FetchResponse

__all__ = ["PriceObservation", "Store", "Watch"]


@dataclass(frozen=True)
class PriceObservation:
    product_id: str
    seller: str
    amount: str  # decimal string
    currency: str
    observed_at: float  # unix time
    url: str | None = None


@dataclass(frozen=True)
class Watch:
    """A product a shopper asked zmot to keep an eye on: its page is checked again every `interval_s`."""

    product_id: str
    url: str
    interval_s: float
    created_at: float
    next_check: float
    last_checked: float | None = None
    last_error: str | None = None


class Store(Protocol):
    """Where zmot keeps what it learned. Every method is async and never blocks the event loop."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...

    async def put_briefing(self, briefing: dict[str, Any], *, product_id: str | None, ttl_s: float) -> None:
        """Keep a briefing, findable by its id and, until `ttl_s` has passed, by its product."""

    async def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        """The briefing with this id, or None."""

    async def fresh_briefing_for(self, product_id: str) -> dict[str, Any] | None:
        """The newest finished briefing for this product that is still within its TTL, or None."""

    async def get_fetch(self, key: str) -> FetchResponse | None:
        """A cached response that has not expired, or None."""

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        """Cache a response for `ttl_s` seconds."""

    async def add_prices(self, observations: list[PriceObservation]) -> None:
        """Record prices seen."""

    async def prices(self, product_id: str) -> list[PriceObservation]:
        """Every price seen for a product, oldest first."""

    async def put_watch(self, watch: Watch) -> None:
        """Start watching a product, or update its watch."""

    async def delete_watch(self, product_id: str) -> bool:
        """Stop watching; False when it was not watched."""

    async def watches(self) -> list[Watch]:
        """Every watched product."""

    async def due_watches(self, now: float, limit: int = 20) -> list[Watch]:
        """Watches whose next check is due, the most overdue first."""
