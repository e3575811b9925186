"""LocalWeb's built-in hosts: faults to survive, attacks to refuse, robots.txt rules to honour."""

from __future__ import annotations

import asyncio
import functools
import socket
import struct
import zlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from tests.localweb.blogs import broken_reviews, slow_reviews, videos
from tests.localweb.outlet import outlet_shop
from tests.localweb.search import searxng, searxng_fails, searxng_hangs, searxng_nojson
from tests.localweb.social import hacker_news, reddit

if TYPE_CHECKING:
    from tests.localweb.web import LocalWeb

__all__ = ["BUILTIN_HOSTS", "gzip_bomb", "loopback_secret"]

Host = Callable[["LocalWeb", web.Request], Awaitable[web.StreamResponse]]

BOMB_INFLATED_BYTES = 50 * 1024 * 1024
ROBOTS_TXT = "User-agent: *\nDisallow: /private\n"


@functools.cache
def gzip_bomb() -> bytes:
    """About 50 KB of gzip that inflates to 50 MiB of zeros (built once, without holding 50 MiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros) for _ in range(BOMB_INFLATED_BYTES // len(zeros))]
    return b"".join(parts) + compressor.flush()


def loopback_secret(request: web.Request) -> web.Response:
    """What a request that reached 127.0.0.1 by address gets: the thing an SSRF would steal."""
    return web.Response(text=f"the secret behind {request.path}\n")


def _html(title: str) -> web.Response:
    return web.Response(
        text=f"<!doctype html><title>{title}</title><h1>{title}</h1>\n", content_type="text/html"
    )


def _redirect(to: str, status: int = 302) -> web.Response:
    return web.Response(status=status, headers={"Location": to})


async def faults(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """faults.test: slow, hung, reset, erroring, oversized and malformed answers."""
    path, query = request.path, request.query
    if path == "/slow":
        ms = int(query.get("ms", "1000"))
        await asyncio.sleep(ms / 1000)
        return _html(f"slow answer after {ms} ms")
    if path == "/hang":
        await local.stopping.wait()  # no answer until the server stops (or the client gives up)
        return _html("too late")
    if path == "/reset":
        return _reset(request)
    if path.startswith("/status/"):
        status = int(path.removeprefix("/status/"))
        return web.Response(status=status, text=f"status {status}\n")
    if path == "/big":
        size = int(query.get("bytes", "10000000"))
        # ?chunked=1 leaves out Content-Length, so only counting the bytes can catch an oversized body.
        return await _stream(request, size, chunk=64 * 1024, declare=not query.get("chunked"))
    if path == "/gzip-bomb":
        return web.Response(
            body=gzip_bomb(), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        )
    if path == "/redirect":
        return _redirect(query["to"], int(query.get("status", "302")))
    if path == "/loop":
        return _redirect(f"/loop?n={int(query.get('n', '0')) + 1}")
    if path == "/huge-header":
        return web.Response(text="ok\n", headers={"X-Huge": "x" * int(query.get("bytes", "65536"))})
    if path == "/echo":
        return web.json_response(
            {"method": request.method, "path": request.path_qs, "headers": dict(request.headers)}
        )
    if path == "/drip":
        interval = int(query.get("interval_ms", "100")) / 1000
        return await _stream(request, int(query.get("bytes", "100")), chunk=1, pause_s=interval)
    if path == "/":
        return _html("faults.test")
    return web.Response(status=404, text=f"no such fault: {path}\n")


async def public(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """public.test: an ordinary-looking site whose redirects lead to addresses zmot must not touch."""
    path = request.path
    if path.startswith("/to-loopback"):
        return _redirect(f"http://127.0.0.1:{local.port}/secret{path.removeprefix('/to-loopback')}")
    if path == "/to-private":
        return _redirect("http://10.0.0.5/")
    if path == "/to-metadata":
        return _redirect("http://169.254.169.254/latest/meta-data/")
    if path == "/to-faults":
        return _redirect("http://faults.test/echo")
    if path == "/robots.txt":
        return web.Response(status=404, text="no robots.txt\n")
    return _html(f"public.test {path}")


async def robots(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """robots.test: robots.txt disallows /private for every agent."""
    if request.path == "/robots.txt":
        return web.Response(text=ROBOTS_TXT)
    return _html(f"robots.test {request.path}")


async def robots_5xx(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """robots-5xx.test: robots.txt answers 503, so a polite crawler must stay away (RFC 9309)."""
    if request.path == "/robots.txt":
        return web.Response(status=503, text="robots.txt is having a bad day\n")
    return _html(f"robots-5xx.test {request.path}")


def _reset(request: web.Request) -> web.Response:
    """Close the connection with a TCP RST instead of an answer."""
    transport = request.transport
    assert transport is not None
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger 0 makes close() send RST rather than a polite FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    return web.Response(status=500, text="not sent\n")


async def _stream(
    request: web.Request, size: int, *, chunk: int, pause_s: float = 0.0, declare: bool = True
) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    if declare:
        response.content_length = size
    else:
        response.enable_chunked_encoding()
    await response.prepare(request)
    block = b"x" * chunk
    sent = 0
    while sent < size:
        piece = block[: size - sent]
        await response.write(piece)
        sent += len(piece)
        if pause_s:
            await asyncio.sleep(pause_s)
    await response.write_eof()
    return response


BUILTIN_HOSTS: dict[str, Host] = {
    "faults.test": faults,
    "public.test": public,
    "robots.test": robots,
    "robots-5xx.test": robots_5xx,
    # issue 6: search providers and the mention sites that need code (see tests/localweb/README.md)
    "search.test": searxng,
    "search-hangs.test": searxng_hangs,
    "search-fails.test": searxng_fails,
    "search-nojson.test": searxng_nojson,
    "hn.algolia.test": hacker_news,
    "reddit.test": reddit,
    "videos.test": videos,
    "slowreviews.test": slow_reviews,
    "brokenreviews.test": broken_reviews,
    # issue 15: a shop whose markup carries the wrong price (the shopper's corrections)
    "outlet-shop.test": outlet_shop,
}
