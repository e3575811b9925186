"""Mention sites that need code: a video site keyed by ?v=, a blog that hangs and a blog that fails.

Their articles are in the search index like any other, so a briefing meets them in its top results.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from tests.localweb.web import LocalWeb

__all__ = ["broken_reviews", "slow_reviews", "videos"]

ALLOW_ALL = "User-agent: *\nAllow: /\n"
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")


async def videos(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """videos.test: `/watch?v=ID` is the file watch/ID.html; every other path is a plain static file."""
    if request.path == "/watch":
        video = request.query.get("v", "")
        if not _VIDEO_ID.fullmatch(video):
            return web.Response(status=404, text="This video isn't available any more\n")
        return local.static_response("videos.test", f"/watch/{video}")
    return local.static_response("videos.test", request.path)


async def slow_reviews(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """slowreviews.test: robots.txt answers at once, every page hangs until the client gives up."""
    if request.path == "/robots.txt":
        return web.Response(text=ALLOW_ALL)
    await local.stopping.wait()
    return web.Response(status=504, text="too late\n")


async def broken_reviews(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """brokenreviews.test: robots.txt answers, every page is WordPress's 500 'critical error' page."""
    if request.path == "/robots.txt":
        return web.Response(text=ALLOW_ALL)
    return web.Response(status=500, text=_WORDPRESS_CRITICAL_ERROR, content_type="text/html")


_WORDPRESS_CRITICAL_ERROR = """<!DOCTYPE html>
<html dir="ltr" lang="en-US">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex,follow">
<title>WordPress &rsaquo; Error</title>
</head>
<body id="error-page">
<div class="wp-die-message"><p>There has been a critical error on this website.</p>
<p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting
WordPress.</a></p></div>
</body>
</html>
"""
