"""The keyless default: the `ddgs` metasearch library, which asks a fixed set of public engines itself.

Only the query words reach it; the result links it returns are fetched like any other, through the
guarded fetcher. The library is blocking and opens its own connections, so it runs in a thread, bounded by
the context's deadline; tests hand the adapter a stand-in for `ddgs.DDGS` and never let it run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from scrapers.base import PluginContext
from scrapers.search._json import SearchFailed
from scrapers.sources import SearchProvider
from scrapers.types import SearchResult
from scrapers.urls import is_web_url

__all__ = ["DDGSSearch", "region_of"]

# ddgs regions are "country-language"; a shopper's language picks the market whose engines speak it.
_REGIONS = {
    "en": "us-en",
    "it": "it-it",
    "fr": "fr-fr",
    "de": "de-de",
    "es": "es-es",
    "pt": "pt-pt",
    "nl": "nl-nl",
    "pl": "pl-pl",
    "sv": "se-sv",
    "ja": "jp-jp",
}
_NO_RESULTS = "No results found."  # how ddgs says that every engine answered with nothing
_NO_TIME_LEFT_S = 0.2  # less than this before the deadline: not worth asking at all


def region_of(lang: str | None) -> str:
    """The ddgs region for an ISO 639-1 language; "wt-wt" (no region) when unknown."""
    return _REGIONS.get((lang or "").lower()[:2], "wt-wt")


def _library_client(timeout: int) -> Any:
    try:
        from ddgs import DDGS
    except ImportError:
        raise SearchFailed("the ddgs library is not installed (pip install ddgs)") from None
    return DDGS(timeout=timeout)


class DDGSSearch(SearchProvider):
    """Web results for the query from ddgs' text search (title, link, snippet)."""

    name = "ddgs"

    def __init__(self, client: Callable[[int], Any] | None = None) -> None:
        # `client(timeout_s)` makes an object with ddgs.DDGS's `text(query, **options) -> list[dict]`.
        self.client = client or _library_client

    async def search(
        self, ctx: PluginContext, query: str, *, limit: int = 10, lang: str | None = None
    ) -> list[SearchResult]:
        """At most `limit` results for `query`, from the engines of the shopper's region."""
        loop = asyncio.get_running_loop()
        left = None if ctx.deadline is None else ctx.deadline - loop.time()
        if left is not None and left < _NO_TIME_LEFT_S:
            raise SearchFailed("no time left before the briefing deadline to ask the public engines")
        client = self.client(max(1, int(left)) if left is not None else 5)
        options = {"region": region_of(lang), "safesearch": "moderate", "max_results": limit}
        # The library's own threads wait on the network; this one only waits for them.
        asking = asyncio.to_thread(client.text, query, **options)
        try:
            rows = await asyncio.wait_for(asking, timeout=left)
        except TimeoutError:
            raise SearchFailed("the public engines did not answer before the briefing deadline") from None
        except SearchFailed:
            raise
        except Exception as exc:  # the library's own errors (rate limits, no network, no results)
            if str(exc) == _NO_RESULTS:
                return []
            raise SearchFailed(f"ddgs: {exc}") from None
        return _results(rows, limit)


def _results(rows: Any, limit: int) -> list[SearchResult]:
    if not isinstance(rows, list):
        raise SearchFailed("ddgs answered something that is not a list of results")
    found = []
    for row in rows:
        # A result whose link no fetcher could follow is dropped here: it costs that result only.
        if isinstance(row, dict) and is_web_url(row.get("href")):
            found.append(
                SearchResult(
                    title=str(row.get("title") or row["href"]),
                    url=row["href"],
                    snippet=row.get("body") or None,
                )
            )
    return found[:limit]
