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
            "reason_codes": {
                "type": "array",
                "items": _ref("Said"),
                "description": "the reason's sentences as codes; `reason` is each said in `language`, "
                "followed by a full stop, joined by a space",
            },
            "language": {"enum": ["en", "it", "fr"], "description": "the language of `reason`"},
            "source": {
                "type": "string",
                "description": "where the page's current price came from: correction (the shopper's), else "
                "the scrapers' field source (jsonld, microdata, rdfa, og, page, or a site plugin's name); "
                "absent when unknown",
            },
            "discount": {
                "type": ["object", "null"],
                "description": "when the page shows a reduction (a struck 'was' price, the EU 30-day low): "
                "`code` inflated | genuine | too_little_history, `basis` (history, page), `was`, `price`, "
                "`percent`, `page_lowest_30d`, `history` {days, count, low, high} of the same seller, "
                "`reason` in `language`, and `words` (the reason in en, it and fr)",
            },
        },
    },
    "Said": {
        "type": "object",
        "required": ["code", "values"],
        "description": "A sentence the server composed, as a code: `code` names it in zmot's catalogue "
        "(server/i18n/{en,it,fr}.json; the extension's _locales have each as `say_` + code) and `values` "
        "fill its placeholders. A value is a number (a share 0..1 is shown as a percent, a rating with one "
        'decimal), a string (an amount such as "99.00", a currency, a seller, or a reviewer\'s quote, '
        "never translated), another Said, or a list of them.",
        "properties": {"code": _STR, "values": {"type": "object"}},
    },
    "TrustSignal": {
        "type": "object",
        "required": ["name", "severity", "detail"],
        "properties": {
            "name": {"type": "string", "description": "also its code: the detail is Said `trust_` + name"},
            "severity": {"enum": ["low", "medium", "high"]},
            "detail": {"type": "string", "description": "in the briefing's language"},
            "values": {"type": "object", "description": "the detail's values, for a client's own words"},
        },
    },
    "Verdict": {
        "type": "object",
        "required": ["label", "score", "reasons", "summary"],
        "properties": {
            "label": {"enum": ["buy", "consider", "wait", "avoid", "unknown"]},
            "score": _NINT,
            "reasons": {"type": "array", "items": _STR},
            "summary": _STR,
            "cautions": {"type": "array", "items": _STR},
            "language": {
                "enum": ["en", "it", "fr"],
                "description": "the language of the words: the request's locale when zmot speaks it, "
                "else the page's, else English",
            },
            "reason_codes": {"type": "array", "items": _ref("Said"), "description": "one per reason"},
            "summary_code": _ref("Said"),
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
            "pros": {"type": "array", "items": _ref("Aspect")},
            "cons": {"type": "array", "items": _ref("Aspect")},
            "trust": _nullable(
                {
                    "type": "object",
                    "properties": {
                        "grade": {"enum": ["A", "B", "C", "D", "F"]},
                        "adjusted_rating": _NNUM,
                        "signals": {"type": "array", "items": _ref("TrustSignal")},
                    },
                }
            ),
            "highlights": {"type": "array", "items": _STR},
            "source": {
                "type": "string",
                "description": "where the page's reviews came from: correction (the shopper's), else the "
                "scrapers' field source (jsonld, microdata, rdfa, og, page, or a site plugin's name); absent "
                "when unknown",
            },
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
            "error_code": {
                "oneOf": [_ref("Said"), {"type": "null"}],
                "description": "why, as a code the extension says in the shopper's language (`error` is its "
                "English words, as a diagnostic); null for a plugin's or provider's own message",
            },
        },
    },
    "Aspect": {
        "type": "object",
        "required": ["aspect", "mentions", "sentiment", "quotes"],
        "properties": {
            "aspect": {"type": "string", "description": "the name as the reviews write it"},
            "mentions": {"type": "integer"},
            "sentiment": {"type": "number"},
            "quotes": {"type": "array", "items": _STR, "description": "as the reviewers wrote them"},
            "language": {"type": "string", "description": "the language of `aspect` and the quotes"},
            "concept": {
                "type": ["string", "null"],
                "description": "a language-neutral key (battery, price, ...) when zmot knows the aspect",
            },
            "label": {
                "type": "string",
                "description": "the name to show: in the shopper's language when zmot knows the aspect, else "
                "`aspect`",
            },
            "label_language": {"type": "string", "description": "the language of `label`"},
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
            "verdict": _nullable(_ref("Verdict")),
            "sources": {"type": "array", "items": _ref("Source")},
            "corrections": {
                "type": "array",
                "items": _ref("CorrectionOnPage"),
                "description": "every correction of this client for the page's site, with whether it held on "
                "this page; absent when the client has none for the site",
            },
        },
    },
    "CorrectionField": {"enum": ["price", "list_price", "availability", "reviews"]},
    "CorrectionRequest": {
        "type": "object",
        "required": ["url", "field", "selector"],
        "properties": {
            "url": {"type": "string", "description": "the page the element was picked on (http/https)"},
            "field": _ref("CorrectionField"),
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
            "id": _STR,
            "site": {"type": "string", "description": "the page's lower-case host without a leading www."},
            "field": _ref("CorrectionField"),
            "selector": _STR,
            "value": _NSTR,
            "created_at": {"type": "string", "description": "ISO 8601, UTC"},
        },
    },
    "CorrectionOnPage": {
        "type": "object",
        "required": ["id", "field", "selector", "status", "value"],
        "properties": {
            "id": _STR,
            "field": _ref("CorrectionField"),
            "selector": _STR,
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
            _ref("WatchRules"),
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
        "properties": {"amount": _STR, "currency": _NSTR, "seller": _NSTR, "at": _NNUM},
    },
    "Watch": {
        "type": "object",
        "required": ["product_id", "url", "interval_s", "created_at", "next_check", "status", "notify_on"],
        "properties": {
            "product_id": _STR,
            "url": _STR,
            "name": _STR,
            "target_price": _NSTR,
            "currency": _NSTR,
            "notify_on": {"type": "array", "items": _STR},
            "locale": _NSTR,
            "last_price": _nullable(_ref("WatchPrice")),
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
            "last_checked": _NNUM,
            "last_error": _NSTR,
            "failures": {"type": "integer", "description": "checks failed in a row; each doubles the wait"},
        },
    },
    "Alert": {
        "type": "object",
        "required": ["id", "product_id", "url", "name", "rule", "at", "title", "body"],
        "properties": {
            "id": _STR,
            "product_id": _STR,
            "url": _STR,
            "name": _STR,
            "rule": {"enum": ["below", "drop", "lowest", "back_in_stock"]},
            "old_price": _NSTR,
            "new_price": _NSTR,
            "currency": _NSTR,
            "seller": _NSTR,
            "at": {"type": "number", "description": "unix time"},
            "title": {
                "type": "string",
                "description": "in the watch's language, as the notification says it",
            },
            "body": _STR,
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
                        "error": _NSTR,
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
_PRODUCT_ID = {"name": "product_id", "in": "path", "required": True, "schema": _STR}
_WATCHED_URL = {"name": "url", "in": "query", "required": False, "schema": _STR}

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
                    "id": _STR,
                    "url": _NSTR,
                    "status": {"enum": ["running", "complete", "partial"]},
                    "generated_at": _NSTR,
                    "product": {"type": "object", "properties": {"id": _NSTR, "name": _NSTR}},
                    "verdict": {
                        "type": "object",
                        "properties": {
                            "label": {"enum": ["buy", "consider", "wait", "avoid", "unknown"]},
                            "score": _NINT,
                            "summary": _NSTR,
                        },
                    },
                    "price_verdict": {"enum": ["good_deal", "fair", "high", "unknown"]},
                },
            },
        }
    },
}
_PAGE = {
    "description": "The page (no data: its scripts read the API with the pairing code)",
    "content": {"text/html": {"schema": _STR}},
}

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
                "200": _json(_RECENT_BRIEFINGS, "The briefings, newest first"),
                "400": _error("limit is not a whole number from 1 to 100"),
                "401": _error("A token is configured and none or a wrong one was sent"),
            },
        },
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
            "summary": "Watch a product's page for this client (one watch per client, product and page): "
            "checked again on a schedule, its prices recorded, its rules run",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("WatchRequest")}},
            },
            "responses": {
                "201": _json(_ref("Watch"), "Watching"),
                "200": _json(
                    _ref("Watch"), "This client watched this page already: the watch, with the rules given"
                ),
                "400": _error(
                    "Invalid product id, URL, target_price, notify_on, name or locale, 'below' without a "
                    "target_price, or a private address"
                ),
                "401": _error("A token is configured and none or a wrong one was sent"),
            },
        },
        "get": {
            "operationId": "listWatches",
            "summary": "This client's watches, oldest first",
            "responses": {
                "200": _json(
                    {"type": "object", "properties": {"watches": {"type": "array", "items": _ref("Watch")}}},
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
                "content": {"application/json": {"schema": _ref("WatchRules")}},
            },
            "responses": {
                "200": _json(_ref("Watch"), "The watch with its new rules"),
                "400": _error("Invalid rules, or ?url= missing for a product watched on several pages"),
                "404": _error("Not watched by this client"),
            },
        },
        "delete": {
            "operationId": "unwatchProduct",
            "summary": "Stop watching a product, or one of its pages (this client's watches)",
            "parameters": [_PRODUCT_ID, {**_WATCHED_URL, "description": "only the watch of this page"}],
            "responses": {"204": {"description": "No longer watched"}, "404": _error("Not watched")},
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
                "content": {"application/json": {"schema": _ref("CorrectionRequest")}},
            },
            "responses": {
                "201": _json(
                    {
                        "type": "object",
                        "required": ["correction"],
                        "properties": {"correction": _ref("Correction")},
                    },
                    "Kept",
                ),
                "400": _error(
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
                    "schema": _STR,
                    "description": "only this site's (a host; a leading www. is dropped)",
                }
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["corrections"],
                        "properties": {"corrections": {"type": "array", "items": _ref("Correction")}},
                    },
                    "The corrections",
                ),
                "400": _error("`site` is not a host"),
            },
        },
    },
    "/v1/corrections/{id}": {
        "delete": {
            "operationId": "deleteCorrection",
            "summary": "Forget one of this client's corrections: the site's pages are read automatically "
            "again",
            "parameters": [_ID],
            "responses": {
                "204": {"description": "Forgotten"},
                "404": _error("No such correction of this client"),
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
                "200": _json(
                    {
                        "type": "object",
                        "required": ["alerts", "now"],
                        "properties": {
                            "alerts": {"type": "array", "items": _ref("Alert")},
                            "now": {"type": "number", "description": "the server's time of this answer"},
                        },
                    },
                    "The alerts",
                ),
                "400": _error("`since` is not a number"),
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
                "content": {"application/json": {"schema": _ref("NotifyTestRequest")}},
            },
            "responses": {
                "200": _json(_ref("NotifyTestResult"), "Each URL's outcome; a dead target is a failed one"),
                "400": _error("Invalid JSON or locale"),
                "401": _error("A token is configured and none or a wrong one was sent"),
                "409": _error("No notification URL is configured (code notify_not_configured)"),
            },
        }
    },
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
            "parameters": [_ID],
            "responses": {"200": _PAGE},
        }
    },
    "/site/{name}": {
        "get": {
            "operationId": "siteAsset",
            "summary": "The page's scripts and style sheet",
            "security": [],
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": _STR}],
            "responses": {
                "200": {
                    "description": "A script or the style sheet",
                    "content": {"text/javascript": {"schema": _STR}, "text/css": {"schema": _STR}},
                },
                "404": _error("No such file"),
            },
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
