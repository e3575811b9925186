"""The aiohttp application: state, middlewares (errors, CORS, auth, metrics) and its lifecycle."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from scrapers.registry import Registry, load_registry
from server import api
from server.analysis.sentiment import warm_up
from server.errors import PayloadTooLarge, Unauthorized, ZmotError
from server.fetch import Fetcher
from server.metrics import Metrics
from server.pipeline import BriefingRun, Pipeline
from server.settings import Settings
from server.store import Store, open_store
from server.watcher import PriceWatcher

__all__ = ["MAX_BODY_BYTES", "create_app"]

log = logging.getLogger("zmot.server")

MAX_BODY_BYTES = api.MAX_HTML_BYTES + 64 * 1024  # the html plus the JSON around it
_EXTENSION_SCHEMES = ("chrome-extension://", "moz-extension://", "safari-web-extension://")
_OPEN_PATHS = {"/healthz", "/openapi.json"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    registry: Registry | None = None,
    lookup=None,
) -> web.Application:
    """The zmot HTTP API for these settings; `store`, `registry` and `lookup` may be given by tests."""
    app = web.Application(
        client_max_size=MAX_BODY_BYTES,
        middlewares=[_cors, _errors, _count, _auth],
    )
    app[api.SETTINGS] = settings
    app[api.TOKENS] = [t.encode() for t in settings.server.tokens]
    store = store if store is not None else open_store(settings.store)
    fetcher = Fetcher(settings.fetch, store=store, allowed_origins=_operator_origins(settings), lookup=lookup)
    app[api.STORE] = store
    app[api.FETCHER] = fetcher
    app[api.METRICS] = Metrics(lambda: fetcher.stats)
    app[api.REGISTRY] = registry if registry is not None else load_registry(settings.plugins.disabled)
    app.cleanup_ctx.append(_lifecycle)
    app.on_response_prepare.append(_cors_headers)
    api.add_routes(app)
    return app


def _operator_origins(settings: Settings) -> list[str]:
    """The search provider's origin is the operator's own and may be a private address."""
    return [settings.search.url] if settings.search.url else []


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    store, fetcher, metrics = app[api.STORE], app[api.FETCHER], app[api.METRICS]
    await store.open()
    await fetcher.start()
    await asyncio.to_thread(warm_up)  # so the first shopper does not wait for the language model

    def finished(run: BriefingRun) -> None:
        metrics.briefings.labels(run.briefing["status"]).inc()
        metrics.briefing_seconds.observe(run.briefing["elapsed_ms"] / 1000)

    app[api.PIPELINE] = Pipeline(app[api.SETTINGS], app[api.REGISTRY], fetcher, store, on_finish=finished)
    async with PriceWatcher(app[api.REGISTRY], fetcher, store).running():
        yield
    await app[api.PIPELINE].close()
    await fetcher.close()
    await store.close()


def _error_response(error: ZmotError) -> web.Response:
    return web.json_response(error.to_json(), status=error.http_status)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes `{"error": {"code", "message"}}`; nothing unexpected escapes as HTML."""
    try:
        return await handler(request)
    except ZmotError as exc:
        return _error_response(exc)
    except web.HTTPRequestEntityTooLarge:
        return _error_response(PayloadTooLarge(f"the request body is over {MAX_BODY_BYTES} bytes"))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status, "http_error")
        response = web.json_response({"error": {"code": code, "message": exc.reason}}, status=exc.status)
        if exc.status == 405:
            response.headers["Allow"] = exc.headers.get("Allow", "")
        return response
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return web.json_response(
            {"error": {"code": "internal_error", "message": "something went wrong on the server"}}, status=500
        )


def _allowed_origin(request: web.Request) -> str | None:
    origin = request.headers.get("Origin")
    if not origin:
        return None
    if origin.startswith(_EXTENSION_SCHEMES) or origin in request.app[api.SETTINGS].server.cors_origins:
        return origin
    return None


@web.middleware
async def _cors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """CORS for the browser extension's origins and configured ones only."""
    origin = _allowed_origin(request)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        if origin is None:
            return web.json_response(
                {"error": {"code": "origin_not_allowed", "message": "this origin may not call zmot"}},
                status=403,
            )
        response: web.StreamResponse = web.Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Last-Event-ID"
        response.headers["Access-Control-Max-Age"] = "600"
    else:
        response = await handler(request)
    return response


async def _cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Allow-Origin on every answer to an allowed origin, event streams included: they are sent
    (prepared) inside their handler, before a middleware could add headers."""
    origin = _allowed_origin(request)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"


@web.middleware
async def _auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """With tokens configured, everything but /healthz and /openapi.json needs `Authorization: Bearer`."""
    tokens = request.app[api.TOKENS]
    if tokens and request.path not in _OPEN_PATHS:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not any(hmac.compare_digest(given.encode(), t) for t in tokens):
            raise Unauthorized("a valid token is needed: send 'Authorization: Bearer <token>'")
    return await handler(request)


@web.middleware
async def _count(request: web.Request, handler: Handler) -> web.StreamResponse:
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        request.app[api.METRICS].requests.labels(request.method, name, str(exc.status)).inc()
        raise
    except ZmotError as exc:
        request.app[api.METRICS].requests.labels(request.method, name, str(exc.http_status)).inc()
        raise
    request.app[api.METRICS].requests.labels(request.method, name, str(response.status)).inc()
    return response
