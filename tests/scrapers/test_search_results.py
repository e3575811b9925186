"""Search results whose link no fetcher could follow cost that result only: the providers drop them.

The providers are asked through the guarded fetcher on the local web: search.test takes extra index
entries at run time; Hacker News and Reddit answers are pages added on hosts of their own.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import pytest

from scrapers.base import PluginContext
from scrapers.search import HackerNewsSearch, RedditSearch, SearXNGSearch
from scrapers.urls import is_web_url, web_url_problem
from server.fetch import Fetcher
from server.settings import FetchSettings, SearchSettings
from tests.localweb import LocalWeb

BROKEN_LINKS = [
    "http://a\u0001b.example/review",
    "http://a\u0000b.example/review",
    "http://bad host.example/review",
    "https://xn--.test/review",
    f"http://{'a' * 100_000}.example/review",
    "javascript:alert(1)",
    "ftp://files.example/review.pdf",
    "http://[not-an-address]/review",
    "/relative/review",
]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://a\u0001b.example/", "it holds a control character"),
        ("http://example.com/a\tb", "it holds a control character"),
        ("https://xn--.test/", "its host name xn--.test is not a valid international (IDNA) name"),
        ("https://xn--zz.example/", "is not a valid international (IDNA) name"),
        (f"http://{'a' * 64}.example/", "a label longer than the 63 characters DNS allows"),
        (f"http://{'abcdefghi.' * 25}example/", "more than the 253 DNS allows"),
        (f"http://{'a' * 100_000}.example/", "its host part is 100008 characters long"),
        (" http://example.com/", "it starts or ends with a space"),
        ("http://bad host.example/", "has characters no host name can have"),
        ("http://a..b.example/", "has an empty label"),
        ("http://a%00b.example/", "has characters no host name can have"),
        ("http://example.com:99999/", "it is not a valid URL"),
        ("http://[::zz]/", "it is not a valid URL"),
        ("javascript:alert(1)", "only http and https are web pages, not javascript"),
        ("mailto:shop@example.com", "only http and https are web pages, not mailto"),
        ("//example.com/p", "only http and https are web pages, not a relative address"),
        ("http:///p", "it names no host"),
        (None, "it is not a text"),
    ],
)
def test_a_link_no_fetcher_could_follow_says_why(url: object, says: str) -> None:
    problem = web_url_problem(url)
    assert problem is not None and says in problem


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/p/1?q=2#reviews",
        "http://audioblog.test/reviews/sonara-quietpro-700-review?utm_source=newsletter",
        "https://exämple.com/",
        "https://xn--exmple-cua.com/",
        "http://my_shop.example.com/",
        "http://[2606:4700:4700::1111]/",
        "http://127.0.0.1:8080/x",  # well formed: whether it may be fetched is the fetcher's decision
        f"http://{'a' * 63}.example/",
    ],
)
def test_an_ordinary_link_is_a_web_url(url: str) -> None:
    assert is_web_url(url)


@pytest.fixture
async def fetcher(fetch_settings: FetchSettings) -> AsyncIterator[Fetcher]:
    async with Fetcher(fetch_settings) as fetcher:
        yield fetcher


def context(fetcher: Fetcher, provider: str, url: str) -> PluginContext:
    return PluginContext(
        fetch=fetcher.fetch,
        settings=SearchSettings(provider=provider, url=url),
        deadline=asyncio.get_running_loop().time() + 2.0,
    )


async def test_searxng_drops_the_results_with_broken_links_and_keeps_the_rest(
    fetcher: Fetcher, local_web: LocalWeb
) -> None:
    word = f"kettle{uuid.uuid4().hex[:8]}"
    good = f"http://kettles.test/review/{word}"
    # (a bracketed host that is no address would break search.test itself, so it is left out here)
    broken = [url for url in BROKEN_LINKS if "[" not in url]
    entries = [{"url": url, "title": f"{word} review", "content": word} for url in broken]
    entries.insert(3, {"url": good, "title": f"{word} review", "content": word})
    local_web.search_entries.extend(entries)
    try:
        found = await SearXNGSearch().search(
            context(fetcher, "searxng", "http://search.test/search"), word, limit=20
        )
    finally:
        for entry in entries:
            local_web.search_entries.remove(entry)
    assert [result.url for result in found] == [good]


async def test_hacker_news_drops_stories_with_broken_links(fetcher: Fetcher, local_web: LocalWeb) -> None:
    hits = [
        {"title": "Broken", "url": url, "objectID": str(n), "created_at": "2024-05-01T10:00:00Z"}
        for n, url in enumerate(BROKEN_LINKS)
    ]
    hits += [
        {"title": "Good link", "url": "http://kettles.test/hn", "objectID": "100"},
        {"title": "Ask HN: which kettle?", "url": None, "objectID": "101"},
        {"title": "Odd id", "url": None, "objectID": "1\n2"},
    ]
    host = f"hn-{uuid.uuid4().hex[:8]}.test"
    local_web.add_page(host, "/api/v1/search", json.dumps({"hits": hits}), "application/json")
    found = await HackerNewsSearch().search(
        context(fetcher, "hackernews", f"http://{host}/api/v1/search"), "kettle", limit=20
    )
    assert [result.url for result in found] == [
        "http://kettles.test/hn",
        "https://news.ycombinator.com/item?id=101",
    ]


async def test_reddit_drops_threads_whose_permalink_makes_a_broken_link(
    fetcher: Fetcher, local_web: LocalWeb
) -> None:
    permalinks = ["/r/kettles/comments/1/good/", "/r/kettles/comments/2/\u0001bad/", "/r/kettles/\x7f/"]
    children = [
        {"kind": "t3", "data": {"title": f"Thread {n}", "permalink": link, "created_utc": 1714557600}}
        for n, link in enumerate(permalinks)
    ]
    host = f"reddit-{uuid.uuid4().hex[:8]}.test"
    local_web.add_page(host, "/search.json", json.dumps({"data": {"children": children}}), "application/json")
    found = await RedditSearch().search(context(fetcher, "reddit", f"http://{host}/search.json"), "kettle")
    assert [result.url for result in found] == [f"http://{host}/r/kettles/comments/1/good/"]
