"""The self-hoster's page, served by zmot itself at `/`: watched products with a price chart per seller,
the last briefings with their verdicts, each briefing in full at `/briefings/{id}`, and the notification
test. The page asks for the pairing code once and shows it on every API call, as the extension does."""

from __future__ import annotations

from aiohttp import web

from server.site.pages import CONTENT_SECURITY_POLICY, asset, briefing_page, home_page
from server.site.recent import RECENT, RecentBriefings, list_recent, remember_briefings

__all__ = ["CONTENT_SECURITY_POLICY", "add_site"]


def add_site(app: web.Application) -> None:
    """The page's routes, `GET /v1/briefings` (the last briefings handed out), and the middleware that
    remembers them. Call after the API's routes are added."""
    app[RECENT] = RecentBriefings()
    app.middlewares.append(remember_briefings)
    app.router.add_get("/", home_page)
    app.router.add_get("/briefings/{id}", briefing_page)
    app.router.add_get("/site/{name}", asset)
    app.router.add_get("/v1/briefings", list_recent)
