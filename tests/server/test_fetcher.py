"""The guarded fetcher against the local web: what it refuses, what it survives, what it does well.

Real traffic goes only to the local web on 127.0.0.1. Refusals of private, link-local and metadata
addresses run on a `Rail` that connects to nothing but the local web, so even a broken guard could not
send a packet off this machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

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
from server.fetch import Fetcher, robots
from server.settings import FetchSettings
from tests.localweb import LocalWeb


class MemoryStore:
    """Just the fetch-cache half of the Store protocol, in a dict."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[FetchResponse, float]] = {}

    async def get_fetch(self, key: str) -> FetchResponse | None:
        found = self.entries.get(key)
        return found[0] if found and found[1] > time.monotonic() else None

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        self.entries[key] = (response, time.monotonic() + ttl_s)


class Rail:
    """A guard rail under a fetcher's sockets: connects to the local web only, records and refuses the rest.

    The guard must refuse before any connection is tried; the rail makes sure that a broken guard still
    cannot send a packet beyond this machine, and `attempts` shows that nothing else was even tried."""

    def __init__(self, fetcher: Fetcher, local_web: LocalWeb) -> None:
        self.attempts: list[str] = []
        self._allowed = {("127.0.0.1", local_web.port)}
        assert fetcher._session is not None
        connector = fetcher._session.connector
        self._connect = connector._wrap_create_connection  # type: ignore[union-attr]
        connector._wrap_create_connection = self._guarded  # type: ignore[union-attr]

    async def _guarded(self, *args: Any, addr_infos: list, req: aiohttp.ClientRequest, **kwargs: Any) -> Any:
        addresses = [(info[4][0], info[4][1]) for info in addr_infos]
        if all(address in self._allowed for address in addresses):
            return await self._connect(*args, addr_infos=addr_infos, req=req, **kwargs)
        self.attempts.extend(ip for ip, _port in addresses)
        raise aiohttp.ClientConnectorError(
            req.connection_key, OSError(errno.ENETUNREACH, "tests never go there")
        )


@contextlib.asynccontextmanager
async def railed(
    settings: FetchSettings, local_web: LocalWeb, **kwargs: Any
) -> AsyncIterator[tuple[Fetcher, Rail]]:
    """A started Fetcher with its guard rail."""
    async with Fetcher(settings, **kwargs) as fetcher:
        yield fetcher, Rail(fetcher, local_web)


def fake_dns(answers: dict[str, list[list[str]]]):
    """A `lookup` that answers from a table (one list per call, the last repeated) and logs every call."""
    calls: list[tuple[str, int]] = []

    async def lookup(host: str, port: int) -> list[str]:
        calls.append((host, port))
        replies = answers[host]
        return replies[min(len([c for c in calls if c[0] == host]), len(replies)) - 1]

    lookup.calls = calls  # type: ignore[attr-defined]
    return lookup


def tag() -> str:
    """A path nobody else requests, so that "nothing was sent" can be checked on a shared local web."""
    return f"/secret/{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def railed_fetcher(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> AsyncIterator[tuple[Fetcher, Rail]]:
    async with railed(fetch_settings, local_web) as pair:
        yield pair


@pytest.fixture
def fetcher(railed_fetcher: tuple[Fetcher, Rail]) -> Fetcher:
    return railed_fetcher[0]


@pytest.fixture
def rail(railed_fetcher: tuple[Fetcher, Rail]) -> Rail:
    return railed_fetcher[1]


