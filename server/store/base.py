"""The store interface: briefings, the fetch cache and price observations, behind one small protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from scrapers.base import FetchResponse

__all__ = ["PriceObservation", "Store"]


@dataclass(frozen=True)
class PriceObservation:
    product_id: str
    seller: str
    amount: str  # decimal string
    currency: str
    observed_at: float  # unix time
    url: str | None = None


class Store(Protocol):
    """Where zmot keeps what it learned. Every method is async and never blocks the event loop."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...

    async def put_briefing(self, briefing: dict[str, Any], *, product_id: str | None, ttl_s: float) -> None:
        """Keep a briefing, findable by its id and, until `ttl_s` has passed, by its product."""

    async def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        """The briefing with this id, or None."""

    async def fresh_briefing_for(self, product_id: str) -> dict[str, Any] | None:
        """The newest complete briefing for this product that is still within its TTL, or None."""

    async def get_fetch(self, key: str) -> FetchResponse | None:
        """A cached response that has not expired, or None."""

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        """Cache a response for `ttl_s` seconds."""

    async def add_prices(self, observations: list[PriceObservation]) -> None:
        """Record prices seen."""

    async def prices(self, product_id: str) -> list[PriceObservation]:
        """Every price seen for a product, oldest first."""
