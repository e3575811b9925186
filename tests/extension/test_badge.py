"""The toolbar badge in real Chromium: after a briefing the icon of that tab carries the verdict's score in
the verdict's colour, read back from the browser through the extension's own service worker; other tabs,
and a briefing with no verdict, carry none."""

from __future__ import annotations

import pytest

from tests.extension.stub_server import StubServer, rich_briefing

pytestmark = pytest.mark.slow

HEADPHONES = "http://shop-us.test/products/noise-cancelling-headphones"

# What the shopper sees on the icon for a verdict: (verdict, badge text, colour). Every label's colour and
# the clamping of scores are unit-tested (verdict.test.mjs); here the browser shows what the extension set.
CASES = [
    pytest.param({"label": "buy", "score": 78}, "78", [27, 127, 59, 255], id="buy-green"),
    pytest.param({"label": "avoid", "score": 21.6}, "22", [179, 38, 30, 255], id="avoid-red"),
    pytest.param(None, "", None, id="no-verdict-no-badge"),
]

BADGE = """tabId => Promise.all([
  chrome.action.getBadgeText({tabId}),
  chrome.action.getBadgeBackgroundColor({tabId}),
  chrome.action.getBadgeTextColor({tabId}),
])"""


def briefed_tab(browser, briefing: dict) -> tuple[object, int]:
    """A shop tab clicked and briefed (served by a stub answering `briefing`) to the end: its page and id."""
    with StubServer(briefing) as stub:
        browser.set_settings(serverUrl=stub.url)
        shop = browser.open_tab(HEADPHONES)
        tab_id = browser.click_action(shop)
        popup = browser.open_popup(tab_id)
        popup.wait_for_selector('[data-section="sources"][aria-busy="false"]', timeout=15_000)
        popup.close()
    return shop, tab_id


@pytest.mark.parametrize(("verdict", "text", "colour"), CASES)
def test_the_icon_of_the_briefed_tab_shows_the_verdict(
    browser, local_web, zmot_server, verdict, text, colour
):
    briefing = rich_briefing(HEADPHONES, "plain text")
    briefing["verdict"] = verdict and {**briefing["verdict"], **verdict}
    other = browser.open_tab("http://shop-it.test/prodotto/macchina-caffe-espresso")
    other_id = browser.click_action(other)  # seen by the extension, never briefed
    try:
        shop, tab_id = briefed_tab(browser, briefing)
    finally:
        browser.set_settings(serverUrl=zmot_server)
    shown, background, foreground = browser.worker.evaluate(BADGE, tab_id)
    assert shown == text
    if colour:
        assert background == colour
        assert foreground == [255, 255, 255, 255]
    assert browser.worker.evaluate(BADGE, other_id)[0] == ""

    shop.reload()  # a new page in the tab: the old verdict no longer speaks for it
    browser.worker.evaluate("() => new Promise(resolve => setTimeout(resolve, 0))")
    assert browser.worker.evaluate(BADGE, tab_id)[0] == ""
    shop.close()
    other.close()
