"""The guarded fetcher under attack: the operator's private search host, broken host names, and per-host
state that a stream of new hosts must not grow without end.

A "private search host" is a small aiohttp server on a free loopback port with a /search API and a
/secret-admin page; the attacks come from the local web (faults.test redirects wherever it is told).
Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

from server.errors import BlockedAddress, FetchError
from server.fetch import Fetcher
from server.fetch.politeness import HostGate
from server.fetch.robots import RobotsCache
from server.settings import FetchSettings
from tests.localweb import LocalWeb


@dataclass
class SearchHost:
    """The operator's own search instance on a private address, and every path it was asked for."""

    port: int
    seen: list[str] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture
async def search_host() -> AsyncIterator[SearchHost]:
    host = SearchHost(port=0)

    async def answer(request: web.Request) -> web.StreamResponse:
        host.seen.append(request.path_qs)
        if request.path == "/search" and request.query.get("q") == "hop":
            raise web.HTTPFound("/search/next?q=hop")
        if request.path == "/search/away":
            raise web.HTTPFound("/secret-admin")
        if request.path.startswith("/search"):
            return web.json_response({"query": request.query.get("q"), "results": []})
        return web.Response(text=f"the operator's secrets behind {request.path}\n")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", answer)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    host.port = server.port or 0
    yield host
    await server.close()


def redirect_to(local_web: LocalWeb, target: str) -> str:
    """A page on the local web (faults.test, an ordinary site) that redirects to `target`."""
    return str(URL(local_web.url("faults.test", "/redirect")).with_query(to=target))


def lan_dns(**names: str):
    """A DNS that knows only `names` (host -> address), like a home network's resolver."""

    async def lookup(host: str, port: int) -> list[str]:
        if host in names:
            return [names[host]]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return lookup


def secret() -> str:
    return f"/secret-admin/{uuid.uuid4().hex[:8]}"


# -- the operator's search URL on a private address ---------------------------------------------------


async def test_the_search_url_on_a_private_host_is_reachable(
    fetch_settings: FetchSettings, search_host: SearchHost
) -> None:
    allowed = [search_host.url("/search")]
    async with Fetcher(fetch_settings, allowed_origins=allowed) as fetcher:
        response = await fetcher.fetch(search_host.url("/search?q=kettle&format=json"), check_robots=False)
    assert response.status == 200
    assert search_host.seen == ["/search?q=kettle&format=json"]


@pytest.mark.parametrize("path", ["/secret-admin", "/", "/searchx", "/search%2F..%2Fsecret-admin"])
async def test_the_search_hosts_other_paths_are_refused_before_a_request(
    fetch_settings: FetchSettings, search_host: SearchHost, path: str
) -> None:
    allowed = [search_host.url("/search")]
    async with Fetcher(fetch_settings, allowed_origins=allowed) as fetcher:
        with pytest.raises(BlockedAddress) as refused:
            await fetcher.fetch(search_host.url(path), check_robots=False)
    assert "127.0.0.1 is a loopback address" in refused.value.message
    assert "only /search there is the operator's own (the search provider)" in refused.value.message
    assert search_host.seen == []


async def test_a_redirect_cannot_reach_the_search_hosts_other_paths(
    fetch_settings: FetchSettings, local_web: LocalWeb, search_host: SearchHost
) -> None:
    url = redirect_to(local_web, search_host.url("/secret-admin"))
    async with Fetcher(fetch_settings, allowed_origins=[search_host.url("/search")]) as fetcher:
        with pytest.raises(BlockedAddress) as refused:
            await fetcher.fetch(url)
    assert refused.value.message.startswith(
        f"refused {url}: it redirects to {search_host.url('/secret-admin')}, and 127.0.0.1 is a loopback"
    )
    assert search_host.seen == []


async def test_a_redirect_from_another_site_cannot_reach_the_search_path_either(
    fetch_settings: FetchSettings, local_web: LocalWeb, search_host: SearchHost
) -> None:
    url = redirect_to(local_web, search_host.url("/search?q=planted"))
    async with Fetcher(fetch_settings, allowed_origins=[search_host.url("/search")]) as fetcher:
        with pytest.raises(BlockedAddress, match="not for redirects from other sites"):
            await fetcher.fetch(url)
    assert search_host.seen == []


