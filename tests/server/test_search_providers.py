"""Which search a briefing asks, and what it makes of the answers.

A fresh install searches with the keyless ddgs metasearch; an operator may name one provider, several
(merged, each page once), or none; `[privacy] beyond = false` keeps a briefing to its page. ddgs opens its
own connections to public engines, so it never runs here: its adapter gets a stand-in for `ddgs.DDGS`
that answers with result rows in the library's shape, pointing at the local web.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from yarl import URL

from scrapers.base import PageScraper, PluginContext
from scrapers.generic import SchemaOrgScraper
from scrapers.markup import starting_from
from scrapers.registry import Registry
from scrapers.search import CombinedSearch, DDGSSearch, HackerNewsSearch, SearXNGSearch
from scrapers.search._json import SearchFailed
from scrapers.search.combined import interleave, result_key
from scrapers.search.ddgs import region_of
from scrapers.types import Review, SearchResult
from server.app import operator_urls
from server.errors import ConfigError
from server.fetch import Fetcher
from server.fetch.operator import operator_origins
from server.pipeline import BriefingRequest, Pipeline
from server.settings import FetchSettings, SearchSettings, load_settings
from server.store import SQLiteStore
from tests.localweb import LocalWeb
from tests.pagegen import product_page
from tests.server.conftest import make_settings

SHOPS = Path(__file__).resolve().parents[1] / "fixtures" / "localweb"
HEADPHONES_URL = "http://shop-us.test/products/noise-cancelling-headphones"
HEADPHONES_HTML = (SHOPS / "shop-us.test" / "products" / "noise-cancelling-headphones.html").read_text()

# Rows as ddgs' DDGS().text() returns them (title, href, body), for "Sonara QuietPro 700 review".
DDGS_ROWS = [
    {
        "title": "Sonara QuietPro 700 review: class-leading ANC, let down by its app – The Listening Post",
        "href": "http://audioblog.test/reviews/sonara-quietpro-700-review",
        "body": "The QuietPro 700 has the best noise cancelling we have tested this year…",
    },
    {
        "title": "Sonara QuietPro 700 owners thread – problems, fixes, impressions | HeadCase Forums",
        "href": "http://headfi-forum.test/threads/sonara-quietpro-700-owners-thread.48213/",
        "body": "Mine started crackling after a month…",
    },
    {"title": "Sonara QuietPro 700 – Wikipedia", "href": "javascript:alert(1)", "body": "a broken link"},
    {
        "title": "Sonara QuietPro 700 Wireless Noise Cancelling Headphones (Midnight Black) | SoundHaus",
        "href": "http://shop-b.test/p/sonara-quietpro-700-black",
        "body": "$229.00 In stock",
    },
]


class StandInDDGS:
    """Stands in for `ddgs.DDGS` at the adapter's boundary: records each call, answers `rows` (or raises
    `fails`); `hold` keeps it busy until the test lets it go, as a slow engine would."""

    def __init__(self, rows: list[dict[str, Any]] | None = None, fails: Exception | None = None) -> None:
        self.rows = DDGS_ROWS if rows is None else rows
        self.fails = fails
        self.calls: list[dict[str, Any]] = []
        self.hold = threading.Event()
        self.hold.set()

    def __getstate__(self) -> dict[str, Any]:
        # The registry goes to the CPU workers with every plugin in it; the lock stays here.
        return {key: value for key, value in self.__dict__.items() if key != "hold"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, hold=threading.Event())
        self.hold.set()

    def __call__(self, timeout: int) -> StandInDDGS:
        self.timeout = timeout
        return self

    def text(self, query: str, **options: Any) -> list[dict[str, Any]]:
        self.calls.append({"query": query, "thread": threading.get_ident(), **options})
        self.hold.wait(10)
        if self.fails is not None:
            raise self.fails
        return [dict(row) for row in self.rows]


def plain_context(deadline_s: float = 2.0, settings: Any = None) -> PluginContext:
    async def no_fetch(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the ddgs adapter fetches nothing itself")

    return PluginContext(
        fetch=no_fetch, settings=settings, deadline=asyncio.get_running_loop().time() + deadline_s
    )


# -- the ddgs adapter, through its stand-in client ------------------------------------------------------


async def test_ddgs_gets_only_the_query_words_and_its_links_come_back_as_results() -> None:
    client = StandInDDGS()
    found = await DDGSSearch(client).search(plain_context(), "Sonara QuietPro 700 recensione", lang="it")
    (call,) = client.calls
    assert call["query"] == "Sonara QuietPro 700 recensione"
    assert (call["region"], call["max_results"]) == ("it-it", 10)
    assert call["thread"] != threading.get_ident()  # it blocks a thread, not the event loop
    assert [r.url for r in found] == [DDGS_ROWS[0]["href"], DDGS_ROWS[1]["href"], DDGS_ROWS[3]["href"]]
    assert found[0].snippet == DDGS_ROWS[0]["body"] and found[0].title == DDGS_ROWS[0]["title"]


@pytest.mark.parametrize(
    ("lang", "region"), [("en", "us-en"), ("fr", "fr-fr"), ("de", "de-de"), (None, "wt-wt"), ("xx", "wt-wt")]
)
def test_the_shoppers_language_picks_the_engines_region(lang: str | None, region: str) -> None:
    assert region_of(lang) == region


async def test_ddgs_saying_no_results_is_an_empty_answer_and_other_errors_fail_the_search() -> None:
    from ddgs.exceptions import DDGSException, RatelimitException

    empty = StandInDDGS(fails=DDGSException("No results found."))
    assert await DDGSSearch(empty).search(plain_context(), "QuietPro 700") == []
    limited = StandInDDGS(fails=RatelimitException("202 Ratelimit"))
    with pytest.raises(SearchFailed, match="ddgs: 202 Ratelimit"):
        await DDGSSearch(limited).search(plain_context(), "QuietPro 700")


async def test_a_slow_metasearch_is_given_up_at_the_deadline() -> None:
    slow = StandInDDGS()
    slow.hold.clear()
    try:
        with pytest.raises(SearchFailed, match="did not answer before the briefing deadline"):
            await DDGSSearch(slow).search(plain_context(deadline_s=0.3), "QuietPro 700")
    finally:
        slow.hold.set()
    assert slow.timeout == 1  # the library's own timeout is bounded by the deadline too


async def test_no_time_left_asks_nothing() -> None:
    client = StandInDDGS()
    with pytest.raises(SearchFailed, match="no time left"):
        await DDGSSearch(client).search(plain_context(deadline_s=0.0), "QuietPro 700")
    assert client.calls == []


# -- which provider a briefing asks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "chosen", "is_default"),
    [
        ({}, ["ddgs"], True),
        ({"provider": "none"}, [], False),
        ({"default": "none"}, [], False),
        ({"provider": "searxng", "url": "http://search.test"}, ["searxng"], False),
        (
            {"providers": ["searxng", "hackernews"], "url": "http://search.test"},
            ["searxng", "hackernews"],
            False,
        ),
    ],
)
def test_the_search_asked_follows_the_settings(search: dict, chosen: list[str], is_default: bool) -> None:
    settings = load_settings(env={}, overrides={"search": search}).search
    assert (settings.chosen(), settings.is_default) == (chosen, is_default)


@pytest.mark.parametrize(
    ("search", "says"),
    [
        ({"provider": "searxng", "providers": ["reddit"]}, "not both"),
        ({"providers": ["none", "reddit"]}, "'none' beside other providers"),
        ({"url": "http://search.test/search"}, "search.provider is not"),
        ({"provider": "searxng", "url": "search.test"}, r"must be an http\(s\) URL"),
    ],
)
def test_search_settings_that_cannot_work_are_refused(search: dict, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        load_settings(env={}, overrides={"search": search})


@pytest.mark.parametrize(
    ("configured", "asked"),
    [
        ("http://10.0.0.2:8888", "http://10.0.0.2:8888/search"),
        ("http://10.0.0.2:8888/", "http://10.0.0.2:8888/search"),
        ("https://example.org/searx/", "https://example.org/searx/search"),
        ("http://10.0.0.2:8888/search", "http://10.0.0.2:8888/search"),
        ("http://10.0.0.2:8888/search/", "http://10.0.0.2:8888/search"),
    ],
)
def test_searxng_takes_its_base_url_or_its_search_url(configured: str, asked: str) -> None:
    settings = load_settings(env={}, overrides={"search": {"provider": "searxng", "url": configured}})
    assert settings.search.url == asked
    # The fetcher's allowance for a private search host is made from the same address: they agree.
    allowance = operator_origins(operator_urls(settings))
    assert allowance.permits(URL(f"{asked}?q=kettle&format=json"))
    assert not allowance.permits(URL(asked.removesuffix("/search") + "/admin"))


async def test_searxng_at_its_base_url_answers_on_the_local_web(fetch_settings: FetchSettings) -> None:
    search = load_settings(
        env={}, overrides={"search": {"provider": "searxng", "url": "http://search.test/"}}
    )
    async with Fetcher(fetch_settings) as fetcher:
        ctx = PluginContext(
            fetch=fetcher.fetch, settings=search.search, deadline=asyncio.get_running_loop().time() + 2
        )
        found = await SearXNGSearch().search(ctx, "Sonara QuietPro 700 review")
    assert "http://audioblog.test/reviews/sonara-quietpro-700-review" in [r.url for r in found]


# -- several providers as one ------------------------------------------------------------------------------


def results(*urls: str) -> list[SearchResult]:
    return [SearchResult(title=url, url=url) for url in urls]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://blog.test/review", "https://www.blog.test/review/"),
        ("http://blog.test/review?utm_source=x&id=2", "http://blog.test/review?id=2#comments"),
        ("http://blog.test/p?b=2&a=1", "http://BLOG.test/p?a=1&b=2"),
    ],
)
def test_links_to_the_same_page_share_a_key(a: str, b: str) -> None:
    assert result_key(a) == result_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://videos.test/watch?v=one", "http://videos.test/watch?v=two"),
        ("http://blog.test/review", "http://blog.test:8080/review"),
        ("http://blog.test/a", "http://blog.test/b"),
    ],
)
def test_links_to_different_pages_do_not(a: str, b: str) -> None:
    assert result_key(a) != result_key(b)


def test_results_are_interleaved_by_rank_the_first_provider_first_each_page_once() -> None:
    first = results("http://a.test/1", "http://shared.test/x", "http://a.test/3")
    second = results("https://www.shared.test/x/", "http://b.test/2")
    merged = interleave([first, second], limit=10)
    assert [r.url for r in merged] == [
        "http://a.test/1",
        "https://www.shared.test/x/",  # rank 1 of the second provider: the page is taken here
        "http://b.test/2",
        "http://a.test/3",
    ]
    assert len(interleave([first, second], limit=2)) == 2


@pytest.fixture
async def fetcher(fetch_settings: FetchSettings) -> AsyncIterator[Fetcher]:
    async with Fetcher(fetch_settings) as fetcher:
        yield fetcher


def hacker_news_host(local_web: LocalWeb, *urls: str) -> str:
    """A Hacker News search API of its own on the local web, answering stories linking to `urls`."""
    host = f"hn-{uuid.uuid4().hex[:8]}.test"
    hits = [{"title": f"Story {n}", "url": url, "objectID": str(n)} for n, url in enumerate(urls)]
    local_web.add_page(host, "/api/v1/search", json.dumps({"hits": hits}), "application/json")
    return f"http://{host}/api/v1/search"


def search_settings(**search: Any) -> SearchSettings:
    """[search] as `zmot` reads it from a config file."""
    return load_settings(env={}, overrides={"search": search}).search


def combined(search: SearchSettings, *providers: Any) -> CombinedSearch:
    return CombinedSearch(list(providers), {p.name: search.for_provider(p.name) for p in providers})


async def test_searxng_and_hacker_news_together_give_each_page_once(
    fetcher: Fetcher, local_web: LocalWeb
) -> None:
    review = "http://audioblog.test/reviews/sonara-quietpro-700-review"
    hn = hacker_news_host(local_web, review + "?utm_source=hn", "http://news-only.test/quietpro-teardown")
    search = search_settings(
        providers=["searxng", "hackernews"], url="http://search.test", urls={"hackernews": hn}
    )
    both = combined(search, SearXNGSearch(), HackerNewsSearch())
    ctx = PluginContext(fetch=fetcher.fetch, settings=search, deadline=asyncio.get_running_loop().time() + 2)
    found = [r.url for r in await both.search(ctx, "Sonara QuietPro 700 review", limit=30)]
    assert found[0] == review  # SearXNG's first; Hacker News' first is the same page and is not repeated
    assert found[1] == "http://news-only.test/quietpro-teardown"
    assert len({result_key(url) for url in found}) == len(found)
    assert both.failures == {} and both.name == "searxng+hackernews"


async def test_a_failing_provider_costs_its_own_results_only(fetcher: Fetcher) -> None:
    search = search_settings(
        providers=["searxng", "hackernews"],
        url="http://search.test",
        urls={"hackernews": "http://search-fails.test/search"},
    )
    both = combined(search, SearXNGSearch(), HackerNewsSearch())
    ctx = PluginContext(fetch=fetcher.fetch, settings=search, deadline=asyncio.get_running_loop().time() + 2)
    found = await both.search(ctx, "Sonara QuietPro 700 review")
    assert "http://audioblog.test/reviews/sonara-quietpro-700-review" in [r.url for r in found]
    assert list(both.failures) == ["hackernews"] and "answered HTTP 5" in both.failures["hackernews"]


async def test_when_every_provider_fails_the_search_fails_naming_each(fetcher: Fetcher) -> None:
    search = search_settings(
        providers=["searxng", "hackernews"],
        url="http://search-fails.test/search",
        urls={"hackernews": "http://search-hangs.test/search"},
    )
    both = combined(search, SearXNGSearch(), HackerNewsSearch())
    ctx = PluginContext(
        fetch=fetcher.fetch, settings=search, deadline=asyncio.get_running_loop().time() + 0.8
    )
    with pytest.raises(SearchFailed) as failed:
        await both.search(ctx, "Sonara QuietPro 700 review")
    assert "searxng: " in str(failed.value) and "hackernews: no answer before the briefing deadline" in str(
        failed.value
    )


# -- in a briefing -----------------------------------------------------------------------------------------


def read_for_mentions(briefing: dict[str, Any]) -> list[str]:
    """The result pages the briefing went to read as mentions, in the order of the search results."""
    return [s["url"] for s in briefing["sources"] if s["name"] == "mention"]


class ShopWithData(PageScraper):
    """A shop whose plugin would complete the product from its data endpoint and read more review pages."""

    name = "shop-with-data"
    domains = ("shop-with-data.test",)

    def extract(self, page, base=None):
        return starting_from(base, page.url, self.name)

    async def enrich(self, ctx, result):
        await ctx.fetch("http://shop-with-data.test/products/kettle.json")
        return result

    async def more_reviews(self, ctx, result, *, limit):
        response = await ctx.fetch("http://shop-with-data.test/reviews/1")
        return [Review(rating=1, text=response.text, language="en")]


@pytest.fixture
async def pipeline_with(tmp_path, local_web, cpu):
    """`async with pipeline_with(search_client, **sections) as pipeline:` a pipeline whose registry has
    the built-in search providers, ddgs with a stand-in client, and ShopWithData."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def running(client: StandInDDGS, **sections: dict[str, Any]) -> AsyncIterator[Pipeline]:
        registry = Registry()
        for plugin in (
            SchemaOrgScraper(),
            ShopWithData(),
            SearXNGSearch(),
            HackerNewsSearch(),
            DDGSSearch(client),
        ):
            registry.add(plugin)
        settings = make_settings(tmp_path, local_web, briefing={"deadline_s": 3.0}, **sections)
        store = SQLiteStore(tmp_path / f"{uuid.uuid4().hex}.sqlite3")
        await store.open()
        try:
            async with Fetcher(settings.fetch, store=store) as fetcher:
                yield Pipeline(settings, registry, fetcher, store, cpu=cpu)
        finally:
            await store.close()

    return running


