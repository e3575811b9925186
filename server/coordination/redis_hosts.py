"""Per-host politeness for the whole group: at most `concurrency` requests in flight to a host from all
instances together, their starts `interval_s` apart, so that three instances do not hit a shop three times
as hard. Each slot is a lease in Redis that runs out by itself if its instance dies mid-request."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError

from server.coordination.followed import GroupKeys
from server.fetch.politeness import HostGate
from server.tasks import stop_if_cancelled

__all__ = ["SharedHostGate", "SharedTurns"]

log = logging.getLogger("zmot.coordination")

# KEYS: the host's slots (a sorted set: token -> lease end), its next allowed start; ARGV: token,
# concurrency, interval ms, lease ms. Returns -1 when every slot is taken, else the ms to wait before
# starting (the start is booked, so the next holder queues behind it). Redis' clock is the group's clock.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local start = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0'))
local interval = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], start + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], start - now + lease)
if interval > 0 then redis.call('SET', KEYS[2], start + interval, 'PX', start - now + interval + 1000) end
return start - now
"""
# KEYS: the next allowed start of one API; ARGV: interval ms. Books the next turn, returns ms to wait for it.
_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], start + interval, 'PX', start - now + interval + 1000)
return start - now
"""
_FIRST_POLL_S = 0.005
_MAX_POLL_S = 0.1


class SharedHostGate:
    """`HostGate`'s promise kept across instances. A local gate in front keeps this instance's own
    requests from polling Redis for slots it could never get; if Redis cannot be reached, the local gate
    alone decides (politeness per instance) rather than failing the fetch."""

    def __init__(
        self, client: Redis, keys: GroupKeys, concurrency: int, interval_s: float, *, lease_s: float
    ) -> None:
        self._client = client
        self._keys = keys
        self._concurrency = max(1, concurrency)
        self._interval_ms = max(0, int(interval_s * 1000))
        self._lease_ms = max(1000, int(lease_s * 1000))
        self._local = HostGate(concurrency, 0.0)
        self._take = client.register_script(_TAKE)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of `host`'s slots in the group for the length of a request."""
        key = host.lower()
        async with self._local.slot(key):
            token, wait_ms = await self._acquire(key)
            try:
                if wait_ms > 0:
                    await asyncio.sleep(wait_ms / 1000)
                yield
            finally:
                if token is not None:
                    await self._release(key, token)

    async def _acquire(self, host: str) -> tuple[str | None, int]:
        """A slot's token and how long to wait before starting; (None, 0) without Redis."""
        token = uuid.uuid4().hex
        keys = [self._keys.host(host, "slots"), self._keys.host(host, "next")]
        args = [token, self._concurrency, self._interval_ms, self._lease_ms]
        poll_s = _FIRST_POLL_S
        while True:
            try:
                wait_ms = int(await self._take(keys=keys, args=args))
            except RedisError:
                log.warning("shared politeness unavailable for %s; pacing this instance only", host)
                return None, 0
            if wait_ms >= 0:
                return token, wait_ms
            stop_if_cancelled()
            await asyncio.sleep(poll_s)  # every slot is held elsewhere in the group
            poll_s = min(poll_s * 2, _MAX_POLL_S)

    async def _release(self, host: str, token: str) -> None:
        try:
            await self._client.zrem(self._keys.host(host, "slots"), token)
        except RedisError:  # the slot's lease ends it
            log.warning("could not give back a request slot for %s", host)


class SharedTurns:
    """Turns at a public API (a keyless search provider) for the whole group: `Pace.share` takes it."""

    def __init__(self, client: Redis, keys: GroupKeys) -> None:
        self._keys = keys
        self._turn = client.register_script(_TURN)
        self._alone: dict[str, float] = {}  # next start per API while Redis cannot be reached

    async def __call__(self, name: str, interval_s: float) -> float:
        """Seconds to wait for the next turn at `name`, booked for this caller."""
        try:
            waited = await self._turn(
                keys=[self._keys.host(f"api:{name}", "next")], args=[int(interval_s * 1000)]
            )
            return int(waited) / 1000
        except RedisError:
            log.warning("shared pacing unavailable for %s; pacing this instance only", name)
            loop = asyncio.get_running_loop()
            start = max(loop.time(), self._alone.get(name, 0.0))
            self._alone[name] = start + interval_s
            return start - loop.time()
