"""The corrections API as the extension uses it, on a served zmot: a shop whose markup carries the wrong
price (the open-box unit's), the shopper points at the shown one, and the shop's next page is read right;
undo brings the automatic price back, a layout change makes the correction stale, and each client's
corrections are their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.scrapers.test_corrections import OPEN_BOX_PAGE
from tests.server.conftest import read_events

ALICE, BOB = "alice-token-1", "bob-token-22"
PICKED = "#offer-new .amount"  # what the picker builds for the shown price: an id, then a stable class


def page(sku: str, new: str, open_box: str, *, layout: str = "offer-new") -> str:
    html = OPEN_BOX_PAGE.format(name=f"Brava {sku}", sku=sku, new=new, open_box=open_box, stock="In stock")
    return html.replace('id="offer-new"', f'id="{layout}"')


def as_(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


async def brief(client: TestClient, url: str, html: str, token: str | None = None) -> dict[str, Any]:
    """The finished briefing of a page the shopper's browser shows."""
    response = await client.post("/v1/briefings", json={"url": url, "html": html}, headers=as_(token))
    started = await response.json()
    if response.status == 200:
        return started
    assert response.status == 202, started
    events = await read_events(await client.get(f"/v1/briefings/{started['id']}/events", headers=as_(token)))
    return events[-1][1]


async def correct(client: TestClient, body: dict[str, Any], token: str | None = None):
    return await client.post("/v1/corrections", json=body, headers=as_(token))


@pytest.fixture
async def client(api_client) -> AsyncIterator[TestClient]:
    async with api_client(privacy={"beyond": False}) as running:  # the page alone: nothing else fetched
        yield running


@pytest.fixture
async def two_clients(api_client) -> AsyncIterator[TestClient]:
    async with api_client(privacy={"beyond": False}, server={"tokens": [ALICE, BOB]}) as running:
        yield running


def shown(briefing: dict[str, Any]) -> tuple[str, str | None]:
    price = briefing["price"]
    return price["current"]["price"], price.get("source")


@pytest.mark.slow
async def test_the_shopper_points_at_the_right_price_and_the_shops_next_page_is_read_right(client, local_web):
    kettle, toaster = (
        local_web.url("cornershop.test", "/p/kettle"),
        local_web.url("cornershop.test", "/p/toaster"),
    )
    kettle_html, toaster_html = page("BK-1", "99,00", "79.00"), page("BT-2", "149,50", "119.00")
    first = await brief(client, kettle, kettle_html)
    assert shown(first) == ("79.00", "jsonld")  # the open-box unit's price, taken for the new one
    assert "corrections" not in first

    answer = await correct(client, {"url": kettle, "field": "price", "selector": PICKED, "value": "€ 99,00"})
    assert answer.status == 201
    made = (await answer.json())["correction"]
    assert (made["site"], made["field"], made["selector"], made["value"]) == (
        "cornershop.test",
        "price",
        PICKED,
        "€ 99,00",
    )
    assert made["created_at"].endswith("Z")

    again = await brief(client, kettle, kettle_html)  # the same bytes again: not the stored briefing
    assert shown(again) == ("99.00", "correction")
    # The 79.00 read before the correction was the open-box unit's: not part of the history judged by.
    assert [p["amount"] for p in first["price"]["history"]["points"]] == ["79.00"]
    assert [p["amount"] for p in again["price"]["history"]["points"]] == ["99.00"]
    second = await brief(client, toaster, toaster_html)
    assert shown(second) == ("149.50", "correction")
    assert second["corrections"] == [
        {"id": made["id"], "field": "price", "selector": PICKED, "status": "applied", "value": "€ 99,00"}
    ]
    listed = await (await client.get("/v1/corrections", params={"site": "www.cornershop.test"})).json()
    assert [c["id"] for c in listed["corrections"]] == [made["id"]]

    assert (await client.delete(f"/v1/corrections/{made['id']}")).status == 204  # undo
    assert (await client.delete(f"/v1/corrections/{made['id']}")).status == 404
    undone = await brief(client, toaster, toaster_html)
    assert shown(undone) == ("119.00", "jsonld")
    assert "corrections" not in undone


