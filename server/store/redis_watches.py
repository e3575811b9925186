"""The Redis store's watches: a hash of what checks found, a hash of the shopper's rules, and a sorted set
of next checks, kept in step by transactions and scripts, so that several zmot instances can share them
out with claims; and each owner's alerts in a sorted set by time."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from server.store.base import Watch, WatchAlert
from server.store.redis_codec import (
    RedisKeys,
    decode_alert,
    decode_watch,
    encode_alert,
    encode_rules,
    encode_watch,
    number,
    watch_field,
)

__all__ = ["RedisWatches"]

# KEYS: watches hash, due set. ARGV: field, state, next check. Only a watch still there is updated.
_UPDATE = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
"""

# KEYS: watches hash, rules hash. ARGV: field, rules. Returns the state, or false when there is no watch.
_SET_RULES = """
local state = redis.call('HGET', KEYS[1], ARGV[1])
if not state then return false end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return state
"""

# KEYS: watches hash, due set, rules hash. ARGV: product id, owner. Every page of the owner's product.
_DELETE_PRODUCT = """
local removed = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local key = cjson.decode(field)
  if key[1] == ARGV[1] and (key[3] or '') == ARGV[2] then
    removed = removed + redis.call('HDEL', KEYS[1], field)
    redis.call('ZREM', KEYS[2], field)
    redis.call('HDEL', KEYS[3], field)
  end
end
return removed
"""

# KEYS: watches hash, due set, rules hash. ARGV: now, limit, the lease's end. Picks and pushes in one
# atomic step; a due entry whose watch is gone is dropped on the way.
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, field in ipairs(due) do
  local state = redis.call('HGET', KEYS[1], field)
  if state then
    redis.call('ZADD', KEYS[2], 'XX', ARGV[3], field)
    claimed[#claimed + 1] = field
    claimed[#claimed + 1] = state
    claimed[#claimed + 1] = redis.call('HGET', KEYS[3], field) or ''
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
        self._set_rules_script: AsyncScript = client.register_script(_SET_RULES)
        self._delete_product_script: AsyncScript = client.register_script(_DELETE_PRODUCT)
        self._claim_script: AsyncScript = client.register_script(_CLAIM)

    async def add_watch(self, watch: Watch) -> tuple[Watch, bool]:
        field = watch_field(watch.product_id, watch.url, watch.owner)
        keys = self._keys
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hsetnx(keys.watches, field, encode_watch(watch))
            tx.hsetnx(keys.watch_rules, field, encode_rules(watch))
            tx.zadd(keys.due, {field: number(watch.next_check)}, nx=True)
            tx.hget(keys.watches, field)
            tx.hget(keys.watch_rules, field)
            tx.zscore(keys.due, field)
            added, _, _, state, rules, next_check = await tx.execute()
        return decode_watch(field, state, rules, next_check), bool(added)

    async def update_watch(self, watch: Watch) -> bool:
        field = watch_field(watch.product_id, watch.url, watch.owner)
        args = [field, encode_watch(watch), number(watch.next_check)]
        return bool(await self._update_script(keys=[self._keys.watches, self._keys.due], args=args))

    async def set_watch_rules(self, watch: Watch) -> Watch | None:
        field = watch_field(watch.product_id, watch.url, watch.owner)
        rules = encode_rules(watch)
        state = await self._set_rules_script(
            keys=[self._keys.watches, self._keys.watch_rules], args=[field, rules]
        )
        if state is None:
            return None
        next_check = await self.redis.zscore(self._keys.due, field)
        return decode_watch(field, state, rules, next_check if next_check is not None else watch.next_check)

    async def delete_watch(self, product_id: str, url: str | None = None, *, owner: str = "") -> int:
        keys = [self._keys.watches, self._keys.due, self._keys.watch_rules]
        if url is None:
            return int(await self._delete_product_script(keys=keys, args=[product_id, owner]))
        field = watch_field(product_id, url, owner)
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hdel(self._keys.watches, field)
            tx.zrem(self._keys.due, field)
            tx.hdel(self._keys.watch_rules, field)
            removed, _, _ = await tx.execute()
        return int(removed)

    async def watches(self, owner: str | None = None) -> list[Watch]:
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hgetall(self._keys.watches)
            tx.hgetall(self._keys.watch_rules)
            tx.zrange(self._keys.due, 0, -1, withscores=True)
            states, rules, due = await tx.execute()
        next_checks = dict(due)
        found = [
            decode_watch(f, s, rules.get(f), next_checks[f]) for f, s in states.items() if f in next_checks
        ]
        if owner is not None:
            found = [w for w in found if w.owner == owner]
        return sorted(found, key=lambda w: (w.created_at, w.product_id, w.url, w.owner))

    async def due_watches(self, now: float, limit: int = 20) -> list[Watch]:
        """Ties in next check come in (product, page) order."""
        due = await self.redis.zrangebyscore(self._keys.due, "-inf", number(now), 0, limit, withscores=True)
        if not due:
            return []
        fields = [field for field, _ in due]
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hmget(self._keys.watches, fields)
            tx.hmget(self._keys.watch_rules, fields)
            states, rules = await tx.execute()
        return [
            decode_watch(f, s, r, score)
            for (f, score), s, r in zip(due, states, rules, strict=True)
            if s is not None
        ]

    async def claim_due_watches(self, now: float, *, limit: int, lease_s: float) -> list[Watch]:
        """One Lua script picks the due watches and pushes their next check: Redis runs it whole, with no
        other client's command in between."""
        until = now + lease_s
        args = [number(now), limit, number(until)]
        keys = [self._keys.watches, self._keys.due, self._keys.watch_rules]
        flat = await self._claim_script(keys=keys, args=args)
        return [decode_watch(flat[i], flat[i + 1], flat[i + 2], until) for i in range(0, len(flat), 3)]

    async def add_alert(self, alert: WatchAlert, *, keep_s: float) -> None:
        key = self._keys.alerts(alert.owner)
        async with self.redis.pipeline(transaction=True) as tx:
            tx.zadd(key, {encode_alert(alert): number(alert.at)})
            tx.zremrangebyscore(key, "-inf", f"({number(alert.at - keep_s)}")
            tx.expire(key, max(1, int(keep_s)))  # an owner gone quiet leaves nothing behind
            await tx.execute()

    async def alerts_since(self, owner: str, since: float) -> list[WatchAlert]:
        members = await self.redis.zrangebyscore(self._keys.alerts(owner), f"({number(since)}", "+inf")
        return [decode_alert(member) for member in members]

    async def all_alerts(self) -> list[WatchAlert]:
        """Every owner's alerts, oldest first, for `zmot store copy`."""
        found: list[WatchAlert] = []
        async for name in self.redis.scan_iter(match=self._keys.alerts("*")):
            found.extend(decode_alert(member) for member in await self.redis.zrange(name, 0, -1))
        return sorted(found, key=lambda alert: (alert.at, alert.id))
