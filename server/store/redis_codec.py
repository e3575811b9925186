"""How the Redis store lays out its keys and turns zmot's records into Redis values and back.

Every number is written with Python's `repr`, which Redis parses back to the same double: a price's time,
a briefing's expiry and a watch's next check survive the round trip exactly (Lua's own number formatting
would round them, so scripts only pass these strings through).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from scrapers.base import FetchResponse
from server.store.base import RULE_FIELDS, PriceObservation, StoredBriefing, Watch, WatchAlert

__all__ = [
    "RedisKeys",
    "decode_alert",
    "decode_briefing",
    "decode_fetch",
    "decode_price",
    "decode_watch",
    "encode_alert",
    "encode_briefing",
    "encode_fetch",
    "encode_price",
    "encode_rules",
    "encode_watch",
    "number",
    "watch_field",
]

# A price's member in its product's sorted set starts with a sequence number this wide: two observations
# equal in every field stay two members, and ties in time keep the order they were recorded in.
_SEQ_WIDTH = 15


@dataclass(frozen=True)
class RedisKeys:
    """The names of the store's keys, all under `prefix`, so that one Redis can hold other data too."""

    prefix: str = "zmot:"

    def briefing(self, briefing_id: str) -> str:
        """A hash: the briefing's body, page key, status and times; expires a day after its TTL."""
        return f"{self.prefix}briefing:{briefing_id}"

    def page(self, page_key: str) -> str:
        """A sorted set of the ids of the briefings made for one page, scored by their expiry."""
        return f"{self.prefix}page:{page_key}"

    @property
    def briefings(self) -> str:
        """A sorted set of every briefing id, scored by expiry: what purging and copying walk through."""
        return f"{self.prefix}briefings"

    def fetch(self, key: str) -> str:
        """A hash: one cached response, expiring with its TTL."""
        return f"{self.prefix}fetch:{key}"

    @property
    def fetches(self) -> str:
        """A sorted set of every cached response's key, scored by expiry."""
        return f"{self.prefix}fetches"

    def prices(self, product_id: str) -> str:
        """A sorted set of one product's price observations, scored by the time they were seen."""
        return f"{self.prefix}prices:{product_id}"

    @property
    def priced(self) -> str:
        """A set of the products that have price observations."""
        return f"{self.prefix}priced"

    @property
    def price_seq(self) -> str:
        return f"{self.prefix}seq:prices"

    @property
    def watches(self) -> str:
        """A hash from `watch_field(product, url, owner)` to the state checks record, all but the next
        check."""
        return f"{self.prefix}watches"

    @property
    def watch_rules(self) -> str:
        """A hash of the same fields to the shopper's rules: apart, so that a check and a change of the
        rules never overwrite each other."""
        return f"{self.prefix}watches:rules"

    def alerts(self, owner: str) -> str:
        """A sorted set of one owner's alerts, scored by when they fired."""
        return f"{self.prefix}alerts:{owner}"

    @property
    def due(self) -> str:
        """A sorted set of the same fields, scored by the watch's next check."""
        return f"{self.prefix}watches:due"


def number(value: float) -> str:
    """A float as Redis should store it: exact."""
    return repr(float(value))


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def encode_briefing(stored: StoredBriefing) -> dict[str, str]:
    fields = {
        "body": json.dumps(stored.body),
        "status": str(stored.body.get("status", "")),
        "created_at": number(stored.created_at),
        "expires_at": number(stored.expires_at),
    }
    if stored.page_key is not None:
        fields["page_key"] = stored.page_key
    return fields


def decode_briefing(fields: dict[bytes, bytes]) -> StoredBriefing | None:
    """The briefing in a hash read with HGETALL, or None when the hash is gone (empty)."""
    if b"body" not in fields:
        return None
    return StoredBriefing(
        body=json.loads(fields[b"body"]),
        page_key=_text(fields.get(b"page_key")),
        created_at=float(fields[b"created_at"]),
        expires_at=float(fields[b"expires_at"]),
    )


def encode_fetch(response: FetchResponse, expires_at: float) -> dict[str, bytes | str]:
    return {
        "url": response.url,
        "status": str(response.status),
        "headers": json.dumps(response.headers),
        "body": response.body,
        "expires_at": number(expires_at),
    }


def decode_fetch(fields: dict[bytes, bytes], now: float) -> FetchResponse | None:
    """The cached response in a hash, unless it is gone or past its expiry by the store's clock."""
    if b"body" not in fields or float(fields[b"expires_at"]) <= now:
        return None
    return FetchResponse(
        url=fields[b"url"].decode(),
        status=int(fields[b"status"]),
        headers=json.loads(fields[b"headers"]),
        body=bytes(fields[b"body"]),
        from_cache=True,
    )


def encode_price(observation: PriceObservation, seq: int) -> str:
    """A sorted-set member for one observation (its product is the key's): unique by `seq`."""
    o = observation
    return f"{seq:0{_SEQ_WIDTH}d}" + json.dumps([o.seller, o.amount, o.currency, o.observed_at, o.url])


def decode_price(product_id: str, member: bytes) -> PriceObservation:
    seller, amount, currency, observed_at, url = json.loads(member[_SEQ_WIDTH:])
    return PriceObservation(product_id, seller, amount, currency, observed_at, url)


def watch_field(product_id: str, url: str, owner: str = "") -> str:
    """A watch's field in the watches hashes and member in the due set: its (product, page, owner) key.
    The pairing code's watches keep the two-part key of the versions before owners."""
    return json.dumps([product_id, url, owner] if owner else [product_id, url])


_NOT_STATE = ("product_id", "url", "owner", "next_check", *RULE_FIELDS)
_STATE_FIELDS = [f.name for f in dataclasses.fields(Watch) if f.name not in _NOT_STATE]


def encode_watch(watch: Watch) -> str:
    """The state a check records (floats written exactly by json's repr)."""
    return json.dumps({name: getattr(watch, name) for name in _STATE_FIELDS})


def encode_rules(watch: Watch) -> str:
    values = {name: getattr(watch, name) for name in RULE_FIELDS}
    values["notify_on"] = list(watch.notify_on)
    return json.dumps(values)


def decode_watch(
    field: bytes | str, state: bytes | str, rules: bytes | str | None, next_check: float
) -> Watch:
    """A watch from its field, state and rules (none or empty for a watch of an older version)."""
    product_id, url, *owner = json.loads(field)
    values = {k: v for k, v in json.loads(state).items() if k in _STATE_FIELDS}
    if rules:
        values.update({k: v for k, v in json.loads(rules).items() if k in RULE_FIELDS})
        if "notify_on" in values:
            values["notify_on"] = tuple(values["notify_on"])
    return Watch(product_id, url, owner=owner[0] if owner else "", next_check=next_check, **values)


def encode_alert(alert: WatchAlert) -> str:
    return json.dumps(dataclasses.astuple(alert))


def decode_alert(member: bytes | str) -> WatchAlert:
    return WatchAlert(*json.loads(member))