@pytest.mark.slow
async def test_a_correction_the_shops_new_layout_no_longer_matches_is_reported_stale(client, local_web):
    url = local_web.url("cornershop.test", "/p/grinder")
    body = {"url": url, "field": "price", "selector": PICKED, "value": "€ 59,00"}
    made = (await (await correct(client, body)).json())["correction"]
    relaid = await brief(client, url, page("BG-3", "59,00", "45.00", layout="offer-main"))
    assert shown(relaid) == ("45.00", "jsonld")  # the automatic price stands
    assert [(c["id"], c["status"]) for c in relaid["corrections"]] == [(made["id"], "stale")]


@pytest.mark.slow
async def test_each_client_has_its_own_corrections(two_clients, local_web):
    client = two_clients
    url = local_web.url("cornershop.test", "/p/mixer")
    html = page("BM-4", "249,00", "199.00")
    body = {"url": url, "field": "price", "selector": PICKED}
    made = (await (await correct(client, body, ALICE)).json())["correction"]

    assert (await (await client.get("/v1/corrections", headers=as_(BOB))).json())["corrections"] == []
    assert (await client.delete(f"/v1/corrections/{made['id']}", headers=as_(BOB))).status == 404
    assert shown(await brief(client, url, html, ALICE)) == ("249.00", "correction")
    bobs = await brief(client, url, html, BOB)  # the very same bytes, from another client
    assert shown(bobs) == ("199.00", "jsonld") and "corrections" not in bobs
    mine = (await (await client.get("/v1/corrections", headers=as_(ALICE))).json())["corrections"]
    assert [c["id"] for c in mine] == [made["id"]]


async def test_picking_a_field_again_replaces_its_correction(client):
    url = "https://www.cornershop.test/p/kettle"
    first = (await (await correct(client, {"url": url, "field": "price", "selector": "#a"})).json())[
        "correction"
    ]
    other = {"url": "https://cornershop.test/p/x", "field": "reviews", "selector": "#reviews"}
    reviews = (await (await correct(client, other)).json())["correction"]
    answer = await correct(client, {"url": url, "field": "price", "selector": "#b .amount"})
    assert answer.status == 201
    second = (await answer.json())["correction"]
    assert second["id"] != first["id"]
    listed = (await (await client.get("/v1/corrections")).json())["corrections"]
    assert [(c["id"], c["selector"]) for c in listed] == [
        (second["id"], "#b .amount"),
        (reviews["id"], "#reviews"),
    ]
    assert (await (await client.get("/v1/corrections", params={"site": "other.test"})).json()) == {
        "corrections": []
    }


GOOD = {"url": "https://shop.test/p/1", "field": "price", "selector": "#price"}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({**GOOD, "url": "ftp://shop.test/p/1"}, "bad_url"),
        ({**GOOD, "url": "javascript:alert(1)"}, "bad_url"),
        ({**GOOD, "url": ""}, "bad_url"),
        ({k: v for k, v in GOOD.items() if k != "url"}, "bad_url"),
        ({**GOOD, "field": "name"}, "bad_field"),
        ({**GOOD, "field": None}, "bad_field"),
        ({**GOOD, "selector": "div[["}, "bad_selector"),
        ({**GOOD, "selector": "   "}, "bad_selector"),
        ({**GOOD, "selector": "p:contains('€ 19,90')"}, "bad_selector"),
        ({**GOOD, "selector": "#p" + "x" * 1000}, "bad_selector"),
        ({**GOOD, "selector": 7}, "bad_selector"),
        ({**GOOD, "value": "9" * 2001}, "bad_request"),
        ({**GOOD, "value": 19.9}, "bad_request"),
        ([GOOD], "bad_request"),
    ],
)
async def test_bad_input_is_a_400_that_says_which_part(client, body, code):
    answer = await client.post("/v1/corrections", json=body)
    assert answer.status == 400
    assert (await answer.json())["error"]["code"] == code
    assert (await (await client.get("/v1/corrections")).json())["corrections"] == []


async def test_unknown_corrections_and_sites_are_refused_plainly(client):
    assert (await client.delete("/v1/corrections/no-such-id")).status == 404
    answer = await client.get("/v1/corrections", params={"site": "http://"})
    assert answer.status == 400 and (await answer.json())["error"]["code"] == "bad_url"
