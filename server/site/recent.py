"""The briefings this server handed out lately, newest first: what the self-hoster's page lists.

The store has no way to list briefings, so this instance remembers the ids of the briefings it answered
`POST /v1/briefings` with (a bounded list, gone at a restart) and reads each one back from the pipeline or
the store when asked. Several instances behind one Redis each list their own."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from server import api
from server.errors import BadRequest

__all__ = ["RECENT", "MAX_REMEMBERED", "RecentBriefings", "list_recent", "remember_briefings"]

MAX_REMEMBERED = 100
DEFAULT_LIMIT = 20
_LEADING_ID = re.compile(rb'\{"id": ?"([0-9A-Za-z_-]{1,100})"')

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RecentBriefings:
    """At most `size` briefing ids, the one handed out last first; one asked again moves to the front."""

    def __init__(self, size: int = MAX_REMEMBERED) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, briefing_id: str) -> None:
        self._ids.pop(briefing_id, None)
        self._ids[briefing_id] = None
        while len(self._ids) > self.size:
            self._ids.popitem(last=False)

    def discard(self, briefing_id: str) -> None:
        self._ids.pop(briefing_id, None)

    def newest(self, limit: int) -> list[str]:
        return list(reversed(self._ids))[:limit]


RECENT = web.AppKey("recent_briefings", RecentBriefings)


@web.middleware
async def remember_briefings(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Note the id of each briefing `POST /v1/briefings` answers with, started (202) or served (200)."""
    response = await handler(request)
    if request.method == "POST" and request.path == "/v1/briefings" and response.status in (200, 202):
        briefing_id = _briefing_id(response)
        if briefing_id is not None:
            request.app[RECENT].add(briefing_id)
    return response


def _briefing_id(response: web.StreamResponse) -> str | None:
    location = response.headers.get("Location", "")
    if location.startswith("/v1/briefings/"):
        return location.removeprefix("/v1/briefings/")
    body = getattr(response, "body", None)
    if not isinstance(body, bytes):
        return None
    first = _LEADING_ID.match(body)  # a briefing's id comes first: no need to parse all of it
    if first is not None:
        return first.group(1).decode()
    try:
        briefing_id = json.loads(body).get("id")
    except (ValueError, AttributeError):
        return None
    return briefing_id if isinstance(briefing_id, str) else None


async def list_recent(request: web.Request) -> web.Response:
    """`GET /v1/briefings?limit=N`: the last briefings this server handed out, each in summary."""
    limit = _limit(request.query.get("limit"))
    recent, pipeline = request.app[RECENT], request.app[api.PIPELINE]
    summaries = []
    for briefing_id in recent.newest(MAX_REMEMBERED):
        if len(summaries) == limit:
            break
        briefing = await pipeline.get(briefing_id)
        if briefing is None:  # purged from the store since
            recent.discard(briefing_id)
            continue
        summaries.append(summary(briefing))
    return web.json_response({"briefings": summaries})


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_REMEMBERED:
        raise BadRequest(f"'limit' must be a whole number from 1 to {MAX_REMEMBERED}", code="invalid_limit")
    return int(text)


def summary(briefing: dict[str, Any]) -> dict[str, Any]:
    """What a list of briefings shows of one: its page, product, status and both verdicts."""
    product = briefing.get("product") or {}
    verdict = briefing.get("verdict") or {}
    price = briefing.get("price") or {}
    return {
        "id": briefing.get("id"),
        "url": briefing.get("url"),
        "status": briefing.get("status"),
        "generated_at": briefing.get("generated_at"),
        "product": {"id": product.get("id"), "name": product.get("name")},
        "verdict": {
            "label": verdict.get("label", "unknown"),
            "score": verdict.get("score"),
            "summary": verdict.get("summary"),
        },
        "price_verdict": price.get("verdict", "unknown"),
    }
