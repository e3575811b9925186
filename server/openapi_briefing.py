"""The OpenAPI component schemas of a briefing: the request, its sections (product, price, reviews,
verdict, sources) and the codes of the sentences the server composes, with the error every refusal carries."""

from __future__ import annotations

from typing import Any

from server.openapi_schema import NINT, NNUM, NSTR, STR, nullable, ref

__all__ = ["BRIEFING_SCHEMAS"]

BRIEFING_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": STR, "message": STR},
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
            "seller": NSTR,
            "price": {"type": ["string", "null"], "description": "decimal string, e.g. 1299.00"},
            "currency": {"type": ["string", "null"], "description": "ISO 4217"},
            "availability": {"enum": ["in_stock", "out_of_stock", "preorder", "unknown"]},
            "url": NSTR,
            "shipping": NSTR,
        },
    },
    "Product": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": STR,
            "name": NSTR,
            "brand": NSTR,
            "gtin": NSTR,
            "mpn": NSTR,
            "sku": NSTR,
            "image": NSTR,
            "canonical_url": NSTR,
        },
    },
    "PriceSection": {
        "type": "object",
        "required": ["current", "offers", "lowest", "history", "verdict", "reason"],
        "properties": {
            "current": nullable(ref("Offer")),
            "offers": {"type": "array", "items": ref("Offer")},
            "lowest": nullable(ref("Offer")),
            "history": {
                "type": "object",
                "properties": {
                    "points": {"type": "array", "items": {"type": "object"}},
                    "low": NSTR,
                    "high": NSTR,
                    "typical": NSTR,
                },
            },
            "verdict": {"enum": ["good_deal", "fair", "high", "unknown"]},
            "reason": STR,
            "reason_codes": {
                "type": "array",
                "items": ref("Said"),
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
        "properties": {"code": STR, "values": {"type": "object"}},
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
            "score": NINT,
            "reasons": {"type": "array", "items": STR},
            "summary": STR,
            "cautions": {"type": "array", "items": STR},
            "language": {
                "enum": ["en", "it", "fr"],
                "description": "the language of the words: the request's locale when zmot speaks it, "
                "else the page's, else English",
            },
            "reason_codes": {"type": "array", "items": ref("Said"), "description": "one per reason"},
            "summary_code": ref("Said"),
        },
    },
    "ReviewsSection": {
        "type": "object",
        "required": ["count", "rating", "distribution", "analyzed", "sentiment", "pros", "cons"],
        "properties": {
            "count": NINT,
            "rating": NNUM,
            "distribution": {"type": ["object", "null"]},
            "analyzed": {"type": "integer"},
            "sentiment": nullable(
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
            "pros": {"type": "array", "items": ref("Aspect")},
            "cons": {"type": "array", "items": ref("Aspect")},
            "trust": nullable(
                {
                    "type": "object",
                    "properties": {
                        "grade": {"enum": ["A", "B", "C", "D", "F"]},
                        "adjusted_rating": NNUM,
                        "signals": {"type": "array", "items": ref("TrustSignal")},
                    },
                }
            ),
            "highlights": {"type": "array", "items": STR},
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
            "name": STR,
            "plugin": NSTR,
            "url": NSTR,
            "status": {"enum": ["ok", "error", "timeout", "skipped", "blocked"]},
            "elapsed_ms": {"type": "integer"},
            "error": NSTR,
            "error_code": {
                "oneOf": [ref("Said"), {"type": "null"}],
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
            "quotes": {"type": "array", "items": STR, "description": "as the reviewers wrote them"},
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
            "id": STR,
            "url": STR,
            "status": {
                "enum": ["running", "complete", "partial"],
                "description": "partial: a section the shopper would miss failed (the page, price, "
                "reviews, or the search for offers or mentions as a whole); one failed blog or shop page "
                "is only listed in sources",
            },
            "generated_at": STR,
            "elapsed_ms": {"type": "integer"},
            "events": {"type": "string", "description": "the SSE stream's path, while running"},
            "product": nullable(ref("Product")),
            "price": nullable(ref("PriceSection")),
            "reviews": nullable(ref("ReviewsSection")),
            "mentions": {
                "type": ["object", "null"],
                "description": "items: [Mention + {sentiment, snippet, sponsored, language, channel "
                "(a video's), replies (a forum thread's, where the page shows it)}], independent ones "
                "first, the shopper's language first among them",
            },
            "verdict": nullable(ref("Verdict")),
            "sources": {"type": "array", "items": ref("Source")},
            "corrections": {
                "type": "array",
                "items": ref("CorrectionOnPage"),
                "description": "every correction of this client for the page's site, with whether it held on "
                "this page; absent when the client has none for the site",
            },
        },
    },
}
