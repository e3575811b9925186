"""The Redis store's watches: a hash of each watch's state and a sorted set of next checks, kept in step
by transactions and scripts, so that several zmot instances can share them out with claims."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from server.store.base import Watch
from server.store.redis_codec import RedisKeys, decode_watch, encode_watch, number, watch_field

__all__ = ["RedisWatches"]

# KEYS: watches hash, due set. ARGV: field, state, next check. Only a watch still there is updated.
_UPDATE = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
"""

# KEYS: watches hash, due set. ARGV: product id. Every page of the product.
_DELETE_PRODUCT = """
local removed = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if cjson.decode(field)[1] == ARGV[1] then
    removed = removed + redis.call('HDEL', KEYS[1], field)
    redis.call('ZREM', KEYS[2], field)
  end
end
return removed
"""

# KEYS: watches hash, due set. ARGV: now, limit, the lease's end. Picks and pushes in one atomic step;
# a due entry whose watch is gone is dropped on the way.
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, field in ipairs(due) do
  local state = redis.call('HGET', KEYS[1], field)
  if state then
    redis.call('ZADD', KEYS[2], 'XX', ARGV[3], field)
    claimed[#claimed + 1] = field
    claimed[#claimed + 1] = state
  else
    redis.call('ZREM', KEYS[2], field)
  end
end
return claimed
"""


class RedisWatches:
    """Watch methods of `RedisStore`, which opens the client they use."""

    _keys: RedisKeys

    @property
    def redis(self) -> Redis:
        raise NotImplementedError  # RedisStore's

    def _watch_scripts(self, client: Redis) -> None:
        self._update_script: AsyncScript = client.register_script(_UPDATE)
        self._delete_product_script: AsyncScript = client.register_script(_DELETE_PRODUCT)
        self._claim_script: AsyncScript = client.register_script(_CLAIM)

    async def add_watch(self, watch: Watch) -> tuple[Watch, bool]:
        field = watch_field(watch.product_id, watch.url)
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hsetnx(self._keys.watches, field, encode_watch(watch))
            tx.zadd(self._keys.due, {field: number(watch.next_check)}, nx=True)
            tx.hget(self._keys.watches, field)
            tx.zscore(self._keys.due, field)
            added, _, state, next_check = await tx.execute()
        return decode_watch(field, state, next_check), bool(added)

    async def update_watch(self, watch: Watch) -> bool:
        field = watch_field(watch.product_id, watch.url)
        args = [field, encode_watch(watch), number(watch.next_check)]
        return bool(await self._update_script(keys=[self._keys.watches, self._keys.due], args=args))

    async def delete_watch(self, product_id: str, url: str | None = None) -> int:
        keys = [self._keys.watches, self._keys.due]
        if url is None:
            return int(await self._delete_product_script(keys=keys, args=[product_id]))
        field = watch_field(product_id, url)
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hdel(self._keys.watches, field)
            tx.zrem(self._keys.due, field)
            removed, _ = await tx.execute()
        return int(removed)

    async def watches(self) -> list[Watch]:
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hgetall(self._keys.watches)
            tx.zrange(self._keys.due, 0, -1, withscores=True)
            states, due = await tx.execute()
        next_checks = dict(due)
        found = [decode_watch(f, s, next_checks[f]) for f, s in states.items() if f in next_checks]
        return sorted(found, key=lambda w: (w.created_at, w.product_id, w.url))

    async def due_watches(self, now: float, limit: int = 20) -> list[Watch]:
        """Ties in next check come in (product, page) order."""
        due = await self.redis.zrangebyscore(self._keys.due, "-inf", number(now), 0, limit, withscores=True)
        if not due:
            return []
        states = await self.redis.hmget(self._keys.watches, [field for field, _ in due])
        return [decode_watch(f, s, score) for (f, score), s in zip(due, states, strict=True) if s is not None]

    async def claim_due_watches(self, now: float, *, limit: int, lease_s: float) -> list[Watch]:
        """One Lua script picks the due watches and pushes their next check: Redis runs it whole, with no
        other client's command in between."""
        until = now + lease_s
        args = [number(now), limit, number(until)]
        flat = await self._claim_script(keys=[self._keys.watches, self._keys.due], args=args)
        return [decode_watch(flat[i], flat[i + 1], until) for i in range(0, len(flat), 2)]
