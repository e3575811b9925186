"""A briefing another instance is building, followed here through its Redis stream of events."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from server.coordination.base import Event
from server.sources.reading import source_entry
from server.tasks import stop_if_cancelled

__all__ = ["LOST", "STOPPED", "GroupKeys", "RemoteRun"]

STOPPED = "the server that was building this briefing stopped before it finished"
LOST = "lost touch with the server that is building this briefing (Redis does not answer)"
_START = "start"  # the stream's first entry: the run's first state, not an event for followers


@dataclass(frozen=True)
class GroupKeys:
    """The names of what the instances share, under the store's prefix and apart from the store's keys."""

    prefix: str = "zmot:"

    def events(self, run_id: str) -> str:
        """A stream: the run's first state, then its events."""
        return f"{self.prefix}group:run:{run_id}:events"

    def lease(self, run_id: str) -> str:
        """Exists while the instance building the run lives (renewed, expiring)."""
        return f"{self.prefix}group:run:{run_id}:lease"

    def claim(self, page_key: str) -> str:
        """The id of the run that builds this page now (renewed, expiring with the run's lease)."""
        return f"{self.prefix}group:claim:{page_key}"

    def host(self, host: str, what: str) -> str:
        """A host's request slots ("slots", a sorted set of leases) or its next allowed start ("next")."""
        return f"{self.prefix}group:host:{host}:{what}"


class RemoteRun:
    """What a follower on this instance needs of a run built elsewhere: its briefing as it stands and its
    events, replayed from the first and then waited for.

    `saved` is True and `page_key` None so that the pipeline never joins it as one of its own runs: a
    request for the same page finds the remote run through its claim, which knows when it has ended."""

    remote = True
    saved = True
    page_key = None
    task = None

    def __init__(
        self,
        client: Redis,
        keys: GroupKeys,
        run_id: str,
        entries: list[tuple[str, dict[str, str]]],
        check_s: float,
    ) -> None:
        self.id = run_id
        self._client = client
        self._keys = keys
        self._check_s = check_s
        self.briefing: dict[str, Any] = {}
        self.events: list[Event] = []
        self._last = "0"
        self._absorb(entries)

    @property
    def done(self) -> bool:
        return bool(self.briefing) and self.briefing.get("status") != "running"

    def _absorb(self, entries: list[tuple[str, dict[str, str]]]) -> list[Event]:
        """Take stream entries newer than those seen; returns the events among them."""
        new: list[Event] = []
        for entry_id, fields in entries:
            if _newer(entry_id, self._last):
                self._last = entry_id
                event, data = fields["e"], json.loads(fields["d"])
                if event == _START:
                    self.briefing = data
                    continue
                if event == "section":
                    self.briefing[data["section"]] = data["data"]
                elif event == "done":
                    self.briefing = data
                self.events.append((event, data))
                new.append((event, data))
        return new

    async def follow(self, keepalive_s: float | None = None) -> AsyncIterator[Event]:
        """Every event so far, then each new one as it comes, ending with `done`; a ("keepalive", {})
        while nothing happens for `keepalive_s`. If the building instance dies (its lease runs out), a
        partial `done` ends the stream instead of leaving the follower waiting for ever."""
        sent = 0
        quiet_since = time.monotonic()
        while True:
            while sent < len(self.events):
                yield self.events[sent]
                sent += 1
                quiet_since = time.monotonic()
            if self.done:
                return
            stop_if_cancelled()
            try:
                answer = await self._client.xread(
                    {self._keys.events(self.id): self._last}, block=_ms(self._check_s)
                )
                if answer:
                    self._absorb(answer[0][1])
                    continue
                if not await self._client.exists(self._keys.lease(self.id)):
                    self._absorb(await self._client.xrange(self._keys.events(self.id), min=f"({self._last}"))
                    if not self.done:
                        self._abandon(STOPPED)
                    continue
            except RedisError:
                if not self.done:
                    self._abandon(LOST)
                continue
            if keepalive_s is not None and time.monotonic() - quiet_since >= keepalive_s:
                yield "keepalive", {}
                quiet_since = time.monotonic()

    def _abandon(self, why: str) -> None:
        """End the briefing as it stands: partial, with a source entry that says why."""
        briefing = copy.deepcopy(self.briefing)
        briefing.setdefault("sources", []).append(source_entry("briefing", "error", error=why))
        briefing["status"] = "partial"
        self.briefing = briefing
        self.events.append(("section", {"section": "sources", "data": briefing["sources"]}))
        self.events.append(("done", briefing))


def _newer(entry_id: str, last: str) -> bool:
    a, _, b = entry_id.partition("-")
    c, _, d = last.partition("-")
    return (int(a), int(b or 0)) > (int(c), int(d or 0))


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
