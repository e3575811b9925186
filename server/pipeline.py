"""The briefing pipeline: identify the product, run the sections under one deadline, stream the results."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scrapers.base import Page
from scrapers.registry import Registry
from scrapers.types import ProductPage
from server.coordination import Coordination, FollowedRun, LocalCoordination
from server.corrections import (
    corrections_digest,
    corrections_of_page,
    corrections_report,
    for_page,
    site_of,
    with_corrections,
)
from server.errors import ZmotError
from server.fetch import Fetcher
from server.i18n import Code, language_of
from server.i18n.briefing import briefing_in
from server.products import page_key, product_id
from server.sections import run_sections
from server.settings import Settings
from server.sources.reading import ms_since, source_entry
from server.store.base import SiteCorrection, Store
from server.workers import CpuPool

__all__ = ["SECTIONS", "BriefingRequest", "BriefingRun", "Pipeline"]

log = logging.getLogger("zmot.pipeline")

SECTIONS = ("product", "price", "reviews", "mentions", "verdict", "sources")
_FAILED = frozenset({"error", "timeout", "blocked"})
# Sources that are one of many: a mention page, an offer page, one provider of a combined search.
_ONE_OF_MANY = ("mention", "offer", "search")
_PARTIAL_TTL_S = 15 * 60  # how long a partial briefing is served again for its product
_KEEP_FINISHED_RUNS = 500  # finished runs kept in memory for late SSE followers; the store has the rest
_KEEP_BODIES = 2000  # request bodies remembered with the page they briefed, for a re-POST of the same bytes


@dataclass(frozen=True)
class BriefingRequest:
    url: str
    html: str | None = None
    locale: str | None = None
    owner: str = ""  # the client asking (server.watch.owner): its watches of the page are checked


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


Started = tuple[BriefingRun | FollowedRun | None, dict[str, Any] | None]


class Pipeline:
    """Builds briefings: one per page, or the stored one while it is fresh.

    CPU work (scraping the page, analysing reviews, reading articles) runs in `cpu`, a pool of worker
    processes where the briefing's deadline really stops it. Without one, the pipeline makes its own and
    closes it in `close()`.

    `coordination` makes several instances one server (see server.coordination): a page is briefed by
    one of them at a time, and a run's events can be followed on any. Without it the pipeline is alone."""

    def __init__(
        self,
        settings: Settings,
        registry: Registry,
        fetcher: Fetcher,
        store: Store,
        *,
        cpu: CpuPool | None = None,
        on_finish: Callable[[BriefingRun], None] | None = None,
        coordination: Coordination | None = None,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.fetcher = fetcher
        self.store = store
        self.cpu = cpu if cpu is not None else CpuPool()
        self._owns_cpu = cpu is None
        self.on_finish = on_finish
        self.coordination = coordination if coordination is not None else LocalCoordination()
        self.runs: OrderedDict[str, Any] = OrderedDict()  # BriefingRun, or a followed remote run
        # A request body seen before -> the run it started; the same bytes posted again (the shopper clicks
        # twice, or fifty shoppers on one page) join that run or get its stored briefing without a scrape.
        # Only the run's id and page key are kept here: the run itself stays in `runs` while it matters.
        # The body's key is the owner's with the bytes' hash: a briefing one client's corrections shaped is
        # never another's. The corrections' digest then says whether they changed since.
        self._bodies: OrderedDict[str, tuple[str, str | None, str | None, str]] = OrderedDict()
        self._starting: dict[str, asyncio.Future[Started | None]] = {}

    async def again(self, body_key: str, *, owner: str = "") -> Started | None:
        """The answer for a request body already seen (see `start`), without reading the body again:
        the run it started while it goes on, then its stored briefing while that is fresh; else None.
        Also None when `owner` changed their corrections of the page's site since: the page is read again."""
        body_key = _owned(body_key, owner)
        starting = self._starting.get(body_key)
        if starting is not None:
            return await _shared(starting)
        known = self._bodies.get(body_key)
        if known is None:
            return None
        run_id, key, site, digest = known
        if site is not None and await self._corrections_digest(owner, site) != digest:
            return None
        run = self.runs.get(run_id)
        if run is not None and not run.saved:
            if key is not None:
                return self._join(key)
            return None if run.done else (run, None)
        if key is None:
            return None
        cached = await self._stored_for(key)
        return None if cached is None else (None, cached)

    async def start(self, request: BriefingRequest, *, body_key: str | None = None) -> Started:
        """Start a briefing. Returns (run, None), or (None, briefing) when a fresh one for the same page
        showing the same facts is in the store. `body_key` names the request body, for `again`."""
        if body_key is None:
            return _in_language(await self._start(request, None), request)
        body_key = _owned(body_key, request.owner)
        starting = self._starting.get(body_key)
        if starting is not None:
            shared = await _shared(starting)
            if shared is not None:
                return _in_language(shared, request)
        future: asyncio.Future[Started | None] = asyncio.get_running_loop().create_future()
        self._starting[body_key] = future
        try:
            started = await self._start(request, body_key)
        except BaseException:
            future.set_result(None)  # those waiting on it start their own
            raise
        finally:
            self._starting.pop(body_key, None)
        future.set_result(started)
        run = started[0]
        if run is not None:
            self._note_body(body_key, run.id, run)
        return _in_language(started, request)

    def _note_body(self, body_key: str | None, briefing_id: str, run: BriefingRun | FollowedRun) -> None:
        """Remember what a request body led to, for `again`."""
        if body_key is None:
            return
        digest = getattr(run, "corrections_digest", "")
        self._bodies[body_key] = (briefing_id, run.page_key, site_of(run.briefing["url"]), digest)
        self._bodies.move_to_end(body_key)
        while len(self._bodies) > _KEEP_BODIES:
            self._bodies.popitem(last=False)

    async def _start(self, request: BriefingRequest, body_key: str | None) -> Started:
        run = BriefingRun(request.url, request.locale, request.owner)
        if request.html is not None:
            await self._identify(run, request.html)
            if run.page_key:
                joined = self._join(run.page_key)
                if joined is not None:
                    return joined
                cached = await self._stored_for(run.page_key)
                if cached is not None:
                    # The same bytes again are answered from the store without a scrape, also on an
                    # instance of a group that did not build the briefing.
                    self._note_body(body_key, cached["id"], run)
                    return None, cached
                # Another request for this page may have started while the store answered.
                joined = self._join(run.page_key)
                if joined is not None:
                    return joined
        holder = await self.coordination.begin(run.id, run.page_key, run.briefing)
        if holder is not None:  # another request, here or on another instance, builds this page
            joined = await self._join_holder(holder, run.page_key)
            if joined is not None:
                return joined
            await self.coordination.begin(run.id, None, run.briefing)  # it vanished: announce ours only
        self._remember(run)
        for event, data in run.events:  # what identifying the page published, for followers elsewhere
            self.coordination.publish(run.id, event, data)
        run.relay = functools.partial(self.coordination.publish, run.id)
        run.task = asyncio.create_task(self._complete(run, request.html), name=f"briefing-{run.id}")
        return run, None

    async def _join_holder(self, run_id: str, key: str | None) -> Started | None:
        """The run that holds a page's claim: this process's own, or one followed from another instance."""
        run = self.runs.get(run_id)
        if run is None:
            run = await self.coordination.remote_run(run_id)
            if run is None:
                return None
            run.page_key = key  # for `again`: once it is stored, the store answers for the page
            if not run.done:
                self._remember(run)
        return (None, run.briefing) if run.done else (run, None)

    async def adopt(self, briefing_id: str) -> None:
        """Make a run that another instance builds followable here, so that the SSE stream of a briefing
        can be read from any instance."""
        if not self.coordination.shared or briefing_id in self.runs:
            return
        remote = await self.coordination.remote_run(briefing_id)
        if remote is not None:
            self._remember(remote)

    async def _stored_for(self, key: str) -> dict[str, Any] | None:
        try:
            return await self.store.fresh_briefing_for_page(key)
        except Exception:  # a store that cannot answer costs a new briefing, never the request
            log.warning("reading the stored briefing for page %s failed", key, exc_info=True)
            return None

    async def brief(self, request: BriefingRequest) -> dict[str, Any]:
        """The whole briefing, in process (what `zmot brief` uses)."""
        run, cached = await self.start(request)
        if cached is not None:
            return cached
        assert run is not None and run.task is not None
        await run.task
        return run.briefing

    async def get(self, briefing_id: str) -> dict[str, Any] | None:
        run = self.runs.get(briefing_id)
        if run is not None and not run.remote:
            return run.briefing
        stored = await self.store.get_briefing(briefing_id)
        if stored is not None or not self.coordination.shared:
            return stored
        remote = await self.coordination.remote_run(briefing_id)  # as it stands now, not when adopted
        return None if remote is None else remote.briefing

    async def close(self) -> None:
        """Cancel what is still running (server shutdown), and stop the worker pool if it is ours."""
        tasks = [r.task for r in self.runs.values() if r.task and not r.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._owns_cpu:
            await self.cpu.close()

    def _join(self, key: str) -> Started | None:
        """The run for this page that is still running, or its briefing when it has finished but is not
        yet in the store; None when there is none."""
        current = next((r for r in self.runs.values() if r.page_key == key and not r.saved), None)
        if current is None:
            return None
        if not current.done:
            return current, None
        return (None, current.briefing) if self._ttl_s(current) > 0 else None

    def _remember(self, run: BriefingRun | FollowedRun) -> None:
        self.runs[run.id] = run
        while len(self.runs) > _KEEP_FINISHED_RUNS:
            oldest = next(iter(self.runs.values()))
            if not oldest.done and not oldest.remote:  # a remote one is in Redis: it can be found again
                break
            self.runs.popitem(last=False)

    async def _identify(self, run: BriefingRun, html: str) -> None:
        """Scrape the page (off the event loop) and publish the product section."""
        started = time.monotonic()
        url = run.briefing["url"]
        deadline = run.started + self.settings.briefing.deadline_s
        corrections = await corrections_of_page(self.store, run.owner, url)
        run.corrections, run.corrections_digest = corrections, corrections_digest(corrections)
        # The shopper's corrections of this site go with the page: they win over the scrapers' values.
        extra = (for_page(corrections),) if corrections else ()
        try:
            # In a worker process: at the deadline a hung plugin is stopped, not left running.
            page = await self.cpu.run(
                self.registry.scrape, Page(url=url, html=html), *extra, timeout=_left(deadline)
            )
        except TimeoutError:
            run.add_source(
                "page",
                "timeout",
                url=url,
                elapsed_ms=ms_since(started),
                error="the page scrapers did not finish before the briefing deadline",
            )
            run.set_section("product", None)
            return
        except Exception as exc:  # a broken plugin costs its own entry, not the briefing
            log.exception("scraping %s failed", url)
            run.add_source(
                "page", "error", url=url, elapsed_ms=ms_since(started), error=f"scraper failed: {exc}"
            )
            run.set_section("product", None)
            return
        run.page = page
        run.add_source("page", "ok", plugin=page.plugin, url=url, elapsed_ms=ms_since(started))
        for error in page.errors:  # a site plugin failed; the generic result stands in for it
            plugin, _, why = error.partition(": ")
            run.add_source("page", "error", plugin=plugin, url=url, error=why or error)
        if corrections:
            run.briefing["corrections"] = corrections_report(page, corrections)
        if page.is_product:
            run.product_id = product_id(page.product, url)
            run.page_key = with_corrections(page_key(url, page), run.briefing.get("corrections"))
            product = dataclasses.asdict(page.product)
            run.set_section("product", {"id": run.product_id, **product})
        else:
            run.set_section("product", None)

    async def _corrections_digest(self, owner: str, site: str) -> str | None:
        try:
            return corrections_digest(await self.store.corrections(owner, site))
        except Exception:  # unknown: the body is read again
            log.warning("reading the corrections of %s failed", site, exc_info=True)
            return None

    async def _fetch_page(self, run: BriefingRun) -> str | None:
        started = time.monotonic()
        url = run.briefing["url"]
        try:
            response = await self.fetcher.fetch(url)
        except ZmotError as exc:
            run.add_source(
                "page", exc.source_status, url=url, elapsed_ms=ms_since(started), error=exc.message
            )
            return None
        if response.status >= 400:
            run.add_source(
                "page",
                "error",
                url=url,
                elapsed_ms=ms_since(started),
                error=f"the shop answered HTTP {response.status}",
            )
            return None
        return response.text

    async def _complete(self, run: BriefingRun, html: str | None) -> None:
        deadline = run.started + self.settings.briefing.deadline_s
        cancelled = False
        try:
            if html is None:
                html = await asyncio.wait_for(self._fetch_page(run), timeout=_left(deadline))
                if html is None:  # why is in the page's source entry
                    run.set_section("product", None)
                    return
                await self._identify(run, html)
            await self._run_sections(run, deadline)
        except TimeoutError:
            run.add_source(
                "page",
                "timeout",
                url=run.briefing["url"],
                elapsed_ms=run.elapsed_ms(),
                error="the page did not arrive before the deadline",
            )
        except asyncio.CancelledError:  # the server is shutting down
            cancelled = True
            raise
        finally:
            run.finish("partial" if cancelled or run.has_failures() else "complete")
            if self.on_finish is not None:
                self.on_finish(run)
            await self._save(run)
            await self.coordination.end(run.id)  # stored: the page may be claimed again

    async def _run_sections(self, run: BriefingRun, deadline: float) -> None:
        page = run.page
        if page is None or not page.is_product:
            for name in ("price", "reviews"):
                run.add_source(name, "skipped", error="the page does not look like a product page")
            return
        await run_sections(self, run, deadline)

    def _ttl_s(self, run: BriefingRun) -> float:
        """How long a finished briefing is served again for its page."""
        if run.briefing["status"] == "partial":
            # A flaky blog should not cost every later shopper a new briefing, nor keep the gap for hours.
            return min(self.settings.briefing.ttl_s, _PARTIAL_TTL_S)
        return self.settings.briefing.ttl_s

    async def _save(self, run: BriefingRun) -> None:
        try:
            await self.store.put_briefing(run.briefing, page_key=run.page_key, ttl_s=self._ttl_s(run))
        except Exception:  # the shopper already has the briefing; a full disk must not take it away
            log.exception("could not store briefing %s", run.id)
        finally:
            run.saved = True


async def _shared(future: asyncio.Future[Started | None]) -> Started | None:
    """What another request for the same body got; None when it ended without an answer."""
    return await asyncio.shield(future)


def _owned(body_key: str, owner: str) -> str:
    return f"{owner}\n{body_key}" if owner else body_key


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _in_language(started: Started, request: BriefingRequest) -> Started:
    """A briefing made for another shopper, said in this one's language (a run joined while it goes on
    keeps the first one's words, with the codes beside them that a client renders in its own)."""
    run, briefing = started
    lang = language_of(request.locale)
    return started if briefing is None or lang is None else (run, briefing_in(briefing, lang))
