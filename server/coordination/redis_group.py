"""Several instances on one Redis: runs claimed per page with a lease, their events in a Redis Stream per
briefing (replayed, then waited for, by followers on any instance), and the hosts' politeness shared."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from server.coordination.followed import GroupKeys, RemoteRun
from server.coordination.redis_hosts import SharedHostGate, SharedTurns
from server.tasks import stop_if_cancelled

__all__ = ["LEASE_S", "RedisCoordination"]

log = logging.getLogger("zmot.coordination")

LEASE_S = 10.0  # a run's claim outlives a dead instance this long at most; renewed every third of it
STREAM_TTL_S = 30 * 60  # a briefing's events stay this long after the last one (late followers)

# KEYS: events, lease[, claim]; ARGV: run id, lease ms, first state (JSON), stream ttl ms.
_BEGIN = """
if #KEYS == 3 then
  if not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then
    return redis.call('GET', KEYS[3])
  end
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('XADD', KEYS[1], '*', 'e', 'start', 'd', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return false
"""
# KEYS: lease[, claim]; ARGV: run id, lease ms (0: give back).
_RENEW = """
if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if #KEYS == 2 and redis.call('GET', KEYS[2]) == ARGV[1] then
  if ARGV[2] == '0' then redis.call('DEL', KEYS[2]) else redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
end
return 1
"""


@dataclass
class _Held:
    """A run this instance builds: the page it claimed, and its events on their way to the stream."""

    claim: str | None
    pending: list[tuple[str, str]] = field(default_factory=list)
    writer: asyncio.Task[None] | None = None


class RedisCoordination:
    """`Coordination` for a group of instances on the Redis at `url`."""

    shared = True

    def __init__(
        self, url: str, *, prefix: str = "zmot:", lease_s: float = LEASE_S, check_s: float = 1.0
    ) -> None:
        self.client: Redis = Redis.from_url(url, decode_responses=True)
        self.keys = GroupKeys(prefix)
        self.lease_s = lease_s
        self.check_s = min(check_s, lease_s / 2)
        self._held: dict[str, _Held] = {}
        self._renewing: asyncio.Task[None] | None = None
        self.turns = SharedTurns(self.client, self.keys)  # for the keyless search providers' Pace
        self._begin = self.client.register_script(_BEGIN)
        self._renew = self.client.register_script(_RENEW)

    async def open(self) -> None:
        if self._renewing is None:
            self._renewing = asyncio.create_task(self._renew_forever(), name="coordination-leases")

    async def close(self) -> None:
        if self._renewing is not None:
            self._renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewing
            self._renewing = None
        await self.client.aclose()

    async def begin(self, run_id: str, key: str | None, briefing: dict[str, Any]) -> str | None:
        claim = self.keys.claim(key) if key else None
        keys = [self.keys.events(run_id), self.keys.lease(run_id), *([claim] if claim else [])]
        args = [run_id, _ms(self.lease_s), json.dumps(briefing), _ms(STREAM_TTL_S)]
        try:
            holder = await self._begin(keys=keys, args=args)
        except RedisError:  # Redis away: build it here, as a lone instance would
            log.warning("could not announce briefing %s to the other instances", run_id, exc_info=True)
            return None
        if holder:
            return str(holder)
        self._held[run_id] = _Held(claim)
        return None

    def publish(self, run_id: str, event: str, data: dict[str, Any]) -> None:
        held = self._held.get(run_id)
        if held is None:
            return
        held.pending.append((event, json.dumps(data, separators=(",", ":"))))
        if held.writer is None or held.writer.done():
            held.writer = asyncio.create_task(self._write(run_id, held), name=f"events-{run_id}")

    async def _write(self, run_id: str, held: _Held) -> None:
        """Send what is pending, in order, one round trip per batch, until nothing is left."""
        stream = self.keys.events(run_id)
        while held.pending:
            batch, held.pending = held.pending, []
            pipe = self.client.pipeline(transaction=False)
            for event, data in batch:
                pipe.xadd(stream, {"e": event, "d": data})
            pipe.pexpire(stream, _ms(STREAM_TTL_S))
            try:
                await pipe.execute()
            except RedisError:  # followers here still have them; those elsewhere end at the lease
                log.warning("could not share %d events of briefing %s", len(batch), run_id, exc_info=True)

    async def end(self, run_id: str) -> None:
        held = self._held.pop(run_id, None)
        if held is None:
            return
        if held.writer is not None:
            await held.writer
        keys = [self.keys.lease(run_id), *([held.claim] if held.claim else [])]
        try:
            await self._renew(keys=keys, args=[run_id, 0])
        except RedisError:  # the lease runs out by itself
            log.warning("could not give back the claim of briefing %s", run_id, exc_info=True)

    async def remote_run(self, run_id: str) -> RemoteRun | None:
        try:
            entries = await self.client.xrange(self.keys.events(run_id))
        except RedisError:
            log.warning("could not look for briefing %s among the other instances", run_id, exc_info=True)
            return None
        if not entries:
            return None
        return RemoteRun(self.client, self.keys, run_id, entries, check_s=self.check_s)

    def host_slots(self, concurrency: int, interval_s: float, lease_s: float) -> SharedHostGate:
        return SharedHostGate(self.client, self.keys, concurrency, interval_s, lease_s=lease_s)

    def share_pacing(self, providers: Iterable[object]) -> None:
        for provider in providers:
            share = getattr(getattr(provider, "pace", None), "share", None)
            if share is not None:
                share(str(getattr(provider, "name", type(provider).__name__)), self.turns)

    async def _renew_forever(self) -> None:
        """Keep the leases of this instance's runs alive: when it dies they run out, and the page may be
        claimed by the next request on another instance."""
        while True:
            stop_if_cancelled()
            await asyncio.sleep(self.lease_s / 3)
            for run_id, held in list(self._held.items()):
                keys = [self.keys.lease(run_id), *([held.claim] if held.claim else [])]
                try:
                    await self._renew(keys=keys, args=[run_id, _ms(self.lease_s)])
                except RedisError:
                    log.warning("could not renew the lease of briefing %s", run_id, exc_info=True)


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
