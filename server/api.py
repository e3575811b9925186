"""HTTP handlers of API v1: thin — parse, call the pipeline or store, serialize."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import re
import time
import unicodedata
from dataclasses import asdict
from typing import Any

from aiohttp import web
from yarl import URL

from scrapers.registry import Registry
from server import __version__
from server.corrections import handlers as corrections
from server.errors import BadRequest, NotFound, PayloadTooLarge, RequestTimeout, ZmotError
from server.fetch import Fetcher, check_url
from server.metrics import CONTENT_TYPE, Metrics
from server.notify import bearer_token, send_test, urls_for
from server.openapi import openapi_document
from server.pipeline import SECTIONS, BriefingRequest, Pipeline
from server.products import page_address
from server.settings import Settings
from server.store import Store, Watch
from server.watch import owner_of
from server.watch.checks import briefing_served
from server.watch.requests import alert_json, parse_rules, watch_json
from server.watch.rules import baseline

__all__ = ["add_routes"]

SETTINGS = web.AppKey("settings", Settings)
TOKENS = web.AppKey("tokens", list)
STORE = web.AppKey("store", Store)
FETCHER = web.AppKey("fetcher", Fetcher)
METRICS = web.AppKey("metrics", Metrics)
REGISTRY = web.AppKey("registry", Registry)
PIPELINE = web.AppKey("pipeline", Pipeline)

# How much a request may carry, the one rule for the server and the extension: `html` takes at most
# MAX_HTML_BYTES in the body as JSON.stringify writes it (UTF-8, escapes included: a quote or a newline
# takes 2 bytes, another control character 6); the extension measures exactly that and cuts the page to
# fit (extension/lib/page.js). The body may be that plus 64 KiB for the url, the locale and the JSON around
# them; a bigger one gets 413, by its Content-Length before it is read, else once it passes the limit. The
# server's own check of the parsed `html` is its UTF-8 size, never more than its JSON form.
MAX_HTML_BYTES = 5 * 1024 * 1024
MAX_BODY_BYTES = MAX_HTML_BYTES + 64 * 1024
MAX_URL_CHARS = 8192  # longer than any product page's address; the request line of most servers is less
_KEEPALIVE_S = 15.0


def add_routes(app: web.Application) -> None:
    app.router.add_post("/v1/briefings", create_briefing)
    app.router.add_get("/v1/briefings/{id}", get_briefing)
    app.router.add_get("/v1/briefings/{id}/events", briefing_events)
    app.router.add_get("/v1/products/{product_id}/prices", product_prices)
    app.router.add_post("/v1/watch", create_watch)
    app.router.add_get("/v1/watch", list_watches)
    app.router.add_patch("/v1/watch/{product_id}", change_watch)
    app.router.add_delete("/v1/watch/{product_id}", delete_watch)
    app.router.add_get("/v1/alerts", list_alerts)
    app.router.add_post("/v1/corrections", corrections.create_correction)
    app.router.add_get("/v1/corrections", corrections.list_corrections)
    app.router.add_delete("/v1/corrections/{id}", corrections.delete_correction)
    app.router.add_post("/v1/notify/test", notify_test)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/openapi.json", openapi)


async def _json_body(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object (see `_read_body` and `_json_object`)."""
    return _json_object(await _read_body(request))


async def _read_body(request: web.Request) -> bytes:
    """The body's bytes, read within `server.body_timeout_s` (a client that drips it holds a connection no
    longer). Its size and media type were checked before (app.py)."""
    timeout_s = request.app[SETTINGS].server.body_timeout_s
    try:
        async with asyncio.timeout(timeout_s):
            return await request.read()
    except TimeoutError:
        raise RequestTimeout(f"the request body did not arrive within {timeout_s:g} s") from None


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8 or not JSON, an integer too long, nesting too deep
        raise BadRequest("the body must be a JSON object", code="invalid_json") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object", code="invalid_json")
    return body


