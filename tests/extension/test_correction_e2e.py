"""End to end in real Chromium: a shop's markup carries the wrong price; the shopper points at the price they
pay (with the mouse, and again with the keyboard only), the correction is kept on their server, the shop's
next product page is read right from it, and Undo brings the automatic price back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.request import Request, urlopen

import pytest

from tests.extension.browser import ExtensionBrowser
from tests.extension.conftest import ARTIFACTS, EXTENSION_DIR, PAIRING_CODE, paired_zmot, shopper_chromium
from tests.localweb import LocalWeb
from tests.localweb.outlet import OUTLET_PRODUCTS

pytestmark = pytest.mark.slow

KETTLE, TOASTER = OUTLET_PRODUCTS
SHOP = "outlet-shop.test"
SHOWN_PRICE = "strong.pdp-value"  # the new unit's price in the buy box, which the shopper points at


@pytest.fixture(scope="module")
def correction_server(tmp_path_factory, local_web: LocalWeb) -> Iterator[str]:
    """zmot reading the shopper's page only (no search), so each briefing is quick."""
    home = tmp_path_factory.mktemp("zmot-corrections")
    with paired_zmot(home, local_web, "[privacy]\nbeyond = false\n") as base:
        yield base


@pytest.fixture(scope="module")
def shopper(
    playwright, local_web: LocalWeb, correction_server: str, tmp_path_factory
) -> Iterator[ExtensionBrowser]:
    profile = tmp_path_factory.mktemp("profile")
    with shopper_chromium(playwright, EXTENSION_DIR, profile, local_web, correction_server) as session:
        yield session


def api(server: str, path: str) -> dict:
    request = Request(f"{server}{path}", headers={"Authorization": f"Bearer {PAIRING_CODE}"})
    with urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def price_line(popup, state: str):
    """The correction line under the price once the briefing is done and it is in `state`."""
    line = popup.locator(f'.correction[data-correction="price"][data-state="{state}"]')
    line.wait_for(timeout=20_000)
    return line


def shown_price(popup) -> str:
    return popup.locator('[data-section="price"] .current-price').inner_text()


def brief(shopper: ExtensionBrowser, tab, state: str):
    """The shopper clicks zmot on the tab: the popup, once its price line is in `state`."""
    popup = shopper.open_popup(shopper.click_action(tab))
    price_line(popup, state)
    return popup


def test_the_shopper_points_at_the_right_price_and_the_shop_is_read_right_from_then_on(
    shopper: ExtensionBrowser, correction_server: str
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab = shopper.open_tab(f"http://{SHOP}{KETTLE.path}")
    popup = brief(shopper, tab, "none")
    assert KETTLE.markup_price in shown_price(popup)  # the open-box price, not the one the shopper pays

    # "Not the right price?" starts the picker in the page; Escape leaves it, and nothing is kept.
    popup.get_by_role("button", name="Not the right price?").click()
    price_line(popup, "picking")
    tab.locator("zmot-picker").wait_for(state="attached")
    # The page's own scripts cannot choose for the shopper: their synthetic clicks and keys are not input.
    tab.evaluate(
        """(selector) => {
            document.querySelector(selector).dispatchEvent(new MouseEvent('click', {bubbles: true}));
            document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
            document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
        }""",
        SHOWN_PRICE,
    )
    assert tab.locator("zmot-picker").count() == 1  # still picking: nothing chosen, nothing left
    tab.keyboard.press("Escape")
    tab.locator("zmot-picker").wait_for(state="detached")
    assert api(correction_server, "/v1/corrections")["corrections"] == []

    # Again: the picker outlines what the pointer is on; a click on the shown price picks it.
    popup.get_by_role("button", name="Not the right price?").click()
    price_line(popup, "picking")
    tab.hover(SHOWN_PRICE)
    tab.screenshot(path=str(ARTIFACTS / "picker-outline.png"))
    tab.click(SHOWN_PRICE)
    line = price_line(popup, "applied")
    assert "Price from your correction" in line.inner_text()
    assert line.get_attribute("data-source") == "correction"
    assert KETTLE.sale_price in shown_price(popup)
    popup.screenshot(path=str(ARTIFACTS / "popup-correction.png"), full_page=True)
    [kept] = api(correction_server, "/v1/corrections")["corrections"]
    assert (kept["site"], kept["field"], kept["selector"]) == (SHOP, "price", SHOWN_PRICE)
    assert kept["value"] == f"€{KETTLE.sale_price}"
    assert tab.locator("zmot-picker").count() == 0  # the picker left the page
    popup.close()

    # The shop's other product page: read right through the correction, said so in the popup.
    tab.goto(f"http://{SHOP}{TOASTER.path}")
    popup = brief(shopper, tab, "applied")
    assert TOASTER.sale_price in shown_price(popup)
    assert price_line(popup, "applied").get_attribute("data-source") == "correction"

    # Undo: the correction is gone and the automatic (markup) price is back.
    popup.get_by_role("button", name="Undo").click()
    price_line(popup, "none")
    assert TOASTER.markup_price in shown_price(popup)
    assert api(correction_server, "/v1/corrections")["corrections"] == []

    # Keyboard only: Tab to "Add to cart" in the page, Enter on "Not the right price?" in the popup, then
    # the left arrow moves the outline to the shown price and Enter picks it.
    tab.keyboard.press("Tab")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Add to cart"
    popup.get_by_role("button", name="Not the right price?").focus()
    popup.keyboard.press("Enter")
    price_line(popup, "picking")
    tab.keyboard.press("ArrowLeft")
    tab.keyboard.press("Enter")
    price_line(popup, "applied")
    assert TOASTER.sale_price in shown_price(popup)
    [kept] = api(correction_server, "/v1/corrections")["corrections"]
    assert (kept["field"], kept["selector"], kept["value"]) == (
        "price",
        SHOWN_PRICE,
        f"€{TOASTER.sale_price}",
    )
    popup.close()
    tab.close()
