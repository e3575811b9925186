"""robots.txt rules per origin, fetched through the guarded path and kept for a while (RFC 9309)."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from protego import Protego
from yarl import URL

from scrapers.base import FetchResponse
from server.errors import FetchError, RobotsDisallowed
from server.fetch.resolver import HostRefused

__all__ = ["RobotsRules", "RobotsCache"]

log = logging.getLogger("zmot.fetch")

# RFC 9309 asks crawlers to read at least 500 KiB; more than that is cut, not refused.
ROBOTS_MAX_BYTES = 512 * 1024
# A robots.txt that could not be read blocks the site only briefly, so a hiccup is not an hour's ban.
_UNREACHABLE_TTL_S = 60.0
# Origins whose rules are kept at once: the least recently used go first. A long-running server meets
# new sites forever; a forgotten one costs one more robots.txt request when it comes back.
MAX_ORIGINS = 4096
# How often (at most) stored rules are swept for expired ones; an expired entry asked for goes at once.
_SWEEP_INTERVAL_S = 60.0
# Protego is pure Python: a few KB parse in a millisecond or two, but its time grows with the file's rules
# (a 512 KB file of many groups takes over half a second). A longer file is parsed in a thread, so that
# the event loop keeps answering meanwhile (the GIL comes back to it every few ms).
_PARSE_INLINE_CHARS = 4096


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says, and why (for error messages)."""

    parser: Protego
    refusal: str  # completes "<host>'s …" when a URL is refused
    expires_at: float

    def allows(self, url: URL, agent: str) -> bool:
        return bool(self.parser.can_fetch(str(url), agent))


_ALLOW_ALL = Protego.parse("")
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


class RobotsCache:
    """Answers "may zmot fetch this URL?" from each origin's robots.txt, fetching it once per TTL."""

    def __init__(
        self,
        fetch_robots: Callable[[URL], Awaitable[FetchResponse]],
        *,
        agent: str,
        ttl_s: float,
        max_origins: int = MAX_ORIGINS,
    ) -> None:
        self._fetch_robots = fetch_robots
        self._agent = agent
        self._ttl_s = ttl_s
        self._max_origins = max(1, max_origins)
        self._rules: OrderedDict[str, RobotsRules] = OrderedDict()
        self._next_sweep = 0.0
        # One robots.txt request per origin at a time; every caller waiting for it shares the answer.
        self._pending: dict[str, asyncio.Task[RobotsRules]] = {}

    def __len__(self) -> int:
        """How many origins' rules are kept."""
        return len(self._rules)

    async def check(self, url: URL) -> None:
        """Raise RobotsDisallowed if the origin's robots.txt forbids `url` for zmot."""
        if url.path == "/robots.txt":
            return
        rules = await self.rules_for(url)
        if not rules.allows(url, self._agent):
            raise RobotsDisallowed(
                f"refused {url}: {url.host}'s {rules.refusal}",
                url=str(url),
            )

    async def rules_for(self, url: URL) -> RobotsRules:
        """The current rules for `url`'s origin, fetching robots.txt if they are missing or stale."""
        origin = str(url.origin())
        loop = asyncio.get_running_loop()
        rules = self._rules.get(origin)
        if rules is not None:
            if rules.expires_at > loop.time():
                self._rules.move_to_end(origin)
                return rules
            del self._rules[origin]
        task = self._pending.get(origin)
        if task is None:
            task = asyncio.create_task(self._load(url.origin()))
            self._pending[origin] = task
            task.add_done_callback(lambda done: self._forget(origin, done))
        # Shielded: one caller giving up (its own deadline) must not cancel the others' answer.
        rules = await asyncio.shield(task)
        self._remember(origin, rules)
        return rules

    async def close(self) -> None:
        """Cancel robots.txt requests still in flight."""
        for task in list(self._pending.values()):
            task.cancel()
        self._pending.clear()

    def _remember(self, origin: str, rules: RobotsRules) -> None:
        """Keep `rules` as the most recently used; drop expired rules now and then, and the least recently
        used beyond `max_origins`."""
        self._rules[origin] = rules
        self._rules.move_to_end(origin)
        now = asyncio.get_running_loop().time()
        if now >= self._next_sweep:
            self._next_sweep = now + min(self._ttl_s, _SWEEP_INTERVAL_S)
            for key in [key for key, kept in self._rules.items() if kept.expires_at <= now]:
                del self._rules[key]
        while len(self._rules) > self._max_origins:
            self._rules.popitem(last=False)

    def _forget(self, origin: str, task: asyncio.Task[RobotsRules]) -> None:
        if self._pending.get(origin) is task:
            del self._pending[origin]

    async def _load(self, origin: URL) -> RobotsRules:
        now = asyncio.get_running_loop().time()
        robots_url = origin.with_path("/robots.txt")
        try:
            response = await self._fetch_robots(robots_url)
        except HostRefused as exc:
            if exc.host.rstrip(".").lower() == (origin.raw_host or "").rstrip(".").lower():
                raise  # the site itself is off-limits: that, not robots.txt, is the answer for its pages
            log.info("robots.txt for %s redirects somewhere refused: %s", origin, exc.message)
            return RobotsRules(_DISALLOW_ALL, _off_limits("could not be read"), now + _UNREACHABLE_TTL_S)
        except FetchError as exc:
            # RFC 9309 2.3.1.4: unreachable means the crawler must assume everything is disallowed.
            log.info("robots.txt for %s unreachable: %s", origin, exc.message)
            return RobotsRules(_DISALLOW_ALL, _off_limits("could not be read"), now + _UNREACHABLE_TTL_S)
        status = response.status
        if 200 <= status < 300:
            parser = await _parsed(response.body.decode("utf-8", errors="replace"))
            return RobotsRules(parser, f"robots.txt does not allow {self._agent} there", now + self._ttl_s)
        if status == 429 or status >= 500:
            # 5xx is "unreachable" in RFC 9309; 429 is treated the same, as the big crawlers do.
            return RobotsRules(_DISALLOW_ALL, _off_limits(f"answered {status}"), now + _UNREACHABLE_TTL_S)
        if 400 <= status < 500:
            return RobotsRules(_ALLOW_ALL, "missing robots.txt allows everything", now + self._ttl_s)
        # Anything else (a redirect past the cap would have raised): treat as unreadable.
        return RobotsRules(_DISALLOW_ALL, _off_limits(f"answered {status}"), now + _UNREACHABLE_TTL_S)


async def _parsed(text: str) -> Protego:
    """The rules of a robots.txt; a long one parsed off the event loop (see _PARSE_INLINE_CHARS)."""
    if len(text) <= _PARSE_INLINE_CHARS:
        return Protego.parse(text)
    return await asyncio.to_thread(Protego.parse, text)


def _off_limits(what_happened: str) -> str:
    return f"robots.txt {what_happened}, so the whole site is off-limits for now (RFC 9309)"
