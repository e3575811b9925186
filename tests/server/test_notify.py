"""Price alerts through Apprise, as a shopper receives them: real json:// and form:// notifications to a
loopback web server the test runs on its own event loop. That server answering at all shows that sending
never blocks the loop: a blocking send could not be answered by a server on the same loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from server.errors import ConfigError
from server.notify import Alert, alert_message, check_message, deliver, send_alert, token_id
from server.settings import NotifySettings, load_settings
from tests.receiver import Receiver, receiving
from tests.tools import free_port


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with receiving() as got:
        yield got


def kettle(**changes: Any) -> Alert:
    fields: dict[str, Any] = {
        "product": "Brava Steel Kettle 1.7 L",
        "url": "https://shop.example/p/brava-kettle",
        "rule": "below",
        "threshold": "99",
        "old_price": "129.00",
        "new_price": "94.90",
        "currency": "EUR",
        "seller": "Kitchen Corner",
        "locale": "en",
    }
    return Alert(**{**fields, **changes})


def notify(**values: Any) -> NotifySettings:
    return load_settings(env={}, overrides={"notify": values}).notify


# -- what the alert says, in the shopper's language -------------------------------------------------------

MESSAGES = [
    # (alert changes, title, body lines)
    (
        {"locale": "en"},
        "Price drop: Brava Steel Kettle 1.7 L",
        ["€129.00 → €94.90 at Kitchen Corner", "Alert: below €99.00", "https://shop.example/p/brava-kettle"],
    ),
    (
        {"locale": "it-IT"},
        "Prezzo in calo: Brava Steel Kettle 1.7 L",
        ["129,00\xa0€ → 94,90\xa0€ da Kitchen Corner", "Avviso: sotto 99,00\xa0€"],
    ),
    (
        {"locale": "fr_FR"},
        "Baisse de prix : Brava Steel Kettle 1.7 L",
        ["129,00\xa0€ → 94,90\xa0€ chez Kitchen Corner", "Alerte : sous 99,00\xa0€"],
    ),
    (
        {"locale": "it", "rule": "drop"},
        "Prezzo in calo: Brava Steel Kettle 1.7 L",
        ["Avviso: qualsiasi ribasso"],
    ),
    ({"locale": "en", "rule": "drop"}, "Price drop: Brava Steel Kettle 1.7 L", ["Alert: any drop"]),
    (
        {"locale": "fr", "rule": "lowest"},
        "Nouveau prix le plus bas : Brava Steel Kettle 1.7 L",
        ["Alerte : nouveau prix le plus bas"],
    ),
    (
        {"locale": "en", "rule": "back_in_stock", "old_price": None},
        "Back in stock: Brava Steel Kettle 1.7 L",
        ["€94.90 at Kitchen Corner", "Alert: back in stock"],
    ),
    (
        {"locale": "it", "rule": "back_in_stock", "old_price": None, "new_price": None, "seller": None},
        "Di nuovo disponibile: Brava Steel Kettle 1.7 L",
        ["Avviso: di nuovo disponibile", "https://shop.example/p/brava-kettle"],
    ),
    (
        {"locale": "de-DE", "currency": "USD", "threshold": "100"},  # no German words: English
        "Price drop: Brava Steel Kettle 1.7 L",
        ["$129.00 → $94.90 at Kitchen Corner", "Alert: below $100.00"],
    ),
]


@pytest.mark.parametrize(("changes", "title", "lines"), MESSAGES)
def test_an_alert_says_product_prices_seller_rule_and_link_in_the_shoppers_language(changes, title, lines):
    got_title, body = alert_message(kettle(**changes))
    assert got_title == title
    for line in lines:
        assert line in body.splitlines()
    assert body.splitlines()[-1] == "https://shop.example/p/brava-kettle"


def test_an_alert_without_a_known_rule_or_a_below_alert_without_its_price_is_refused():
    with pytest.raises(ValueError, match="unknown alert rule"):
        kettle(rule="cheaper")
    with pytest.raises(ValueError, match="threshold"):
        kettle(threshold=None)


# -- sending ----------------------------------------------------------------------------------------------


async def test_an_italian_shopper_gets_the_drop_below_99_euros_as_json(receiver):
    settings = notify(urls=[receiver.url("json", "/hook")])
    [delivery] = await send_alert(settings, kettle(locale="it-IT"))
    assert delivery.ok and delivery.status == "sent" and delivery.error is None
    [(path, payload)] = receiver.got
    assert path == "/hook"
    assert payload["title"] == "Prezzo in calo: Brava Steel Kettle 1.7 L"
    assert payload["message"].splitlines() == [
        "129,00\xa0€ → 94,90\xa0€ da Kitchen Corner",
        "Avviso: sotto 99,00\xa0€",
        "https://shop.example/p/brava-kettle",
    ]


async def test_a_french_shopper_gets_back_in_stock_as_a_form_post(receiver):
    settings = notify(urls=[receiver.url("form", "/form")])
    alert = kettle(locale="fr", rule="back_in_stock", old_price=None)
    [delivery] = await send_alert(settings, alert)
    assert delivery.ok
    [(path, payload)] = receiver.got
    assert path == "/form"
    assert payload["title"] == "De nouveau en stock : Brava Steel Kettle 1.7 L"
    assert "Alerte : de nouveau en stock" in payload["message"]


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("en", "zmot: test notification"),
        ("it", "zmot: notifica di prova"),
        ("fr", "zmot : notification de test"),
    ],
)
async def test_the_test_message_speaks_the_asked_language(receiver, locale, title):
    got_title, body = check_message(locale)
    [delivery] = await deliver([receiver.url("json", "/hook")], got_title, body, timeout_s=5)
    assert delivery.ok
    assert receiver.got[0][1]["title"] == title


async def test_a_dead_or_failing_target_is_a_failed_delivery_and_the_others_still_get_theirs(receiver):
    dead = f"json://127.0.0.1:{free_port()}/hook"  # nothing listens there
    urls = [dead, receiver.url("json", "/broken"), receiver.url("json", "/hook")]
    deliveries = await deliver(urls, "title", "body", timeout_s=5)
    assert [d.status for d in deliveries] == ["failed", "failed", "sent"]
    assert "connection error" in deliveries[0].error.lower()
    assert deliveries[1].error
    assert receiver.paths() == {"/hook"}


async def test_a_target_that_never_answers_is_given_up_after_the_timeout(receiver):
    [delivery] = await deliver([receiver.url("json", "/hang")], "title", "body", timeout_s=0.5)
    assert delivery.status == "timeout" and not delivery.ok
    assert "0.5 s" in delivery.error


async def test_a_clients_alert_goes_to_everyones_urls_and_its_own_not_to_another_clients(receiver):
    settings = load_settings(
        env={},
        overrides={
            "server": {"tokens": ["alice-token-1", "bob-token-22"]},
            "notify": {
                "urls": [receiver.url("json", "/everyone")],
                "tokens": {
                    "alice-token-1": {"urls": [receiver.url("json", "/alice")]},
                    token_id("bob-token-22"): {"urls": [receiver.url("form", "/bob")]},
                },
            },
        },
    ).notify
    await send_alert(settings, kettle(), token="alice-token-1")
    assert receiver.paths() == {"/everyone", "/alice"}
    receiver.got.clear()
    await send_alert(settings, kettle(), token="bob-token-22")  # keyed by its id: the token is not written
    assert receiver.paths() == {"/everyone", "/bob"}
    receiver.got.clear()
    await send_alert(settings, kettle(), token=None)
    assert receiver.paths() == {"/everyone"}


async def test_with_no_urls_an_alert_goes_nowhere_quietly():
    assert await send_alert(notify(), kettle()) == []


async def test_what_is_shown_of_a_url_has_its_secrets_masked(receiver):
    url = receiver.url("json", "/hook", userinfo="admin:hunter2@")
    [delivery] = await deliver([url], "title", "body", timeout_s=5)
    assert delivery.ok
    assert "hunter2" not in delivery.url
    assert delivery.url == f"json://admin:****@127.0.0.1:{receiver.port}/hook"


# -- configuration ----------------------------------------------------------------------------------------


def test_notify_urls_come_from_the_config_file_or_the_environment(tmp_path):
    path = tmp_path / "zmot.toml"
    path.write_text('[notify]\nurls = ["ntfy://zmot-alerts", "json://127.0.0.1:9/hook"]\ntimeout_s = 4\n')
    settings = load_settings(path, env={}).notify
    assert settings.urls == ["ntfy://zmot-alerts", "json://127.0.0.1:9/hook"]
    assert settings.timeout_s == 4.0
    from_env = load_settings(env={"ZMOT_NOTIFY_URLS": "ntfy://a-topic,json://127.0.0.1:9/x"}).notify
    assert from_env.urls == ["ntfy://a-topic", "json://127.0.0.1:9/x"]


def test_per_token_urls_are_tables_keyed_by_a_token_or_its_id(tmp_path):
    path = tmp_path / "zmot.toml"
    path.write_text(
        '[server]\ntokens = ["alice-token-1"]\n'
        f'[notify.tokens."{token_id("alice-token-1")}"]\nurls = ["ntfy://alice-alerts"]\n'
    )
    settings = load_settings(path, env={}).notify
    assert settings.tokens[token_id("alice-token-1")].urls == ["ntfy://alice-alerts"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("bogus://user:hunter2@host/x", "bogus://host/…"),
        ("http://127.0.0.1:9/hook", "http://127.0.0.1:9/…"),
        ("hunter2-not-a-url", "hunter…"),
        ("json://", "json:///…"),
    ],
)
def test_an_invalid_url_is_a_config_error_at_start_without_its_secret(url, shown):
    with pytest.raises(ConfigError) as caught:
        notify(urls=[url])
    assert f"notify.urls: {shown!r} is not an Apprise URL" in caught.value.message
    assert "hunter2" not in caught.value.message.replace("hunter…", "")


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        (
            {"notify": {"tokens": {"alice-token-1": {"urls": ["ntfy://alice"]}}}},
            "server.tokens is not set",
        ),
        (
            {
                "server": {"tokens": ["alice-token-1"]},
                "notify": {"tokens": {"carol": {"urls": ["ntfy://carol"]}}},
            },
            f'[notify.tokens."carol"] names none of server.tokens: key it by the token or its id '
            f"({token_id('alice-token-1')})",
        ),
        (
            {
                "server": {"tokens": ["alice-token-1"]},
                "notify": {"tokens": {"alice-token-1": {"urls": ["nope://"]}}},
            },
            "notify.tokens.alice-token-1.urls: 'nope:///…' is not an Apprise URL",
        ),
        ({"notify": {"tokens": {"alice-token-1": ["ntfy://alice"]}}}, "notify.tokens holds tables"),
        ({"notify": {"timeout_s": 0}}, "notify.timeout_s must be above 0"),
    ],
)
def test_notify_settings_that_cannot_work_are_refused_with_a_readable_reason(overrides, says):
    with pytest.raises(ConfigError) as caught:
        load_settings(env={}, overrides=overrides)
    assert says in caught.value.message
