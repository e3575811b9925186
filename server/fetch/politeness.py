"""Per-host politeness: at most N requests in flight to one host, and a pause between their starts."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

__all__ = ["HostGate", "HostSlots"]

# Hosts remembered at once. A briefing touches a few dozen; a long-running server meets new hosts
# forever, so the least recently used idle ones are forgotten (they would be paced from scratch).
MAX_HOSTS = 4096


class HostSlots(Protocol):
    """What the fetcher asks of a gate: a slot per request to a host. `HostGate` is this process's;
    server.coordination shares one across instances."""

    def slot(self, host: str) -> AbstractAsyncContextManager[None]: ...


@dataclass
class _HostState:
    slots: asyncio.Semaphore
    next_start: float = 0.0
    users: int = 0  # requests holding or waiting for one of the slots


class HostGate:
    """Hands out request slots per host: `concurrency` at a time, starts at least `interval_s` apart.

    Remembers at most `max_hosts` hosts that have no request in flight or waiting; a host with one is
    never forgotten, since a fresh semaphore for it would let more than `concurrency` requests in."""

    def __init__(self, concurrency: int, interval_s: float, *, max_hosts: int = MAX_HOSTS) -> None:
        self._concurrency = max(1, concurrency)
        self._interval_s = max(0.0, interval_s)
        self._max_hosts = max(1, max_hosts)
        self._hosts: OrderedDict[str, _HostState] = OrderedDict()

    def __len__(self) -> int:
        """How many hosts are remembered."""
        return len(self._hosts)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of `host`'s slots for the length of a request, waiting for its turn to start."""
        state = self._enter(host.lower())
        try:
            async with state.slots:
                loop = asyncio.get_running_loop()
                now = loop.time()
                start = max(now, state.next_start)
                # Book the start time before sleeping so that concurrent holders queue behind it.
                state.next_start = start + self._interval_s
                if start > now:
                    await asyncio.sleep(start - now)
                yield
        finally:
            state.users -= 1

    def _enter(self, key: str) -> _HostState:
        """`key`'s state, counted as used (so it cannot be forgotten), made the most recently used."""
        state = self._hosts.get(key)
        if state is None:
            state = self._hosts[key] = _HostState(asyncio.Semaphore(self._concurrency))
        else:
            self._hosts.move_to_end(key)
        state.users += 1
        self._forget_idle()
        return state

    def _forget_idle(self) -> None:
        """Drop the least recently used hosts without requests until at most `max_hosts` are left.

        A forgotten host's pause is forgotten too; with thousands of more recent hosts in between,
        its last request is long past in all but the busiest servers."""
        excess = len(self._hosts) - self._max_hosts
        if excess <= 0:
            return
        idle: list[str] = []
        for key, state in self._hosts.items():
            if state.users == 0:
                idle.append(key)
                if len(idle) == excess:
                    break
        for key in idle:
            del self._hosts[key]
