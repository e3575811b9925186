"""What the finders share: `sources` entries, and reading many pages at once until the deadline.

A source entry says why a source failed or was skipped twice, like every sentence zmot composes (see
server/i18n): `error` in words, as a diagnostic (English, with the details that came with the failure),
and `error_code`, a code `{"code", "values"}` whose words are in server/i18n and the extension's _locales,
so the popup says it in the shopper's language. A text that is not zmot's own (a plugin's message, a
search provider's failure) has no code.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from scrapers.base import PluginContext
from server.errors import ZmotError
from server.i18n import Code, catalogue, code, placeholders, render

__all__ = [
    "error_code_of",
    "entry_maker",
    "ms_since",
    "read_all",
    "seconds_left",
    "source_entry",
    "time_left",
]

T = TypeVar("T")
Entry = dict[str, Any]
_PREFIX = "source_"


def error_code_of(exc: BaseException) -> Code | None:
    """The code of a failure zmot knows (a fetch refused, timed out, too large...), by its stable code."""
    if isinstance(exc, ZmotError) and _PREFIX + exc.code in catalogue("en"):
        return code(_PREFIX + exc.code)
    return None


def _known(text: str) -> Code | None:
    """The code of one of zmot's own fixed texts ("not about this product"), from callers that pass words."""
    for key, template in catalogue("en").items():
        if key.startswith(_PREFIX) and template == text and not placeholders(template):
            return code(key)
    return None


def ms_since(started: float) -> int:
    """Milliseconds since `started` (a time.monotonic() reading)."""
    return round((time.monotonic() - started) * 1000)


def seconds_left(deadline: float) -> float:
    """Seconds until `deadline` (a time.monotonic() reading), never below 0."""
    return max(0.0, deadline - time.monotonic())


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
    error: str | Code | None = None,
    error_code: Code | None = None,
) -> Entry:
    """One entry of a briefing's `sources`: what was asked, how it ended, how long it took and why. `error`
    may be a code (its English words become the text) or words, with or without their `error_code`."""
    if isinstance(error, dict):
        error, error_code = render(error, "en"), error_code or error
    elif error and error_code is None:
        error_code = _known(error)
    return {
        "name": name,
        "plugin": plugin,
        "url": url,
        "status": status,
        "elapsed_ms": elapsed_ms,
        "error": error,
        "error_code": error_code,
    }


def entry_maker(name: str, *, plugin: str | None, url: str | None, started: float) -> Callable[..., Entry]:
    """`entry(status, error=None, error_code=None)`: the source entry of one page a finder reads (a mention,
    an offer), its time counted from `started` to the moment the entry is made."""

    def entry(status: str, error: str | Code | None = None, error_code: Code | None = None) -> Entry:
        return source_entry(
            name,
            status,
            plugin=plugin,
            url=url,
            elapsed_ms=ms_since(started),
            error=error,
            error_code=error_code,
        )

    return entry


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
    late = code("source_late")
    return [
        (
            None,
            source_entry(name, "timeout", plugin=plugin, url=url, elapsed_ms=ms_since(started), error=late),
        )
        if task in pending
        else task.result()
        for url, task in tasks
    ]
