"""The self-hoster's page as the server serves it: files that hold no data under a strict policy, the
page's own origin let in with the pairing code only, and the list of the last briefings it shows."""

from __future__ import annotations

import re

import pytest

from server.site.recent import RecentBriefings
from tests.pagegen import product_page
from tests.server.conftest import make_settings, read_events
from tests.tools import raw_request, serving_in_thread

CODE = "site-pairing-code-42"
AUTH = ("Authorization", f"Bearer {CODE}")
JSON = ("Content-Type", "application/json")
PAGES = ["/", "/briefings/0123abcd", "/site/home.js", "/site/briefing.js", "/site/zmot.css"]


@pytest.fixture
def paired(tmp_path, local_web):
    """zmot served as `zmot serve` serves it, paired with CODE; yields the port."""
    with serving_in_thread(make_settings(tmp_path, local_web, server={"tokens": [CODE]})) as port:
        yield port


def test_the_page_loads_without_the_code_and_holds_no_data(paired):
    for path in PAGES:
        page = raw_request(paired, "GET", path)
        assert page.status == 200, path
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert page.headers["x-content-type-options"] == "nosniff"
    home = raw_request(paired, "GET", "/").body.decode()
    # Scripts only from files: no inline script or handler the policy would have to allow.
    assert re.findall(r"<script[^>]*>", home) == ['<script type="module" src="/site/home.js">']
    assert not re.search(r"\son[a-z]+=", home)
    # A browser fetches the page's module scripts with the page's Origin: still no code needed for them.
    own = ("Origin", f"http://127.0.0.1:{paired}")
    assert raw_request(paired, "GET", "/site/home.js", headers=[own]).status == 200
    assert raw_request(paired, "GET", "/v1/watch", headers=[own]).status == 401
    assert (
        raw_request(paired, "GET", "/site/home.js", headers=[("Origin", "https://evil.example")]).status
        == 403
    )
    # What it shows comes from the API, which still wants the code.
    assert raw_request(paired, "GET", "/v1/watch").status == 401
    assert raw_request(paired, "GET", "/v1/briefings").status == 401


@pytest.mark.parametrize("path", ["/site/index.html", "/site/..%2F..%2Fpyproject.toml", "/site/%2e%2e"])
def test_only_the_pages_own_files_are_served(paired, path):
    response = raw_request(paired, "GET", path)
    # 404 for a name that is not one of them; a path that leaves /site/ needs the code like the API.
    assert response.status in {401, 404} and b"hatchling" not in response.body


def test_a_wrong_code_shown_to_the_page_is_refused(paired):
    for path in PAGES:
        wrong = raw_request(paired, "GET", path, headers=[("Authorization", "Bearer guess")])
        assert wrong.status == 401, path


def test_the_servers_own_origin_is_let_in_with_the_code_only(paired):
    own = ("Origin", f"http://127.0.0.1:{paired}")
    listed = raw_request(paired, "GET", "/v1/watch", headers=[own, AUTH])
    assert listed.status == 200 and listed.json() == {"watches": []}
    # The notification test, the page's one POST (a browser sends Origin with it): it reaches the handler.
    tested = raw_request(paired, "POST", "/v1/notify/test", headers=[own, AUTH, JSON], body=b"{}")
    assert (tested.status, tested.json()["error"]["code"]) == (409, "notify_not_configured")
    without = raw_request(paired, "POST", "/v1/notify/test", headers=[own, JSON], body=b"{}")
    assert (without.status, without.json()["error"]["code"]) == (401, "unauthorized")
    # The same name behind another scheme's proxy is this server too.
    assert (
        raw_request(
            paired, "GET", "/v1/watch", headers=[("Origin", f"https://127.0.0.1:{paired}"), AUTH]
        ).status
        == 200
    )


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:{other}",  # another server on this machine
        "http://127.0.0.1",
        "http://localhost:{port}",  # another name than the one the request was sent to
        "http://127.0.0.1:{port}.evil.example",
        "https://evil.example",
        "ftp://127.0.0.1:{port}",
    ],
)
def test_every_other_web_origin_is_still_refused_with_the_code(paired, origin):
    shown = origin.format(port=paired, other=paired + 1)
    for method, path, body in (("GET", "/v1/watch", b""), ("POST", "/v1/notify/test", b"{}")):
        response = raw_request(paired, method, path, headers=[("Origin", shown), AUTH, JSON], body=body)
        assert (response.status, response.json()["error"]["code"]) == (403, "origin_not_allowed"), shown
        assert "access-control-allow-origin" not in response.headers


def test_a_page_whose_name_was_rebound_here_is_misdirected(paired):
    # DNS rebinding: evil.example made to resolve to 127.0.0.1; its page is "same-origin" with itself.
    rebound = [("Host", f"evil.example:{paired}"), ("Origin", f"http://evil.example:{paired}"), AUTH]
    assert raw_request(paired, "GET", "/v1/watch", headers=rebound).status == 421
    assert raw_request(paired, "GET", "/", headers=rebound[:1]).status == 421


def test_the_recent_list_keeps_the_last_ones_and_moves_one_asked_again_to_the_front():
    recent = RecentBriefings(size=3)
    for briefing_id in ("a", "b", "c", "d", "b"):
        recent.add(briefing_id)
    assert recent.newest(10) == ["b", "d", "c"]
    assert recent.newest(1) == ["b"]


async def brief(client, url: str, html: str) -> dict:
    response = await client.post("/v1/briefings", json={"url": url, "html": html})
    started = await response.json()
    if response.status == 200:
        return started
    events = await read_events(await client.get(started["events"]))
    return events[-1][1]


@pytest.mark.slow  # the app starts its worker processes
async def test_recent_briefings_list_the_last_ones_handed_out_with_their_verdicts(client, local_web):
    kettle = await brief(client, local_web.url("kettles.test", "/p/brava"), product_page())
    lamp = await brief(client, local_web.url("lamps.test", "/p/lumo"), product_page(name="Lumo Desk Lamp"))
    listed = (await (await client.get("/v1/briefings")).json())["briefings"]
    assert [b["id"] for b in listed] == [lamp["id"], kettle["id"]]
    assert listed[0]["product"] == {"id": lamp["product"]["id"], "name": "Lumo Desk Lamp"}
    assert listed[0]["verdict"]["label"] == lamp["verdict"]["label"]
    assert listed[1]["price_verdict"] == kettle["price"]["verdict"]
    # The same page asked again is served from the store (200) and is the newest again.
    again = await brief(client, local_web.url("kettles.test", "/p/brava"), product_page())
    assert again["id"] == kettle["id"]
    newest = (await (await client.get("/v1/briefings?limit=1")).json())["briefings"]
    assert [b["id"] for b in newest] == [kettle["id"]]
    for limit in ("0", "101", "x", "-1"):
        refused = await client.get(f"/v1/briefings?limit={limit}")
        assert (refused.status, (await refused.json())["error"]["code"]) == (400, "invalid_limit")
