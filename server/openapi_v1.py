"""The OpenAPI operations of API v1 (/v1/...): briefings, prices, watches, corrections, alerts and the
notification test."""

from __future__ import annotations

from typing import Any

from server.openapi_schema import ID, NINT, NSTR, STR, error_response, ref, response

__all__ = ["V1_PATHS"]

_PRODUCT_ID = {"name": "product_id", "in": "path", "required": True, "schema": STR}
_WATCHED_URL = {"name": "url", "in": "query", "required": False, "schema": STR}

_RECENT_BRIEFINGS = {
    "type": "object",
    "required": ["briefings"],
    "properties": {
        "briefings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "url", "status", "product", "verdict", "price_verdict"],
                "properties": {
                    "id": STR,
                    "url": NSTR,
                    "status": {"enum": ["running", "complete", "partial"]},
                    "generated_at": NSTR,
                    "product": {"type": "object", "properties": {"id": NSTR, "name": NSTR}},
                    "verdict": {
                        "type": "object",
                        "properties": {
                            "label": {"enum": ["buy", "consider", "wait", "avoid", "unknown"]},
                            "score": NINT,
                            "summary": NSTR,
                        },
                    },
                    "price_verdict": {"enum": ["good_deal", "fair", "high", "unknown"]},
                },
            },
        }
    },
}

