"""End to end: `zmot serve` as its own process, a page posted to it, the SSE stream followed to `done`."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest
from aiohttp import web

from server.app import create_app
from server.serving import _serve_until_stopped
from server.settings import Settings
from tests.pagegen import REVIEW_TEXTS, product_page
from tests.server.conftest import make_settings
from tests.tools import free_port, require_program, serving

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


def post_json(base: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


def brief_on(base: str, n: int) -> dict:
    """POST product n to `base` and follow it to `done`."""
    html = product_page(name=f"Shared Kettle {n}", gtin=str(8000000000100 + n))
    status, started = post_json(base, "/v1/briefings", {"url": f"https://shop.example/p/{n}", "html": html})
    assert status == 202
    with urllib.request.urlopen(f"{base}{started['events']}", timeout=20) as stream:
        kind, briefing = sse_events(stream)[-1]
    assert kind == "done"
    return briefing


def test_two_servers_on_one_store_file_both_keep_working(tmp_path):
    config = f'[store]\npath = "{tmp_path / "shared.sqlite3"}"\n'
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    zmot = require_program("zmot")
    with serving([zmot], config, tmp_path / "a") as first, serving([zmot], config, tmp_path / "b") as second:
        servers = (first, second)
        # Both write at once: briefings, price observations, the fetch cache.
        with ThreadPoolExecutor(max_workers=8) as pool:
            briefings = list(pool.map(lambda n: brief_on(servers[n % 2], n), range(24)))
        assert {b["status"] for b in briefings} == {"complete"}
        for n, briefing in enumerate(briefings):
            other = servers[(n + 1) % 2]  # the server that did not make it reads it from the file
            with urllib.request.urlopen(f"{other}/v1/briefings/{briefing['id']}", timeout=10) as response:
                assert json.load(response)["product"]["name"] == f"Shared Kettle {n}"
            prices = f"{other}/v1/products/{briefing['product']['id']}/prices"
            with urllib.request.urlopen(prices, timeout=10) as response:
                assert len(json.load(response)["points"]) == 1
        # The page briefed by the first server is answered from the store by the second.
        html = product_page(name="Shared Kettle 0", gtin="8000000000100")
        status, again = post_json(second, "/v1/briefings", {"url": "https://shop.example/p/0", "html": html})
        assert (status, again["id"]) == (200, briefings[0]["id"])


async def test_a_starting_server_answers_healthz_at_once_and_briefings_once_the_app_is_there(tmp_path):
    settings = make_settings(tmp_path, server={"port": free_port()})
    app_imported, stop, listening = asyncio.Event(), asyncio.Event(), asyncio.Event()
    ports: list[int] = []

    async def load_app(settings: Settings) -> web.AppRunner:
        await app_imported.wait()  # the analysis, the plugins and their parsers are still being imported
        runner = web.AppRunner(create_app(settings))
        await runner.setup()
        return runner

    def ready(port: int) -> None:
        ports.append(port)
        listening.set()

    server = asyncio.create_task(_serve_until_stopped(settings, ready, stop=stop, load_app=load_app))
    await asyncio.wait_for(listening.wait(), 30)
    base = f"http://127.0.0.1:{ports[0]}"
    page = {"url": "https://shop.example/p/kettle", "html": product_page()}
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/healthz") as response:
                assert (response.status, (await response.json())["workers"]) == (200, "starting")
            async with session.post(f"{base}/v1/briefings", json=page) as response:
                assert (response.status, response.headers["Retry-After"]) == (503, "1")
                assert (await response.json())["error"]["code"] == "starting"
            # A page whose own name was made to resolve here (DNS rebinding) is not answered meanwhile either.
            async with session.get(f"{base}/healthz", headers={"Host": "attacker.example"}) as response:
                assert response.status == 421
            app_imported.set()
            for _ in range(1200):
                async with session.get(f"{base}/healthz") as response:
                    if (await response.json())["workers"] == "ready":
                        break
                await asyncio.sleep(0.05)
            async with session.post(f"{base}/v1/briefings", json=page) as response:
                assert response.status in (200, 202)
                assert (await response.json())["product"]["name"] == "Brava Steel Kettle 1.7 L"
    finally:
        stop.set()
        await asyncio.wait_for(server, 60)
