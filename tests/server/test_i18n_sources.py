"""Why a source failed or was skipped, as a code beside the words: the popup says it in the shopper's
language (extension/_locales say_source_*), and a stored briefing is said again in the reader's."""

from __future__ import annotations

import asyncio

import pytest

from scrapers.base import PluginContext
from scrapers.types import Product
from server.errors import FetchTimeout, RobotsDisallowed, ZmotError
from server.fetch import Fetcher
from server.i18n import code, render
from server.i18n.briefing import briefing_in
from server.settings import SearchSettings
from server.sources.found import FoundPages
from server.sources.reading import error_code_of, source_entry
from server.workers import CpuPool


def test_a_reason_given_as_a_code_keeps_its_english_words_beside_it():
    entry = source_entry("mention", "error", url="http://blog.test/x", error=code("source_http", status=404))
    assert entry["error"] == "the site answered HTTP 404"
    assert entry["error_code"] == {"code": "source_http", "values": {"status": 404}}
    assert render(entry["error_code"], "it") == "il sito ha risposto HTTP 404"


def test_zmots_own_fixed_words_get_their_code_and_a_plugins_words_get_none():
    assert source_entry("offer", "skipped", error="not about this product")["error_code"] == code(
        "source_not_about"
    )
    assert source_entry("shop_data", "error", error="quota exceeded")["error_code"] is None
    assert source_entry("page", "ok")["error_code"] is None


@pytest.mark.parametrize(
    ("failure", "key"),
    [
        (RobotsDisallowed("http://forum.test/t/1: robots.txt disallows it"), "source_robots_disallowed"),
        (FetchTimeout("http://slow.test/: no answer within 2 s"), "source_fetch_timeout"),
        (ZmotError("something new", code="from_a_newer_release"), None),
        (RuntimeError("no network"), None),
    ],
)
def test_a_fetch_failure_is_coded_by_its_stable_code_not_its_message(failure: Exception, key: str | None):
    assert error_code_of(failure) == (code(key) if key else None)


def test_a_stored_briefing_says_why_its_sources_failed_in_the_readers_language():
    late = source_entry("mention", "timeout", url="http://blog.test/a", error=code("source_read_late"))
    plugin = source_entry("shop_data", "error", error="quota exceeded")
    again = briefing_in({"sources": [late, plugin]}, "fr")
    assert again["sources"][0]["error"] == "la page n'a pas été lue avant la limite de temps de la synthèse"
    assert again["sources"][1]["error"] == "quota exceeded"  # not zmot's words: as it came
    assert late["error"] == "the page was not read before the briefing deadline"  # the stored one unchanged


@pytest.mark.slow
async def test_a_page_that_answers_404_is_an_error_with_its_status_as_a_value(fetch_settings):
    async with Fetcher(fetch_settings) as fetcher, CpuPool(1) as cpu:
        ctx = PluginContext(
            fetch=fetcher.fetch,
            settings=SearchSettings(provider="searxng", url="http://search.test/search"),
            deadline=asyncio.get_running_loop().time() + 30,
        )
        page = await FoundPages(ctx, cpu, Product(name="Sonara QuietPro 700")).read(
            "http://audioblog.test/no-such-page"
        )
    assert (page.status, page.error) == ("error", "the site answered HTTP 404")
    assert page.error_code == code("source_http", status=404)
