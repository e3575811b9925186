"""End to end: `zmot serve` as its own process, a page posted to it, the SSE stream followed to `done`."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.pagegen import REVIEW_TEXTS, product_page
from tests.tools import require_program, serving

pytestmark = pytest.mark.slow


@pytest.fixture
def zmot_server(tmp_path):
    config = f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n'
    with serving([require_program("zmot")], config, tmp_path) as base:
        yield base


def sse_events(response) -> list[tuple[str, dict]]:
    events, event, data = [], "message", []
    for raw in response:
        line = raw.decode().rstrip("\n")
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif not line and data:
            events.append((event, json.loads("".join(data))))
            if event == "done":
                break
            event, data = "message", []
    return events


def test_serve_answers_a_posted_page_with_a_streamed_briefing(zmot_server):
    body = json.dumps({"url": "https://shop.example/p/kettle", "html": product_page()}).encode()
    request = urllib.request.Request(
        f"{zmot_server}/v1/briefings", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202
        started = json.load(response)
    with urllib.request.urlopen(f"{zmot_server}{started['events']}", timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        events = sse_events(stream)
    kind, briefing = events[-1]
    assert kind == "done" and briefing["status"] == "complete"
    assert briefing["product"]["name"] == "Brava Steel Kettle 1.7 L"
    assert (briefing["price"]["current"]["price"], briefing["price"]["current"]["currency"]) == (
        "39.90",
        "EUR",
    )
    sentiment = briefing["reviews"]["sentiment"]
    assert briefing["reviews"]["analyzed"] == 10
    assert sentiment["positive"] > 0.5 and sentiment["negative"] > 0
    # Both sides are quoted: a sentence of a low-star review and one of a five-star review.
    quotes = briefing["reviews"]["highlights"]
    assert any(q in text for q in quotes for stars, text in REVIEW_TEXTS if stars <= 2)
    assert any(q in text for q in quotes for stars, text in REVIEW_TEXTS if stars == 5)
