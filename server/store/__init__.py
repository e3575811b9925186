"""Storage backends behind the `Store` protocol."""

from server.store.base import PriceObservation, Store

__all__ = ["PriceObservation", "Store"]