# -- refusals: nothing may reach the address ------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("localhost", "localhost is this machine"),
        ("[::1]", "::1 is a loopback address"),
        ("0.0.0.0", "0.0.0.0 is the unspecified address"),
        ("[::ffff:127.0.0.1]", "(127.0.0.1 inside IPv6)"),
        ("2130706433", "2130706433 is 127.0.0.1 written another way"),
        ("0x7f.1", "0x7f.1 is 127.0.0.1 written another way"),
        ("017700000001", "017700000001 is 127.0.0.1 written another way"),
    ],
)
async def test_this_machine_in_any_notation_is_refused_before_a_request(
    fetcher: Fetcher, local_web: LocalWeb, host: str, says: str
) -> None:
    path = tag()
    url = f"http://{host}:{local_web.port}{path}"
    with pytest.raises(BlockedAddress, match="refused") as refused:
        await fetcher.fetch(url)
    assert says in refused.value.message
    assert url in refused.value.message
    assert not any(p == path for _, p in local_web.requests)
    assert fetcher.stats["blocked"] == 1


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.0.0.5/", "10.0.0.5 is a private address"),
        ("http://172.16.0.1/", "172.16.0.1 is a private address"),
        ("http://192.168.0.1/admin", "192.168.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata address"),
    ],
)
async def test_private_and_metadata_addresses_are_refused_without_connecting(
    fetcher: Fetcher, rail: Rail, url: str, says: str
) -> None:
    with pytest.raises(BlockedAddress) as refused:
        await fetcher.fetch(url)
    assert refused.value.message == f"refused {url}: {says}"
    assert rail.attempts == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:6379/_FLUSHALL"])
async def test_other_schemes_are_refused(fetcher: Fetcher, rail: Rail, url: str) -> None:
    with pytest.raises(BlockedAddress, match="only http and https"):
        await fetcher.fetch(url)
    assert rail.attempts == []


async def test_userinfo_trick_is_refused(fetcher: Fetcher, local_web: LocalWeb) -> None:
    path = tag()
    with pytest.raises(BlockedAddress, match="user name or password .* goes to 127.0.0.1"):
        await fetcher.fetch(f"http://example.com@127.0.0.1:{local_web.port}{path}")
    assert not any(p == path for _, p in local_web.requests)


