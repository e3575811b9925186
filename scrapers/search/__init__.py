"""Built-in search providers: a self-hosted SearXNG, the keyless ddgs metasearch (the default), and keyless
public APIs that suit product talk; CombinedSearch asks several as one."""

from scrapers.search.combined import CombinedSearch
from scrapers.search.ddgs import DDGSSearch
from scrapers.search.hackernews import HackerNewsSearch
from scrapers.search.reddit import RedditSearch
from scrapers.search.searxng import SearXNGSearch

__all__ = ["CombinedSearch", "DDGSSearch", "HackerNewsSearch", "RedditSearch", "SearXNGSearch"]
