"""The OpenAPI 3.1 description of API v1, served at /openapi.json and checked against the routes by tests.

Its parts live beside it: the building blocks (openapi_schema), the component schemas of a briefing
(openapi_briefing) and of what a shopper keeps (openapi_watch), the operations of /v1 (openapi_v1) and of
the pages (openapi_pages); here they are put together with the refusals every operation may get."""

from __future__ import annotations

from typing import Any

from server import __version__
from server.openapi_briefing import BRIEFING_SCHEMAS
from server.openapi_pages import PAGE_PATHS
from server.openapi_schema import error_response
from server.openapi_v1 import V1_PATHS
from server.openapi_watch import WATCH_SCHEMAS

__all__ = ["openapi_document"]

_SCHEMAS: dict[str, Any] = {**BRIEFING_SCHEMAS, **WATCH_SCHEMAS}
_PATHS: dict[str, Any] = {**V1_PATHS, **PAGE_PATHS}


# What every operation may answer before its handler runs (server/app.py), and what one with a body may.
_REFUSALS = {
    "403": "The Origin is not zmot's extension or one in server.cors_origins (a Firefox extension's "
    "origin, or `null`, comes in with a valid token only)",
    "421": "The Host header does not name this server (loopback names, server.host, server.hosts)",
}
_BODY_REFUSALS = {
    "408": "The body did not arrive within server.body_timeout_s",
    "413": "The body is over 5 MiB of html plus 64 KiB (its Content-Length says so, or it is longer)",
    "415": "The body is not JSON in UTF-8 sent with Content-Type: application/json, or it is compressed",
}


def _with_refusals(paths: dict[str, Any]) -> dict[str, Any]:
    """`paths` with the refusals each operation may get, documented once here."""
    result = {}
    for path, operations in paths.items():
        result[path] = {}
        for method, operation in operations.items():
            refusals = {**_REFUSALS, **(_BODY_REFUSALS if "requestBody" in operation else {})}
            responses = dict(operation["responses"])
            for code, text in refusals.items():
                responses.setdefault(code, error_response(text))
            result[path][method] = {**operation, "responses": dict(sorted(responses.items()))}
    return result


def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "zmot",
            "version": __version__,
            "description": "Shopping briefings for product pages",
        },
        "servers": [{"url": "http://127.0.0.1:8750"}],
        "security": [{}, {"bearer": []}],
        "paths": _with_refusals(_PATHS),
        "components": {
            "schemas": _SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
