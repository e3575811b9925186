"""The local web itself: it must play each host faithfully, or the fetcher's tests prove nothing."""

from __future__ import annotations

import json
import time
import urllib.request
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.localweb import LocalWeb
from tests.localweb.hosts import BOMB_INFLATED_BYTES


async def get(web: LocalWeb, host: str, path: str, **kwargs) -> tuple[int, dict[str, str], bytes]:
    """Ask the local web for host/path the way a resolved fetch does: by address, with a Host header."""
    async with (
        aiohttp.ClientSession(auto_decompress=False) as session,
        session.get(
            f"http://127.0.0.1:{web.port}{path}", headers={"Host": host}, allow_redirects=False, **kwargs
        ) as response,
    ):
        return response.status, dict(response.headers), await response.read()


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    root = tmp_path / "web"
    shop = root / "shop.test"
    (shop / "p" / "kettle").mkdir(parents=True)
    (shop / "index.html").write_text("<h1>home</h1>")
    (shop / "about.html").write_text("<h1>about</h1>")
    (shop / "p" / "kettle" / "index.html").write_text("<h1>kettle</h1>")
    (shop / "data.json").write_text('{"ok": true}')
    (shop / "robots.txt").write_text("User-agent: *\nDisallow: /cart\n")
    (root / "blog.test").mkdir()
    (tmp_path / "outside.txt").write_text("not yours")
    return root


@pytest.fixture
async def own_web(site_root: Path) -> AsyncIterator[LocalWeb]:
    web = LocalWeb(site_root)
    await web.start()
    yield web
    await web.stop()


async def test_static_host_serves_files_by_path(own_web: LocalWeb) -> None:
    assert (await get(own_web, "shop.test", "/"))[2] == b"<h1>home</h1>"
    assert (await get(own_web, "shop.test", "/about"))[2] == b"<h1>about</h1>"
    assert (await get(own_web, "shop.test", "/about.html"))[2] == b"<h1>about</h1>"
    assert (await get(own_web, "shop.test", "/p/kettle"))[2] == b"<h1>kettle</h1>"
    status, headers, body = await get(own_web, "shop.test", "/data.json")
    assert (status, headers["Content-Type"], body) == (
        200,
        "application/json; charset=utf-8",
        b'{"ok": true}',
    )


async def test_robots_txt_is_a_file_when_present_else_404(own_web: LocalWeb) -> None:
    assert (await get(own_web, "shop.test", "/robots.txt"))[2] == b"User-agent: *\nDisallow: /cart\n"
    assert (await get(own_web, "blog.test", "/robots.txt"))[0] == 404


async def test_static_host_never_serves_files_outside_its_directory(own_web: LocalWeb) -> None:
    status, _, body = await get(own_web, "shop.test", "/%2e%2e/%2e%2e/outside.txt")
    assert status == 404
    assert b"not yours" not in body


async def test_unknown_host_and_page_are_404(own_web: LocalWeb) -> None:
    assert (await get(own_web, "nowhere.test", "/"))[0] == 404
    assert (await get(own_web, "shop.test", "/missing"))[0] == 404


async def test_resolve_map_covers_static_builtin_and_added_hosts(own_web: LocalWeb) -> None:
    own_web.add_page("late.test", "/", "hi")
    target = f"127.0.0.1:{own_web.port}"
    mapping = own_web.resolve_map()
    for host in [
        "shop.test",
        "blog.test",
        "faults.test",
        "public.test",
        "robots.test",
        "robots-5xx.test",
        "late.test",
    ]:
        assert mapping[host] == target
    assert mapping["*.test"] == target  # hosts added after settings were built still resolve here


def test_url_is_what_a_shopper_would_see(local_web: LocalWeb) -> None:
    assert local_web.url("shop-it.test", "/p/1") == "http://shop-it.test/p/1"
    assert local_web.url("shop-it.test") == "http://shop-it.test/"


async def test_added_page_wins_and_can_be_slow(own_web: LocalWeb) -> None:
    own_web.add_page("shop.test", "/about", b"<h1>changed</h1>", delay_s=0.1)
    started = time.monotonic()
    status, headers, body = await get(own_web, "shop.test", "/about")
    assert (status, body, headers["Content-Type"]) == (200, b"<h1>changed</h1>", "text/html; charset=utf-8")
    assert time.monotonic() - started >= 0.1


