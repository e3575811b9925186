"""One briefing being built: its state, its sources, and the events its followers replay and wait for."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from scrapers.types import ProductPage
from server.i18n import Code
from server.sources.reading import ms_since, source_entry
from server.store.base import SiteCorrection

__all__ = ["SECTIONS", "BriefingRun"]

SECTIONS = ("product", "price", "reviews", "mentions", "verdict", "sources")
_FAILED = frozenset({"error", "timeout", "blocked"})
# Sources that are one of many: a mention page, an offer page, one provider of a combined search.
_ONE_OF_MANY = ("mention", "offer", "search")


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class BriefingRun:
    """One briefing being built: its state, and the events a follower replays and then waits for."""

    def __init__(self, url: str, locale: str | None = None, owner: str = "") -> None:
        self.id = uuid.uuid4().hex
        self.started = time.monotonic()
        self.locale = locale
        self.owner = owner
        self.page: ProductPage | None = None
        self.product_id: str | None = None
        self.page_key: str | None = None  # what the briefing is stored under: this page showing these facts
        # The owner's corrections of the page's site, by their ids ("" when none): part of what the
        # same bytes posted again are answered by (Pipeline.again).
        self.corrections_digest = ""
        self.corrections: list[SiteCorrection] = []  # those the page was read through
        self.saved = False  # in the store: from then on the store answers for its page
        self.task: asyncio.Task | None = None
        self.briefing: dict[str, Any] = {
            "id": self.id,
            "url": url,
            "status": "running",
            "generated_at": _now_iso(),
            "elapsed_ms": 0,
            **{name: None for name in SECTIONS if name != "sources"},
            "sources": [],
        }
        self.events: list[tuple[str, dict[str, Any]]] = []
        # Where each event goes besides local followers: the other instances of the group, if any.
        self.relay: Callable[[str, dict[str, Any]], None] | None = None
        self._changed = asyncio.Event()

    remote = False  # built here (a run another instance builds is a coordination.RemoteRun)

    @property
    def done(self) -> bool:
        return self.briefing["status"] != "running"

    def elapsed_ms(self) -> int:
        return ms_since(self.started)

    def add_source(
        self,
        name: str,
        status: str,
        *,
        plugin: str | None = None,
        url: str | None = None,
        elapsed_ms: int = 0,
        error: str | None = None,
        error_code: Code | None = None,
    ) -> None:
        self.briefing["sources"].append(
            source_entry(
                name,
                status,
                plugin=plugin,
                url=url,
                elapsed_ms=elapsed_ms,
                error=error,
                error_code=error_code,
            )
        )

    def has_failures(self) -> bool:
        """True when the shopper misses a section: the page, the price, the reviews, or the search as a
        whole (offers, mentions) failed, timed out or was blocked; the briefing is then partial. One blog,
        one shop or one of several search providers that failed is not a missing section: its `sources`
        entry says so and the briefing is complete, unless pages of that kind failed and none of them gave
        anything (no mention kept, no offer found)."""
        sources = self.briefing["sources"]
        if any(s["status"] in _FAILED and s["name"] not in _ONE_OF_MANY for s in sources):
            return True
        for name in _ONE_OF_MANY:
            read = [s["status"] for s in sources if s["name"] == name]
            if any(status in _FAILED for status in read) and "ok" not in read:
                return True
        return False

    def set_section(self, name: str, data: Any) -> None:
        self.briefing[name] = data
        self._publish("section", {"section": name, "data": data})

    def finish(self, status: str) -> None:
        self.set_section("sources", self.briefing["sources"])
        self.briefing["status"] = status
        self.briefing["elapsed_ms"] = self.elapsed_ms()
        self.briefing["generated_at"] = _now_iso()
        self._publish("done", self.briefing)

    def _publish(self, event: str, data: dict[str, Any]) -> None:
        self.events.append((event, data))
        if self.relay is not None:
            self.relay(event, data)
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def follow(self, keepalive_s: float | None = None) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Every event so far, then each new one as it comes, ending with `done`; while nothing
        happens for `keepalive_s`, a ("keepalive", {}) event keeps idle connections open."""
        sent = 0
        while True:
            changed = self._changed
            while sent < len(self.events):
                yield self.events[sent]
                sent += 1
            if self.done:
                return
            try:
                await asyncio.wait_for(changed.wait(), keepalive_s)
            except TimeoutError:
                yield "keepalive", {}