async def test_with_nothing_configured_the_keyless_default_finds_mentions(pipeline_with) -> None:
    client = StandInDDGS()
    # The default is named explicitly: test settings may turn it off so that no test reaches the internet.
    async with pipeline_with(client, search={"default": "ddgs"}) as pipeline:
        briefing = await pipeline.brief(BriefingRequest(HEADPHONES_URL, HEADPHONES_HTML))
    assert any("QuietPro" in call["query"] for call in client.calls)  # the query words, nothing else
    # Its links were followed through the guarded fetcher (how many were read in time depends on the machine).
    assert [DDGS_ROWS[0]["href"], DDGS_ROWS[1]["href"]] == read_for_mentions(briefing)[:2]
    searches = [s for s in briefing["sources"] if s["name"] == "search"]
    assert searches and {s["plugin"] for s in searches} == {"ddgs"}


async def test_a_failing_provider_among_several_is_named_in_sources(pipeline_with) -> None:
    search = {"providers": ["searxng", "ddgs"], "url": "http://search.test/search"}
    async with pipeline_with(StandInDDGS(fails=RuntimeError("no network")), search=search) as pipeline:
        briefing = await pipeline.brief(BriefingRequest(HEADPHONES_URL, HEADPHONES_HTML))
    (failed,) = [s for s in briefing["sources"] if s["name"] == "search" and s["status"] == "error"]
    assert failed["plugin"] == "ddgs" and "no network" in failed["error"]
    assert "http://audioblog.test/reviews/sonara-quietpro-700-review" in read_for_mentions(
        briefing
    )  # SearXNG's


async def test_privacy_beyond_false_keeps_the_briefing_to_the_page(pipeline_with, local_web) -> None:
    client = StandInDDGS()
    html = product_page(reviews=[(5, "Great kettle, love it.")])
    async with pipeline_with(client, search={"default": "ddgs"}, privacy={"beyond": False}) as pipeline:
        briefing = await pipeline.brief(BriefingRequest("http://shop-with-data.test/p/kettle", html))
    skipped = {s["name"]: s for s in briefing["sources"] if s["status"] == "skipped"}
    assert set(skipped) == {"offers", "mentions", "shop data", "more reviews"}
    assert all("[privacy] beyond = false" in s["error"] for s in skipped.values())
    assert client.calls == [] and local_web.sent_to("shop-with-data.test") == []
    assert briefing["mentions"] == {"items": [], "sentiment": None}
    assert briefing["status"] == "complete" and briefing["reviews"]["analyzed"] == 1