async def test_name_that_resolves_to_loopback_is_refused_at_lookup(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    lookup = fake_dns({"evil.example": [["127.0.0.1"]]})
    path = tag()
    async with railed(fetch_settings, local_web, lookup=lookup) as (fetcher, rail):
        with pytest.raises(BlockedAddress) as refused:
            await fetcher.fetch(f"http://evil.example:{local_web.port}{path}")
    assert "evil.example resolves to 127.0.0.1, a loopback address" in refused.value.message
    assert lookup.calls == [("evil.example", local_web.port)]
    assert not any(p == path for _, p in local_web.requests)


async def test_name_with_one_private_address_among_public_ones_is_refused(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    lookup = fake_dns({"mixed.example": [["93.184.216.34", "10.0.0.5"]]})
    async with railed(fetch_settings, local_web, lookup=lookup) as (fetcher, rail):
        with pytest.raises(BlockedAddress, match="mixed.example resolves to 10.0.0.5, a private address"):
            await fetcher.fetch("http://mixed.example/")
    assert rail.attempts == []


async def test_dns_rebinding_fails_because_the_checked_address_is_the_one_used(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    # First answer public, every later one loopback: a second lookup would hand the attacker this machine.
    lookup = fake_dns({"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    async with railed(
        dataclasses.replace(fetch_settings, respect_robots=False), local_web, lookup=lookup
    ) as (fetcher, rail):
        with pytest.raises(FetchError, match="could not connect"):
            await fetcher.fetch("http://rebind.example/")
    assert lookup.calls == [("rebind.example", 80)]
    assert rail.attempts == ["93.184.216.34"]


async def test_name_that_does_not_resolve_is_a_readable_error(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    async def nxdomain(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    settings = dataclasses.replace(fetch_settings, respect_robots=False)
    async with railed(settings, local_web, lookup=nxdomain) as (fetcher, rail):
        with pytest.raises(FetchError, match="could not find the address of gone.example"):
            await fetcher.fetch("http://gone.example/")
    assert rail.attempts == []


async def test_redirect_to_loopback_is_refused_at_the_hop(fetcher: Fetcher, local_web: LocalWeb) -> None:
    marker = uuid.uuid4().hex[:10]
    url = local_web.url("public.test", f"/to-loopback/{marker}")
    with pytest.raises(BlockedAddress) as refused:
        await fetcher.fetch(url)
    assert refused.value.message.startswith(
        f"refused {url}: it redirects to http://127.0.0.1:{local_web.port}/secret/{marker}, "
        "and 127.0.0.1 is a loopback address"
    )
    assert ("public.test", f"/to-loopback/{marker}") in local_web.requests
    assert local_web.sent_to("127.0.0.1", f"/secret/{marker}") == []


async def test_redirect_to_a_private_address_is_refused_at_the_hop(
    fetcher: Fetcher, rail: Rail, local_web: LocalWeb
) -> None:
    url = local_web.url("public.test", "/to-private")
    with pytest.raises(BlockedAddress) as refused:
        await fetcher.fetch(url)
    assert refused.value.message == (
        f"refused {url}: it redirects to http://10.0.0.5/, and 10.0.0.5 is a private address"
    )
    assert rail.attempts == []


async def test_redirect_to_the_metadata_service_is_refused_at_the_hop(
    fetcher: Fetcher, rail: Rail, local_web: LocalWeb
) -> None:
    url = local_web.url("public.test", "/to-metadata")
    with pytest.raises(BlockedAddress) as refused:
        await fetcher.fetch(url)
    assert refused.value.message == (
        f"refused {url}: it redirects to http://169.254.169.254/latest/meta-data/, "
        "and 169.254.169.254 is the cloud metadata address"
    )
    assert rail.attempts == []


# -- caps: size, time, redirects --------------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
async def test_body_over_the_cap_is_refused(
    fetch_settings: FetchSettings, local_web: LocalWeb, chunked: bool
) -> None:
    settings = dataclasses.replace(fetch_settings, max_bytes=100_000)
    path = "/big?bytes=300000" + ("&chunked=1" if chunked else "")
    async with railed(settings, local_web) as (fetcher, rail):
        with pytest.raises(
            TooLarge, match="larger than the 100000 bytes allowed|more than the 100000 allowed"
        ):
            await fetcher.fetch(local_web.url("faults.test", path))
        assert fetcher.stats["too_large"] == 1


async def test_gzip_bomb_is_stopped_after_the_cap_not_after_inflating(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    settings = dataclasses.replace(fetch_settings, max_bytes=1_000_000)
    async with railed(settings, local_web) as (fetcher, rail):
        started = time.monotonic()
        with pytest.raises(TooLarge, match="larger than the 1000000 bytes allowed"):
            await fetcher.fetch(local_web.url("faults.test", "/gzip-bomb"))
    assert time.monotonic() - started < 1.5


async def test_huge_response_header_is_refused(fetcher: Fetcher, local_web: LocalWeb) -> None:
    with pytest.raises(TooLarge, match="headers are larger than 16384 bytes"):
        await fetcher.fetch(local_web.url("faults.test", "/huge-header"))


async def test_server_that_never_answers_costs_only_the_first_byte_timeout(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    settings = dataclasses.replace(fetch_settings, first_byte_timeout_s=0.3)
    async with railed(settings, local_web) as (fetcher, rail):
        started = time.monotonic()
        with pytest.raises(FetchTimeout, match="the server sent nothing for 0.3 s"):
            await fetcher.fetch(local_web.url("faults.test", "/hang"))
        assert time.monotonic() - started < 1.0
        assert fetcher.stats["timeout"] == 1


async def test_trickling_server_is_cut_off_by_the_total_timeout(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    settings = dataclasses.replace(fetch_settings, total_timeout_s=0.5)
    async with railed(settings, local_web) as (fetcher, rail):
        started = time.monotonic()
        with pytest.raises(FetchTimeout, match="no complete answer within 0.5 s"):
            await fetcher.fetch(local_web.url("faults.test", "/drip?bytes=100&interval_ms=50"))
    assert time.monotonic() - started < 1.0


async def test_redirect_loop_stops_at_the_cap(fetcher: Fetcher, local_web: LocalWeb) -> None:
    before = len(local_web.sent_to("faults.test", "/loop"))
    with pytest.raises(TooManyRedirects, match="more than 5 redirects"):
        await fetcher.fetch(local_web.url("faults.test", "/loop"))
    assert len(local_web.sent_to("faults.test", "/loop")) - before == 6  # the first request and 5 hops


async def test_connection_reset_is_a_readable_fetch_error(fetcher: Fetcher, local_web: LocalWeb) -> None:
    with pytest.raises(FetchError, match="reset the connection|closed the connection"):
        await fetcher.fetch(local_web.url("faults.test", "/reset"))
    assert fetcher.stats["error"] == 1


# -- the happy path ---------------------------------------------------------------------------------------


async def test_page_is_fetched_through_resolve(fetcher: Fetcher, local_web: LocalWeb) -> None:
    local_web.add_page("happy.test", "/p/kettle", "<h1>Brava kettle</h1>")
    response = await fetcher.fetch(local_web.url("happy.test", "/p/kettle"))
    assert (response.status, response.url, response.text) == (
        200,
        "http://happy.test/p/kettle",
        "<h1>Brava kettle</h1>",
    )
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.from_cache is False
    assert fetcher.stats["ok"] == 1


async def test_error_status_is_returned_not_raised(fetcher: Fetcher, local_web: LocalWeb) -> None:
    response = await fetcher.fetch(local_web.url("faults.test", "/status/503"))
    assert response.status == 503


async def test_zmot_introduces_itself_with_its_user_agent(fetcher: Fetcher, local_web: LocalWeb) -> None:
    response = await fetcher.fetch(local_web.url("faults.test", "/echo"), use_cache=False)
    sent = json.loads(response.body)["headers"]
    assert sent["User-Agent"] == f"zmot/{__version__} (+self-hosted shopping research)"


async def test_operator_can_set_the_user_agent(fetch_settings: FetchSettings, local_web: LocalWeb) -> None:
    settings = dataclasses.replace(fetch_settings, user_agent="zmot-at-home/1.0")
    async with railed(settings, local_web) as (fetcher, rail):
        response = await fetcher.fetch(local_web.url("faults.test", "/echo"))
    assert json.loads(response.body)["headers"]["User-Agent"] == "zmot-at-home/1.0"


async def test_second_fetch_comes_from_the_cache(fetch_settings: FetchSettings, local_web: LocalWeb) -> None:
    local_web.add_page("cache.test", "/p/1", "<p>cached</p>")
    store = MemoryStore()
    async with railed(fetch_settings, local_web, store=store) as (fetcher, rail):
        first = await fetcher.fetch(local_web.url("cache.test", "/p/1"))
        second = await fetcher.fetch(local_web.url("cache.test", "/p/1"))
        fresh = await fetcher.fetch(local_web.url("cache.test", "/p/1"), use_cache=False)
    assert (first.from_cache, second.from_cache, fresh.from_cache) == (False, True, False)
    assert second.body == first.body == b"<p>cached</p>"
    assert local_web.sent_to("cache.test", "/p/1") == ["/p/1", "/p/1"]
    assert fetcher.stats["cache_hit"] == 1


class SlowStore(MemoryStore):
    """A store whose writes wait until the test lets them through (a busy disk, a remote Redis)."""

    def __init__(self) -> None:
        super().__init__()
        self.writable = asyncio.Event()

    async def put_fetch(self, key: str, response: FetchResponse, ttl_s: float) -> None:
        await self.writable.wait()
        await super().put_fetch(key, response, ttl_s)


async def test_a_page_is_handed_on_before_the_store_has_written_it(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    local_web.add_page("cache.test", "/p/slow-disk", "<p>kept</p>")
    store = SlowStore()
    async with railed(fetch_settings, local_web, store=store) as (fetcher, rail):
        first = await fetcher.fetch(local_web.url("cache.test", "/p/slow-disk"))
        assert store.entries == {}  # not written yet, and the fetch did not wait for it
        again = await fetcher.fetch(local_web.url("cache.test", "/p/slow-disk"))
        assert (first.from_cache, again.from_cache, again.body) == (False, True, b"<p>kept</p>")
        store.writable.set()
    # Closing the fetcher (a clean shutdown) wrote what was waiting.
    assert [r.body for r, _ in store.entries.values()] == [b"<p>kept</p>"]
    assert local_web.sent_to("cache.test", "/p/slow-disk") == ["/p/slow-disk"]


async def test_a_ttl_of_zero_keeps_nothing(fetch_settings: FetchSettings, local_web: LocalWeb) -> None:
    local_web.add_page("cache.test", "/p/no-cache", "<p>fresh</p>")
    store = MemoryStore()
    settings = dataclasses.replace(fetch_settings, cache_ttl_s=0)
    async with railed(settings, local_web, store=store) as (fetcher, rail):
        first = await fetcher.fetch(local_web.url("cache.test", "/p/no-cache"))
        second = await fetcher.fetch(local_web.url("cache.test", "/p/no-cache"))
    assert (first.from_cache, second.from_cache, store.entries) == (False, False, {})
    assert local_web.sent_to("cache.test", "/p/no-cache") == ["/p/no-cache", "/p/no-cache"]


async def test_error_answers_are_not_cached(fetch_settings: FetchSettings, local_web: LocalWeb) -> None:
    store = MemoryStore()
    async with railed(fetch_settings, local_web, store=store) as (fetcher, rail):
        await fetcher.fetch(local_web.url("faults.test", "/status/500"))
        again = await fetcher.fetch(local_web.url("faults.test", "/status/500"))
    assert again.from_cache is False
    assert store.entries == {}


async def test_redirect_between_resolved_hosts_is_followed(fetcher: Fetcher, local_web: LocalWeb) -> None:
    response = await fetcher.fetch(
        local_web.url("public.test", "/to-faults"), headers={"Authorization": "Bearer mine", "X-Test": "kept"}
    )
    assert (response.status, response.url) == (200, "http://faults.test/echo")
    sent = json.loads(response.body)["headers"]
    assert sent["X-Test"] == "kept"
    assert "Authorization" not in sent  # credentials never follow a redirect to another site


async def test_operator_origin_on_loopback_is_reachable(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    # How a self-hosted SearXNG on this machine is reached: its origin is the operator's own.
    origin = f"127.0.0.1:{local_web.port}"
    async with railed(fetch_settings, local_web, allowed_origins=[origin]) as (fetcher, rail):
        response = await fetcher.fetch(f"http://{origin}/secret/searx", check_robots=False)
    assert response.status == 200


# -- robots.txt ---------------------------------------------------------------------------------------------


async def test_robots_disallowed_page_is_not_requested(fetcher: Fetcher, local_web: LocalWeb) -> None:
    url = local_web.url("robots.test", "/private/orders")
    with pytest.raises(RobotsDisallowed) as refused:
        await fetcher.fetch(url)
    assert refused.value.message == f"refused {url}: robots.test's robots.txt does not allow zmot there"
    assert local_web.sent_to("robots.test", "/private") == []
    assert fetcher.stats["robots"] == 1


async def test_robots_txt_is_read_once_per_origin(fetcher: Fetcher, local_web: LocalWeb) -> None:
    before = len(local_web.sent_to("robots.test", "/robots.txt"))
    await asyncio.gather(*(fetcher.fetch(local_web.url("robots.test", f"/p/{n}")) for n in range(3)))
    await fetcher.fetch(local_web.url("robots.test", "/p/again"))
    assert len(local_web.sent_to("robots.test", "/robots.txt")) - before == 1


async def test_a_long_robots_txt_is_parsed_off_the_event_loop_and_still_obeyed(
    fetcher: Fetcher, local_web: LocalWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Protego's time grows with a file's rules, up to half a second for the 512 KB read at most: parsed on
    # the event loop, every new site's robots.txt held up every other request the server was answering.
    others = "".join(f"User-agent: crawler{n}\nDisallow: /only-crawler{n}/\n\n" for n in range(300))
    text = f"{others}User-agent: *\nDisallow: /private\n"
    local_web.add_page("longrobots.test", "/robots.txt", text, content_type="text/plain")
    parsed_in: list[threading.Thread] = []

    class WatchedProtego(robots.Protego):
        @classmethod
        def parse(cls, content: str) -> robots.Protego:
            parsed_in.append(threading.current_thread())
            return super().parse(content)

    monkeypatch.setattr(robots, "Protego", WatchedProtego)
    with pytest.raises(RobotsDisallowed, match="longrobots.test's robots.txt does not allow zmot there"):
        await fetcher.fetch(local_web.url("longrobots.test", "/private/orders"))
    assert local_web.sent_to("longrobots.test", "/private") == []
    assert len(parsed_in) == 1 and parsed_in[0] is not threading.current_thread()


async def test_robots_txt_answering_5xx_keeps_zmot_away(fetcher: Fetcher, local_web: LocalWeb) -> None:
    with pytest.raises(RobotsDisallowed, match="robots.txt answered 503, so the whole site is off-limits"):
        await fetcher.fetch(local_web.url("robots-5xx.test", "/p/1"))
    assert local_web.sent_to("robots-5xx.test", "/p/") == []


async def test_missing_robots_txt_allows_everything(fetcher: Fetcher, local_web: LocalWeb) -> None:
    response = await fetcher.fetch(local_web.url("public.test", "/anything"))
    assert response.status == 200


async def test_robots_can_be_switched_off_by_the_operator(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    async with railed(dataclasses.replace(fetch_settings, respect_robots=False), local_web) as (
        fetcher,
        rail,
    ):
        response = await fetcher.fetch(local_web.url("robots.test", "/private/ok-then"))
    assert response.status == 200


# -- politeness ----------------------------------------------------------------------------------------------


async def test_one_slot_per_host_serialises_requests(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    settings = dataclasses.replace(fetch_settings, per_host_concurrency=1, respect_robots=False)
    async with railed(settings, local_web) as (fetcher, rail):
        started = time.monotonic()
        await asyncio.gather(
            *(
                fetcher.fetch(local_web.url("faults.test", f"/slow?ms=150&n={n}"), use_cache=False)
                for n in range(3)
            )
        )
    assert time.monotonic() - started >= 0.45


async def test_more_slots_let_requests_overlap(fetch_settings: FetchSettings, local_web: LocalWeb) -> None:
    settings = dataclasses.replace(fetch_settings, per_host_concurrency=3, respect_robots=False)
    async with railed(settings, local_web) as (fetcher, rail):
        started = time.monotonic()
        await asyncio.gather(
            *(
                fetcher.fetch(local_web.url("faults.test", f"/slow?ms=150&n={n}"), use_cache=False)
                for n in range(3)
            )
        )
    assert time.monotonic() - started < 0.4


async def test_requests_to_one_host_start_an_interval_apart(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    settings = dataclasses.replace(fetch_settings, per_host_interval_s=0.1, respect_robots=False)
    async with railed(settings, local_web) as (fetcher, rail):
        started = time.monotonic()
        await asyncio.gather(*(fetcher.fetch(local_web.url("faults.test", f"/echo?n={n}")) for n in range(4)))
    assert time.monotonic() - started >= 0.3


# -- sharing: identical requests in flight make one exchange --------------------------------------------


async def test_identical_requests_in_flight_share_one_exchange(fetcher: Fetcher, local_web: LocalWeb) -> None:
    path = f"/shared/{uuid.uuid4().hex[:10]}"
    local_web.add_page("share.test", path, "<p>one answer</p>", delay_s=0.2)
    url = local_web.url("share.test", path)
    first, second = await asyncio.gather(fetcher.fetch(url), fetcher.fetch(url))
    assert first.body == second.body == b"<p>one answer</p>"
    assert local_web.sent_to("share.test", path) == [path]
    assert fetcher.stats["shared"] >= 1


async def test_a_shared_request_given_up_by_its_owner_is_an_error_for_the_others(
    fetcher: Fetcher, local_web: LocalWeb
) -> None:
    path = f"/shared/{uuid.uuid4().hex[:10]}"
    local_web.add_page("share.test", path, "<p>late</p>", delay_s=0.5)
    url = local_web.url("share.test", path)
    owner = asyncio.create_task(fetcher.fetch(url))
    await asyncio.sleep(0.05)
    sharer = asyncio.create_task(fetcher.fetch(url))
    await asyncio.sleep(0.05)
    owner.cancel()
    with pytest.raises(FetchTimeout, match="no answer before it was cancelled"):
        await sharer
    assert not sharer.cancelled()
