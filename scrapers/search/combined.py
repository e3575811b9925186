"""Several search providers asked as one: results merged, the same page once, ranked by interleaving.

Each provider is asked concurrently with its own settings (its own address); one that fails or is late
costs its own results only, and is remembered in `failures` so that the briefing can say which. Only when
every provider fails does the search fail.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapers.base import PluginContext
from scrapers.search._json import SearchFailed
from scrapers.sources import SearchProvider
from scrapers.types import SearchResult

__all__ = ["CombinedSearch", "interleave", "result_key"]

# Query parameters that track the click, not choose the page.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref_src")


def result_key(url: str) -> str:
    """What two links to the same page share: host without "www.", path without trailing slash, the query
    without tracking parameters and in order; scheme and fragment do not count."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith(_TRACKING)
    )
    return urlunsplit(("", host, parts.path.rstrip("/") or "/", urlencode(query), ""))


def interleave(ranked: Sequence[Sequence[SearchResult]], limit: int) -> list[SearchResult]:
    """Each list's first result, then each list's second, …; the earlier list first on equal rank; a
    page already taken (same `result_key`) is skipped."""
    merged: list[SearchResult] = []
    seen: set[str] = set()
    for rank in range(max((len(r) for r in ranked), default=0)):
        for results in ranked:
            if rank < len(results) and (key := result_key(results[rank].url)) not in seen:
                seen.add(key)
                merged.append(results[rank])
    return merged[:limit]


class CombinedSearch(SearchProvider):
    """The providers in `providers`, in order of preference, each with `settings[name]` as its settings."""

    def __init__(self, providers: Sequence[SearchProvider], settings: Mapping[str, Any]) -> None:
        self.providers = list(providers)
        self.settings = dict(settings)
        self.name = "+".join(p.name for p in self.providers)  # type: ignore[misc]
        self.failures: dict[str, str] = {}  # provider name -> its first error in this briefing

    async def search(
        self, ctx: PluginContext, query: str, *, limit: int = 10, lang: str | None = None
    ) -> list[SearchResult]:
        """Every provider's results for `query`, merged; SearchFailed only when all of them failed."""
        answers = await asyncio.gather(*(self._ask(ctx, p, query, limit, lang) for p in self.providers))
        ranked = [found for found in answers if found is not None]
        if not ranked:
            named = "; ".join(f"{name}: {error}" for name, error in self.failures.items())
            raise SearchFailed(f"every search provider failed ({named})")
        return interleave(ranked, limit)

    async def _ask(
        self, ctx: PluginContext, provider: SearchProvider, query: str, limit: int, lang: str | None
    ) -> list[SearchResult] | None:
        own = dataclasses.replace(ctx, settings=self.settings.get(provider.name, ctx.settings))
        left = None if ctx.deadline is None else max(0.0, ctx.deadline - asyncio.get_running_loop().time())
        try:
            return await asyncio.wait_for(provider.search(own, query, limit=limit, lang=lang), timeout=left)
        except TimeoutError:
            self.failures.setdefault(provider.name, "no answer before the briefing deadline")
        except Exception as exc:  # a failing provider costs its own results, not the others'
            self.failures.setdefault(provider.name, str(exc) or type(exc).__name__)
        return None
