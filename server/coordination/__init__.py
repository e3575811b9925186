"""Coordination between the instances of one zmot server (see base.py for what is shared and why)."""

from __future__ import annotations

from server.coordination.base import Coordination, FollowedRun, HostSlots
from server.coordination.local import LocalCoordination
from server.settings import StoreSettings

__all__ = ["Coordination", "FollowedRun", "HostSlots", "LocalCoordination", "open_coordination"]


def open_coordination(settings: StoreSettings) -> Coordination:
    """Redis coordination when the store is Redis (instances may be many), else the lone instance's."""
    if settings.backend == "redis":
        from server.coordination.redis_group import RedisCoordination

        # Beside the store's keys, under the same prefix (store.redis_prefix where settings have it).
        prefix = getattr(settings, "redis_prefix", "") or "zmot:"
        return RedisCoordination(settings.redis_url, prefix=prefix)
    return LocalCoordination()
