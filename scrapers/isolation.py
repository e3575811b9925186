"""Running a plugin so that raising, hanging or returning garbage costs only its own result."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from scrapers.base import PluginContext
from scrapers.types import AVAILABILITY, Offer, ProductPage, Review

__all__ = ["Outcome", "page_problem", "run_plugin"]

log = logging.getLogger("zmot.plugins")
T = TypeVar("T")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Outcome(Generic[T]):
    """What one plugin call came to: its value when ok, else why not (for the briefing's `sources`)."""

    plugin: str
    status: Literal["ok", "error", "timeout"]
    value: T | None = None
    error: str | None = None
    elapsed_ms: int = 0


async def run_plugin(
    ctx: PluginContext,
    plugin: str,
    call: Callable[[], Awaitable[T]],
    check: Callable[[Any], str | None] | None = None,
) -> Outcome[T]:
    """Await `call()` until `ctx.deadline`; raising, timing out or failing `check` becomes an Outcome."""
    started = time.monotonic()
    left = None if ctx.deadline is None else ctx.deadline - asyncio.get_running_loop().time()

    def done(status: Literal["ok", "error", "timeout"], value: T | None = None, error: str | None = None):
        return Outcome(plugin, status, value, error, round((time.monotonic() - started) * 1000))

    if left is not None and left <= 0:
        return done("timeout", error="no time left before the deadline")
    try:
        async with asyncio.timeout(left):
            value = await call()
    except TimeoutError:
        return done("timeout", error="not finished before the deadline")
    except Exception as exc:  # a third-party plugin: anything may come out of it
        log.warning("plugin %s failed: %r", plugin, exc, exc_info=True)
        return done("error", error=f"{type(exc).__name__}: {exc}")
    problem = check(value) if check is not None else None
    if problem is not None:
        log.warning("plugin %s returned garbage: %s", plugin, problem)
        return done("error", error=f"returned garbage: {problem}")
    return done("ok", value)


def page_problem(result: Any) -> str | None:
    """Why a page scraper's return value is not a usable ProductPage, or None if it is."""
    if not isinstance(result, ProductPage):
        return f"expected a ProductPage, got {type(result).__name__}"
    if not isinstance(result.offers, list) or not all(isinstance(o, Offer) for o in result.offers):
        return "offers must be a list of Offer"
    for offer in result.offers:
        if offer.price is not None and not (isinstance(offer.price, str) and _DECIMAL.fullmatch(offer.price)):
            return f"price {offer.price!r} is not a decimal string"
        if offer.currency is not None and not re.fullmatch(r"[A-Z]{3}", str(offer.currency)):
            return f"currency {offer.currency!r} is not an ISO 4217 code"
        if offer.availability not in AVAILABILITY:
            return f"availability {offer.availability!r} is not one of {', '.join(AVAILABILITY)}"
    value = result.rating.value
    finite = isinstance(value, int | float) and math.isfinite(value)
    if value is not None and not (finite and 0 <= value <= 5):
        return f"rating {value!r} is not on 0..5"
    return reviews_problem(result.reviews)


def reviews_problem(reviews: Any) -> str | None:
    """Why a list of reviews is unusable, or None."""
    if not isinstance(reviews, list) or not all(isinstance(r, Review) for r in reviews):
        return "reviews must be a list of Review"
    for review in reviews:
        rating = review.rating
        if rating is not None and not (isinstance(rating, int | float) and 1 <= rating <= 5):
            return f"review rating {rating!r} is not on 1..5"
    return None
