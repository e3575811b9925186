"""Built-in search providers: a self-hosted SearXNG, and keyless public APIs that suit product talk."""

from scrapers.search.hackernews import HackerNewsSearch
from scrapers.search.reddit import RedditSearch
from scrapers.search.searxng import SearXNGSearch

__all__ = ["HackerNewsSearch", "RedditSearch", "SearXNGSearch"]
