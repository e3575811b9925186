"""The OpenAPI 3.1 description of API v1, served at /openapi.json and checked against the routes by tests."""

from __future__ import annotations

from typing import Any

from server import __version__

__all__ = ["openapi_document"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_NNUM = {"type": ["number", "null"]}
_NINT = {"type": ["integer", "null"]}

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": _STR, "message": _STR},
            }
        },
    },
    "BriefingRequest": {
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": {"type": "string", "description": "the product page's http(s) address"},
            "html": {
                "type": "string",
                "description": "the page's HTML as the shopper sees it (5 MB at most)",
            },
            "locale": {"type": "string", "description": "the shopper's language, e.g. it-IT"},
        },
    },
    "Offer": {
        "type": "object",
        "properties": {
            "seller": _NSTR,
            "price": {"type": ["string", "null"], "description": "decimal string, e.g. 1299.00"},
            "currency": {"type": ["string", "null"], "description": "ISO 4217"},
            "availability": {"enum": ["in_stock", "out_of_stock", "preorder", "unknown"]},
            "url": _NSTR,
            "shipping": _NSTR,
        },
    },
    "Product": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": _STR,
            "name": _NSTR,
            "brand": _NSTR,
            "gtin": _NSTR,
            "mpn": _NSTR,
            "sku": _NSTR,
            "image": _NSTR,
            "canonical_url": _NSTR,
        },
    },
    "PriceSection": {
        "type": "object",
        "required": ["current", "offers", "lowest", "history", "verdict", "reason"],
        "properties": {
            "current": _nullable(_ref("Offer")),
            "offers": {"type": "array", "items": _ref("Offer")},
            "lowest": _nullable(_ref("Offer")),
            "history": {
                "type": "object",
                "properties": {
                    "points": {"type": "array", "items": {"type": "object"}},
                    "low": _NSTR,
                    "high": _NSTR,
                    "typical": _NSTR,
                },
            },
            "verdict": {"enum": ["good_deal", "fair", "high", "unknown"]},
            "reason": _STR,
        },
    },
    "ReviewsSection": {
        "type": "object",
        "required": ["count", "rating", "distribution", "analyzed", "sentiment", "pros", "cons"],
        "properties": {
            "count": _NINT,
            "rating": _NNUM,
            "distribution": {"type": ["object", "null"]},
            "analyzed": {"type": "integer"},
            "sentiment": _nullable(
                {
                    "type": "object",
                    "properties": {
                        "mean": {"type": "number"},
                        "positive": {"type": "number"},
                        "neutral": {"type": "number"},
                        "negative": {"type": "number"},
                    },
                }
            ),
            "pros": {"type": "array"},
            "cons": {"type": "array"},
            "trust": {"type": ["object", "null"]},
            "highlights": {"type": "array", "items": _STR},
        },
    },
    "Source": {
        "type": "object",
        "required": ["name", "status", "elapsed_ms"],
        "properties": {
            "name": _STR,
            "plugin": _NSTR,
            "url": _NSTR,
            "status": {"enum": ["ok", "error", "timeout", "skipped", "blocked"]},
            "elapsed_ms": {"type": "integer"},
            "error": _NSTR,
        },
    },
    "Briefing": {
        "type": "object",
        "required": [
            "id",
            "url",
            "status",
            "generated_at",
            "elapsed_ms",
            "product",
            "price",
            "reviews",
            "mentions",
            "verdict",
            "sources",
        ],
        "properties": {
            "id": _STR,
            "url": _STR,
            "status": {
                "enum": ["running", "complete", "partial"],
                "description": "partial: a section the shopper would miss failed (the page, price, "
                "reviews, or the search for offers or mentions as a whole); one failed blog or shop page "
                "is only listed in sources",
            },
            "generated_at": _STR,
            "elapsed_ms": {"type": "integer"},
            "events": {"type": "string", "description": "the SSE stream's path, while running"},
            "product": _nullable(_ref("Product")),
            "price": _nullable(_ref("PriceSection")),
            "reviews": _nullable(_ref("ReviewsSection")),
            "mentions": {
                "type": ["object", "null"],
                "description": "items: [Mention + {sentiment, snippet, sponsored, language, channel "
                "(a video's), replies (a forum thread's, where the page shows it)}], independent ones "
                "first, the shopper's language first among them",
            },
            "verdict": {"type": ["object", "null"]},
            "sources": {"type": "array", "items": _ref("Source")},
        },
    },
    "WatchRequest": {
        "type": "object",
        "required": ["product_id", "url"],
        "properties": {
            "product_id": {"type": "string", "description": "product.id of a briefing"},
            "url": {"type": "string", "description": "the product page to check again"},
        },
    },
    "Watch": {
        "type": "object",
        "required": ["product_id", "url", "interval_s", "created_at", "next_check"],
        "properties": {
            "product_id": _STR,
            "url": _STR,
            "interval_s": {"type": "number"},
            "created_at": {"type": "number", "description": "unix time"},
            "next_check": {"type": "number", "description": "unix time"},
            "last_checked": _NNUM,
            "last_error": _NSTR,
            "failures": {"type": "integer", "description": "checks failed in a row; each doubles the wait"},
        },
    },
    "PriceHistory": {
        "type": "object",
        "required": ["product_id", "points"],
        "properties": {
            "product_id": _STR,
            "points": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["seller", "amount", "currency", "observed_at"],
                    "properties": {
                        "product_id": _STR,
                        "seller": _STR,
                        "amount": _STR,
                        "currency": _STR,
                        "observed_at": {"type": "number", "description": "unix time"},
                        "url": _NSTR,
                    },
                },
            },
        },
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


