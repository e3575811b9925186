"""Storage backends behind the `Store` protocol, chosen by `store.backend`."""

from server.errors import ConfigError
from server.settings import StoreSettings
from server.store.base import PriceObservation, Store, Watch
from server.store.maintenance import purging
from server.store.sqlite import SQLiteStore

__all__ = ["PriceObservation", "SQLiteStore", "Store", "Watch", "open_store", "purging"]


def open_store(settings: StoreSettings) -> Store:
    """The configured store, not yet opened (call `await store.open()`)."""
    if settings.backend == "sqlite":
        return SQLiteStore(settings.sqlite_path())
    raise ConfigError(f"store.backend {settings.backend!r} is not available in this version; use 'sqlite'")