async def test_the_search_host_may_redirect_within_its_search_path(
    fetch_settings: FetchSettings, search_host: SearchHost
) -> None:
    async with Fetcher(fetch_settings, allowed_origins=[search_host.url("/search")]) as fetcher:
        response = await fetcher.fetch(search_host.url("/search?q=hop"), check_robots=False)
    assert (response.status, response.url) == (200, search_host.url("/search/next?q=hop"))


async def test_the_search_host_cannot_redirect_outside_its_search_path(
    fetch_settings: FetchSettings, search_host: SearchHost
) -> None:
    async with Fetcher(fetch_settings, allowed_origins=[search_host.url("/search")]) as fetcher:
        with pytest.raises(BlockedAddress, match="only /search there is the operator's own"):
            await fetcher.fetch(search_host.url("/search/away"), check_robots=False)
    assert search_host.seen == ["/search/away"]


async def test_a_named_private_search_host_answers_only_on_its_search_path(
    fetch_settings: FetchSettings, search_host: SearchHost
) -> None:
    allowed = [search_host.url("/search", host="searx.lan")]
    dns = lan_dns(**{"searx.lan": "127.0.0.1"})
    async with Fetcher(fetch_settings, allowed_origins=allowed, lookup=dns) as fetcher:
        found = await fetcher.fetch(search_host.url("/search?q=kettle", host="searx.lan"), check_robots=False)
        # The search opened a connection to searx.lan that is still alive: it must not carry this one.
        with pytest.raises(BlockedAddress) as refused:
            await fetcher.fetch(search_host.url("/secret-admin", host="searx.lan"), check_robots=False)
    assert found.status == 200
    assert "searx.lan resolves to 127.0.0.1, a loopback address" in refused.value.message
    assert "only /search there is the operator's own" in refused.value.message
    assert search_host.seen == ["/search?q=kettle"]


async def test_a_redirect_cannot_reach_a_named_private_search_host(
    fetch_settings: FetchSettings, local_web: LocalWeb, search_host: SearchHost
) -> None:
    allowed = [search_host.url("/search", host="searx.lan")]
    dns = lan_dns(**{"searx.lan": "127.0.0.1"})
    url = redirect_to(local_web, search_host.url("/search?q=planted", host="searx.lan"))
    async with Fetcher(fetch_settings, allowed_origins=allowed, lookup=dns) as fetcher:
        with pytest.raises(BlockedAddress, match="not for redirects from other sites"):
            await fetcher.fetch(url)
    assert search_host.seen == []


async def test_a_whole_origin_named_by_host_and_port_stays_the_operators(
    fetch_settings: FetchSettings, search_host: SearchHost
) -> None:
    async with Fetcher(fetch_settings, allowed_origins=[f"127.0.0.1:{search_host.port}"]) as fetcher:
        response = await fetcher.fetch(search_host.url("/status"), check_robots=False)
    assert response.status == 200


# -- broken host names: refused, never raised as something else ---------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://a\u0001b.example/",
        "http://a\u0000b.example/",
        "http://bad host.example/",
        f"http://{'a' * 100_000}.example/",
        f"http://{'ä' * 100_000}.example/",
        f"http://{'a' * 64}.example/",
        "https://xn--.test/",
    ],
    ids=["control", "nul", "space", "100KB", "100KB-unicode", "long-label", "bad-idna"],
)
async def test_a_url_with_a_broken_host_is_refused_not_raised(
    fetch_settings: FetchSettings, local_web: LocalWeb, url: str
) -> None:
    async with Fetcher(fetch_settings) as fetcher:
        with pytest.raises(BlockedAddress) as refused:
            await fetcher.fetch(url)
    assert refused.value.url == url
    assert len(refused.value.message) < 500
    assert fetcher.stats["blocked"] == 1


