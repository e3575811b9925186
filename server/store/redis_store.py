"""A store in Redis, which several `zmot serve` instances can share: briefings, the fetch cache, price
observations and watches under one key prefix (see `RedisKeys`).

Redis expires briefings (a day after their TTL, as SQLite keeps them readable by id) and cached responses
by itself; what serving decides ("still fresh?") follows the store's clock, and `purge_expired` clears what
expiry leaves behind: the indexes, and entries past their time by that clock. A write is acknowledged once
Redis has it; how much of that survives a crash of the machine is Redis's append-only file setting.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from scrapers.base import FetchResponse
from server.errors import ConfigError
from server.store.base import PriceObservation, StoredBriefing
from server.store.redis_codec import (
    RedisKeys,
    decode_briefing,
    decode_fetch,
    decode_price,
    encode_briefing,
    encode_fetch,
    encode_price,
    number,
)
from server.store.redis_corrections import RedisCorrections
from server.store.redis_watches import RedisWatches

__all__ = ["RedisStore"]

log = logging.getLogger("zmot.store")

# Briefings stay readable by id for a day after they stop being served for their page.
_READABLE_AFTER_TTL_S = 86400.0
_CONNECT_TIMEOUT_S = 5.0
_RETRIES = 5
_PURGE_BATCH = 500  # entries one purge script removes, so that no script holds Redis for long

# KEYS: the index. ARGV: the prefix of the indexed keys, the cutoff, the batch size, and for briefings
# the prefix of the page sets. Deletes what the index says is past the cutoff; returns how many index
# entries went and how many keys were still there to delete.
_PURGE = """
local names = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local removed = 0
for _, name in ipairs(names) do
  local key = ARGV[1] .. name
  if ARGV[4] then
    local page = redis.call('HGET', key, 'page_key')
    if page then redis.call('ZREM', ARGV[4] .. page, name) end
  end
  removed = removed + redis.call('DEL', key)
  redis.call('ZREM', KEYS[1], name)
end
return {#names, removed}
"""


# KEYS: the page's set. ARGV: the prefix of briefing keys, the page key, "(now". The body of the newest
# finished briefing made for this page that is within its TTL (the set's score), or nil.
_FRESH = """
local newest, newest_at = nil, nil
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], '+inf')) do
  local key = ARGV[1] .. id
  local f = redis.call('HMGET', key, 'page_key', 'status', 'created_at')
  if f[1] == ARGV[2] and f[2] and f[2] ~= 'running' then
    local at = tonumber(f[3])
    if newest_at == nil or at > newest_at then newest, newest_at = key, at end
  end
