"""Reddit's public search listing (search.json): keyless, threads where shoppers talk about products."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapers.base import PluginContext
from scrapers.search._json import Pace, SearchFailed, ask, endpoint, iso_date
from scrapers.sources import SearchProvider
from scrapers.types import SearchResult
from scrapers.urls import is_web_url

__all__ = ["RedditSearch"]

PUBLIC_URL = "https://www.reddit.com/search.json"


class RedditSearch(SearchProvider):
    """Threads for the query; each result is the thread itself (its permalink), not the link it shares."""

    name = "reddit"

    def __init__(self) -> None:
        # Reddit asks unauthenticated clients for few requests a minute.
        self.pace = Pace(2.0)

    async def search(
        self, ctx: PluginContext, query: str, *, limit: int = 10, lang: str | None = None
    ) -> list[SearchResult]:
        """Threads for `query`, most relevant first."""
        url = endpoint(ctx, PUBLIC_URL)
        data = await ask(
            ctx, url, pace=self.pace, params={"q": query, "limit": limit, "sort": "relevance", "type": "link"}
        )
        try:
            children = data["data"]["children"]
        except (KeyError, TypeError):
            raise SearchFailed("Reddit's answer is not a listing") from None
        parts = urlsplit(url)
        found = []
        for child in children if isinstance(children, list) else []:
            post = child.get("data") if isinstance(child, dict) else None
            if not isinstance(post, dict) or not post.get("title") or not post.get("permalink"):
                continue
            thread = urlunsplit((parts.scheme, parts.netloc, str(post["permalink"]), "", ""))
            if not is_web_url(thread):
                continue  # a permalink no fetcher could follow costs this thread only
            found.append(
                SearchResult(
                    title=str(post["title"]),
                    url=thread,
                    snippet=(post.get("selftext") or "")[:300] or None,
                    date=iso_date(post.get("created_utc")),
                )
            )
        return found[:limit]
