"""The aiohttp application: state, middlewares (errors, the checks that only zmot's clients get in, auth,
metrics), its lifecycle, and serving it with limits on connections and time."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import re
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import web

from scrapers.registry import Registry, load_registry
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
from server.fetch import Fetcher
from server.metrics import Metrics
from server.pipeline import BriefingRun, Pipeline
from server.settings import ServerSettings, Settings
from server.store import Store, open_store, purging
from server.watcher import PriceWatcher
from server.workers import CpuPool

try:
    import resource
except ImportError:  # Windows: no descriptor limit to stay under
    resource = None  # type: ignore[assignment]

__all__ = [
    "CHROME_EXTENSION_ORIGIN",
    "MAX_BODY_BYTES",
    "ConnectionCap",
    "connection_limit",
    "create_app",
    "listening",
    "operator_urls",
    "serve",
]

log = logging.getLogger("zmot.server")

# zmot's Chromium extension, its id fixed by the manifest's `key`.
CHROME_EXTENSION_ORIGIN = "chrome-extension://cjmmdfjlklhnlpfddkpklcillepehcbp"
# Firefox gives each installation of an extension its own random origin: it cannot be pinned, so such an
# origin (and `null`, which Firefox's extension pages may send) is let in only with a valid token.
_FIREFOX_ORIGIN = re.compile(r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_OPEN_PATHS = {"/healthz", "/openapi.json"}
_HOSTS = web.AppKey("hosts", frozenset)
_CORS_ORIGIN = web.RequestKey("cors_origin", str)  # on a request whose origin may read the answer
_SPARE_FDS = 64  # descriptors kept for the store, the fetcher's sockets and the logs
_ACCEPT_QUIET_S = 10.0  # accept() failing again within this is the same condition: not logged again

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    registry: Registry | None = None,
    lookup=None,
) -> web.Application:
    """The zmot HTTP API for these settings; `store`, `registry` and `lookup` may be given by tests."""
    app = web.Application(
        client_max_size=MAX_BODY_BYTES,
        middlewares=[_errors, _count, _host, _origin, _auth, _json_only],
        handler_args={
            # A body is read as it was sent: a small compressed one may not grow into gigabytes here.
            "auto_decompress": False,
            # aiohttp closes a connection idle this long, and a connection still sending its request head
            # is idle to it: so this is also how long a request head may take.
            "keepalive_timeout": settings.server.head_timeout_s,
        },
    )
    app[api.SETTINGS] = settings
    app[api.TOKENS] = [t.encode() for t in settings.server.tokens]
    # A wildcard bind address (0.0.0.0, ::) names no server: clients use other names, listed in hosts.
    names = {_host_name(name) for name in [settings.server.host, *settings.server.hosts]}
    app[_HOSTS] = frozenset(names - {"0.0.0.0", "::"})
    store = store if store is not None else open_store(settings.store)
    fetcher = Fetcher(settings.fetch, store=store, allowed_origins=operator_urls(settings), lookup=lookup)
    app[api.STORE] = store
    app[api.FETCHER] = fetcher
    app[api.METRICS] = Metrics(lambda: fetcher.stats)
    app[api.REGISTRY] = registry if registry is not None else load_registry(settings.plugins.disabled)
    app.cleanup_ctx.append(_lifecycle)
    app.on_response_prepare.append(_cors_headers)
    api.add_routes(app)
    return app


def operator_urls(settings: Settings) -> list[str]:
    """The search provider's origin is the operator's own and may be a private address."""
    return [settings.search.url] if settings.search.url else []


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    store, fetcher, metrics = app[api.STORE], app[api.FETCHER], app[api.METRICS]
    await store.open()
    await fetcher.start()
    cpu = CpuPool()
    await cpu.start()  # its workers load the language model now, not while the first shopper waits

    def finished(run: BriefingRun) -> None:
        metrics.briefings.labels(run.briefing["status"]).inc()
        metrics.briefing_seconds.observe(run.briefing["elapsed_ms"] / 1000)

    app[api.PIPELINE] = Pipeline(
        app[api.SETTINGS], app[api.REGISTRY], fetcher, store, cpu=cpu, on_finish=finished
    )
    try:
        async with purging(store), PriceWatcher(app[api.REGISTRY], fetcher, store, cpu=cpu).running():
            yield
    finally:
        await app[api.PIPELINE].close()
        await cpu.close()
        await fetcher.close()
        await store.close()


def _error_response(error: ZmotError) -> web.Response:
    return web.json_response(error.to_json(), status=error.http_status)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes `{"error": {"code", "message"}}`; nothing unexpected escapes as HTML."""
    try:
        return await handler(request)
    except ZmotError as exc:
        return _error_response(exc)
    except web.HTTPRequestEntityTooLarge:
        return _error_response(PayloadTooLarge(f"the request body is over {MAX_BODY_BYTES} bytes"))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status, "http_error")
        response = web.json_response({"error": {"code": code, "message": exc.reason}}, status=exc.status)
        if exc.status == 405:
            response.headers["Allow"] = exc.headers.get("Allow", "")
        return response
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return web.json_response(
            {"error": {"code": "internal_error", "message": "something went wrong on the server"}}, status=500
        )


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
async def _host(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The Host header must name this server, else a web page whose own name was made to resolve here
    (DNS rebinding) would be same-origin with the API."""
    host = request.headers.get("Host")
    if host is not None and not _names_this_server(host, request.app[_HOSTS]):
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
async def _origin(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Only zmot's clients: no Origin (not a browser), zmot's Chromium extension, a configured origin, or a
    Firefox extension page (`moz-extension://<uuid>` or `null`) that shows the token. Every other web
    origin gets 403, whatever the method. CORS preflights are answered here."""
    origin = request.headers.get("Origin")
    preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
    if origin is not None:
        refusal = _origin_refusal(request, origin, preflight)
        if refusal is not None:
            raise refusal
        request[_CORS_ORIGIN] = origin
    if not preflight:
        return await handler(request)
    response = web.Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Last-Event-ID"
    response.headers["Access-Control-Max-Age"] = "600"
    return response


def _origin_refusal(request: web.Request, origin: str, preflight: bool) -> ZmotError | None:
    """Why `origin` may not make this request (403, or 401 for a Firefox page without the pairing code),
    or None if it may."""
    if origin == CHROME_EXTENSION_ORIGIN or origin in request.app[api.SETTINGS].server.cors_origins:
        return None
    shown = origin[:100]
    if origin != "null" and not _FIREFOX_ORIGIN.fullmatch(origin):
        return Forbidden(
            f"{shown} may not call zmot: only its browser extension and the origins in server.cors_origins"
        )
    if preflight:
        # A preflight never carries the token: the request it clears must. `null` is also what a sandboxed
        # web frame sends, so only a moz-extension origin's preflight is answered.
        return None if origin != "null" else Forbidden("a preflight from the null origin is not answered")
    if not _has_valid_token(request):
        return Unauthorized(
            f"requests from {shown} need the pairing code: send 'Authorization: Bearer <code>'"
        )
    return None


async def _cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Allow-Origin on every answer to an origin `_origin` let in, event streams included: they are sent
    (prepared) inside their handler, before a middleware could add headers."""
    origin = request.get(_CORS_ORIGIN)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
    if "Origin" in request.headers:
        response.headers["Vary"] = "Origin"


@web.middleware
async def _auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """With tokens configured, everything but /healthz and /openapi.json needs `Authorization: Bearer`."""
    if request.app[api.TOKENS] and request.path not in _OPEN_PATHS and not _has_valid_token(request):
        raise Unauthorized("a valid token is needed: send 'Authorization: Bearer <token>'")
    return await handler(request)


@web.middleware
async def _json_only(request: web.Request, handler: Handler) -> web.StreamResponse:
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


@web.middleware
async def _count(request: web.Request, handler: Handler) -> web.StreamResponse:
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        request.app[api.METRICS].requests.labels(request.method, name, str(exc.status)).inc()
        raise
    except ZmotError as exc:
        request.app[api.METRICS].requests.labels(request.method, name, str(exc.http_status)).inc()
        raise
    request.app[api.METRICS].requests.labels(request.method, name, str(response.status)).inc()
    return response


def connection_limit(configured: int) -> int:
    """`configured`, kept below the process's limit on open files: past that, accepting fails and asyncio
    retries it in a storm of log lines."""
    if resource is None:
        return configured
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return configured
    return max(1, min(configured, soft - _SPARE_FDS))


class ConnectionCap:
    """The protocol factory zmot listens with: at most `limit` connections open, each new one beyond that
    closed at once. Reaching the cap is logged once, and again only after it has been left well behind."""

    def __init__(self, factory: Callable[[], asyncio.BaseProtocol], limit: int) -> None:
        self.limit = limit
        self._factory = factory
        self._connected = 0
        self._starting: dict[_Counted, float] = {}  # made, not yet connected (asyncio does that next)
        self._refused = 0
        self._accept_failures = 0  # since the last line logged about them
        self._last_accept_failure = 0.0

    @property
    def open(self) -> int:
        """Connections open now, counting those being set up."""
        return self._connected + len(self._starting)

    def __call__(self) -> asyncio.BaseProtocol:
        now = asyncio.get_running_loop().time()
        for protocol, made in list(self._starting.items()):
            if made > now - 1:
                break
            del self._starting[protocol]  # never connected: its socket failed before it got the protocol
        if self._accept_failures and now - self._last_accept_failure > _ACCEPT_QUIET_S:
            log.info("accepting connections again (%d attempts failed)", self._accept_failures)
            self._accept_failures = 0
        if self.open >= self.limit:
            if not self._refused:
                log.warning(
                    "connection cap of %d reached: new connections are closed until some end", self.limit
                )
            self._refused += 1
            return _Refused()
        if self._refused and self.open <= self.limit * 3 // 4:
            log.info("connections are under the cap again (%d were refused)", self._refused)
            self._refused = 0
        protocol = _Counted(self._factory(), self)
        self._starting[protocol] = now
        return protocol

    def _made(self, protocol: _Counted) -> None:
        self._starting.pop(protocol, None)
        self._connected += 1

    def _lost(self) -> None:
        self._connected -= 1

    def exception_handler(self, previous: Callable[..., Any] | None) -> Callable[..., None]:
        """An event loop exception handler that logs accept() failing (out of descriptors) once a spell,
        not once per retry: asyncio retries it many times a second, each with a traceback, and its retries
        still pending when the server closes fail once more."""

        def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            failed_accept = context.get("message", "").startswith("socket.accept() out of system resource")
            if failed_accept or "_start_serving" in repr(context.get("handle")):
                if not self._accept_failures:
                    log.error("cannot accept connections (%s); retrying quietly", context.get("exception"))
                self._accept_failures += 1
                self._last_accept_failure = loop.time()
                return
            if previous is not None:
                previous(loop, context)
            else:
                loop.default_exception_handler(context)

        return handle


class _Counted(asyncio.Protocol):
    """aiohttp's protocol for one connection, counted by the cap while the connection is open."""

    def __init__(self, inner: asyncio.BaseProtocol, cap: ConnectionCap) -> None:
        self._inner: Any = inner
        self._cap = cap
        self._connected = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._connected = True
        self._cap._made(self)
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._connected:
            self._connected = False
            self._cap._lost()
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


class _Refused(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.close()


@contextlib.asynccontextmanager
async def listening(
    app: web.Application, settings: ServerSettings, *, port: int | None = None
) -> AsyncIterator[int]:
    """Serve `app` on `settings.host` and `port` (default `settings.port`, 0 for a free one) until the
    block ends; yields the port. How `zmot serve` serves, so that tests run the same limits."""
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    assert runner.server is not None
    loop = asyncio.get_running_loop()
    cap = ConnectionCap(runner.server, connection_limit(settings.max_connections))
    previous = loop.get_exception_handler()
    loop.set_exception_handler(cap.exception_handler(previous))
    try:
        listener = await loop.create_server(cap, settings.host, settings.port if port is None else port)
        try:
            yield listener.sockets[0].getsockname()[1]
        finally:
            listener.close()
    finally:
        await runner.cleanup()
        loop.set_exception_handler(previous)


def serve(settings: Settings, *, ready: Callable[[int], None] | None = None) -> None:
    """Run the server until SIGINT or SIGTERM; `ready` is called with the port once it listens."""
    asyncio.run(_serve_until_stopped(settings, ready))


async def _serve_until_stopped(settings: Settings, ready: Callable[[int], None] | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows
            loop.add_signal_handler(signum, stop.set)
    async with listening(create_app(settings), settings.server) as port:
        if ready is not None:
            ready(port)
        await stop.wait()
