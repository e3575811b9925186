"""What several `zmot serve` instances share to behave as one server: who builds which briefing, the
events of a briefing wherever it is being built, and the politeness towards every host.

One instance (SQLite) needs none of it: `LocalCoordination` answers as if it were alone, and the pipeline
keeps doing what it always did in its own process. With Redis, `RedisCoordination` shares it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any, Protocol

from server.fetch.politeness import HostSlots

__all__ = ["Coordination", "Event", "FollowedRun", "HostSlots"]

Event = tuple[str, dict[str, Any]]


class FollowedRun(Protocol):
    """A briefing being built, as a follower sees it: what server.pipeline.BriefingRun offers an SSE
    stream or a joining request."""

    id: str
    briefing: dict[str, Any]
    remote: bool  # built by another instance
    page_key: str | None  # the page it briefs, when known

    @property
    def done(self) -> bool: ...

    def follow(self, keepalive_s: float | None = None) -> AsyncIterator[Event]: ...


class Coordination(Protocol):
    """How the instances of one zmot server agree; every method is cheap for the local kind."""

    shared: bool  # True when other instances may exist (and may hold runs this one does not)

    async def open(self) -> None: ...
    async def close(self) -> None: ...

    async def begin(self, run_id: str, key: str | None, briefing: dict[str, Any]) -> str | None:
        """Announce a new run (its first state in `briefing`) and, with a `key` (the page it briefs), take
        that page for it: None when the run is this instance's to build; else the id of the run another
        instance is building for the same page (nothing is announced then). The claim holds while this
        instance lives and is renewed; `end` gives it back."""

    def publish(self, run_id: str, event: str, data: dict[str, Any]) -> None:
        """Share one event of a run that `begin` announced; events reach followers in the order given."""

    async def end(self, run_id: str) -> None:
        """The run is finished and stored: its events are all out, its page may be claimed again."""

    async def remote_run(self, run_id: str) -> FollowedRun | None:
        """A run that another instance announced, to follow here; None when there is none."""

    def host_slots(self, concurrency: int, interval_s: float, lease_s: float) -> HostSlots:
        """The gate every outgoing request passes, per host, shared by the whole group."""

    def share_pacing(self, providers: Iterable[object]) -> None:
        """Make the search providers that pace themselves (a `pace` with `share`, see
        scrapers.search._json.Pace) take turns with the whole group."""
