"""The /v1/corrections handlers: thin, like every API handler (parse, call the store, serialize). A
correction belongs to the client that made it (server.watch.owner), as watches do."""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from server.corrections.requests import correction_json, parse_correction, site_of
from server.errors import BadRequest, NotFound
from server.store.base import Store
from server.watch import owner_of

__all__ = ["create_correction", "delete_correction", "list_corrections"]


def _app() -> Any:
    # server.api owns the app's keys and the body reading rules, and imports this module for its routes.
    from server import api

    return api


def _owner(request: web.Request) -> str:
    return owner_of(request.app[_app().SETTINGS], request.headers.get("Authorization"))


def _store(request: web.Request) -> Store:
    return request.app[_app().STORE]


async def _body(request: web.Request) -> dict[str, Any]:
    raw = await _app()._read_body(request)  # within the server's body timeout
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object", code="bad_request")
    return body


async def create_correction(request: web.Request) -> web.Response:
    """Keep the client's correction of a site's field: a new one replaces the old (with a new id)."""
    correction = parse_correction(await _body(request), owner=_owner(request), now=time.time())
    await _store(request).put_correction(correction)
    return web.json_response({"correction": correction_json(correction)}, status=201)


async def list_corrections(request: web.Request) -> web.Response:
    """The client's corrections, newest first; `?site=` (a host, or a page's address) keeps one site's."""
    site = request.query.get("site")
    if site is not None:
        site = site_of(site if "://" in site else f"http://{site}")
        if site is None:
            raise BadRequest("'site' must be a host such as shop.example", code="bad_url")
    found = await _store(request).corrections(_owner(request), site)
    return web.json_response({"corrections": [correction_json(c) for c in found]})


async def delete_correction(request: web.Request) -> web.Response:
    """Forget one of the client's corrections: its site's pages are read automatically again."""
    correction_id = request.match_info["id"]
    if not await _store(request).delete_correction(_owner(request), correction_id):
        raise NotFound(f"no correction with id {correction_id!r}")
    return web.Response(status=204)
