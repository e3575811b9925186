"""The guarded fetcher: the only way zmot reaches the network."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from types import TracebackType

import aiohttp
from yarl import URL

from scrapers.base import FetchResponse
from server import __version__
from server.errors import (
    BlockedAddress,
    FetchError,
    FetchTimeout,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
)
from server.fetch.addresses import literal_ip
from server.fetch.cache import FetchCache
from server.fetch.exchange import describe, exchange, via
from server.fetch.guard import guard_url, parse_url, shown_url
from server.fetch.operator import operator_origins, pinned_target
from server.fetch.politeness import HostGate, HostSlots
from server.fetch.resolver import GuardedResolver, HostRefused, Lookup, system_lookup
from server.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache
from server.settings import FetchSettings
from server.store.base import Store

__all__ = ["Fetcher", "default_user_agent"]

log = logging.getLogger("zmot.fetch")

# Headers that must not follow a redirect to another origin.
_CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
_OUTCOMES: tuple[tuple[type[FetchError], str], ...] = (
    (RobotsDisallowed, "robots"),
    (BlockedAddress, "blocked"),
    (TooLarge, "too_large"),
    (TooManyRedirects, "too_many_redirects"),
    (FetchTimeout, "timeout"),
)


def default_user_agent() -> str:
    """The User-Agent zmot sends unless the operator sets fetch.user_agent."""
    return f"zmot/{__version__} (+self-hosted shopping research)"


class Fetcher:
    """Fetches URLs for zmot with the SSRF guard, size and time caps, robots.txt, politeness and a cache.

    One shared aiohttp session is created by `start()` (or on first use) and closed by `close()`.
    Any HTTP status comes back as a FetchResponse; refusals and failures raise FetchError subclasses.
    """

    def __init__(
        self,
        settings: FetchSettings,
        *,
        store: Store | None = None,
        allowed_origins: Iterable[str] = (),
        lookup: Lookup | None = None,
        user_agent: str | None = None,
        gate: HostSlots | None = None,
    ) -> None:
        self.settings = settings
        self.user_agent = user_agent or settings.user_agent or default_user_agent()
        self.stats: Counter[str] = Counter()
        self._cache = FetchCache(store, settings.cache_ttl_s)
        self._allowed = operator_origins(allowed_origins)
        self._lookup = lookup or system_lookup
        self._session: aiohttp.ClientSession | None = None
        self._resolver: GuardedResolver | None = None
        # Per-host politeness; `gate` shares it with the other instances of the group (server.coordination).
        self._gate = gate or HostGate(settings.per_host_concurrency, settings.per_host_interval_s)
        # Identical cacheable requests in flight share one exchange (a briefing's mention and offer
        # searches often find the same pages).
        self._in_flight: dict[str, asyncio.Future[FetchResponse]] = {}
        agent = re.match(r"[A-Za-z0-9_-]+", self.user_agent)
        self._robots = RobotsCache(
            self._fetch_robots, agent=agent.group(0) if agent else "zmot", ttl_s=settings.cache_ttl_s
        )

    async def start(self) -> None:
        """Create the shared session; its resolver is the guard's, so every connection is checked."""
        if self._session is not None:
            return
        s = self.settings
        resolver = GuardedResolver(self._lookup, resolve=s.resolve, is_operator_origin=self._allowed.lists)
        self._resolver = resolver
        # No DNS cache: the resolver is cheap to ask and must see every new connection's host.
        connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=None, connect=s.connect_timeout_s, sock_read=s.first_byte_timeout_s
            ),
            headers={"User-Agent": self.user_agent},
            # Pages must not be able to track zmot across sites, and cookies are not needed to read them.
            cookie_jar=aiohttp.DummyCookieJar(),
            max_line_size=s.max_header_bytes,
            max_field_size=s.max_header_bytes,
            trust_env=False,  # no proxy from the environment: the guard must see the real destination
        )

    async def close(self) -> None:
        """Close the session and cancel robots.txt requests in flight."""
        await self._robots.close()
        await self._cache.close()  # the answers still waiting for the store are written first
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Fetcher:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def check(self, url: str | URL) -> URL:
        """The URL as it would be requested, or BlockedAddress; no DNS (see `check_url`)."""
        return guard_url(url, resolve=self.settings.resolve, allowed=self._allowed)

    async def fetch(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        use_cache: bool = True,
        check_robots: bool = True,
    ) -> FetchResponse:
        """GET `url` through every guard; any HTTP status is returned. Raises FetchError subclasses.

        fetch.total_timeout_s bounds the whole call: robots.txt, waiting for the host, every hop, the body.
        """
        if self._session is None:
            await self.start()
        try:
            target = self.check(url)
            key = _cache_key(target, headers)
            cached = await self._cache.get(key) if use_cache else None
            if cached is not None:
                self.stats["cache_hit"] += 1
                return cached
            shared = self._in_flight.get(key) if use_cache else None
            if shared is not None:
                self.stats["shared"] += 1
                return await asyncio.shield(shared)
            async with asyncio.timeout(self.settings.total_timeout_s):
                response = await self._exchange_once(
                    key if use_cache else None, target, headers, check_robots
                )
        except TimeoutError:
            self.stats["timeout"] += 1
            raise FetchTimeout(
                f"gave up on {shown_url(url)}: no complete answer within {self.settings.total_timeout_s:g} s",
                url=url,
            ) from None
        except FetchError as exc:
            self.stats[_outcome(exc)] += 1
            log.info("fetch %s: %s", shown_url(url), exc.message)
            raise
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            # Callers handle FetchError: anything else about the URL or the exchange must arrive as one.
            self.stats["error"] += 1
            log.warning("fetch %s failed unexpectedly", shown_url(url), exc_info=True)
            raise FetchError(f"{shown_url(url)}: the request failed ({describe(exc)})", url=url) from exc
        self.stats["ok"] += 1
        if use_cache and response.status == 200:
            await self._cache.put(key, response)  # written behind: the caller does not wait for the store
        return response

    async def _exchange_once(
        self, key: str | None, target: URL, headers: dict[str, str] | None, check_robots: bool
    ) -> FetchResponse:
        """Follow `target`; with a `key`, callers asking for the same while it runs share the outcome."""
        if key is None:
            return await self._follow(
                target, dict(headers or {}), check_robots=check_robots, limit=self.settings.max_bytes
            )
        future: asyncio.Future[FetchResponse] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            response = await self._follow(
                target, dict(headers or {}), check_robots=check_robots, limit=self.settings.max_bytes
            )
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError):
                # Those who shared it were not cancelled themselves: they get an error, not a cancellation.
                exc = FetchTimeout(f"gave up on {target}: no answer before it was cancelled", url=str(target))
            future.set_exception(exc)
            future.exception()  # retrieved here, so an unshared failure is not reported as lost
            raise
        else:
            future.set_result(response)
            return response
        finally:
            del self._in_flight[key]

    async def _follow(
        self, url: URL, headers: dict[str, str], *, check_robots: bool, limit: int, truncate: bool = False
    ) -> FetchResponse:
        """Request `url`, following redirects one checked hop at a time."""
        start, current, previous = str(url), url, None
        for _ in range(self.settings.max_redirects + 1):
            operators = self._allowed.applies(current, previous)
            if not operators:
                await self._outside_allowance(current, start=start, hop_from=previous)
            if check_robots and self.settings.respect_robots:
                try:
                    await self._robots.check(current)
                except HostRefused as exc:  # robots.txt lives on the same host: refused for the same reason
                    raise HostRefused(
                        f"refused {start}: {via(start, current)}{exc.reason}",
                        url=start,
                        host=exc.host,
                        reason=exc.reason,
                    ) from None
            response, location = await self._hop(
                current, headers, start=start, limit=limit, truncate=truncate, operators=operators
            )
            if location is None:
                return response
            try:
                following = current.join(parse_url(location))
            except ValueError:
                raise FetchError(
                    f"{current} redirects to an invalid address: {shown_url(location)!r}", url=start
                ) from None
            following = guard_url(
                following,
                resolve=self.settings.resolve,
                allowed=self._allowed,
                redirected_from=start,
                hop_from=current,
            )
            if following.origin() != current.origin():
                headers = {k: v for k, v in headers.items() if k.lower() not in _CREDENTIAL_HEADERS}
            previous, current = current, following
        cap = self.settings.max_redirects
        raise TooManyRedirects(
            f"gave up on {start}: more than {cap} redirects (the last went to {current})", url=start
        )

    async def _hop(
        self,
        url: URL,
        headers: dict[str, str],
        *,
        start: str,
        limit: int,
        truncate: bool,
        operators: bool,
    ) -> tuple[FetchResponse, str | None]:
        """One request in one of the host's slots: the response, and where it redirects to (or None).

        `operators` says the operator's allowance covers this request (their search instance)."""
        session = self._session
        if session is None:
            raise RuntimeError("the Fetcher was closed while a fetch was running")
        if operators:
            # The operator's own service: no politeness queue in front of it.
            return await exchange(
                session, url, headers, self.settings, start=start, limit=limit, truncate=truncate
            )
        async with self._gate.slot(url.host or ""):
            return await exchange(
                session, url, headers, self.settings, start=start, limit=limit, truncate=truncate
            )

    async def _outside_allowance(self, url: URL, *, start: str, hop_from: URL | None) -> None:
        """Refuse a request to the operator's origin, named by DNS, that its allowance does not cover when
        the name has a private address: the resolver would let it through for the allowed path's sake.

        IP literals were judged by the guard already, and fetch.resolve entries are the operator's anyway."""
        host, port = url.raw_host or "", url.port or 0
        if not self._allowed.lists(host, port) or literal_ip(host) is not None:
            return
        if pinned_target(host, port, self.settings.resolve) is not None or self._resolver is None:
            return
        try:
            await self._resolver.require_public(host, port)
        except HostRefused as exc:
            reason = f"{exc.reason}{self._allowed.refusal_note(url, hop_from)}"
            raise HostRefused(
                f"refused {start}: {via(start, url)}{reason}", url=start, host=exc.host, reason=reason
            ) from None
        except OSError:
            raise FetchError(f"{url}: could not find the address of {url.host}", url=start) from None

    async def _fetch_robots(self, url: URL) -> FetchResponse:
        """robots.txt through the same guarded path, without robots checks (and cut, not refused, if big)."""
        self.stats["robots_txt"] += 1
        try:
            async with asyncio.timeout(self.settings.total_timeout_s):
                return await self._follow(url, {}, check_robots=False, limit=ROBOTS_MAX_BYTES, truncate=True)
        except TimeoutError:
            raise FetchTimeout(
                f"{url}: no answer within {self.settings.total_timeout_s:g} s", url=str(url)
            ) from None


def _cache_key(url: URL, headers: Mapping[str, str] | None) -> str:
    key = f"GET {url}"
    if headers:
        # Request headers (Accept-Language, …) can change the answer, so they are part of the key.
        key += " " + json.dumps(sorted((k.lower(), v) for k, v in headers.items()))
    return key


def _outcome(exc: FetchError) -> str:
    return next((name for cls, name in _OUTCOMES if isinstance(exc, cls)), "error")
