"""The OpenAPI operations outside API v1: the self-hoster's pages and their assets, health, metrics and
this document."""

from __future__ import annotations

from typing import Any

from server.openapi_schema import ID, STR, error_response, response

__all__ = ["PAGE_PATHS"]

_PAGE = {
    "description": "The page (no data: its scripts read the API with the pairing code)",
    "content": {"text/html": {"schema": STR}},
}

PAGE_PATHS: dict[str, Any] = {
    "/": {
        "get": {
            "operationId": "sitePage",
            "summary": "The self-hoster's page: watched products with a price chart per seller, the last "
            "briefings and their verdicts, the notification test. Served without a token, under a strict "
            "Content-Security-Policy; a wrong token shown is still a 401",
            "security": [],
            "responses": {"200": _PAGE},
        }
    },
    "/briefings/{id}": {
        "get": {
            "operationId": "siteBriefingPage",
            "summary": "One briefing in full, every section: what the popup's full-briefing link opens",
            "security": [],
            "parameters": [ID],
            "responses": {"200": _PAGE},
        }
    },
    "/site/{name}": {
        "get": {
            "operationId": "siteAsset",
            "summary": "The page's scripts and style sheet",
            "security": [],
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": STR}],
            "responses": {
                "200": {
                    "description": "A script or the style sheet",
                    "content": {"text/javascript": {"schema": STR}, "text/css": {"schema": STR}},
                },
                "404": error_response("No such file"),
            },
        }
    },
    "/healthz": {
        "get": {
            "operationId": "health",
            "summary": "Liveness, and whether the worker processes are ready for briefings",
            "security": [],
            "responses": {
                "200": response(
                    {
                        "type": "object",
                        "required": ["status", "version", "workers"],
                        "properties": {
                            "status": {"const": "ok"},
                            "version": STR,
                            "workers": {
                                "enum": ["starting", "ready"],
                                "description": "the CPU workers warm up for a few seconds after a start",
                            },
                        },
                    },
                    "The server is up",
                )
            },
        }
    },
    "/metrics": {
        "get": {
            "operationId": "metrics",
            "summary": "Prometheus metrics",
            "responses": {
                "200": {"description": "Prometheus text", "content": {"text/plain": {"schema": STR}}}
            },
        }
    },
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {"200": response({"type": "object"}, "OpenAPI 3.1")},
        }
    },
}