def parse_briefing_request(body: dict[str, Any], settings: Settings) -> BriefingRequest:
    """Validate a POST /v1/briefings body; raises a ZmotError that says what is wrong."""
    url, html, locale = body.get("url"), body.get("html"), body.get("locale")
    if not isinstance(url, str) or not url.strip():
        raise BadRequest("'url' is required: the address of the product page", code="invalid_url")
    page_url = _page_url(url.strip(), settings)
    if html is not None and not isinstance(html, str):
        raise BadRequest("'html' must be a string: the page's HTML", code="invalid_html")
    if html is not None and len(html.encode("utf-8", errors="replace")) > MAX_HTML_BYTES:
        raise PayloadTooLarge(f"'html' is over {MAX_HTML_BYTES // (1024 * 1024)} MB")
    if locale is not None and not isinstance(locale, str):
        raise BadRequest("'locale' must be a string such as 'it-IT'", code="invalid_locale")
    return BriefingRequest(url=page_url, html=html, locale=locale)


def _owner(request: web.Request) -> str:
    """The client whose watches and alerts a request reads and changes."""
    return owner_of(request.app[SETTINGS], request.headers.get("Authorization"))


def _page_url(text: str, settings: Settings) -> str:
    """`text` as the http(s) address of a page zmot may fetch, else BadRequest or BlockedAddress. Whatever
    the parser or the fetch guard raise on odd input is a 400 here, never a 500."""
    shown = text if len(text) <= 200 else f"{text[:200]}…"
    if len(text) > MAX_URL_CHARS:
        raise BadRequest(f"{shown!r} is over {MAX_URL_CHARS} characters", code="invalid_url")
    if any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cs"} for ch in text):
        raise BadRequest(f"{shown!r} has spaces or control characters", code="invalid_url")
    try:
        parsed = URL(text)
        if parsed.scheme not in {"http", "https"} or not parsed.host:
            raise BadRequest(f"{shown!r} is not an http(s) address of a page", code="invalid_url")
        check_url(str(parsed), resolve=settings.fetch.resolve)
        return str(parsed)
    except ZmotError as exc:
        if exc.http_status < 500:
            raise
        raise BadRequest(exc.message, code="invalid_url") from None
    except Exception:  # yarl's IDNA step or the guard on hosts like xn--.test: the address is at fault
        raise BadRequest(f"{shown!r} is not a valid URL", code="invalid_url") from None


async def create_briefing(request: web.Request) -> web.Response:
    raw = await _read_body(request)
    pipeline = request.app[PIPELINE]
    # The same bytes posted again (a second click, many shoppers on one page) are known by their hash:
    # answered from the run they started or its stored briefing, without decoding or scraping the page.
    body_key = hashlib.sha256(raw).hexdigest()
    started = await pipeline.again(body_key, owner=_owner(request))
    if started is None:
        briefing_request = parse_briefing_request(_json_object(raw), request.app[SETTINGS])
        briefing_request = dataclasses.replace(briefing_request, owner=_owner(request))
        started = await pipeline.start(briefing_request, body_key=body_key)
    run, cached = started
    if cached is not None:
        request.app[METRICS].briefings.labels("cached").inc()
        await briefing_served(request.app[STORE], _owner(request), cached, time.time())
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
    await pipeline.adopt(briefing_id)  # a run another instance builds is followed from here too
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
    """Watch a product's page for this client: checked again every `briefing.watch_interval_s`, its rules
    run on each check. Asked again, the same watch (its rules updated with those given)."""
    body = await _json_body(request)
    pid, url = body.get("product_id"), body.get("url")
    if not isinstance(pid, str) or not _PRODUCT_ID.match(pid):
        raise BadRequest(
            "'product_id' must be a product id from a briefing (16 hex digits)", code="invalid_product"
        )
    settings, store = request.app[SETTINGS], request.app[STORE]
    target, owner = parse_briefing_request({"url": url}, settings).url, _owner(request)
    mine = [w for w in await store.watches(owner) if (w.product_id, w.url) == (pid, target)]
    if mine:  # one watch per (client, product, page): asked again, its rules change
        watch = parse_rules(body, mine[0])
        if _RULE_KEYS & body.keys():
            watch = await store.set_watch_rules(watch) or watch
        return web.json_response(watch_json(watch), status=200)
    now = time.time()
    interval = float(settings.briefing.watch_interval_s)
    fresh = parse_rules(
        body, Watch(pid, target, interval, created_at=now, next_check=now + interval, owner=owner)
    )
    fresh = baseline(fresh, await store.prices(pid), page_address(target))
    watch, created = await store.add_watch(fresh)
    if not created:  # the same request twice at once: the other one made it
        watch = await store.set_watch_rules(parse_rules(body, watch)) or watch
    return web.json_response(watch_json(watch), status=201 if created else 200)


