"""The watch API as the extension uses it: each client's own watches and alerts, the rules it sets, a page
the server may not read shown as blocked until the shopper's own briefing of it checks it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from scrapers.types import Product
from server import api
from server.app import create_app
from server.notify import token_id
from server.products import product_id
from server.settings import PAIRING_FILE
from server.watch import drain, owner_of
from server.watcher import PriceWatcher
from tests.pagegen import product_page
from tests.server.conftest import make_settings, read_events
from tests.server.test_notify import Receiver, receiver  # noqa: F401 (the fixture)

ALICE, BOB = "alice-token-1", "bob-token-22"


class Clock:
    """The watcher's time, a day back: the hours the checks step through end before the server's now."""

    def __init__(self) -> None:
        self.now = time.time() - 86400

    def __call__(self) -> float:
        return self.now


def watcher_of(client: TestClient) -> PriceWatcher:
    """A watcher on the app's own store, fetcher and workers, driven by the test's clock."""
    app = client.server.app
    return PriceWatcher(
        app[api.REGISTRY],
        app[api.FETCHER],
        app[api.STORE],
        cpu=app[api.PIPELINE].cpu,
        settings=app[api.SETTINGS],
        clock=Clock(),
    )


async def check_all(watcher: PriceWatcher) -> None:
    """An hour on, the server checks every watch; alerts are sent before this returns."""
    watcher.clock.now += 3600
    for watch in await watcher.store.watches():
        await watcher.check(watch)
    await drain()


@pytest.fixture
async def two_clients(tmp_path, local_web, receiver: Receiver) -> AsyncIterator[TestClient]:  # noqa: F811
    """zmot for Alice and Bob, each with their own alert URL (Bob's keyed by his token's id)."""
    settings = make_settings(
        tmp_path,
        local_web,
        server={"tokens": [ALICE, BOB]},
        notify={
            "timeout_s": 5,
            "tokens": {
                ALICE: {"urls": [receiver.url("json", "/alice")]},
                token_id(BOB): {"urls": [receiver.url("json", "/bob")]},
            },
        },
        watch={"confirm_after_s": 600, "jitter": 0.0},
    )
    client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


def as_(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_two_clients_see_and_manage_only_their_own_watches_and_alerts(
    two_clients: TestClient,
    local_web,
    receiver: Receiver,  # noqa: F811
):
    client = two_clients
    local_web.add_page("two-clients.test", "/p/kettle", product_page(gtin="8001234513101", price="39.90"))
    url = local_web.url("two-clients.test", "/p/kettle")
    pid = product_id(Product(gtin="8001234513101"), url)
    alice = {"product_id": pid, "url": url, "name": "Kettle", "notify_on": ["drop"]}
    bob = {"product_id": pid, "url": url, "notify_on": ["back_in_stock"], "locale": "fr"}
    assert (await client.post("/v1/watch", json=alice, headers=as_(ALICE))).status == 201
    assert (await client.post("/v1/watch", json=bob, headers=as_(BOB))).status == 201  # a watch of his own

    async def watches(token: str) -> list[dict[str, Any]]:
        return (await (await client.get("/v1/watch", headers=as_(token))).json())["watches"]

    assert [w["notify_on"] for w in await watches(ALICE)] == [["drop"]]
    assert [(w["notify_on"], w["locale"]) for w in await watches(BOB)] == [(["back_in_stock"], "fr")]
    assert (await client.delete(f"/v1/watch/{pid}", headers=as_(BOB))).status == 204
    assert (await client.delete(f"/v1/watch/{pid}", headers=as_(BOB))).status == 404
    assert len(await watches(ALICE)) == 1 and await watches(BOB) == []
    assert (await client.post("/v1/watch", json=bob, headers=as_(BOB))).status == 201

    watcher = watcher_of(client)
    await check_all(watcher)
    local_web.add_page("two-clients.test", "/p/kettle", product_page(gtin="8001234513101", price="34.90"))
    await check_all(watcher)
    await check_all(watcher)

    assert [path for path, _ in receiver.got] == ["/alice"]  # Bob asked for restocks only
    (shown,) = await watches(ALICE)
    assert shown["last_price"]["amount"] == "34.90" and shown["status"] == "ok"
    answer = await (await client.get("/v1/alerts", params={"since": "0"}, headers=as_(ALICE))).json()
    (alert,) = answer["alerts"]
    assert (alert["rule"], alert["old_price"], alert["new_price"], alert["name"]) == (
        "drop",
        "39.90",
        "34.90",
        "Kettle",
    )
    assert alert["title"] == "Price drop: Kettle" and alert["body"] == receiver.got[0][1]["message"]
    assert (await (await client.get("/v1/alerts", headers=as_(BOB))).json())["alerts"] == []
    later = await client.get("/v1/alerts", params={"since": str(answer["now"])}, headers=as_(ALICE))
    assert (await later.json())["alerts"] == []


async def test_a_blocked_page_is_checked_by_the_shoppers_own_briefing(client: TestClient, local_web):
    url = local_web.url("faults.test", "/status/403")
    pid = product_id(Product(gtin="8001234513102"), url)
    assert (await client.post("/v1/watch", json={"product_id": pid, "url": url})).status == 201
    (watch,) = (await (await client.get("/v1/watch")).json())["watches"]
    assert watch["status"] == "pending" and watch["last_price"] is None

    watcher = watcher_of(client)
    await check_all(watcher)
    (watch,) = (await (await client.get("/v1/watch")).json())["watches"]
    assert (watch["status"], watch["last_error"]) == ("blocked", "the site refused zmot (HTTP 403)")

    html = product_page(gtin="8001234513102", price="24.90")  # what the shopper's browser shows
    started = await (await client.post("/v1/briefings", json={"url": url, "html": html})).json()
    await read_events(await client.get(f"/v1/briefings/{started['id']}/events"))
    (watch,) = (await (await client.get("/v1/watch")).json())["watches"]
    assert (watch["status"], watch["last_error"], watch["last_price"]["amount"]) == ("ok", None, "24.90")
    assert watch["availability"] == "in_stock" and watch["failures"] == 0

    await check_all(watcher)  # the server is still refused; the shopper opens the page again
    assert (await (await client.get("/v1/watch")).json())["watches"][0]["status"] == "blocked"
    again = await client.post("/v1/briefings", json={"url": url, "html": html})
    assert again.status == 200  # the same page showing the same facts: the stored briefing
    (watch,) = (await (await client.get("/v1/watch")).json())["watches"]
    assert (watch["status"], watch["last_error"]) == ("ok", None)


async def test_rules_are_set_when_watching_again_and_changed_with_patch(client: TestClient):
    target = {"product_id": "0123456789abcdef", "url": "https://shop.example/p/1"}
    made = await client.post("/v1/watch", json={**target, "name": "Lume 2", "target_price": 99})
    assert made.status == 201
    watch = await made.json()
    assert (watch["name"], watch["target_price"], watch["notify_on"]) == (
        "Lume 2",
        "99",
        ["drop", "back_in_stock"],
    )
    again = await client.post("/v1/watch", json={**target, "notify_on": ["below", "lowest"], "locale": "it"})
    assert again.status == 200
    watch = await again.json()
    assert (watch["target_price"], watch["notify_on"], watch["locale"]) == ("99", ["below", "lowest"], "it")

    path = "/v1/watch/0123456789abcdef"
    changed = await client.patch(path, params={"url": target["url"]}, json={"target_price": "89.50"})
    assert changed.status == 200 and (await changed.json())["target_price"] == "89.50"
    refused = await client.patch(path, json={"target_price": None})  # "below" would have no price
    assert refused.status == 400 and (await refused.json())["error"]["code"] == "target_price_required"
    freed = await client.patch(path, json={"target_price": None, "notify_on": ["drop"]})
    assert (await freed.json())["target_price"] is None
    assert (await client.patch("/v1/watch/fedcba9876543210", json={"notify_on": []})).status == 404
    other_page = await client.patch(path, params={"url": "https://shop.example/p/2"}, json={})
    assert other_page.status == 404


@pytest.mark.parametrize(
    ("rules", "code"),
    [
        ({"target_price": "abc"}, "invalid_target_price"),
        ({"target_price": -5}, "invalid_target_price"),
        ({"target_price": True}, "invalid_target_price"),
        ({"notify_on": ["sometimes"]}, "invalid_notify_on"),
        ({"notify_on": "drop"}, "invalid_notify_on"),
        ({"notify_on": ["below"]}, "target_price_required"),
        ({"locale": 12}, "invalid_locale"),
        ({"name": 5}, "invalid_name"),
    ],
)
async def test_bad_rules_are_refused_and_nothing_is_watched(client: TestClient, rules, code):
    body = {"product_id": "0123456789abcdef", "url": "https://shop.example/p/1", **rules}
    response = await client.post("/v1/watch", json=body)
    assert response.status == 400 and (await response.json())["error"]["code"] == code
    assert (await (await client.get("/v1/watch")).json())["watches"] == []


async def test_alerts_since_must_be_a_time(client: TestClient):
    response = await client.get("/v1/alerts", params={"since": "yesterday"})
    assert response.status == 400 and (await response.json())["error"]["code"] == "invalid_since"
    assert (await (await client.get("/v1/alerts")).json())["alerts"] == []


def test_the_pairing_code_is_one_client_and_each_configured_token_its_own(tmp_path):
    paired = make_settings(tmp_path, server={"tokens": ["the-pairing-code"]})
    (paired.store.sqlite_path().parent / PAIRING_FILE).write_text("the-pairing-code\n")
    assert owner_of(paired, "Bearer the-pairing-code") == ""  # watches outlive a new pairing code
    tokens = make_settings(tmp_path, server={"tokens": [ALICE, BOB]})
    assert owner_of(tokens, f"Bearer {ALICE}") == token_id(ALICE) != owner_of(tokens, f"Bearer {BOB}")
    assert owner_of(make_settings(tmp_path), None) == ""  # no tokens: one client
