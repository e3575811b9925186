"""The HTTP API as a client sees it: a real server on a loopback port, the local web behind it."""

from __future__ import annotations

import json

import jsonschema
import pytest
from openapi_spec_validator import validate

from server.guards import CHROME_EXTENSION_ORIGIN
from server.openapi import openapi_document
from tests.pagegen import product_page
from tests.server.conftest import read_events

PAGE_URL = "https://shop.example/p/brava-kettle"


async def post_page(client, html: str | None = None, url: str = PAGE_URL, **extra):
    body = {"url": url, **extra}
    if html is not None:
        body["html"] = html
    return await client.post("/v1/briefings", json=body)


async def brief(client, html: str | None = None, url: str = PAGE_URL) -> dict:
    """POST a page and follow its events to the end; returns the final briefing."""
    response = await post_page(client, html, url)
    assert response.status in (200, 202), await response.text()
    started = await response.json()
    if response.status == 200:
        return started
    events = await read_events(await client.get(started["events"]))
    assert events[-1][0] == "done"
    return events[-1][1]


def schema_of(name: str) -> dict:
    doc = openapi_document()
    return {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}


async def test_posting_a_page_starts_a_briefing_and_streams_its_sections(client):
    response = await post_page(client, product_page())
    assert response.status == 202
    started = await response.json()
    assert started["status"] == "running"
    assert started["events"] == f"/v1/briefings/{started['id']}/events"
    assert started["product"]["name"] == "Brava Steel Kettle 1.7 L"  # known at once

    events = await read_events(await client.get(started["events"]))
    sections = [data["section"] for event, data in events if event == "section"]
    assert {"product", "price", "reviews", "mentions", "sources"} <= set(sections)
    kind, briefing = events[-1]
    assert kind == "done"
    assert briefing["status"] == "complete"
    assert briefing["price"]["current"]["price"] == "39.90"
    assert briefing["price"]["current"]["currency"] == "EUR"
    reviews = briefing["reviews"]
    assert (reviews["rating"], reviews["count"], reviews["analyzed"]) == (4.1, 212, 10)
    assert reviews["sentiment"]["positive"] > reviews["sentiment"]["negative"] > 0
    assert reviews["trust"]["grade"] in "ABCDF" and reviews["pros"] and reviews["cons"]
    # the verdict comes once price and reviews are in, before the closing sources
    assert sections.index("verdict") < sections.index("sources")
    assert briefing["verdict"]["label"] in {"buy", "consider", "wait", "avoid"}
    assert 0 <= briefing["verdict"]["score"] <= 100 and 1 <= len(briefing["verdict"]["reasons"]) <= 3
    jsonschema.validate(briefing, schema_of("Briefing"))


async def test_sources_say_what_ran_and_how_long_it_took(client):
    briefing = await brief(client, product_page())
    by_name = {s["name"]: s for s in briefing["sources"]}
    assert by_name["page"]["status"] == "ok" and by_name["page"]["plugin"] == "generic"
    assert by_name["reviews"]["status"] == "ok"
    assert by_name["mentions"]["status"] == "skipped"
    assert "search provider" in by_name["mentions"]["error"]
    assert all(isinstance(s["elapsed_ms"], int) for s in briefing["sources"])


async def test_same_page_within_its_ttl_comes_from_the_store(client):
    # Another shop's page of the same product is briefed on its own: tests/server/test_page_briefings.py.
    first = await brief(client, product_page())
    response = await post_page(client, product_page())
    assert response.status == 200
    again = await response.json()
    assert again["id"] == first["id"] and again["status"] == "complete"


async def test_briefing_can_be_read_by_id_after_it_is_done(client):
    briefing = await brief(client, product_page())
    response = await client.get(f"/v1/briefings/{briefing['id']}")
    assert response.status == 200
    assert (await response.json())["reviews"]["analyzed"] == 10


async def test_late_follower_gets_every_section_then_done(client):
    briefing = await brief(client, product_page())
    events = await read_events(await client.get(f"/v1/briefings/{briefing['id']}/events"))
    assert events[-1] == ("done", briefing)
    assert [d["section"] for e, d in events if e == "section"][0] == "product"


