"""The store interface: briefings, the fetch cache, price observations and watches, behind one protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from scrapers.base import FetchResponse

__all__ = [
    "DEFAULT_NOTIFY_ON",
    "RULE_FIELDS",
    "PriceObservation",
    "SiteCorrection",
    "Store",
    "StoredBriefing",
    "Watch",
    "WatchAlert",
]

DEFAULT_NOTIFY_ON: tuple[str, ...] = ("drop", "back_in_stock")
# What the shopper sets on a watch; a check never writes these.
RULE_FIELDS: tuple[str, ...] = ("name", "target_price", "notify_on", "locale")


@dataclass(frozen=True)
class PriceObservation:
    """One price seen for a product, with the page (`url`) and `seller` it came from."""

    product_id: str
    seller: str
    amount: str  # decimal string
    currency: str
    observed_at: float  # unix time
    url: str | None = None


@dataclass(frozen=True)
class Watch:
    """One page of a product that one client (`owner`, a token id; "" for the pairing code or no token)
    asked zmot to keep an eye on, checked again every `interval_s`.

    A product may be watched on several pages, and one page by several clients (one watch each);
    `failures` counts the checks that failed in a row, and stretches the wait before the next one. The
    confirmed price and availability are what the rules compare a new one with; a different one seen is
    first a candidate (`candidate_*`), confirmed when a later check sees it again (server.watch.rules)."""

    product_id: str
    url: str
    interval_s: float
    created_at: float
    next_check: float
    last_checked: float | None = None
    last_error: str | None = None
    failures: int = 0
    owner: str = ""
    # The shopper's rules (RULE_FIELDS): set by the API, never by a check.
    name: str = ""
    target_price: str | None = None  # decimal string
    notify_on: tuple[str, ...] = DEFAULT_NOTIFY_ON
    locale: str | None = None
    # What the checks found.
    status: str = "pending"  # pending (not checked yet) | ok | blocked (the shopper should open the page)
    currency: str | None = None
    last_price: str | None = None  # the confirmed price, a decimal string
    last_seller: str | None = None
    last_seen: float | None = None  # when the confirmed price or availability was last seen
    availability: str | None = None  # in_stock | out_of_stock, confirmed
    candidate_price: str | None = None
    candidate_availability: str | None = None
    candidate_since: float | None = None
    candidate_checks: int = 0


@dataclass(frozen=True)
class WatchAlert:
    """A rule of a watch fired: kept for its owner's GET /v1/alerts, and sent as `title` and `body`."""

    id: str
    owner: str
    product_id: str
    url: str
    name: str
    rule: str
    old_price: str | None
    new_price: str | None
    currency: str | None
    seller: str | None
    at: float
    title: str
    body: str


@dataclass(frozen=True)
class SiteCorrection:
    """A shopper's correction (POST /v1/corrections): on every page of `site` (a lower-case host without
    "www."), the element `selector` picks shows `field`; `value` is what the shopper saw there. One per
    (owner, site, field): a new one replaces the old."""

    id: str
    owner: str
    site: str
    field: str  # price | list_price | availability | reviews (scrapers.corrections.FIELDS)
    selector: str
    value: str | None
    created_at: float  # unix time


@dataclass(frozen=True)
class StoredBriefing:
    """A briefing with what the store keeps beside it: how `zmot store copy` moves it with its remaining
    TTL (served for its page until `expires_at`, readable by id a day longer)."""

    body: dict[str, Any]
    page_key: str | None
    created_at: float
    expires_at: float

    @property
    def id(self) -> str:
        return str(self.body["id"])


class Store(Protocol):
    """Where zmot keeps what it learned. Every method is async and never blocks the event loop."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...

    async def put_briefing(self, briefing: dict[str, Any], *, page_key: str | None, ttl_s: float) -> None:
        """Keep a briefing, findable by its id and, until `ttl_s` has passed, by the page it was made for."""

    async def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        """The briefing with this id, or None."""

    async def fresh_briefing_for_page(self, page_key: str) -> dict[str, Any] | None:
        """The newest finished briefing made for this page that is still within its TTL, or None."""

    async def get_fetch(self, key: str) -> FetchResponse | None:
        """A cached response that has not expired, or None."""

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        """Cache a response for `ttl_s` seconds."""

    async def add_prices(self, observations: list[PriceObservation]) -> None:
        """Record prices seen, each with its page and seller."""

    async def prices(self, product_id: str) -> list[PriceObservation]:
        """Every price seen for a product on any page, oldest first."""

    async def purge_expired(self) -> int:
        """Drop expired cache entries and briefings no longer served; returns how many rows went."""

    async def add_watch(self, watch: Watch) -> tuple[Watch, bool]:
        """Watch this page of this product, unless it is already watched: returns the watch as stored
        (an existing one unchanged) and whether it is new."""

    async def update_watch(self, watch: Watch) -> bool:
        """Record a check of a watch (everything but the rules); False (and nothing stored) when the watch
        was deleted meanwhile."""

    async def set_watch_rules(self, watch: Watch) -> Watch | None:
        """Store the shopper's rules (RULE_FIELDS) of an existing watch, leaving what checks found as it is;
        the watch as stored, or None when there is no such watch."""

    async def delete_watch(self, product_id: str, url: str | None = None, *, owner: str = "") -> int:
        """Stop `owner` watching a product's pages (only `url` when given); returns how many watches went."""

    async def watches(self, owner: str | None = None) -> list[Watch]:
        """Every watch (of `owner` only, when given), oldest first."""

    async def add_alert(self, alert: WatchAlert, *, keep_s: float) -> None:
        """Keep an alert for its owner; the owner's alerts older than `keep_s` before it go."""

    async def alerts_since(self, owner: str, since: float) -> list[WatchAlert]:
        """The owner's alerts kept with `at` after `since`, oldest first."""

    async def due_watches(self, now: float, limit: int = 20) -> list[Watch]:
        """Up to `limit` watches whose next check is due, the most overdue first."""

    async def claim_due_watches(self, now: float, *, limit: int, lease_s: float) -> list[Watch]:
        """Take up to `limit` due watches for this instance, the most overdue first, and in the same atomic
        step push their next check to `now + lease_s`: several zmot instances sharing the store never get
        the same watch, and a claim whose instance died runs out with the lease. The watches come back as
        stored after the claim (`next_check` is the lease's end); checking one ends with `update_watch`."""

    async def put_correction(self, correction: SiteCorrection) -> None:
        """Keep a correction, replacing the owner's correction of the same site and field."""

    async def corrections(self, owner: str, site: str | None = None) -> list[SiteCorrection]:
        """The owner's corrections (of `site` only, when given), newest first."""

    async def delete_correction(self, owner: str, correction_id: str) -> bool:
        """Forget one of the owner's corrections; False when the owner has none with that id."""
