"""search.test and friends: a SearXNG instance's JSON API over a small index of the local web's pages.

`GET|POST /search?q=…&format=json[&pageno=1&language=it]` answers the way SearXNG's webapp does with JSON
enabled; `format=html|csv|rss` (or any other) is 403, as on an instance whose settings allow only JSON.
A query containing HANGTEST never gets an answer, FAILTEST gets a 500. Whole-host variants for settings
that point at a broken instance: search-hangs.test, search-fails.test, search-nojson.test (JSON disabled).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web

if TYPE_CHECKING:
    from tests.localweb.web import LocalWeb

__all__ = [
    "PAGE_SIZE",
    "Entry",
    "load_index",
    "rank",
    "searxng",
    "searxng_fails",
    "searxng_hangs",
    "searxng_nojson",
    "terms",
]

Entry = dict[str, Any]

PAGE_SIZE = 20  # a SearXNG page merges several engines: usually 20–40 results
ROBOTS_TXT = "User-agent: *\nDisallow: /stats\nDisallow: /preferences\nDisallow: /image_proxy\n"
_WORD = re.compile(r"[\w]+(?:[-.][\w]+)*")  # keeps QP700-BLK and 8006347120755 whole, splits on spaces


@lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    """Lower-case words of `text`, compounds (QP700-BLK) both whole and split, as a search engine would.
    Cached: an engine indexes a page once, and the bench's searches should cost the instance's latency,
    not this server's CPU."""
    found: set[str] = set()
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        found.add(word)
        found.update(part for part in re.split(r"[-.]", word) if part)
    return frozenset(found)


def load_index(root: Path, host: str) -> list[Entry]:
    """The entries of root/host/index.json, then of its index-*.json files in name order ([] when the host
    has none). Extra files keep one set of pages apart (index-beyond.json: the multilingual products and
    the real articles) without changing what the first file's queries return."""
    paths = [root / host / "index.json", *sorted((root / host).glob("index-*.json"))]
    return [
        entry for path in paths if path.is_file() for entry in json.loads(path.read_text(encoding="utf-8"))
    ]


def rank(
    entries: list[Entry], query: str, fields: tuple[str, ...], language: str = ""
) -> list[tuple[float, Entry]]:
    """(relevance, entry) for entries sharing at least half of the query's words, most relevant first.

    Relevance is the number of shared words (a URL's words leave out the `.test` suffix); ties keep index
    order. `language` ("it", "en-US") adds 0.5
    to entries in that language, lifting them above others with as many shared words.
    """
    wanted = {match.group() for match in _WORD.finditer(query.lower())}
    if not wanted:
        return []
    needed = max(1, math.ceil(len(wanted) / 2))
    language = language.split("-")[0].lower()
    scored = []
    for position, entry in enumerate(entries):
        text = " ".join(
            _url_words(entry[field]) if field == "url" else _text(entry.get(field)) for field in fields
        )
        shared = len(wanted & terms(text))
        if shared >= needed:
            bonus = 0.5 if language and entry.get("language", "").split("-")[0] == language else 0.0
            scored.append((-(shared + bonus), position, entry))
    return [(-negative, entry) for negative, _, entry in sorted(scored, key=lambda item: item[:2])]


