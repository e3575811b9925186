"""SearXNG's JSON API: the self-hoster's own metasearch instance (`search.url`, JSON output enabled)."""

from __future__ import annotations

from scrapers.base import PluginContext
from scrapers.search._json import SearchFailed, ask, endpoint, iso_date
from scrapers.sources import SearchProvider
from scrapers.types import SearchResult
from scrapers.urls import is_web_url

__all__ = ["SearXNGSearch"]


class SearXNGSearch(SearchProvider):
    """Queries `<search.url>?q=…&format=json`; needs `search.url`, there is no public default."""

    name = "searxng"

    async def search(
        self, ctx: PluginContext, query: str, *, limit: int = 10, lang: str | None = None
    ) -> list[SearchResult]:
        """Results in SearXNG's ranking, at most `limit`."""
        url = endpoint(ctx, "")
        if not url:
            raise SearchFailed(
                "SearXNG needs search.url, the address of your instance (its base or /search URL)"
            )
        params = {"q": query, "format": "json", "pageno": 1, "safesearch": 0}
        if lang:
            params["language"] = lang
        data = await ask(ctx, url, params)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise SearchFailed("SearXNG's answer has no results list")
        found = []
        for item in results:
            # A result whose link no fetcher could follow is dropped here: it costs that result only.
            if isinstance(item, dict) and is_web_url(item.get("url")):
                found.append(
                    SearchResult(
                        title=str(item.get("title") or item["url"]),
                        url=item["url"],
                        snippet=item.get("content") or None,
                        date=iso_date(item.get("publishedDate")),
                    )
                )
        return found[:limit]
