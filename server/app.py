"""The aiohttp application: state, middlewares (errors, metrics, and the checks of server.guards that let
only zmot's clients in) and its lifecycle. Serving it with its limits is server.serving's."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from scrapers.registry import Registry, load_registry
from server import api
from server.api import MAX_BODY_BYTES
from server.coordination import Coordination, open_coordination
from server.errors import PayloadTooLarge, ZmotError
from server.fetch import Fetcher
from server.guards import check_host, check_json, check_origin, check_token, cors_headers, server_names
from server.metrics import Metrics
from server.pipeline import BriefingRun, Pipeline
from server.settings import Settings
from server.site import add_site
from server.store import Store, open_store, purging
from server.watch.alerts import drain as drain_alerts
from server.watcher import PriceWatcher
from server.workers import CpuPool

__all__ = ["MAX_BODY_BYTES", "create_app", "operator_urls"]

log = logging.getLogger("zmot.server")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

COORDINATION = web.AppKey("coordination", Coordination)


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
        middlewares=[_errors, _count, check_host, check_origin, check_token, check_json],
        handler_args={
            # A body is read as it was sent: a small compressed one may not grow into gigabytes here.
            "auto_decompress": False,
            # aiohttp closes a connection idle this long, and a connection still sending its request head
            # is idle to it: so this is also how long a request head may take.
            "keepalive_timeout": settings.server.head_timeout_s,
        },
    )
    app[api.SETTINGS] = settings
    app[api.TOKENS] = [t.encode() for t in settings.server.tokens]
    server_names(app, settings)
    store = store if store is not None else open_store(settings.store)
    # Several instances on one Redis are one server: they share runs, their events, and politeness.
    coordination = app[COORDINATION] = open_coordination(settings.store)
    f = settings.fetch
    gate = coordination.host_slots(
        f.per_host_concurrency, f.per_host_interval_s, lease_s=f.total_timeout_s + 5
    )
    fetcher = Fetcher(f, store=store, allowed_origins=operator_urls(settings), lookup=lookup, gate=gate)
    app[api.STORE] = store
    app[api.FETCHER] = fetcher
    app[api.METRICS] = Metrics(lambda: fetcher.stats)
    app[api.REGISTRY] = registry if registry is not None else load_registry(settings.plugins.disabled)
    coordination.share_pacing(app[api.REGISTRY].search_providers)  # keyless APIs paced group-wide
    app.cleanup_ctx.append(_lifecycle)
    app.on_response_prepare.append(cors_headers)
    api.add_routes(app)
    add_site(app)  # the self-hoster's page at /, and GET /v1/briefings
    return app


def operator_urls(settings: Settings) -> list[str]:
    """The search providers' addresses are the operator's own and may be private."""
    return settings.search.operator_urls()


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    store, fetcher, metrics = app[api.STORE], app[api.FETCHER], app[api.METRICS]
    await store.open()
    coordination = app[COORDINATION]
    await coordination.open()
    await fetcher.start()
    cpu = CpuPool()
    # The workers load the language model and dictionaries (seconds) while the server already answers:
    # /healthz says when they are ready, and a briefing that comes first waits for them in the pool.
    warming = asyncio.create_task(cpu.start(), name="cpu-pool-warm-up")

    def finished(run: BriefingRun) -> None:
        metrics.briefings.labels(run.briefing["status"]).inc()
        metrics.briefing_seconds.observe(run.briefing["elapsed_ms"] / 1000)

    app[api.PIPELINE] = Pipeline(
        app[api.SETTINGS],
        app[api.REGISTRY],
        fetcher,
        store,
        cpu=cpu,
        on_finish=finished,
        coordination=coordination,
    )
    try:
        async with (
            purging(store),
            PriceWatcher(
                app[api.REGISTRY],
                fetcher,
                store,
                cpu=cpu,
                settings=app[api.SETTINGS],
                tick_s=app[api.SETTINGS].watch.tick_s,
            ).running(),
        ):
            yield
    finally:
        warming.cancel()
        await asyncio.gather(warming, return_exceptions=True)
        await drain_alerts()  # alerts on their way still go out (each bounded by notify.timeout_s)
        await app[api.PIPELINE].close()
        await cpu.close()
        await fetcher.close()
        await coordination.close()
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
