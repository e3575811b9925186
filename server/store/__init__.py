"""Storage backends behind the `Store` protocol, chosen by `store.backend`."""

from server.settings import StoreSettings
from server.store.base import PriceObservation, Store, StoredBriefing, Watch
from server.store.maintenance import purging
from server.store.redis_store import RedisStore
from server.store.sqlite import SQLiteStore

__all__ = [
    "PriceObservation",
    "RedisStore",
    "SQLiteStore",
    "Store",
    "StoredBriefing",
    "Watch",
    "open_store",
    "purging",
]

DEFAULT_REDIS_PREFIX = "zmot:"


def open_store(settings: StoreSettings) -> Store:
    """The configured store, not yet opened (call `await store.open()`; a Redis that does not answer
    then is a ConfigError)."""
    if settings.backend == "redis":
        return RedisStore(settings.redis_url, prefix=settings.redis_prefix or DEFAULT_REDIS_PREFIX)
    return SQLiteStore(settings.sqlite_path())
