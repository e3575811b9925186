"""Checking the notification URLs, as an operator does: `zmot notify test` and POST /v1/notify/test, real
messages to a loopback receiver (see test_notify.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from server.app import create_app
from server.cli import main
from server.notify import token_id
from tests.server.conftest import make_settings
from tests.server.test_notify import Receiver, receiver  # noqa: F401 (the fixture)
from tests.tools import free_port

ALICE, BOB, CAROL = "alice-token-1", "bob-token-22", "carol-token-333"


@pytest.fixture
async def zmot(tmp_path, receiver: Receiver) -> AsyncIterator[TestClient]:  # noqa: F811
    """zmot's app for three clients: Alice's alerts go to a JSON hook (whose password must not show) and
    to a dead port, Carol's (keyed by her token's id) to a form hook, Bob's nowhere."""
    settings = make_settings(
        tmp_path,
        server={"tokens": [ALICE, BOB, CAROL]},
        notify={
            "timeout_s": 5,
            "tokens": {
                ALICE: {
                    "urls": [
                        receiver.url("json", "/alice", userinfo="zmot:hunter2@"),
                        f"json://127.0.0.1:{free_port()}/gone",
                    ]
                },
                token_id(CAROL): {"urls": [receiver.url("form", "/carol")]},
            },
        },
    )
    client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.slow  # the app starts its worker processes
async def test_a_client_tests_its_urls_in_italian_and_sees_each_outcome_masked(zmot, receiver):  # noqa: F811
    response = await zmot.post("/v1/notify/test", json={"locale": "it"}, headers=bearer(ALICE))
    assert response.status == 200
    text = await response.text()
    assert "hunter2" not in text
    answer = await response.json()
    assert answer["sent"] == 1
    ok, dead = answer["results"]
    assert ok["url"] == f"json://zmot:****@127.0.0.1:{receiver.port}/alice"
    assert (ok["ok"], ok["status"], ok["error"]) == (True, "sent", None)
    assert (dead["ok"], dead["status"]) == (False, "failed")
    assert "connection error" in dead["error"].lower()
    [(path, payload)] = receiver.got
    assert (path, payload["title"]) == ("/alice", "zmot: notifica di prova")
    assert payload["message"] == "Gli avvisi di prezzo di zmot arriveranno qui."


@pytest.mark.slow  # the app starts its worker processes
async def test_the_body_is_optional_and_a_token_id_in_the_config_finds_its_client(zmot, receiver):  # noqa: F811
    headers = {**bearer(CAROL), "Content-Type": "application/json"}
    response = await zmot.post("/v1/notify/test", data=b"", headers=headers)
    assert response.status == 200, await response.text()
    assert (await response.json())["sent"] == 1
    [(path, payload)] = receiver.got
    assert (path, payload["title"]) == ("/carol", "zmot: test notification")


@pytest.mark.slow  # the app starts its worker processes
async def test_nothing_configured_is_a_409_and_a_bad_locale_a_400(zmot, receiver):  # noqa: F811
    response = await zmot.post("/v1/notify/test", json={}, headers=bearer(BOB))
    assert response.status == 409
    error = (await response.json())["error"]
    assert error["code"] == "notify_not_configured"
    assert "[notify] urls" in error["message"]
    response = await zmot.post("/v1/notify/test", json={"locale": 39}, headers=bearer(ALICE))
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_locale"
    response = await zmot.post("/v1/notify/test", json={})
    assert response.status == 401
    assert receiver.got == []


async def test_zmot_notify_test_sends_to_every_url_and_prints_which_got_it(tmp_path, receiver, capsys):  # noqa: F811
    dead = f"json://127.0.0.1:{free_port()}/gone"
    config = tmp_path / "zmot.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n'
        f'[server]\ntokens = ["{ALICE}"]\n'
        f'[notify]\nurls = ["{receiver.url("json", "/everyone")}", "{dead}"]\n'
        f'[notify.tokens."{ALICE}"]\nurls = ["{receiver.url("form", "/alice", userinfo="a:hunter2@")}"]\n'
    )
    # The command runs its own event loop: in a thread, while this one's receiver answers.
    code = await asyncio.to_thread(main, ["notify", "test", "--config", str(config), "--locale", "fr"])
    out, err = capsys.readouterr()
    assert code == 1  # one URL did not get it
    lines = out.splitlines()
    assert lines[0] == f"sent    json://127.0.0.1:{receiver.port}/everyone  (every alert)"
    assert lines[1].startswith(f"FAILED  {dead}  (every alert): ")
    assert lines[2] == f"sent    form://a:****@127.0.0.1:{receiver.port}/alice  (token {token_id(ALICE)})"
    assert "hunter2" not in out + err
    assert "2 of 3 sent" in err
    assert {p["title"] for _, p in receiver.got} == {"zmot : notification de test"}


def test_zmot_notify_test_without_urls_says_how_to_add_them(tmp_path, capsys):
    config = tmp_path / "zmot.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n')
    assert main(["notify", "test", "--config", str(config)]) == 2
    assert "no notification URL is configured" in capsys.readouterr().err


def test_zmot_refuses_to_start_with_an_invalid_notify_url(tmp_path, capsys):
    config = tmp_path / "zmot.toml"
    config.write_text('[notify]\nurls = ["tgram://"]\n')
    assert main(["notify", "test", "--config", str(config)]) == 2
    assert "notify.urls: 'tgram:///…' is not an Apprise URL" in capsys.readouterr().err
