"""The self-hoster's page: static HTML, scripts and a style sheet that hold no data (the scripts read it
from the API with the pairing code), served with a Content-Security-Policy that lets nothing else run."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from server.errors import NotFound

__all__ = ["CONTENT_SECURITY_POLICY", "asset", "briefing_page", "home_page"]

STATIC = Path(__file__).parent / "static"

# Scripts and styles come from this server's files only (no inline script, no eval); requests go to this
# server only; no plugin, no frame around the page, no form sent anywhere, no <base> to re-aim links.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}
# The files a browser may ask for under /site/: named here, so that no path reaches the disk.
_ASSETS = {
    "zmot.css": "text/css",
    "api.js": "text/javascript",
    "chart.js": "text/javascript",
    "dom.js": "text/javascript",
    "home.js": "text/javascript",
    "pairing.js": "text/javascript",
    "briefing.js": "text/javascript",
}


def _file(name: str, content_type: str) -> web.Response:
    return web.Response(
        body=(STATIC / name).read_bytes(), content_type=content_type, charset="utf-8", headers=_HEADERS
    )


async def home_page(request: web.Request) -> web.Response:
    """`GET /`: watches with their price charts, the last briefings, the notification test."""
    return _file("index.html", "text/html")


async def briefing_page(request: web.Request) -> web.Response:
    """`GET /briefings/{id}`: one briefing in full; the script reads the id from the address."""
    return _file("briefing.html", "text/html")


async def asset(request: web.Request) -> web.Response:
    """`GET /site/{name}`: one of the page's scripts or its style sheet."""
    name = request.match_info["name"]
    content_type = _ASSETS.get(name)
    if content_type is None:
        raise NotFound(f"no file {name[:100]!r} here")
    return _file(name, content_type)
