"""Keyless public search APIs, played from small indexes: Hacker News (Algolia) and Reddit.

hn.algolia.test: `/api/v1/search?query=…` and `/api/v1/search_by_date?query=…` in Algolia's HN shape.
reddit.test: `/search.json?q=…` and `/r/<sub>/search.json?q=…&restrict_sr=1` as a Reddit Listing, and each
post's permalink page (`/r/<sub>/comments/<id>/<slug>/`) as HTML with its comments.
"""

from __future__ import annotations

import html
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.localweb.search import load_index, rank, terms

if TYPE_CHECKING:
    from tests.localweb.web import LocalWeb

__all__ = ["hacker_news", "reddit"]

ALLOW_ALL = "User-agent: *\nAllow: /\n"


async def hacker_news(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """hn.algolia.test: stories matching `query`, by relevance or (search_by_date) newest first."""
    if request.path == "/robots.txt":
        return web.Response(text=ALLOW_ALL)
    if request.path not in ("/api/v1/search", "/api/v1/search_by_date"):
        return web.json_response({"message": "Not Found", "status": 404}, status=404)
    started = time.monotonic()
    query = request.query.get("query", "")
    per_page = min(1000, int(request.query.get("hitsPerPage", "20")))
    page = int(request.query.get("page", "0"))
    found = [
        hit
        for _, hit in rank(load_index(local.root, "hn.algolia.test"), query, ("title", "url", "story_text"))
    ]
    if request.path.endswith("search_by_date"):
        found.sort(key=lambda hit: hit["created_at_i"], reverse=True)
    hits = [_with_highlight(hit, query) for hit in found[page * per_page : (page + 1) * per_page]]
    return web.json_response(
        {
            "hits": hits,
            "nbHits": len(found),
            "page": page,
            "nbPages": max(1, -(-len(found) // per_page)),
            "hitsPerPage": per_page,
            "exhaustiveNbHits": True,
            "exhaustiveTypo": True,
            "exhaustive": {"nbHits": True, "typo": True},
            "query": query,
            "params": request.query_string,
            "processingTimeMS": int((time.monotonic() - started) * 1000),
        }
    )


def _with_highlight(hit: dict[str, Any], query: str) -> dict[str, Any]:
    """Algolia returns each searchable attribute again under _highlightResult, with the words it matched."""
    wanted = terms(query)
    highlight = {}
    for field in ("title", "url", "author", "story_text"):
        value = hit.get(field)
        if value is None:
            continue
        matched = sorted(wanted & terms(value))
        level = "none" if not matched else ("full" if len(matched) == len(wanted) else "partial")
        highlight[field] = {"value": value, "matchLevel": level, "matchedWords": matched}
    return {**hit, "_highlightResult": highlight}


async def reddit(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """reddit.test: search listings over a few posts, and the posts themselves."""
    path = request.path
    if path == "/robots.txt":
        return web.Response(text=ALLOW_ALL)
    posts = load_index(local.root, "reddit.test")
    if path == "/search.json" or (path.startswith("/r/") and path.endswith("/search.json")):
        if path != "/search.json" and request.query.get("restrict_sr") in ("1", "on", "true"):
            subreddit = path.split("/")[2].lower()
            posts = [post for post in posts if post["subreddit"].lower() == subreddit]
        limit = min(100, int(request.query.get("limit", "25")))
        found = [
            post for _, post in rank(posts, request.query.get("q", ""), ("title", "selftext", "subreddit"))
        ]
        return web.json_response(_listing(found[:limit]))
    for post in posts:
        if path.rstrip("/") == post["permalink"].rstrip("/"):
            return web.Response(text=_post_page(post), content_type="text/html")
    return web.json_response({"message": "Not Found", "error": 404}, status=404)


def _listing(posts: list[dict[str, Any]]) -> dict[str, Any]:
    children = [
        {"kind": "t3", "data": {key: value for key, value in post.items() if key != "comments"}}
        for post in posts
    ]
    return {
        "kind": "Listing",
        "data": {
            "after": None,
            "dist": len(children),
            "modhash": "",
            "geo_filter": "",
            "children": children,
            "before": None,
        },
    }


def _post_page(post: dict[str, Any]) -> str:
    """A post as old.reddit.com shows it, enough for a text extractor: title, self text, comments."""
    when = datetime.fromtimestamp(post["created_utc"], UTC)
    comments = "\n".join(
        f'<div class="comment"><p class="tagline"><a class="author" href="/user/{html.escape(c["author"])}">'
        f'{html.escape(c["author"])}</a> <span class="score">{c["score"]} points</span></p>'
        f'<div class="md"><p>{html.escape(c["body"])}</p></div></div>'
        for c in post.get("comments", [])
    )
    canonical = f"http://reddit.test{post['permalink']}"
    title = html.escape(post["title"])
    selftext = "".join(f"<p>{html.escape(p)}</p>" for p in post["selftext"].split("\n\n") if p)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} : {html.escape(post["subreddit"])}</title>
<link rel="canonical" href="{canonical}">
<meta property="og:site_name" content="reddit">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{canonical}">
<meta property="og:type" content="website">
</head>
<body>
<div id="header"><a href="/" id="header-img">reddit</a>
<span class="pagename"><a href="/r/{post["subreddit"]}/">{html.escape(post["subreddit"])}</a></span></div>
<div class="side"><div class="titlebox"><h1><a href="/r/{post["subreddit"]}/">{post["subreddit"]}</a></h1>
<p>Rules: be civil, no referral links, no self-promotion.</p></div></div>
<div class="content" role="main">
<div class="thing link self" id="thing_{post["name"]}">
<p class="title"><a class="title" href="{post["permalink"]}">{title}</a></p>
<p class="tagline">submitted <time datetime="{when.isoformat()}">{when:%d %b %Y}</time> by
<a class="author" href="/user/{html.escape(post["author"])}">{html.escape(post["author"])}</a></p>
<div class="expando"><div class="usertext-body"><div class="md">{selftext}</div></div></div>
</div>
<div class="commentarea"><p class="panestack-title">{post["num_comments"]} comments</p>
{comments}
</div>
</div>
<div class="footer">reddit.test is a local stand-in used by zmot's tests.</div>
</body>
</html>
"""