def _url_words(url: str) -> str:
    """The URL without the local web's `.test` suffix: an engine matches a query's "test" (French for
    review) against a page's words, not against the top-level domain every local host shares."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removesuffix(".test")
    return f"{host} {parts.path} {parts.query}"


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return "" if value is None else str(value)


async def _params(request: web.Request) -> dict[str, str]:
    """SearXNG reads its arguments from the query string or from a POSTed form."""
    params = dict(request.query)
    if request.method == "POST":
        params.update({key: str(value) for key, value in (await request.post()).items()})
    return params


async def searxng(local: LocalWeb, request: web.Request, *, json_enabled: bool = True) -> web.StreamResponse:
    """search.test: SearXNG's /search in JSON, robots.txt, and a tiny home page."""
    if request.path == "/robots.txt":
        return web.Response(text=ROBOTS_TXT)
    if request.path in ("/", "/about"):
        return web.Response(text=_HOME, content_type="text/html")
    if request.path != "/search":
        return web.Response(status=404, text="Not Found\n")
    params = await _params(request)
    query = params.get("q", "").strip()
    if "HANGTEST" in query:
        await local.stopping.wait()  # until the client gives up or the server stops
    if "FAILTEST" in query:
        return web.Response(status=500, text=_ERROR_500, content_type="text/html")
    if params.get("format", "html") != "json" or not json_enabled:
        return web.Response(status=403, text=_FORBIDDEN, content_type="text/html")
    if not query:
        return web.json_response(_answer(query, [], 0))  # SearXNG answers an empty q with no results
    try:
        page = max(1, int(params.get("pageno", "1")))
    except ValueError:
        return web.Response(status=400, text="Bad Request\n")
    entries = [
        entry
        for entry in load_index(local.root, "search.test") + local.search_entries
        if urlsplit(entry["url"]).hostname not in local.unlisted_hosts
    ]
    found = rank(entries, query, ("title", "content", "keywords", "url"), params.get("language", ""))
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    first = (page - 1) * PAGE_SIZE + 1
    results = [_result(entry, first + n, relevance) for n, (relevance, entry) in enumerate(shown)]
    return web.json_response(_answer(query, results, len(found)))


async def searxng_nojson(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """search-nojson.test: an instance whose settings.yml leaves json out of search.formats."""
    return await searxng(local, request, json_enabled=False)


async def searxng_hangs(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """search-hangs.test: /search never answers (robots.txt and / do)."""
    if request.path == "/search":
        await local.stopping.wait()
        return web.Response(status=503, text="too late\n")
    return await searxng(local, request)


async def searxng_fails(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """search-fails.test: /search is always a 500, as when every engine of an instance crashed."""
    if request.path == "/search":
        return web.Response(status=500, text=_ERROR_500, content_type="text/html")
    return await searxng(local, request)


def _answer(query: str, results: list[dict[str, Any]], total: int) -> dict[str, Any]:
    return {
        "query": query,
        "number_of_results": total,
        "results": results,
        "answers": [],
        "corrections": [],
        "infoboxes": [],
        "suggestions": [],
        "unresponsive_engines": [],
    }


def _result(entry: Entry, position: int, relevance: float) -> dict[str, Any]:
    """One result as SearXNG's JSON output has it (engine, engines, positions, score, category…)."""
    engines = entry.get("engines") or ["duckduckgo", "brave"]
    url = entry["url"]
    parts = urlsplit(url)
    category = entry.get("category", "general")
    result: dict[str, Any] = {
        "url": url,
        "title": entry["title"],
        "content": entry.get("content", ""),
        "engine": engines[0],
        "parsed_url": [parts.scheme, parts.netloc, parts.path, "", parts.query, parts.fragment],
        "template": "videos.html" if category == "videos" else "default.html",
        "engines": engines,
        "positions": [position] * len(engines),
        "score": round(relevance / position, 4),  # falls with the position, as SearXNG's merged score does
        "category": category,
        "publishedDate": f"{entry['date']}T00:00:00" if entry.get("date") else None,
    }
    if entry.get("thumbnail"):
        result["thumbnail"] = entry["thumbnail"]
    return result


_HOME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>SearXNG</title>
<meta name="robots" content="noarchive"></head>
<body><form id="search" method="GET" action="/search"><input name="q" type="text" autofocus>
<button type="submit">search</button></form></body></html>
"""
_FORBIDDEN = """<!doctype html>
<html lang=en>
<title>403 Forbidden</title>
<h1>Forbidden</h1>
<p>You don&#39;t have the permission to access the requested resource. It is either read-protected or not
readable by the server.</p>
"""
_ERROR_500 = """<!doctype html>
<html lang=en>
<title>500 Internal Server Error</title>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error and was unable to complete your request. Either the server is
overloaded or there is an error in the application.</p>
"""
