"""A stand-in zmot server that answers every briefing with one fixed, complete briefing.

It lets the popup be checked against every field the v1 briefing may carry (verdict, pros and cons, trust,
mentions) and against hostile text in each of them, whatever the real analyzers produce today. Given a
pairing code it answers 401 without it, as `zmot serve` does; it keeps the headers of every request, so a
test can see what the extension sent (its Authorization, its Origin).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Seen", "StubServer", "rich_briefing"]


def rich_briefing(url: str, hostile: str) -> dict[str, Any]:
    """A complete briefing with every section filled, `hostile` in each free-text field."""
    offer = {
        "seller": "Brightline",
        "price": "249.99",
        "currency": "USD",
        "availability": "in_stock",
        "url": url,
    }
    lowest = {**offer, "seller": "Sound Depot", "price": "219.00", "url": "https://depot.test/p/qp700"}
    points = [
        {"at": f"2026-0{m}-01T00:00:00+00:00", "amount": a, "currency": "USD", "seller": "Brightline"}
        for m, a in ((1, "279.00"), (2, "259.00"), (3, "269.00"), (4, "249.99"))
    ]
    return {
        "id": "stub",
        "url": url,
        "status": "partial",
        "generated_at": "2026-04-01T00:00:00+00:00",
        "elapsed_ms": 1234,
        "product": {"id": "p1", "name": f"QuietPro 700 {hostile}", "brand": "Sonara", "gtin": "842075613316"},
        "price": {
            "current": offer,
            "offers": [offer, lowest],
            "lowest": lowest,
            "history": {"points": points, "low": "249.99", "high": "279.00", "typical": "264.00"},
            "verdict": "good_deal",
            "reason": f"6% below its typical price {hostile}",
        },
        "reviews": {
            "count": 412,
            "rating": 3.9,
            "distribution": {"1": 40, "2": 22, "3": 50, "4": 120, "5": 180},
            "analyzed": 9,
            "sentiment": {"mean": 0.19, "positive": 0.67, "neutral": 0.0, "negative": 0.33},
            "pros": [{"aspect": "noise cancelling", "mentions": 5, "sentiment": 0.8, "quotes": [hostile]}],
            "cons": [
                {
                    "aspect": "durability",
                    "mentions": 2,
                    "sentiment": -0.6,
                    "quotes": ["Stopped after a week."],
                }
            ],
            "trust": {
                "grade": "B",
                "adjusted_rating": 3.7,
                "signals": [
                    {"name": "burst", "severity": "low", "detail": f"many reviews in one week {hostile}"}
                ],
            },
            "highlights": [hostile],
        },
        "mentions": {
            "items": [
                {
                    "title": f"QuietPro 700 review {hostile}",
                    "url": "https://blog.test/quietpro-700",
                    "site": "blog.test",
                    "date": "2026-03-02",
                    "kind": "review",
                    "sentiment": 0.6,
                    "snippet": hostile,
                    "sponsored": True,
                },
                {
                    "title": "A link that is no link",
                    "url": "javascript:alert(1)",
                    "site": "evil.test",
                    "sentiment": -0.4,
                },
            ],
            "sentiment": {"mean": 0.1},
        },
        "verdict": {
            "label": "buy",
            "score": 78,
            "reasons": ["Below its usual price", "Reviews are mostly positive", hostile, "a fourth reason"],
            "summary": f"A good buy at this price {hostile}",
        },
        "sources": [
            {"name": "page", "plugin": "generic", "url": url, "status": "ok", "elapsed_ms": 8, "error": None},
            {
                "name": "forum",
                "plugin": "forum",
                "url": None,
                "status": "timeout",
                "elapsed_ms": 3000,
                "error": f"no answer within 3 s {hostile}",
            },
        ],
    }


@dataclass(frozen=True)
class Seen:
    """One request the stub server received."""

    method: str
    path: str
    headers: dict[str, str]  # names in lower case


class StubServer:
    """Serves POST /v1/briefings (200, complete) on 127.0.0.1 in a thread, with CORS for extensions; with a
    `pairing_code`, only to requests that carry it as `Authorization: Bearer <code>` (401 otherwise)."""

    def __init__(self, briefing: dict[str, Any], *, pairing_code: str | None = None) -> None:
        body = json.dumps(briefing).encode()
        refusal = json.dumps(
            {"error": {"code": "unauthorized", "message": "a valid token is needed"}}
        ).encode()
        self.seen: list[Seen] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def _cors(self) -> None:
                self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin", "*"))
                self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")

            def _keep(self) -> None:
                seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))

            def do_OPTIONS(self) -> None:  # noqa: N802 (the http.server naming)
                self._keep()
                self.send_response(204)
                self._cors()
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self._keep()
                paired = pairing_code is None or self.headers.get("Authorization") == f"Bearer {pairing_code}"
                answer = body if paired else refusal
                self.send_response(200 if paired else 401)
                self._cors()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def posts(self) -> list[Seen]:
        """The briefing requests received so far, oldest first."""
        return [r for r in self.seen if r.method == "POST" and r.path == "/v1/briefings"]

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