V1_PATHS: dict[str, Any] = {
    "/v1/briefings": {
        "post": {
            "operationId": "createBriefing",
            "summary": "Ask for a briefing on a product page",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("BriefingRequest")}},
            },
            "responses": {
                "200": response(ref("Briefing"), "A complete briefing, from the store or finished at once"),
                "202": response(ref("Briefing"), "Started: what is known so far, and the events path"),
                "400": error_response("Invalid JSON, URL or field, or a private address"),
                "401": error_response("A token is configured and none or a wrong one was sent"),
                "413": error_response("The body or the html is too large"),
            },
        },
        "get": {
            "operationId": "listRecentBriefings",
            "summary": "The last briefings this server instance handed out (kept in memory, newest first), "
            "each in summary: what the self-hoster's page lists",
            "parameters": [
                {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                }
            ],
            "responses": {
                "200": response(_RECENT_BRIEFINGS, "The briefings, newest first"),
                "400": error_response("limit is not a whole number from 1 to 100"),
                "401": error_response("A token is configured and none or a wrong one was sent"),
            },
        },
    },
    "/v1/briefings/{id}": {
        "get": {
            "operationId": "getBriefing",
            "summary": "The briefing as it stands",
            "parameters": [ID],
            "responses": {
                "200": response(ref("Briefing"), "The briefing"),
                "404": error_response("No such briefing"),
            },
        }
    },
    "/v1/briefings/{id}/events": {
        "get": {
            "operationId": "followBriefing",
            "summary": "Server-Sent Events: `section` events ({section, data}) as parts finish, then `done`",
            "parameters": [ID],
            "responses": {
                "200": {"description": "An event stream", "content": {"text/event-stream": {"schema": STR}}},
                "404": error_response("No such briefing"),
            },
        }
    },
    "/v1/products/{product_id}/prices": {
        "get": {
            "operationId": "getPrices",
            "summary": "Prices observed for a product over time",
            "parameters": [{"name": "product_id", "in": "path", "required": True, "schema": STR}],
            "responses": {
                "200": response(ref("PriceHistory"), "Observations, oldest first"),
                "404": error_response("No prices recorded for this product"),
            },
        }
    },
    "/v1/watch": {
        "post": {
            "operationId": "watchProduct",
            "summary": "Watch a product's page for this client (one watch per client, product and page): "
            "checked again on a schedule, its prices recorded, its rules run",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("WatchRequest")}},
            },
            "responses": {
                "201": response(ref("Watch"), "Watching"),
                "200": response(
                    ref("Watch"), "This client watched this page already: the watch, with the rules given"
                ),
                "400": error_response(
                    "Invalid product id, URL, target_price, notify_on, name or locale, 'below' without a "
                    "target_price, or a private address"
                ),
                "401": error_response("A token is configured and none or a wrong one was sent"),
            },
        },
        "get": {
            "operationId": "listWatches",
            "summary": "This client's watches, oldest first",
            "responses": {
                "200": response(
                    {"type": "object", "properties": {"watches": {"type": "array", "items": ref("Watch")}}},
                    "The watches",
                )
            },
        },
    },
    "/v1/watch/{product_id}": {
        "patch": {
            "operationId": "changeWatch",
            "summary": "Change the rules of one of this client's watches",
            "parameters": [
                _PRODUCT_ID,
                {
                    **_WATCHED_URL,
                    "description": "the watched page (may be left out "
                    "when the product is watched on one page)",
                },
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("WatchRules")}},
            },
            "responses": {
                "200": response(ref("Watch"), "The watch with its new rules"),
                "400": error_response(
                    "Invalid rules, or ?url= missing for a product watched on several pages"
                ),
                "404": error_response("Not watched by this client"),
            },
        },
        "delete": {
            "operationId": "unwatchProduct",
            "summary": "Stop watching a product, or one of its pages (this client's watches)",
            "parameters": [_PRODUCT_ID, {**_WATCHED_URL, "description": "only the watch of this page"}],
            "responses": {"204": {"description": "No longer watched"}, "404": error_response("Not watched")},
        },
    },
    "/v1/corrections": {
        "post": {
            "operationId": "addCorrection",
            "summary": "Point at the element that shows a field's right value on a site's pages: read there, "
            "before the scrapers, on every later page of the site (this client's; one per site and field, a "
            "new one replaces the old with a new id)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("CorrectionRequest")}},
            },
            "responses": {
                "201": response(
                    {
                        "type": "object",
                        "required": ["correction"],
                        "properties": {"correction": ref("Correction")},
                    },
                    "Kept",
                ),
                "400": error_response(
                    "bad_request (not a JSON object, value too long), bad_url, bad_field, bad_selector"
                ),
            },
        },
        "get": {
            "operationId": "listCorrections",
            "summary": "This client's corrections, newest first",
            "parameters": [
                {
                    "name": "site",
                    "in": "query",
                    "required": False,
                    "schema": STR,
                    "description": "only this site's (a host; a leading www. is dropped)",
                }
            ],
            "responses": {
                "200": response(
                    {
                        "type": "object",
                        "required": ["corrections"],
                        "properties": {"corrections": {"type": "array", "items": ref("Correction")}},
                    },
                    "The corrections",
                ),
                "400": error_response("`site` is not a host"),
            },
        },
    },
    "/v1/corrections/{id}": {
        "delete": {
            "operationId": "deleteCorrection",
            "summary": "Forget one of this client's corrections: the site's pages are read automatically "
            "again",
            "parameters": [ID],
            "responses": {
                "204": {"description": "Forgotten"},
                "404": error_response("No such correction of this client"),
            },
        }
    },
    "/v1/alerts": {
        "get": {
            "operationId": "listAlerts",
            "summary": "This client's alerts newer than `since`, oldest first (kept at least 7 days)",
            "parameters": [
                {
                    "name": "since",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "number"},
                    "description": "unix time; pass the last answer's `now` to get only what is new",
                }
            ],
            "responses": {
                "200": response(
                    {
                        "type": "object",
                        "required": ["alerts", "now"],
                        "properties": {
                            "alerts": {"type": "array", "items": ref("Alert")},
                            "now": {"type": "number", "description": "the server's time of this answer"},
                        },
                    },
                    "The alerts",
                ),
                "400": error_response("`since` is not a number"),
            },
        }
    },
    "/v1/notify/test": {
        "post": {
            "operationId": "testNotifications",
            "summary": "Send a test message to every notification URL this client's alerts go to "
            "([notify] urls, and [notify.tokens] ones for its token); the body may be empty, sent as "
            "application/json",
            "requestBody": {
                "required": False,
                "content": {"application/json": {"schema": ref("NotifyTestRequest")}},
            },
            "responses": {
                "200": response(ref("NotifyTestResult"), "Each URL's outcome; a dead target is a failed one"),
                "400": error_response("Invalid JSON or locale"),
                "401": error_response("A token is configured and none or a wrong one was sent"),
                "409": error_response("No notification URL is configured (code notify_not_configured)"),
            },
        }
    },
}