_ID = {"name": "id", "in": "path", "required": True, "schema": _STR}

_PATHS: dict[str, Any] = {
    "/v1/briefings": {
        "post": {
            "operationId": "createBriefing",
            "summary": "Ask for a briefing on a product page",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("BriefingRequest")}},
            },
            "responses": {
                "200": _json(_ref("Briefing"), "A complete briefing, from the store or finished at once"),
                "202": _json(_ref("Briefing"), "Started: what is known so far, and the events path"),
                "400": _error("Invalid JSON, URL or field, or a private address"),
                "401": _error("A token is configured and none or a wrong one was sent"),
                "413": _error("The body or the html is too large"),
            },
        }
    },
    "/v1/briefings/{id}": {
        "get": {
            "operationId": "getBriefing",
            "summary": "The briefing as it stands",
            "parameters": [_ID],
            "responses": {"200": _json(_ref("Briefing"), "The briefing"), "404": _error("No such briefing")},
        }
    },
    "/v1/briefings/{id}/events": {
        "get": {
            "operationId": "followBriefing",
            "summary": "Server-Sent Events: `section` events ({section, data}) as parts finish, then `done`",
            "parameters": [_ID],
            "responses": {
                "200": {"description": "An event stream", "content": {"text/event-stream": {"schema": _STR}}},
                "404": _error("No such briefing"),
            },
        }
    },
    "/v1/products/{product_id}/prices": {
        "get": {
            "operationId": "getPrices",
            "summary": "Prices observed for a product over time",
            "parameters": [{"name": "product_id", "in": "path", "required": True, "schema": _STR}],
            "responses": {
                "200": _json(_ref("PriceHistory"), "Observations, oldest first"),
                "404": _error("No prices recorded for this product"),
            },
        }
    },
    "/v1/watch": {
        "post": {
            "operationId": "watchProduct",
            "summary": "Watch a product's page (one watch per product and page): checked again on a "
            "schedule, its prices recorded",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("WatchRequest")}},
            },
            "responses": {
                "201": _json(_ref("Watch"), "Watching"),
                "200": _json(
                    _ref("Watch"), "This page of the product was watched already: the watch as it is"
                ),
                "400": _error("Invalid product id or URL, or a private address"),
                "401": _error("A token is configured and none or a wrong one was sent"),
            },
        },
        "get": {
            "operationId": "listWatches",
            "summary": "Every watched product",
            "responses": {
                "200": _json(
                    {"type": "object", "properties": {"watches": {"type": "array", "items": _ref("Watch")}}},
                    "The watches",
                )
            },
        },
    },
    "/v1/watch/{product_id}": {
        "delete": {
            "operationId": "unwatchProduct",
            "summary": "Stop watching a product, or one of its pages",
            "parameters": [
                {"name": "product_id", "in": "path", "required": True, "schema": _STR},
                {
                    "name": "url",
                    "in": "query",
                    "required": False,
                    "schema": _STR,
                    "description": "only the watch of this page",
                },
            ],
            "responses": {"204": {"description": "No longer watched"}, "404": _error("Not watched")},
        }
    },
    "/healthz": {
        "get": {
            "operationId": "health",
            "summary": "Liveness, and whether the worker processes are ready for briefings",
            "security": [],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["status", "version", "workers"],
                        "properties": {
                            "status": {"const": "ok"},
                            "version": _STR,
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
                "200": {"description": "Prometheus text", "content": {"text/plain": {"schema": _STR}}}
            },
        }
    },
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
        }
    },
}


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
                responses.setdefault(code, _error(text))
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