async def test_every_request_is_recorded(own_web: LocalWeb) -> None:
    await get(own_web, "shop.test", "/about")
    await get(own_web, "blog.test", "/post?id=3")
    assert own_web.requests == [("shop.test", "/about"), ("blog.test", "/post")]
    assert own_web.sent_to("blog.test") == ["/post"]


def test_thread_mode_answers_sync_callers(local_web: LocalWeb) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{local_web.port}/echo", headers={"Host": "faults.test"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.load(response)["headers"]["Host"] == "faults.test"


async def test_faults_host_answers_slowly_and_with_any_status(local_web: LocalWeb) -> None:
    started = time.monotonic()
    assert (await get(local_web, "faults.test", "/slow?ms=120"))[0] == 200
    assert time.monotonic() - started >= 0.12
    assert (await get(local_web, "faults.test", "/status/418"))[0] == 418


async def test_faults_host_big_body_has_the_size_asked_for(local_web: LocalWeb) -> None:
    assert len((await get(local_web, "faults.test", "/big?bytes=300000"))[2]) == 300_000
    status, headers, body = await get(local_web, "faults.test", "/big?bytes=1000&chunked=1")
    assert (len(body), headers.get("Transfer-Encoding")) == (1000, "chunked")


async def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(local_web: LocalWeb) -> None:
    status, headers, body = await get(local_web, "faults.test", "/gzip-bomb")
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert len(body) < 100_000
    # Inflate in bounded steps and count: the test must not become the bomb's victim.
    inflater, inflated, pending = zlib.decompressobj(31), 0, body
    while pending or not inflater.eof:
        inflated += len(inflater.decompress(pending, 4 * 1024 * 1024))
        pending = inflater.unconsumed_tail
    assert inflated == BOMB_INFLATED_BYTES == 50 * 1024 * 1024


async def test_redirect_hosts_point_where_they_say(local_web: LocalWeb) -> None:
    status, headers, _ = await get(local_web, "public.test", "/to-loopback/x")
    assert (status, headers["Location"]) == (302, f"http://127.0.0.1:{local_web.port}/secret/x")
    assert (await get(local_web, "public.test", "/to-private"))[1]["Location"] == "http://10.0.0.5/"
    assert (await get(local_web, "faults.test", "/loop"))[1]["Location"] == "/loop?n=1"
    to = "http://shop-it.test/p/1"
    assert (await get(local_web, "faults.test", "/redirect", params={"to": to}))[1]["Location"] == to


async def test_huge_header_is_huge(local_web: LocalWeb) -> None:
    async with aiohttp.ClientSession(max_field_size=200_000) as session:
        url = f"http://127.0.0.1:{local_web.port}/huge-header"
        async with session.get(url, headers={"Host": "faults.test"}) as response:
            assert len(response.headers["X-Huge"]) == 65536


async def test_hang_never_answers(local_web: LocalWeb) -> None:
    with pytest.raises(TimeoutError):
        await get(local_web, "faults.test", "/hang", timeout=aiohttp.ClientTimeout(total=0.2))


async def test_reset_closes_the_connection_without_an_answer(local_web: LocalWeb) -> None:
    with pytest.raises(aiohttp.ClientError):
        await get(local_web, "faults.test", "/reset")


async def test_robots_hosts_say_what_they_should(local_web: LocalWeb) -> None:
    assert b"Disallow: /private" in (await get(local_web, "robots.test", "/robots.txt"))[2]
    assert (await get(local_web, "robots-5xx.test", "/robots.txt"))[0] == 503
    assert (await get(local_web, "public.test", "/robots.txt"))[0] == 404


async def test_reaching_the_server_by_address_reveals_the_secret(local_web: LocalWeb) -> None:
    # The prize an SSRF would win; the fetcher's tests check that nobody ever gets here.
    status, _, body = await get(local_web, f"127.0.0.1:{local_web.port}", "/secret/demo")
    assert (status, body) == (200, b"the secret behind /secret/demo\n")
