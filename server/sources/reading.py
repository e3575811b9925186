"""What the finders share: `sources` entries, and reading many pages at once until the deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from scrapers.base import PluginContext

__all__ = ["ms_since", "read_all", "source_entry", "time_left"]

T = TypeVar("T")
Entry = dict[str, Any]


def ms_since(started: float) -> int:
    """Milliseconds since `started` (a time.monotonic() reading)."""
    return round((time.monotonic() - started) * 1000)


def time_left(ctx: PluginContext) -> float | None:
    """Seconds until the context's deadline (never below 0), or None when it has none."""
    if ctx.deadline is None:
        return None
    return max(0.0, ctx.deadline - asyncio.get_running_loop().time())


def source_entry(
    name: str,
    status: str,
    *,
    plugin: str | None = None,
    url: str | None = None,
    elapsed_ms: int = 0,
    error: str | None = None,
) -> Entry:
    """One entry of a briefing's `sources`: what was asked, how it ended, how long it took and why."""
    return {
        "name": name,
        "plugin": plugin,
        "url": url,
        "status": status,
        "elapsed_ms": elapsed_ms,
        "error": error,
    }


async def read_all(
    ctx: PluginContext,
    urls: Iterable[str],
    read_one: Callable[[str], Awaitable[tuple[T | None, Entry]]],
    *,
    at_once: int,
    name: str,
    plugin: str,
) -> list[tuple[T | None, Entry]]:
    """`read_one` every URL, `at_once` at a time, until the context's deadline; in the URLs' order. A page
    still unread at the deadline is cancelled and comes back as (None, a timeout entry)."""
    started = time.monotonic()
    gate = asyncio.Semaphore(at_once)

    async def gated(url: str) -> tuple[T | None, Entry]:
        async with gate:
            return await read_one(url)

    tasks = [(url, asyncio.create_task(gated(url))) for url in urls]
    if not tasks:
        return []
    _, pending = await asyncio.wait([task for _, task in tasks], timeout=time_left(ctx))
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    late = "not read before the briefing deadline"
    return [
        (
            None,
            source_entry(name, "timeout", plugin=plugin, url=url, elapsed_ms=ms_since(started), error=late),
        )
        if task in pending
        else task.result()
        for url, task in tasks
    ]
