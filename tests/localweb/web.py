"""LocalWeb: one aiohttp server on 127.0.0.1 that plays many websites, chosen by the Host header."""

from __future__ import annotations

import asyncio
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.localweb.hosts import BUILTIN_HOSTS, loopback_secret
from tests.localweb.latency import Latency

__all__ = ["DEFAULT_ROOT", "LocalWeb"]

DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "localweb"
# Every name under .test (reserved, never on the real internet) resolves here, so hosts that tests add
# with add_page after settings were built are reachable too.
WILDCARD = "*.test"


@dataclass(frozen=True)
class _Page:
    body: bytes
    content_type: str
    delay_s: float


class LocalWeb:
    """A local stand-in for the web: static host directories, built-in fault hosts, pages added at run time.

    Reach it through `fetch.resolve = local_web.resolve_map()`; URLs use the real host name and port 80.
    """

    def __init__(self, root: Path = DEFAULT_ROOT, latency: Latency | None = None) -> None:
        self.root = Path(root)
        self.port = 0
        # Seconds added before every answer of a host (robots.txt included), as a far-away server would.
        self.latency: dict[str, float] = {host.lower(): s for host, s in (latency or {}).items()}
        # Entries a test adds to search.test's index (same keys as index.json), searched after the file's.
        self.search_entries: list[dict[str, Any]] = []
        # Hosts search.test leaves out of its results (a bench of the happy path drops the broken blogs).
        self.unlisted_hosts: set[str] = set()
        self.requests: list[tuple[str, str]] = []
        self._pages: dict[tuple[str, str], _Page] = {}
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- what it serves -------------------------------------------------------------------------------

    def hosts(self) -> list[str]:
        """Every host name served: static directories, built-in hosts and hosts of added pages."""
        static = {p.name.lower() for p in self.root.iterdir() if p.is_dir()} if self.root.is_dir() else set()
        return sorted(static | set(BUILTIN_HOSTS) | {host for host, _ in self._pages})

    def resolve_map(self) -> dict[str, str]:
        """`fetch.resolve` entries sending every served host (and any *.test name) to this server."""
        if not self.port:
            raise RuntimeError("LocalWeb is not started; call start() or start_in_thread() first")
        target = f"127.0.0.1:{self.port}"
        return {host: target for host in [*self.hosts(), WILDCARD]}

    def url(self, host: str, path: str = "/") -> str:
        """The address of a page as zmot sees it: http://host/path (resolve maps it here)."""
        return f"http://{host}/{path.lstrip('/')}"

    def add_page(
        self,
        host: str,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        delay_s: float = 0.0,
    ) -> None:
        """Serve `body` at http://host/path from now on (it wins over static files and built-ins)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._pages[(host.lower(), "/" + path.lstrip("/"))] = _Page(data, content_type, delay_s)

    def set_latency(self, host: str, seconds: float) -> None:
        """Delay every answer of `host` by `seconds` from now on (0 removes the delay)."""
        if seconds:
            self.latency[host.lower()] = seconds
        else:
            self.latency.pop(host.lower(), None)

    def sent_to(self, host: str, path_prefix: str = "/") -> list[str]:
        """Paths under `path_prefix` requested from `host`: [] proves nothing was sent there."""
        return [path for h, path in list(self.requests) if h == host and path.startswith(path_prefix)]

    # -- lifecycle --------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port (in the running loop)."""
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # handler_cancellation: a client that gives up (timeouts, resets) ends /hang and /drip at once.
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop listening and end every pending request."""
        if self._stopping is not None:
            self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def start_in_thread(self) -> None:
        """Run the server on its own event loop in a daemon thread, for sync, subprocess and async tests."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # reported to the starting thread below
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="localweb", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("LocalWeb did not start within 10 s")
        if failure:
            raise failure[0]

    def stop_thread(self) -> None:
        """Stop a server started with start_in_thread and wait for its thread to end."""
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = self._thread = None

    # -- answering --------------------------------------------------------------------------------------

    @property
    def stopping(self) -> asyncio.Event:
        """Set when the server stops; /hang waits on it so that shutdown is quick."""
        assert self._stopping is not None
        return self._stopping

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = (request.url.host or "").lower().rstrip(".")
        self.requests.append((host, request.path))
        if delay := self.latency.get(host):
            await asyncio.sleep(delay)
        page = self._pages.get((host, request.path))
        if page is not None:
            if page.delay_s:
                await asyncio.sleep(page.delay_s)
            return web.Response(body=page.body, headers={"Content-Type": page.content_type})
        builtin = BUILTIN_HOSTS.get(host)
        if builtin is not None:
            return await builtin(self, request)
        if host.replace(".", "").isdigit() or ":" in host:
            # Someone reached the server by its IP address: exactly what the guard must prevent.
            return loopback_secret(request)
        return self.static_response(host, request.path)

    def static_response(self, host: str, path: str) -> web.Response:
        """The file for host/path under root with its content type, or a 404 (built-in hosts use it too)."""
        found = self._static_file(host, path)
        if found is not None:
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type in ("application/json", "application/xml"):
                content_type += "; charset=utf-8"
            return web.Response(body=found.read_bytes(), headers={"Content-Type": content_type})
        known = "page" if (self.root / host).is_dir() else "host"
        return web.Response(status=404, text=f"no such {known}: {host}{path}\n")

    def _static_file(self, host: str, path: str) -> Path | None:
        """`/a/b` is the file a/b, a/b.html or a/b/index.html under root/host (never outside it)."""
        base = (self.root / host).resolve()
        if not base.is_dir():
            return None
        relative = path.lstrip("/")
        candidates = [base / relative, base / f"{relative}.html", base / relative / "index.html"]
        for candidate in candidates if relative else [base / "index.html"]:
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(base):
                return resolved
        return None
