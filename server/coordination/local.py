"""One instance on its own: nothing to share, so the pipeline's in-process bookkeeping is the whole story."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server.coordination.base import FollowedRun, HostSlots
from server.fetch.politeness import HostGate

__all__ = ["LocalCoordination"]


class LocalCoordination:
    """What `Coordination` asks, answered for a server that is alone (the SQLite store)."""

    shared = False

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def begin(self, run_id: str, key: str | None, briefing: dict[str, Any]) -> str | None:
        return None  # the pipeline already joins runs of its own process

    def publish(self, run_id: str, event: str, data: dict[str, Any]) -> None:
        return None

    async def end(self, run_id: str) -> None:
        return None

    async def remote_run(self, run_id: str) -> FollowedRun | None:
        return None

    def host_slots(self, concurrency: int, interval_s: float, lease_s: float) -> HostSlots:
        return HostGate(concurrency, interval_s)

    def share_pacing(self, providers: Iterable[object]) -> None:
        return None  # each provider's own Pace is the whole group's
