"""Serving the app the way `zmot serve` does, with limits on connections and time: a cap on open
connections below the descriptor limit, and accept() failures logged once, not once per retry."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web

from server.app import create_app
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
