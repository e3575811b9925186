"""A briefing is partial only when the shopper misses a section: the page, the price, the reviews, or the
search as a whole. One blog of ten, one shop or one of two search providers that failed is named in
`sources`, and the briefing is complete."""

from __future__ import annotations

import pytest

from server.pipeline import BriefingRun
from tests.server.test_api import brief
from tests.server.test_beyond_the_page import HEADPHONES_HTML, HEADPHONES_URL, SEARXNG, status_of

BLOG = "http://blog.test/qp700-review"

# (what `sources` says, partial?)
CASES = [
    ([("page", "ok"), ("price", "ok"), ("reviews", "ok"), ("mentions", "ok")], False),
    ([("page", "timeout")], True),
    ([("page", "blocked")], True),
    ([("page", "ok"), ("price", "error")], True),
    ([("page", "ok"), ("reviews", "timeout")], True),
    ([("page", "ok"), ("offers", "error")], True),  # the search behind other sellers' prices failed
    ([("page", "ok"), ("mentions", "timeout")], True),  # the deadline came before the mentions
    ([("page", "ok"), ("mentions", "skipped")], False),  # no search configured is a choice, not a failure
    # One blog failed, another was kept: the mentions are there.
    ([("mention", "ok"), ("mention", "error"), ("mention", "timeout"), ("mentions", "ok")], False),
    ([("offer", "ok"), ("offer", "blocked"), ("offers", "ok")], False),
    ([("search", "error"), ("search", "ok"), ("mentions", "ok")], False),  # one of two providers
    # Every page read failed or was not about the product, and none was kept: the shopper has no mentions.
    ([("mention", "error"), ("mention", "skipped"), ("mentions", "ok")], True),
    ([("offer", "timeout"), ("offers", "ok")], True),
]


@pytest.mark.parametrize(("sources", "partial"), CASES)
def test_partial_means_a_section_is_missing(sources, partial):
    run = BriefingRun(BLOG)
    for name, status in sources:
        run.add_source(name, status, url=BLOG if name in ("mention", "offer") else None)
    assert run.has_failures() is partial


@pytest.mark.slow
async def test_two_missing_blogs_of_ten_leave_a_complete_briefing_that_names_them(api_client):
    async with api_client(search=SEARXNG, briefing={"deadline_s": 2.5}) as client:
        briefing = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
        again = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
    assert briefing["status"] == "complete"
    assert status_of(briefing, "slowreviews.test") == {"timeout"}
    assert status_of(briefing, "brokenreviews.test") == {"error"}
    assert len(briefing["mentions"]["items"]) >= 4 and briefing["price"]["lowest"] is not None
    assert again["id"] == briefing["id"]  # stored as complete: served again


@pytest.mark.slow
async def test_a_provider_that_fails_beside_one_that_answers_costs_its_entry_only(api_client):
    search = {
        "providers": ["searxng", "hackernews"],
        "url": "http://search.test",
        "urls": {"hackernews": "http://search-fails.test/search"},
    }
    # Hacker News' public API is paced: the combined search takes longer than SearXNG's alone.
    async with api_client(search=search, briefing={"deadline_s": 5.0}) as client:
        briefing = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
    failed = [s for s in briefing["sources"] if s["name"] == "search" and s["status"] == "error"]
    assert [s["plugin"] for s in failed] == ["hackernews"]
    assert briefing["mentions"]["items"] and briefing["status"] == "complete"


@pytest.mark.slow
async def test_a_search_that_fails_is_a_partial_briefing_served_again_for_a_while(api_client):
    search = {"provider": "searxng", "url": "http://search-fails.test/search"}
    async with api_client(search=search, briefing={"deadline_s": 1.5}) as client:
        briefing = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
        again = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
    assert briefing["status"] == "partial"
    failed = {
        s["name"]: s["status"] for s in briefing["sources"] if s["name"] in ("mentions", "offer search")
    }
    assert failed == {"mentions": "error", "offer search": "error"}
    assert again["id"] == briefing["id"]
