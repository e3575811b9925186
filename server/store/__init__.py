"""Storage backends behind the `Store` protocol, chosen by `store.backend`. The Redis one (and redis-py,
a fifth of a second to import) loads only when it is asked for."""

from typing import Any

from server.settings import StoreSettings
from server.store.base import PriceObservation, Store, StoredBriefing, Watch, WatchAlert
from server.store.maintenance import purging
from server.store.sqlite import SQLiteStore

__all__ = [
    "PriceObservation",
    "RedisStore",
    "SQLiteStore",
    "Store",
    "StoredBriefing",
    "Watch",
    "WatchAlert",
    "open_store",
    "purging",
]

DEFAULT_REDIS_PREFIX = "zmot:"


def open_store(settings: StoreSettings) -> Store:
    """The configured store, not yet opened (call `await store.open()`; a Redis that does not answer
    then is a ConfigError)."""
    if settings.backend == "redis":
        from server.store.redis_store import RedisStore

        return RedisStore(settings.redis_url, prefix=settings.redis_prefix or DEFAULT_REDIS_PREFIX)
    return SQLiteStore(settings.sqlite_path())


def __getattr__(name: str) -> Any:
    if name == "RedisStore":
        from server.store.redis_store import RedisStore

        return RedisStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