async def test_unknown_briefing_is_a_json_404(client):
    for path in ("/v1/briefings/nope", "/v1/briefings/nope/events", "/v1/products/nope/prices"):
        response = await client.get(path)
        assert response.status == 404
        assert (await response.json())["error"]["code"] == "not_found"


async def test_prices_seen_are_kept_per_product(client):
    briefing = await brief(client, product_page())
    response = await client.get(f"/v1/products/{briefing['product']['id']}/prices")
    assert response.status == 200
    points = (await response.json())["points"]
    assert [(p["amount"], p["currency"], p["seller"]) for p in points] == [("39.90", "EUR", "Kitchen Corner")]


async def test_page_that_is_not_a_product_gives_a_clear_complete_briefing(client):
    html = "<html><head><title>Blog</title></head><body><p>Hello</p></body></html>"
    briefing = await brief(client, html, url="https://blog.example/post")
    assert briefing["status"] == "complete"
    assert briefing["product"] is None
    skipped = {s["name"]: s["error"] for s in briefing["sources"] if s["status"] == "skipped"}
    assert "product page" in skipped["reviews"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"not json", 400, "invalid_json"),
        (b"[1, 2]", 400, "invalid_json"),
        (json.dumps({"html": "<p>"}).encode(), 400, "invalid_url"),
        (json.dumps({"url": "not a url"}).encode(), 400, "invalid_url"),
        (json.dumps({"url": "ftp://shop.example/p"}).encode(), 400, "invalid_url"),
        (json.dumps({"url": "javascript:alert(1)"}).encode(), 400, "invalid_url"),
        (json.dumps({"url": "http://127.0.0.1:8750/"}).encode(), 400, "address_blocked"),
        (json.dumps({"url": "http://localhost/admin"}).encode(), 400, "address_blocked"),
        (json.dumps({"url": "http://192.168.1.1/"}).encode(), 400, "address_blocked"),
        (json.dumps({"url": "http://169.254.169.254/latest/meta-data"}).encode(), 400, "address_blocked"),
        (json.dumps({"url": PAGE_URL, "html": 42}).encode(), 400, "invalid_html"),
        (json.dumps({"url": PAGE_URL, "html": "x" * (5 * 1024 * 1024 + 1)}).encode(), 413, "body_too_large"),
        (b'{"url": "' + b"a" * (6 * 1024 * 1024) + b'"}', 413, "body_too_large"),
    ],
)
async def test_bad_input_gets_a_clear_json_error(client, body, status, code):
    response = await client.post("/v1/briefings", data=body, headers={"Content-Type": "application/json"})
    assert response.status == status
    error = (await response.json())["error"]
    assert error["code"] == code and error["message"]


async def test_server_keeps_serving_after_bad_input(client):
    await client.post("/v1/briefings", data=b"{", headers={"Content-Type": "application/json"})
    assert (await client.get("/healthz")).status == 200


async def test_tokens_guard_the_api_but_not_health(api_client):
    async with api_client(server={"tokens": ["s3cret"]}) as client:
        assert (await post_page(client, product_page())).status == 401
        wrong = await client.post(
            "/v1/briefings", json={"url": PAGE_URL}, headers={"Authorization": "Bearer no"}
        )
        assert wrong.status == 401 and (await wrong.json())["error"]["code"] == "unauthorized"
        assert (await client.get("/metrics")).status == 401
        assert (await client.get("/healthz")).status == 200
        ok = await client.post(
            "/v1/briefings",
            json={"url": PAGE_URL, "html": product_page()},
            headers={"Authorization": "Bearer s3cret"},
        )
        assert ok.status == 202


async def test_cors_answers_zmots_extension_and_configured_origins_only(api_client):
    async with api_client(server={"cors_origins": ["https://dash.example"]}) as client:
        for origin in (CHROME_EXTENSION_ORIGIN, "https://dash.example"):
            pre = await client.options(
                "/v1/briefings",
                headers={
                    "Origin": origin,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization,content-type",
                },
            )
            assert pre.status == 204
            assert pre.headers["Access-Control-Allow-Origin"] == origin
            assert "Authorization" in pre.headers["Access-Control-Allow-Headers"]
        for origin in ("https://evil.example", "chrome-extension://abcdefgh", "moz-extension://1234-5678"):
            evil = await client.options(
                "/v1/briefings", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
            )
            assert evil.status == 403 and "Access-Control-Allow-Origin" not in evil.headers
            plain = await client.get("/healthz", headers={"Origin": origin})
            assert plain.status == 403 and "Access-Control-Allow-Origin" not in plain.headers
            assert (await plain.json())["error"]["code"] == "origin_not_allowed"
        ext = await client.get("/healthz", headers={"Origin": CHROME_EXTENSION_ORIGIN})
        assert ext.headers["Access-Control-Allow-Origin"] == CHROME_EXTENSION_ORIGIN


