"""Serving the app the way `zmot serve` does, with limits on connections and time: a cap on open
connections below the descriptor limit, and accept() failures logged once, not once per retry.

`zmot serve` listens before it imports the app: importing the analysis, the plugins and their parsers takes
seconds, and a server that does not answer meanwhile looks dead to a supervisor or to the extension. Until
the app is ready a small server answers /healthz with `"workers": "starting"` (every other path 503 with
Retry-After); then every new connection goes to the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import ipaddress
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import web

from server import __version__
from server.settings import ServerSettings, Settings

try:
    import resource
except ImportError:  # Windows: no descriptor limit to stay under
    resource = None  # type: ignore[assignment]

__all__ = ["ConnectionCap", "connection_limit", "listening", "serve"]

log = logging.getLogger("zmot.server")

_SPARE_FDS = 64  # descriptors kept for the store, the fetcher's sockets and the logs
_ACCEPT_QUIET_S = 10.0  # accept() failing again within this is the same condition: not logged again


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
        self._last_accept_failure = 0.0  # loop.time() of the last failure; 0.0 while none has failed

    @property
    def accept_failed(self) -> bool:
        """accept() has failed at least once: asyncio may still hold a retry of it."""
        return self._last_accept_failure > 0

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

    def hand_over(self, factory: Callable[[], asyncio.BaseProtocol]) -> None:
        """Give every connection from now on to `factory` (the app, once it is ready); open ones stay."""
        self._factory = factory

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
async def _listener(
    cap: ConnectionCap, settings: ServerSettings, port: int | None
) -> AsyncIterator[asyncio.Server]:
    """A socket listening with `cap` as its protocol factory until the block ends."""
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop.set_exception_handler(cap.exception_handler(previous))
    try:
        listener = await loop.create_server(cap, settings.host, settings.port if port is None else port)
        try:
            yield listener
        finally:
            listener.close()
    finally:
        # After accept() failed, asyncio retries it a second later, even once the socket is closed; that
        # retry fails once more. The handler stays to keep it quiet (it hands everything else on).
        if not cap.accept_failed:
            loop.set_exception_handler(previous)


@contextlib.asynccontextmanager
async def listening(
    app: web.Application, settings: ServerSettings, *, port: int | None = None
) -> AsyncIterator[int]:
    """Serve `app` on `settings.host` and `port` (default `settings.port`, 0 for a free one) until the
    block ends; yields the port. How `zmot serve` serves, so that tests run the same limits."""
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    assert runner.server is not None
    try:
        cap = ConnectionCap(runner.server, connection_limit(settings.max_connections))
        async with _listener(cap, settings, port) as listener:
            yield listener.sockets[0].getsockname()[1]
    finally:
        await runner.cleanup()


def serve(settings: Settings, *, ready: Callable[[int], None] | None = None) -> None:
    """Run the server until SIGINT or SIGTERM; `ready` is called with the port once it listens (before the
    app is imported: /healthz answers `"workers": "starting"` until the app and its workers are ready)."""
    asyncio.run(_serve_until_stopped(settings, ready))


async def _serve_until_stopped(
    settings: Settings,
    ready: Callable[[int], None] | None,
    *,
    stop: asyncio.Event | None = None,
    load_app: Callable[[Settings], Awaitable[web.AppRunner]] | None = None,
) -> None:
    """Listen at once, answer as `_Starting` until `load_app` (by default: import and set up zmot's app)
    is done, then hand every new connection to the app; until `stop` is set (by default: SIGINT, SIGTERM)."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows
                loop.add_signal_handler(signum, stop.set)
    starting = web.Server(_Starting(settings).handle)
    cap = ConnectionCap(starting, connection_limit(settings.server.max_connections))
    runner: web.AppRunner | None = None
    try:
        async with _listener(cap, settings.server, None) as listener:
            if ready is not None:
                ready(listener.sockets[0].getsockname()[1])
            app_ready = asyncio.ensure_future((load_app or _app_runner)(settings))
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait({app_ready, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not app_ready.done():  # stopped while starting: the app's setup finishes, then cleans up
                stopped.cancel()
                runner = await app_ready
                return
            runner = app_ready.result()
            assert runner.server is not None
            cap.hand_over(runner.server)
            await stopped
    finally:
        if runner is not None:
            await runner.cleanup()
        await starting.shutdown(1)


async def _app_runner(settings: Settings) -> web.AppRunner:
    """The app, set up: its modules are imported and the app is built in a thread, so that the loop answers
    meanwhile. Building it held the loop too: finding the plugins' entry points reads every installed
    package's metadata (60-120 ms on a busy machine). Nothing it makes needs the loop before setup()."""
    app = await asyncio.to_thread(_built_app, settings)
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    return runner


def _built_app(settings: Settings) -> web.Application:
    return importlib.import_module("server.app").create_app(settings)


_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


class _Starting:
    """What answers while the app is imported: /healthz says so; anything else is asked to come back.
    Each answer closes its connection, so that the client's next one reaches the app once it is there."""

    def __init__(self, settings: Settings) -> None:
        names = {settings.server.host, *settings.server.hosts} - {"0.0.0.0", "::"}
        self._names = frozenset(_bare(name) for name in names)

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        if not self._names_this_server(request.headers.get("Host")):
            # As the app answers: a page whose name was made to resolve here learns nothing (DNS rebinding).
            response = _error(421, "misdirected_request", "this server does not answer for that name")
        elif request.path == "/healthz" and request.method in ("GET", "HEAD"):
            response = web.json_response({"status": "ok", "version": __version__, "workers": "starting"})
        else:
            response = _error(503, "starting", "zmot is starting: try again in a moment")
            response.headers["Retry-After"] = "1"
        response.force_close()
        return response

    def _names_this_server(self, host: str | None) -> bool:
        if host is None:
            return True
        name = _bare(host)
        if name in _LOOPBACK_NAMES or name.endswith(".localhost") or name in self._names:
            return True
        with contextlib.suppress(ValueError):
            return ipaddress.ip_address(name).is_loopback
        return False


def _bare(host: str) -> str:
    """A Host header or configured name without port, brackets or final dot, in lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return host.removesuffix(".")


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)
