"""HTTP handlers of API v1: thin — parse, call the pipeline or store, serialize."""

from __future__ import annotations

import contextlib
import json
import re
import time
from dataclasses import asdict
from typing import Any

from aiohttp import web
from yarl import URL

from scrapers.registry import Registry
from server import __version__
from server.errors import BadRequest, NotFound, PayloadTooLarge
from server.fetch import Fetcher, check_url
from server.metrics import CONTENT_TYPE, Metrics
from server.openapi import openapi_document
from server.pipeline import SECTIONS, BriefingRequest, Pipeline
from server.settings import Settings
from server.store import Store, Watch

__all__ = ["add_routes"]

SETTINGS = web.AppKey("settings", Settings)
TOKENS = web.AppKey("tokens", list)
STORE = web.AppKey("store", Store)
FETCHER = web.AppKey("fetcher", Fetcher)
METRICS = web.AppKey("metrics", Metrics)
REGISTRY = web.AppKey("registry", Registry)
PIPELINE = web.AppKey("pipeline", Pipeline)

MAX_HTML_BYTES = 5 * 1024 * 1024
_KEEPALIVE_S = 15.0


def add_routes(app: web.Application) -> None:
    app.router.add_post("/v1/briefings", create_briefing)
    app.router.add_get("/v1/briefings/{id}", get_briefing)
    app.router.add_get("/v1/briefings/{id}/events", briefing_events)
    app.router.add_get("/v1/products/{product_id}/prices", product_prices)
    app.router.add_post("/v1/watch", create_watch)
    app.router.add_get("/v1/watch", list_watches)
    app.router.add_delete("/v1/watch/{product_id}", delete_watch)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/openapi.json", openapi)


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the body must be a JSON object", code="invalid_json") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object", code="invalid_json")
    return body


def parse_briefing_request(body: dict[str, Any], settings: Settings) -> BriefingRequest:
    """Validate a POST /v1/briefings body; raises a ZmotError that says what is wrong."""
    url, html, locale = body.get("url"), body.get("html"), body.get("locale")
    if not isinstance(url, str) or not url.strip():
        raise BadRequest("'url' is required: the address of the product page", code="invalid_url")
    try:
        parsed = URL(url.strip())
    except ValueError:
        raise BadRequest(f"{url!r} is not a valid URL", code="invalid_url") from None
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise BadRequest(f"{url!r} is not an http(s) address of a page", code="invalid_url")
    check_url(str(parsed), resolve=settings.fetch.resolve)
    if html is not None and not isinstance(html, str):
        raise BadRequest("'html' must be a string: the page's HTML", code="invalid_html")
    if html is not None and len(html.encode("utf-8", errors="replace")) > MAX_HTML_BYTES:
        raise PayloadTooLarge(f"'html' is over {MAX_HTML_BYTES // (1024 * 1024)} MB")
    if locale is not None and not isinstance(locale, str):
        raise BadRequest("'locale' must be a string such as 'it-IT'", code="invalid_locale")
    return BriefingRequest(url=str(parsed), html=html, locale=locale)


async def create_briefing(request: web.Request) -> web.Response:
    body = await _json_body(request)
    briefing_request = parse_briefing_request(body, request.app[SETTINGS])
    run, cached = await request.app[PIPELINE].start(briefing_request)
    if cached is not None:
        request.app[METRICS].briefings.labels("cached").inc()
        return web.json_response(cached, status=200)
    assert run is not None
    if run.done:
        return web.json_response(run.briefing, status=200)
    known = {**run.briefing, "events": f"/v1/briefings/{run.id}/events"}
    return web.json_response(known, status=202, headers={"Location": f"/v1/briefings/{run.id}"})


async def get_briefing(request: web.Request) -> web.Response:
    briefing = await request.app[PIPELINE].get(request.match_info["id"])
    if briefing is None:
        raise NotFound(f"no briefing with id {request.match_info['id']!r}")
    return web.json_response(briefing)


def _sse(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


async def briefing_events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: a `section` event per finished part, then `done` with the whole briefing."""
    pipeline = request.app[PIPELINE]
    briefing_id = request.match_info["id"]
    run = pipeline.runs.get(briefing_id)
    stored = None if run is not None else await pipeline.store.get_briefing(briefing_id)
    if run is None and stored is None:
        raise NotFound(f"no briefing with id {briefing_id!r}")
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
    await response.prepare(request)
    if run is None:
        for name in SECTIONS:
            await response.write(_sse("section", {"section": name, "data": stored.get(name)}))
        await response.write(_sse("done", stored))
        return response
    with contextlib.suppress(ConnectionResetError):
        async for event, data in run.follow(keepalive_s=_KEEPALIVE_S):
            await response.write(_sse(event, data) if event != "keepalive" else b": keepalive\n\n")
    return response


async def product_prices(request: web.Request) -> web.Response:
    product_id = request.match_info["product_id"]
    observations = await request.app[STORE].prices(product_id)
    if not observations:
        raise NotFound(f"no prices recorded for product {product_id!r}")
    return web.json_response({"product_id": product_id, "points": [asdict(o) for o in observations]})


_PRODUCT_ID = re.compile(r"^[0-9a-f]{16}$")


async def create_watch(request: web.Request) -> web.Response:
    """Watch a product: its page is checked again every `briefing.watch_interval_s`."""
    body = await _json_body(request)
    pid, url = body.get("product_id"), body.get("url")
    if not isinstance(pid, str) or not _PRODUCT_ID.match(pid):
        raise BadRequest(
            "'product_id' must be a product id from a briefing (16 hex digits)", code="invalid_product"
        )
    settings = request.app[SETTINGS]
    target = parse_briefing_request({"url": url}, settings).url
    now = time.time()
    interval = float(settings.briefing.watch_interval_s)
    watch = Watch(pid, target, interval, created_at=now, next_check=now + interval)
    await request.app[STORE].put_watch(watch)
    return web.json_response(asdict(watch), status=201)


async def list_watches(request: web.Request) -> web.Response:
    return web.json_response({"watches": [asdict(w) for w in await request.app[STORE].watches()]})


async def delete_watch(request: web.Request) -> web.Response:
    product_id = request.match_info["product_id"]
    if not await request.app[STORE].delete_watch(product_id):
        raise NotFound(f"product {product_id!r} is not watched")
    return web.Response(status=204)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "version": __version__})


async def metrics(request: web.Request) -> web.Response:
    return web.Response(body=request.app[METRICS].render(), headers={"Content-Type": CONTENT_TYPE})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document())
