"""The briefing pipeline: which run answers a request — a new one, one going on, or a stored briefing."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scrapers.registry import Registry
from server.coordination import Coordination, FollowedRun, LocalCoordination
from server.corrections import corrections_digest, site_of
from server.fetch import Fetcher
from server.i18n import language_of
from server.i18n.briefing import briefing_in
from server.pipeline_build import complete, identify, ttl_s
from server.pipeline_run import SECTIONS, BriefingRun
from server.settings import Settings
from server.store.base import Store
from server.workers import CpuPool

__all__ = ["SECTIONS", "BriefingRequest", "BriefingRun", "Pipeline"]

log = logging.getLogger("zmot.pipeline")

_KEEP_FINISHED_RUNS = 500  # finished runs kept in memory for late SSE followers; the store has the rest
_KEEP_BODIES = 2000  # request bodies remembered with the page they briefed, for a re-POST of the same bytes


@dataclass(frozen=True)
class BriefingRequest:
    """What a client asks to be briefed on: the page's address, and its HTML when the browser read it."""

    url: str
    html: str | None = None
    locale: str | None = None
    owner: str = ""  # the client asking (server.watch.owner): its watches of the page are checked


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
            await identify(self, run, request.html)
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
        run.task = asyncio.create_task(complete(self, run, request.html), name=f"briefing-{run.id}")
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
        return (None, current.briefing) if ttl_s(self.settings, current) > 0 else None

    def _remember(self, run: BriefingRun | FollowedRun) -> None:
        self.runs[run.id] = run
        while len(self.runs) > _KEEP_FINISHED_RUNS:
            oldest = next(iter(self.runs.values()))
            if not oldest.done and not oldest.remote:  # a remote one is in Redis: it can be found again
                break
            self.runs.popitem(last=False)

    async def _corrections_digest(self, owner: str, site: str) -> str | None:
        try:
            return corrections_digest(await self.store.corrections(owner, site))
        except Exception:  # unknown: the body is read again
            log.warning("reading the corrections of %s failed", site, exc_info=True)
            return None


async def _shared(future: asyncio.Future[Started | None]) -> Started | None:
    """What another request for the same body got; None when it ended without an answer."""
    return await asyncio.shield(future)


def _owned(body_key: str, owner: str) -> str:
    return f"{owner}\n{body_key}" if owner else body_key


def _in_language(started: Started, request: BriefingRequest) -> Started:
    """A briefing made for another shopper, said in this one's language (a run joined while it goes on
    keeps the first one's words, with the codes beside them that a client renders in its own)."""
    run, briefing = started
    lang = language_of(request.locale)
    return started if briefing is None or lang is None else (run, briefing_in(briefing, lang))
