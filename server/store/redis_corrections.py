"""The Redis store's corrections: per owner, a hash of corrections by id and a hash from (site, field) to
the id that holds it, kept in step by scripts, so that a new correction replaces the old one atomically."""

from __future__ import annotations

import dataclasses
import json

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from server.store.base import SiteCorrection
from server.store.redis_codec import RedisKeys

__all__ = ["RedisCorrections"]

# KEYS: the owner's corrections, the owner's (site, field) index. ARGV: site+field, id, the correction.
_PUT = """
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('HDEL', KEYS[1], old) end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
"""

# KEYS: as above. ARGV: id. Returns 1 when the correction was there.
_DELETE = """
local body = redis.call('HGET', KEYS[1], ARGV[1])
if not body then return 0 end
local c = cjson.decode(body)
local key = c.site .. '\\n' .. c.field
if redis.call('HGET', KEYS[2], key) == ARGV[1] then redis.call('HDEL', KEYS[2], key) end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
"""


class RedisCorrections:
    """Correction methods of `RedisStore`, which opens the client they use."""

    _keys: RedisKeys
    _correction_scripts: tuple[Redis, AsyncScript, AsyncScript] | None = None

    @property
    def redis(self) -> Redis:
        raise NotImplementedError  # RedisStore's

    def _names(self, owner: str) -> list[str]:
        # The owner is a token id (hex) or "": safe in a key name as it is.
        return [f"{self._keys.prefix}corrections:{owner}", f"{self._keys.prefix}correction-fields:{owner}"]

    def _scripts(self) -> tuple[AsyncScript, AsyncScript]:
        """The scripts, registered with the client open now (a store opened again has a new one)."""
        client = self.redis
        if self._correction_scripts is None or self._correction_scripts[0] is not client:
            self._correction_scripts = (client, client.register_script(_PUT), client.register_script(_DELETE))
        return self._correction_scripts[1:]

    async def put_correction(self, correction: SiteCorrection) -> None:
        put, _ = self._scripts()
        body = json.dumps(dataclasses.asdict(correction), separators=(",", ":"))
        args = [f"{correction.site}\n{correction.field}", correction.id, body]
        await put(keys=self._names(correction.owner), args=args)

    async def corrections(self, owner: str, site: str | None = None) -> list[SiteCorrection]:
        bodies = await self.redis.hvals(self._names(owner)[0])
        found = [SiteCorrection(**json.loads(body)) for body in bodies]
        if site is not None:
            found = [c for c in found if c.site == site]
        return sorted(found, key=lambda c: (c.created_at, c.id), reverse=True)

    async def delete_correction(self, owner: str, correction_id: str) -> bool:
        _, delete = self._scripts()
        return bool(await delete(keys=self._names(owner), args=[correction_id]))

    async def all_corrections(self) -> list[SiteCorrection]:
        """Every owner's corrections, for `zmot store copy`."""
        found: list[SiteCorrection] = []
        async for name in self.redis.scan_iter(match=f"{self._keys.prefix}corrections:*"):
            found.extend(SiteCorrection(**json.loads(body)) for body in await self.redis.hvals(name))
        return found