_RULE_KEYS = {"name", "target_price", "notify_on", "locale"}


async def list_watches(request: web.Request) -> web.Response:
    """This client's watches, oldest first: one per watched page of each product."""
    watches = await request.app[STORE].watches(_owner(request))
    return web.json_response({"watches": [watch_json(w) for w in watches]})


def _query_url(request: web.Request) -> str | None:
    url = request.query.get("url")
    if url is None:
        return None
    try:
        return str(URL(url.strip()))  # the form create_watch stored it in
    except Exception:  # yarl refuses it (IDNA and all): no watch can have this address
        raise BadRequest(f"{url[:200]!r} is not a valid URL", code="invalid_url") from None


async def change_watch(request: web.Request) -> web.Response:
    """Change the rules of one of this client's watches (`?url=` says which page; it may be left out
    when the product is watched on one page only)."""
    product_id, url = request.match_info["product_id"], _query_url(request)
    body = await _json_body(request)
    store = request.app[STORE]
    mine = [w for w in await store.watches(_owner(request)) if w.product_id == product_id]
    if url is not None:
        mine = [w for w in mine if w.url == url]
    if not mine:
        where = f" on {url}" if url is not None else ""
        raise NotFound(f"product {product_id!r} is not watched{where}")
    if len(mine) > 1:
        raise BadRequest("the product is watched on several pages: say which with ?url=", code="invalid_url")
    changed = await store.set_watch_rules(parse_rules(body, mine[0]))
    if changed is None:
        raise NotFound(f"product {product_id!r} is not watched on {mine[0].url}")
    return web.json_response(watch_json(changed))


async def delete_watch(request: web.Request) -> web.Response:
    """Stop watching a product on every page, or with `?url=` on that page only (this client's)."""
    product_id, url = request.match_info["product_id"], _query_url(request)
    if not await request.app[STORE].delete_watch(product_id, url, owner=_owner(request)):
        where = f" on {url}" if url is not None else ""
        raise NotFound(f"product {product_id!r} is not watched{where}")
    return web.Response(status=204)


async def list_alerts(request: web.Request) -> web.Response:
    """This client's alerts newer than `?since=` (unix time; all kept ones without it), oldest first."""
    raw = request.query.get("since", "0")
    try:
        since = float(raw)
    except ValueError:
        since = float("nan")
    if since != since or since in (float("inf"), float("-inf")):
        raise BadRequest("'since' must be a unix time in seconds, like 1767225600.5", code="invalid_since")
    now = time.time()
    alerts = await request.app[STORE].alerts_since(_owner(request), since)
    return web.json_response({"alerts": [alert_json(a) for a in alerts], "now": now})


async def notify_test(request: web.Request) -> web.Response:
    """Send the test message to every URL this client's alerts go to; each URL's outcome, masked."""
    raw = await _read_body(request)
    body = _json_object(raw) if raw.strip() else {}
    locale = body.get("locale")
    if locale is not None and not isinstance(locale, str):
        raise BadRequest("'locale' must be a string such as 'it'", code="invalid_locale")
    notify = request.app[SETTINGS].notify
    urls = urls_for(notify, bearer_token(request.headers.get("Authorization")))
    results = await send_test(notify, urls, locale=locale)
    return web.json_response({"sent": sum(r.ok for r in results), "results": [r.to_json() for r in results]})


async def healthz(request: web.Request) -> web.Response:
    """Alive, and whether the worker processes are ready for briefings (they warm up after a start)."""
    pipeline = request.app.get(PIPELINE)
    workers = "ready" if pipeline is not None and pipeline.cpu.ready else "starting"
    return web.json_response({"status": "ok", "version": __version__, "workers": workers})


async def metrics(request: web.Request) -> web.Response:
    return web.Response(body=request.app[METRICS].render(), headers={"Content-Type": CONTENT_TYPE})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document())
