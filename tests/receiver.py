"""A notification target for tests: a web server on 127.0.0.1 that keeps what Apprise posts to it (json://,
form://, …), as a shopper's phone would get it. Async tests run it on their own event loop (`receiving`),
so that its answering at all shows the sender never blocked that loop; blocking tests, such as the browser
ones, run it on a loop of its own in a thread (`receiving_in_thread`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aiohttp import web

from tests.tools import running_in_thread

__all__ = ["Receiver", "receiving", "receiving_in_thread"]


class Receiver:
    """What was posted, as (path, payload) pairs in the order they came. `/hang` answers only when the
    receiver stops, `/broken` answers 500, every other path keeps the payload and answers 200."""

    def __init__(self) -> None:
        self.got: list[tuple[str, dict[str, Any]]] = []
        self.release = asyncio.Event()
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        if request.path == "/hang":
            await self.release.wait()
        if request.path == "/broken":
            return web.Response(status=500, text="down for maintenance")
        if request.content_type == "application/json":
            payload = await request.json()
        else:
            payload = dict(await request.post())
        self.got.append((request.path, payload))
        return web.Response(text="ok")

    def url(self, scheme: str, path: str, userinfo: str = "") -> str:
        """The Apprise URL of `path` here, e.g. url("json", "/hook") -> json://127.0.0.1:<port>/hook."""
        return f"{scheme}://{userinfo}127.0.0.1:{self.port}{path}"

    def paths(self) -> set[str]:
        return {path for path, _ in self.got}

    def payloads(self) -> list[dict[str, Any]]:
        """What was posted, oldest first, whatever the path."""
        return [payload for _, payload in self.got]


@asynccontextmanager
async def receiving() -> AsyncIterator[Receiver]:
    """A Receiver on a free loopback port, served by the running event loop until the block ends."""
    got = Receiver()
    app = web.Application()
    app.router.add_route("*", "/{path:.*}", got.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    got.port = runner.addresses[0][1]
    try:
        yield got
    finally:
        got.release.set()
        await runner.cleanup()


@contextmanager
def receiving_in_thread() -> Iterator[Receiver]:
    """A Receiver served by an event loop of its own in a thread, for tests that block."""
    with running_in_thread(receiving, "the notification receiver") as got:
        yield got
