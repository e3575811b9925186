"""The checks that let only zmot's own clients drive the server: the Host names this server (DNS
rebinding), the Origin is zmot's extension or a configured one (a web page is not), the token or pairing
code, and JSON bodies only (an HTML form cannot send one). Each is an aiohttp middleware."""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from server import api
from server.api import MAX_BODY_BYTES
from server.errors import (
    Forbidden,
    MisdirectedRequest,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
    ZmotError,
)
from server.settings import Settings

__all__ = [
    "CHROME_EXTENSION_ORIGIN",
    "check_host",
    "check_json",
    "check_origin",
    "check_token",
    "cors_headers",
    "server_names",
]

# zmot's Chromium extension, its id fixed by the manifest's `key`.
CHROME_EXTENSION_ORIGIN = "chrome-extension://cjmmdfjlklhnlpfddkpklcillepehcbp"
# Firefox gives each installation of an extension its own random origin: it cannot be pinned, so such an
# origin (and `null`, which Firefox's extension pages may send) is let in only with a valid token.
_FIREFOX_ORIGIN = re.compile(r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_OPEN_PATHS = {"/healthz", "/openapi.json"}
# The self-hoster's page (server/site): its HTML, scripts and styles hold no data, so a browser loads them
# without the code; the page then asks for it and shows it on every API call it makes.
_PAGE_PATHS = re.compile(r"/|/briefings/[^/]+|/site/[^/]+")
_NAMES = web.AppKey("server_names", frozenset)
_CORS_ORIGIN = web.RequestKey("cors_origin", str)  # on a request whose origin may read the answer

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def server_names(app: web.Application, settings: Settings) -> None:
    """Remember the names the Host header may carry besides loopback ones: the bind address and
    `server.hosts`. A wildcard bind address (0.0.0.0, ::) names no server: clients use other names."""
    names = {_host_name(name) for name in [settings.server.host, *settings.server.hosts]}
    app[_NAMES] = frozenset(names - {"0.0.0.0", "::"})


def _host_name(value: str) -> str:
    """A Host header or a configured name as a bare name: lower case, no port, brackets or final dot; an
    IP address in its canonical form."""
    value = value.strip().lower()
    if value.startswith("["):
        name = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") > 1:  # an IPv6 address without brackets, as server.host may be
        name = value
    else:
        name = value.partition(":")[0]
    name = name.removesuffix(".")
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(name))
    return name


def _names_this_server(host: str, configured: frozenset[str]) -> bool:
    name = _host_name(host)
    if name == "localhost" or name.endswith(".localhost") or name in configured:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@web.middleware