async def test_extension_can_read_the_event_stream(client):
    started = await (await post_page(client, product_page())).json()
    stream = await client.get(started["events"], headers={"Origin": CHROME_EXTENSION_ORIGIN})
    assert stream.headers["Access-Control-Allow-Origin"] == CHROME_EXTENSION_ORIGIN
    assert (await read_events(stream))[-1][0] == "done"


async def test_a_text_plain_body_is_refused_as_not_json(client):
    body = json.dumps({"url": PAGE_URL}).encode()
    response = await client.post("/v1/briefings", data=body, headers={"Content-Type": "text/plain"})
    assert response.status == 415
    assert (await response.json())["error"]["code"] == "unsupported_media_type"


async def test_metrics_count_requests_and_briefings(client):
    await brief(client, product_page())
    text = await (await client.get("/metrics")).text()
    assert 'zmot_http_requests_total{method="POST",route="/v1/briefings",status="202"} 1.0' in text
    assert 'zmot_briefings_total{status="complete"} 1.0' in text
    assert "zmot_briefing_seconds_bucket" in text


async def test_openapi_document_is_valid_and_matches_the_routes(client):
    response = await client.get("/openapi.json")
    doc = await response.json()
    validate(doc)
    documented = {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}
    served = {
        (route.method, route.resource.canonical)
        for route in client.server.app.router.routes()
        if route.method not in {"HEAD", "OPTIONS"}
    }
    assert documented == served


async def test_openapi_documents_the_refusals_the_server_gives(client):
    doc = await (await client.get("/openapi.json")).json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            expected = {"403", "421"} | ({"408", "413", "415"} if "requestBody" in operation else set())
            assert expected <= set(operation["responses"]), (method, path)
    refusals = {
        "403": await client.get("/healthz", headers={"Origin": "https://evil.example"}),
        "421": await client.get("/healthz", headers={"Host": "evil.example"}),
        "415": await client.post("/v1/briefings", data=b"{}", headers={"Content-Type": "text/plain"}),
    }
    for status, response in refusals.items():
        assert response.status == int(status)
        jsonschema.validate(await response.json(), schema_of("Error"))


async def test_page_fetched_by_the_server_when_no_html_is_sent(client, local_web):
    local_web.add_page("kettles.test", "/p/brava", product_page(price="35.00"))
    briefing = await brief(client, url=local_web.url("kettles.test", "/p/brava"))
    assert briefing["status"] == "complete"
    assert briefing["price"]["current"]["price"] == "35.00"


async def test_hung_shop_makes_a_partial_briefing_not_an_error(api_client, local_web):
    async with api_client(briefing={"deadline_s": 1.0}) as client:
        briefing = await brief(client, url=local_web.url("faults.test", "/hang"))
    assert briefing["status"] == "partial"
    page = next(s for s in briefing["sources"] if s["name"] == "page")
    assert page["status"] == "timeout"


async def test_shop_behind_a_private_redirect_is_marked_blocked(client, local_web):
    briefing = await brief(client, url=local_web.url("public.test", "/to-loopback"))
    assert briefing["status"] == "partial"
    page = next(s for s in briefing["sources"] if s["name"] == "page")
    assert page["status"] == "blocked" and "127.0.0.1" in page["error"]


async def test_healthz_says_the_workers_are_ready_as_documented(client):
    doc = await (await client.get("/openapi.json")).json()
    schema = doc["paths"]["/healthz"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    health = await (await client.get("/healthz")).json()
    jsonschema.validate(health, schema)
    assert health["workers"] == "ready"  # the fixture waits for them, as a shopper's first briefing would
