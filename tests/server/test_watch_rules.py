"""The rules as tables: what a run of checks confirms and which alert it fires, and which answers of a
shop mean the server is kept out."""

from __future__ import annotations

import dataclasses

import pytest

from scrapers.base import FetchResponse
from server.store import Watch
from server.watch.blocked import blocked_reason
from server.watch.rules import Seen, confirm, fired_rule

# Each story: the rules asked for, the target price, then the prices the checks see an hour apart ("/out":
# sold out), and the alerts the shopper gets.
STORIES = [
    ("a steady price", "drop", None, "39.90 39.90 39.90", ""),
    ("a drop that holds", "drop", None, "39.90 34.90 34.90", "drop"),
    ("a flicker", "drop", None, "39.90 19.90 39.90", ""),
    ("two different drops, neither held", "drop", None, "39.90 34.90 29.90", ""),
    ("a rise", "drop", None, "39.90 44.90 44.90", ""),
    ("the same price written otherwise", "drop", None, "39.90 39.9 39.9", ""),
    ("a restock", "back_in_stock", None, "39.90/out 39.90 39.90", "back_in_stock"),
    ("a restock not asked for", "drop", None, "39.90/out 39.90 39.90", ""),
    ("sold out at a lower price", "drop", None, "39.90 29.90/out 29.90/out", ""),
    ("below the target, told once", "below", "30", "39.90 29.90 29.90 28.90 28.90", "below"),
    ("at the target", "below", "30", "39.90 30.00 30.00", "below"),
    (
        "back in stock and cheaper: one alert",
        "drop back_in_stock",
        None,
        "39.90/out 29.90 29.90",
        "back_in_stock",
    ),
]


@pytest.mark.parametrize(
    ("story", "notify_on", "target", "checks", "told"), STORIES, ids=[s[0] for s in STORIES]
)
def test_what_a_run_of_checks_tells_the_shopper(story, notify_on, target, checks, told):
    watch = Watch("aaaaaaaaaaaaaaaa", "http://a.test/p", 3600.0, 0.0, 0.0, notify_on=tuple(notify_on.split()))
    watch = dataclasses.replace(watch, target_price=target)
    fired = []
    for hour, seen in enumerate(checks.split()):
        price, _, out = seen.partition("/")
        availability = "out_of_stock" if out else "in_stock"
        watch, change = confirm(watch, Seen(price, "EUR", "Shop", availability), hour * 3600.0, 3600.0 * 24)
        rule = fired_rule(watch, change, None) if change is not None else None
        fired += [rule] if rule else []
    assert fired == told.split()


def test_a_change_counts_at_once_when_no_confirmation_is_asked_for():
    watch = Watch("aaaaaaaaaaaaaaaa", "http://a.test/p", 3600.0, 0.0, 0.0)
    watch, _ = confirm(watch, Seen("39.90", "EUR", "Shop", "in_stock"), 0.0, 0.0)
    watch, change = confirm(watch, Seen("34.90", "EUR", "Shop", "in_stock"), 1.0, 0.0)
    assert change is not None and fired_rule(watch, change, None) == "drop"


def response(status: int, body: str = "<html></html>", url: str = "http://shop.test/p/1") -> FetchResponse:
    return FetchResponse(url, status, {"content-type": "text/html"}, body.encode())


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (response(403), "the site refused zmot (HTTP 403)"),
        (response(401), "the site asks for a login (HTTP 401)"),
        (response(503, "<title>Just a moment...</title>"), "the site showed a bot check (HTTP 503)"),
        (response(503, "<h1>Down for maintenance</h1>"), None),  # an outage, not a wall: tried again later
        (response(200, url="http://shop.test/ap/signin?to=/p/1"), "the site sent zmot to its sign-in page"),
        (response(200, url="http://shop.test/p/1/"), None),
        (response(404), None),
    ],
)  # fmt: skip
def test_which_answers_mean_the_shopper_should_open_the_page(answer, reason):
    assert blocked_reason("http://shop.test/p/1", answer) == reason