end
if newest then return redis.call('HGET', newest, 'body') end
return nil
"""


class RedisStore(RedisWatches, RedisCorrections):
    """Briefings, fetch cache, prices, watches and corrections in Redis at `url`, under keys starting with
    `prefix`."""

    def __init__(self, url: str, *, prefix: str = "zmot:", clock: Callable[[], float] = time.time) -> None:
        self.url = url
        self._keys = RedisKeys(prefix)
        self._clock = clock
        self._redis: Redis | None = None

    async def open(self) -> None:
        """Connect and check that Redis answers; a Redis that cannot be reached is a ConfigError."""
        client = Redis.from_url(
            self.url,
            socket_connect_timeout=_CONNECT_TIMEOUT_S,
            # A restarted Redis or a dropped connection costs a reconnect, not the request. A write sent
            # twice changes nothing more (a price's member carries its sequence number); a claim sent twice
            # only holds its first picks until their lease ends.
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), _RETRIES),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
        )
        try:
            await client.ping()
        except (RedisError, OSError) as exc:
            await client.aclose()
            raise ConfigError(f"cannot reach Redis at {where(self.url)} (store.redis_url): {exc}") from None
        await self._check_persistence(client)
        self._purge_script = client.register_script(_PURGE)
        self._fresh_script = client.register_script(_FRESH)
        self._watch_scripts(client)
        self._redis = client

    async def _check_persistence(self, client: Redis) -> None:
        """Warn when Redis keeps writes only in memory; a Redis that will not say (ACLs) is trusted."""
        try:
            persistence = await client.info("persistence")
        except RedisError:
            return
        if not persistence.get("aof_enabled"):
            log.warning(
                "Redis at %s has appendonly off: acknowledged writes since its last snapshot are lost "
                "if it stops (set appendonly yes)",
                where(self.url),
            )

    async def close(self) -> None:
        if self._redis is not None:
            client, self._redis = self._redis, None
            await client.aclose()

    async def __aenter__(self) -> RedisStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def prefix(self) -> str:
        return self._keys.prefix

    @property
    def redis(self) -> Redis:
        if self._redis is None:
            raise RuntimeError("the store is not open")
        return self._redis

    async def put_briefing(self, briefing: dict[str, Any], *, page_key: str | None, ttl_s: float) -> None:
        now = self._clock()
        await self.put_stored_briefing(StoredBriefing(briefing, page_key, now, now + ttl_s))

    async def put_stored_briefing(self, stored: StoredBriefing) -> None:
        """Keep a briefing with its own creation and expiry times (how a copy keeps the TTL it had left)."""
        now = self._clock()
        keep_ms = max(1, int((stored.expires_at + _READABLE_AFTER_TTL_S - now) * 1000))
        key, expires = self._keys.briefing(stored.id), number(stored.expires_at)
        async with self.redis.pipeline(transaction=True) as tx:
            tx.delete(key)  # a briefing stored again may have lost its page key
            tx.hset(key, mapping=encode_briefing(stored))
            tx.pexpire(key, keep_ms)
            tx.zadd(self._keys.briefings, {stored.id: expires})
            if stored.page_key is not None:
                page = self._keys.page(stored.page_key)
                tx.zremrangebyscore(page, "-inf", number(now - _READABLE_AFTER_TTL_S))
                tx.zadd(page, {stored.id: expires})
                tx.pexpire(page, keep_ms, nx=True)  # a new set, then only ever longer
                tx.pexpire(page, keep_ms, gt=True)
            await tx.execute()

    async def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        body = await self.redis.hget(self._keys.briefing(briefing_id), "body")
        return json.loads(body) if body is not None else None

    async def fresh_briefing_for_page(self, page_key: str) -> dict[str, Any] | None:
        """One script, so one round trip however many briefings the page has had within their TTL."""
        args = [self._keys.briefing(""), page_key, f"({number(self._clock())}"]
        body = await self._fresh_script(keys=[self._keys.page(page_key)], args=args)
        return json.loads(body) if body is not None else None

    async def get_fetch(self, key: str) -> FetchResponse | None:
        return decode_fetch(await self.redis.hgetall(self._keys.fetch(key)), self._clock())

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        expires_at = self._clock() + ttl_s
        name = self._keys.fetch(key)
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hset(name, mapping=encode_fetch(response, expires_at))
            tx.pexpire(name, max(1, int(ttl_s * 1000)))
            tx.zadd(self._keys.fetches, {key: number(expires_at)})
            await tx.execute()

    async def add_prices(self, observations: list[PriceObservation]) -> None:
        if not observations:
            return
        last = await self.redis.incrby(self._keys.price_seq, len(observations))
        by_product: dict[str, dict[str, str]] = {}
        for seq, o in enumerate(observations, start=last - len(observations) + 1):
            by_product.setdefault(o.product_id, {})[encode_price(o, seq)] = number(o.observed_at)
        async with self.redis.pipeline(transaction=True) as tx:
            for product_id, members in by_product.items():
                tx.zadd(self._keys.prices(product_id), members)
            tx.sadd(self._keys.priced, *by_product)
            await tx.execute()

    async def prices(self, product_id: str) -> list[PriceObservation]:
        members = await self.redis.zrange(self._keys.prices(product_id), 0, -1)
        return [decode_price(product_id, member) for member in members]

    async def purge_expired(self) -> int:
        """Drop cached responses past their expiry and briefings a day past their TTL (by the store's
        clock), with their index entries; returns how many were still there to drop."""
        now = self._clock()
        cache = await self._purge(self._keys.fetches, self._keys.fetch(""), now)
        briefings = await self._purge(
            self._keys.briefings, self._keys.briefing(""), now - _READABLE_AFTER_TTL_S, self._keys.page("")
        )
        return cache + briefings

    async def _purge(self, index: str, prefix: str, cutoff: float, pages: str | None = None) -> int:
        removed = 0
        while True:
            args = [prefix, number(cutoff), _PURGE_BATCH] + ([pages] if pages is not None else [])
            seen, gone = await self._purge_script(keys=[index], args=args)
            removed += int(gone)
            if int(seen) < _PURGE_BATCH:
                return removed

    # What `zmot store copy` reads and writes besides the Store protocol.

    async def stored_briefings(self) -> list[StoredBriefing]:
        """Every briefing kept, with its page and expiry."""
        ids = await self.redis.zrange(self._keys.briefings, 0, -1)
        async with self.redis.pipeline(transaction=False) as reads:
            for briefing_id in ids:
                reads.hgetall(self._keys.briefing(briefing_id.decode()))
            found = [decode_briefing(fields) for fields in await reads.execute()]
        return sorted((b for b in found if b is not None), key=lambda b: b.created_at)

    async def priced_products(self) -> list[str]:
        """The ids of the products with at least one price observation."""
        return sorted(member.decode() for member in await self.redis.smembers(self._keys.priced))

    async def is_empty(self) -> bool:
        """Whether the store holds no briefing, price or watch under its prefix."""
        keys = (self._keys.briefings, self._keys.priced, self._keys.watches)
        return await self.redis.exists(*keys) == 0


def where(url: str) -> str:
    """The Redis URL without its password, fit for a message or a log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"
