"""What the search providers share: the endpoint to ask, and reading its JSON answer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from scrapers.base import PluginContext

__all__ = ["Pace", "SearchFailed", "Turns", "ask", "endpoint", "iso_date"]


class SearchFailed(Exception):
    """The provider answered with an error or with something that is not its JSON."""


# Books the next turn of the API `name`, at least `interval_s` after the previous one of every process
# sharing it, and returns the seconds to wait for that turn.
Turns = Callable[[str, float], Awaitable[float]]


class Pace:
    """Requests to one public API at least `interval_s` apart, whatever the number of briefings asking."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._next = 0.0
        self._shared: tuple[str, Turns] | None = None

    def share(self, name: str, turns: Turns) -> None:
        """Take turns with every process that shares `turns` (the instances of one server), not this one
        alone: three instances then ask the API no more often than one."""
        self._shared = (name, turns)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the shared turns (they hold a connection): a worker process that receives the
        registry for CPU work never asks a search API."""
        return {**self.__dict__, "_shared": None}

    async def wait(self) -> None:
        """Return when this request may start; later callers queue behind it (the booking has no await
        in it, so concurrent callers cannot take the same turn)."""
        if self._shared is not None:
            name, turns = self._shared
            await asyncio.sleep(await turns(name, self.interval_s))
            return
        loop = asyncio.get_running_loop()
        start = max(loop.time(), self._next)
        self._next = start + self.interval_s
        await asyncio.sleep(max(0.0, start - loop.time()))


def endpoint(ctx: PluginContext, default: str) -> str:
    """The operator's `search.url` when set, else the provider's public address."""
    configured = getattr(ctx.settings, "url", "") if ctx.settings is not None else ""
    return configured or default


async def ask(ctx: PluginContext, url: str, params: dict[str, Any], pace: Pace | None = None) -> Any:
    """GET url?params through the guarded fetcher, `pace` permitting, and parse the JSON; raises
    SearchFailed."""
    if pace is not None:
        await pace.wait()
    # An API the operator chose to use, not pages to crawl: robots.txt rules for crawlers do not apply.
    response = await ctx.fetch(
        f"{url}?{urlencode(params)}", headers={"Accept": "application/json"}, check_robots=False
    )
    if response.status != 200:
        raise SearchFailed(f"{url} answered HTTP {response.status}")
    try:
        return json.loads(response.body)
    except ValueError:
        raise SearchFailed(f"{url} did not answer JSON") from None


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or unix seconds; None when absent or unreadable."""
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC).date().isoformat()
        if isinstance(value, str) and value:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return None
    return None
