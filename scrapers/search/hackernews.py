"""Hacker News through its public Algolia search API: keyless, stories and their links."""

from __future__ import annotations

from scrapers.base import PluginContext
from scrapers.search._json import Pace, SearchFailed, ask, endpoint, iso_date
from scrapers.sources import SearchProvider
from scrapers.types import SearchResult
from scrapers.urls import is_web_url

__all__ = ["HackerNewsSearch"]

PUBLIC_URL = "https://hn.algolia.com/api/v1/search"


class HackerNewsSearch(SearchProvider):
    """Stories matching the query; a story without a link points at its discussion."""

    name = "hackernews"

    def __init__(self) -> None:
        # Algolia allows 10,000 requests an hour per address; zmot keeps well under.
        self.pace = Pace(0.5)

    async def search(
        self, ctx: PluginContext, query: str, *, limit: int = 10, lang: str | None = None
    ) -> list[SearchResult]:
        """Stories for `query` (Hacker News is English; `lang` is not used)."""
        url = endpoint(ctx, PUBLIC_URL)
        data = await ask(
            ctx, url, pace=self.pace, params={"query": query, "tags": "story", "hitsPerPage": limit}
        )
        hits = data.get("hits") if isinstance(data, dict) else None
        if not isinstance(hits, list):
            raise SearchFailed("Hacker News' answer has no hits list")
        found = []
        for hit in hits:
            if not isinstance(hit, dict) or not hit.get("title"):
                continue
            link = hit.get("url") or f"https://news.ycombinator.com/item?id={hit.get('objectID')}"
            if not is_web_url(link):
                continue  # a link no fetcher could follow costs this story only
            found.append(
                SearchResult(
                    title=str(hit["title"]),
                    url=str(link),
                    snippet=hit.get("story_text") or None,
                    date=iso_date(hit.get("created_at")),
                )
            )
        return found[:limit]