async def check_host(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The Host header must name this server, else a web page whose own name was made to resolve here
    (DNS rebinding) would be same-origin with the API."""
    host = request.headers.get("Host")
    if host is not None and not _names_this_server(host, request.app[_NAMES]):
        raise MisdirectedRequest(
            f"this server does not answer for {host[:100]!r}: add the name to server.hosts if it is its own"
        )
    return await handler(request)


def _has_valid_token(request: web.Request) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.isascii():  # a token is ASCII; other bytes are no token
        return False
    presented = given.strip().encode()
    return any(hmac.compare_digest(presented, token) for token in request.app[api.TOKENS])


@web.middleware
async def check_origin(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Only zmot's clients: no Origin (not a browser), zmot's Chromium extension, a configured origin, or a
    Firefox extension page (`moz-extension://<uuid>` or `null`) or the server's own page that shows the
    token. Every other web origin gets 403, whatever the method. CORS preflights are answered here."""
    origin = request.headers.get("Origin")
    preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
    if origin is not None:
        refusal = _origin_refusal(request, origin, preflight)
        if isinstance(refusal, Unauthorized) and _FIREFOX_ORIGIN.fullmatch(origin):
            # zmot's Firefox popup without the code must read this 401 to ask for it: without the CORS
            # header Firefox hides it, and the popup could only say the server cannot be reached.
            request[_CORS_ORIGIN] = origin
        if refusal is not None:
            raise refusal
        request[_CORS_ORIGIN] = origin
    if not preflight:
        return await handler(request)
    response = web.Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, DELETE, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Last-Event-ID"
    response.headers["Access-Control-Max-Age"] = "600"
    return response


def _origin_refusal(request: web.Request, origin: str, preflight: bool) -> ZmotError | None:
    """Why `origin` may not make this request (403, or 401 for a Firefox page without the pairing code),
    or None if it may."""
    if origin == CHROME_EXTENSION_ORIGIN or origin in request.app[api.SETTINGS].server.cors_origins:
        return None
    shown = origin[:100]
    if origin != "null" and not _FIREFOX_ORIGIN.fullmatch(origin) and not _is_own_origin(request, origin):
        return Forbidden(
            f"{shown} may not call zmot: only its browser extension and the origins in server.cors_origins"
        )
    if _is_page_load(request) and _is_own_origin(request, origin):
        return None  # the page's own module scripts, which a browser fetches with its Origin
    if preflight:
        # A preflight never carries the token: the request it clears must. `null` is also what a sandboxed
        # web frame sends, so only a moz-extension origin's preflight is answered.
        return None if origin != "null" else Forbidden("a preflight from the null origin is not answered")
    if not _has_valid_token(request):
        return Unauthorized(
            f"requests from {shown} need the pairing code: send 'Authorization: Bearer <code>'"
        )
    return None


def _is_page_load(request: web.Request) -> bool:
    """A browser loading the self-hoster's page or one of its files: no data, so no code is needed; a
    wrong code shown is refused all the same."""
    return (
        request.method in {"GET", "HEAD"}
        and _PAGE_PATHS.fullmatch(request.path) is not None
        and "Authorization" not in request.headers
    )


def _is_own_origin(request: web.Request, origin: str) -> bool:
    """Whether `origin` is this server's own page (server/site): scheme://host[:port] as the Host header,
    which check_host found to name this server, says it. https too, for a TLS proxy in front of zmot: only
    this server answers on that host and port. A page on another port of the same host is another origin."""
    host = request.headers.get("Host")
    if not host:
        return False
    return origin.lower() in {f"http://{host.lower()}", f"https://{host.lower()}"}


async def cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Allow-Origin on every answer to an origin `_origin` let in, event streams included: they are sent
    (prepared) inside their handler, before a middleware could add headers."""
    origin = request.get(_CORS_ORIGIN)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
    if "Origin" in request.headers:
        response.headers["Vary"] = "Origin"


@web.middleware
async def check_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """With tokens configured, everything but /healthz and /openapi.json needs `Authorization: Bearer`.
    The self-hoster's page loads without one, but a wrong one shown there is refused as anywhere."""
    if not request.app[api.TOKENS] or request.path in _OPEN_PATHS or _has_valid_token(request):
        return await handler(request)
    if _is_page_load(request):
        return await handler(request)
    raise Unauthorized("a valid token is needed: send 'Authorization: Bearer <token>'")


@web.middleware
async def check_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body is JSON in UTF-8, as zmot's clients send it, and within MAX_BODY_BYTES: checked before a
    byte of it is read. An HTML form cannot send that (its text/plain body was a way in for any page)."""
    if request.method == "POST" or request.body_exists:
        codings = {
            c.strip().lower() for v in request.headers.getall("Content-Encoding", []) for c in v.split(",")
        }
        if codings - {"", "identity"}:
            raise UnsupportedMediaType("a compressed body is not accepted: send the JSON as it is")
        if request.content_type != "application/json":
            raise UnsupportedMediaType("the body must be JSON, sent with 'Content-Type: application/json'")
        if (request.charset or "utf-8").lower() not in {"utf-8", "utf8", "us-ascii"}:
            raise UnsupportedMediaType("a JSON body is UTF-8; no other charset is read")
        if (request.content_length or 0) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"the request body is over {MAX_BODY_BYTES} bytes")
    return await handler(request)