async def test_a_redirect_to_a_broken_host_is_refused_at_the_hop(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    url = redirect_to(local_web, "https://xn--.test/p")
    async with Fetcher(fetch_settings) as fetcher:
        with pytest.raises(BlockedAddress) as refused:
            await fetcher.fetch(url)
    assert refused.value.message == (
        f"refused {url}: it redirects to https://xn--.test/p, "
        "and its host name xn--.test is not a valid international (IDNA) name"
    )


async def test_a_header_that_cannot_be_sent_is_a_fetch_error(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    async with Fetcher(dataclasses.replace(fetch_settings, respect_robots=False)) as fetcher:
        with pytest.raises(FetchError) as failed:
            await fetcher.fetch(local_web.url("faults.test", "/echo"), headers={"X-Note": "one\r\nX-Two: 2"})
    assert failed.value.url == local_web.url("faults.test", "/echo")


# -- per-host state stays bounded ---------------------------------------------------------------------


async def test_the_politeness_gate_forgets_idle_hosts_beyond_its_bound() -> None:
    gate = HostGate(1, 0.0, max_hosts=3)
    for n in range(50):
        async with gate.slot(f"shop-{n}.example"):
            pass
    assert len(gate) == 3


async def test_a_host_with_requests_in_flight_is_never_forgotten() -> None:
    gate = HostGate(1, 0.0, max_hosts=2)
    holding, release = asyncio.Event(), asyncio.Event()
    entered: list[str] = []

    async def request(name: str) -> None:
        async with gate.slot("busy.example"):
            entered.append(name)
            holding.set()
            await release.wait()

    first = asyncio.create_task(request("first"))
    await holding.wait()
    waiting = asyncio.create_task(request("waiting"))
    await asyncio.sleep(0)
    for n in range(20):  # a crowd of other hosts passes through while busy.example is in use
        async with gate.slot(f"shop-{n}.example"):
            pass
    late = asyncio.create_task(request("late"))
    for _ in range(5):
        await asyncio.sleep(0)
    # One slot for busy.example, still: the two later requests wait for it.
    assert entered == ["first"]
    release.set()
    await asyncio.gather(first, waiting, late)
    assert entered == ["first", "waiting", "late"]
    assert len(gate) <= 2


async def test_robots_rules_are_kept_for_a_bounded_number_of_sites(
    fetch_settings: FetchSettings, local_web: LocalWeb
) -> None:
    run = uuid.uuid4().hex[:8]
    hosts = [f"robots-{run}-{n}.test" for n in range(6)]
    async with Fetcher(fetch_settings) as fetcher:
        cache = RobotsCache(
            lambda url: fetcher.fetch(str(url), check_robots=False), agent="zmot", ttl_s=3600, max_origins=3
        )
        for host in hosts:
            await cache.rules_for(URL(f"http://{host}/p"))
        assert len(cache) == 3
        await cache.rules_for(URL(f"http://{hosts[-1]}/again"))  # kept: no second request
        await cache.rules_for(URL(f"http://{hosts[0]}/again"))  # forgotten: asked again
        await cache.close()
    assert len(local_web.sent_to(hosts[-1], "/robots.txt")) == 1
    assert len(local_web.sent_to(hosts[0], "/robots.txt")) == 2


async def test_expired_robots_rules_are_dropped(fetch_settings: FetchSettings, local_web: LocalWeb) -> None:
    run = uuid.uuid4().hex[:8]
    async with Fetcher(fetch_settings) as fetcher:
        cache = RobotsCache(lambda url: fetcher.fetch(str(url), check_robots=False), agent="zmot", ttl_s=0.2)
        for n in range(3):
            await cache.rules_for(URL(f"http://robots-{run}-{n}.test/p"))
        await asyncio.sleep(0.3)  # every rule above is now past its time
        await cache.rules_for(URL(f"http://robots-{run}-late.test/p"))
        await cache.close()
    # The three expired sites are gone; only the last one's rules may remain.
    assert len(cache) <= 1


async def test_a_posted_page_that_redirects_to_the_search_hosts_admin_is_blocked(
    api_client, local_web: LocalWeb, search_host: SearchHost
) -> None:
    # The reported attack, through the API: a briefing for a page that redirects into the private host.
    search = {"provider": "searxng", "url": search_host.url("/search")}
    target = search_host.url(secret())
    async with api_client(search=search) as client:
        response = await client.post("/v1/briefings", json={"url": redirect_to(local_web, target)})
        assert response.status in (200, 202)
        briefing = await (await client.get(f"/v1/briefings/{(await response.json())['id']}")).json()
        while briefing["status"] == "running":
            await asyncio.sleep(0.05)
            briefing = await (await client.get(f"/v1/briefings/{briefing['id']}")).json()
    page = next(s for s in briefing["sources"] if s["name"] == "page")
    assert page["status"] == "blocked"
    assert not any(seen.startswith("/secret-admin") for seen in search_host.seen)
