"""Per-host politeness: at most N requests in flight to one host, and a pause between their starts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["HostGate"]


class HostGate:
    """Hands out request slots per host: `concurrency` at a time, starts at least `interval_s` apart."""

    def __init__(self, concurrency: int, interval_s: float) -> None:
        self._concurrency = max(1, concurrency)
        self._interval_s = max(0.0, interval_s)
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of `host`'s slots for the length of a request, waiting for its turn to start."""
        key = host.lower()
        semaphore = self._slots.setdefault(key, asyncio.Semaphore(self._concurrency))
        async with semaphore:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self._next_start.get(key, now))
            # Book the start time before sleeping so that concurrent holders queue behind it.
            self._next_start[key] = start + self._interval_s
            if start > now:
                await asyncio.sleep(start - now)
            yield
