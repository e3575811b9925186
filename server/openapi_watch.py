"""The OpenAPI component schemas of what a shopper keeps on the server: corrections of a site's fields,
watches and their alerts, the notification test, and a product's price history."""

from __future__ import annotations

from typing import Any

from server.openapi_schema import NNUM, NSTR, STR, nullable, ref

__all__ = ["WATCH_SCHEMAS"]

WATCH_SCHEMAS: dict[str, Any] = {
    "CorrectionField": {"enum": ["price", "list_price", "availability", "reviews"]},
    "CorrectionRequest": {
        "type": "object",
        "required": ["url", "field", "selector"],
        "properties": {
            "url": {"type": "string", "description": "the page the element was picked on (http/https)"},
            "field": ref("CorrectionField"),
            "selector": {
                "type": "string",
                "maxLength": 1000,
                "description": "a CSS selector lxml's cssselect takes, by ids, classes and structure (never "
                "the text: :contains is refused)",
            },
            "value": {
                "type": ["string", "null"],
                "maxLength": 2000,
                "description": "what the shopper saw there",
            },
        },
    },
    "Correction": {
        "type": "object",
        "required": ["id", "site", "field", "selector", "value", "created_at"],
        "properties": {
            "id": STR,
            "site": {"type": "string", "description": "the page's lower-case host without a leading www."},
            "field": ref("CorrectionField"),
            "selector": STR,
            "value": NSTR,
            "created_at": {"type": "string", "description": "ISO 8601, UTC"},
        },
    },
    "CorrectionOnPage": {
        "type": "object",
        "required": ["id", "field", "selector", "status", "value"],
        "properties": {
            "id": STR,
            "field": ref("CorrectionField"),
            "selector": STR,
            "status": {
                "enum": ["applied", "stale"],
                "description": "applied: the selector matched and its value was read and used; stale: it "
                "matched nothing that reads as the field (the shop changed its layout), the automatic value "
                "stands",
            },
            "value": {"type": ["string", "null"], "description": "what the shopper saw when picking it"},
        },
    },
    "WatchRules": {
        "type": "object",
        "description": "What the shopper sets on a watch; a key left out keeps its value",
        "properties": {
            "name": {"type": "string", "maxLength": 300, "description": "the product's name in alerts"},
            "target_price": {
                "type": ["string", "number", "null"],
                "description": 'a price above 0 ("99.00"); the "below" rule tells when the price is at or '
                "under it",
            },
            "notify_on": {
                "type": "array",
                "items": {"enum": ["below", "drop", "lowest", "back_in_stock"]},
                "description": 'the rules that send an alert; default ["drop", "back_in_stock"]; "below" '
                "needs target_price",
            },
            "locale": {"type": ["string", "null"], "description": "the language alerts are written in"},
        },
    },
    "WatchRequest": {
        "allOf": [
            ref("WatchRules"),
            {
                "type": "object",
                "required": ["product_id", "url"],
                "properties": {
                    "product_id": {"type": "string", "description": "product.id of a briefing"},
                    "url": {"type": "string", "description": "the product page to check again"},
                },
            },
        ],
    },
    "WatchPrice": {
        "type": "object",
        "required": ["amount", "currency", "seller", "at"],
        "properties": {"amount": STR, "currency": NSTR, "seller": NSTR, "at": NNUM},
    },
    "Watch": {
        "type": "object",
        "required": ["product_id", "url", "interval_s", "created_at", "next_check", "status", "notify_on"],
        "properties": {
            "product_id": STR,
            "url": STR,
            "name": STR,
            "target_price": NSTR,
            "currency": NSTR,
            "notify_on": {"type": "array", "items": STR},
            "locale": NSTR,
            "last_price": nullable(ref("WatchPrice")),
            "availability": {"enum": ["in_stock", "out_of_stock", None]},
            "status": {
                "enum": ["pending", "ok", "blocked"],
                "description": "pending: not checked yet; blocked: the server cannot read the page (a "
                "refusal, a bot check, a sign-in page): the shopper should open it; a briefing of it "
                "is a check",
            },
            "interval_s": {"type": "number"},
            "created_at": {"type": "number", "description": "unix time"},
            "next_check": {"type": "number", "description": "unix time"},
            "last_checked": NNUM,
            "last_error": NSTR,
            "failures": {"type": "integer", "description": "checks failed in a row; each doubles the wait"},
        },
    },
    "Alert": {
        "type": "object",
        "required": ["id", "product_id", "url", "name", "rule", "at", "title", "body"],
        "properties": {
            "id": STR,
            "product_id": STR,
            "url": STR,
            "name": STR,
            "rule": {"enum": ["below", "drop", "lowest", "back_in_stock"]},
            "old_price": NSTR,
            "new_price": NSTR,
            "currency": NSTR,
            "seller": NSTR,
            "at": {"type": "number", "description": "unix time"},
            "title": {
                "type": "string",
                "description": "in the watch's language, as the notification says it",
            },
            "body": STR,
        },
    },
    "NotifyTestRequest": {
        "type": "object",
        "properties": {
            "locale": {"type": "string", "description": "the message's language: en (default), it, fr"}
        },
    },
    "NotifyTestResult": {
        "type": "object",
        "required": ["sent", "results"],
        "properties": {
            "sent": {"type": "integer", "description": "how many URLs took the message"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["url", "status", "ok", "error", "elapsed_ms"],
                    "properties": {
                        "url": {"type": "string", "description": "the Apprise URL, its secrets masked"},
                        "status": {"enum": ["sent", "failed", "timeout"]},
                        "ok": {"type": "boolean"},
                        "error": NSTR,
                        "elapsed_ms": {"type": "integer"},
                    },
                },
            },
        },
    },
    "PriceHistory": {
        "type": "object",
        "required": ["product_id", "points"],
        "properties": {
            "product_id": STR,
            "points": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["seller", "amount", "currency", "observed_at"],
                    "properties": {
                        "product_id": STR,
                        "seller": STR,
                        "amount": STR,
                        "currency": STR,
                        "observed_at": {"type": "number", "description": "unix time"},
                        "url": NSTR,
                    },
                },
            },
        },
    },
}
