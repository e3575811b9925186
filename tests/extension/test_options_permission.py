"""The permission prompts a shopper answers, in real Chromium: access to the server's origin, asked when the
options are saved, and the reading of a shop's pages (with notifications), asked when a watch is made.

Chromium shows these prompts in its own window, which headless Chromium cannot show nor DevTools answer, so
this module runs Chromium with a window on a virtual X display (Xvfb) and answers with the keyboard as a
shopper would (xdotool types into the prompt): Escape declines, Tab then Enter allows (the prompt's focus
starts on its Cancel button, as Chromium puts it)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest

from tests.extension.browser import ExtensionBrowser
from tests.extension.conftest import ARTIFACTS, EXTENSION_DIR, shopper_chromium
from tests.localweb import LocalWeb
from tests.pagegen import product_page
from tests.tools import require_program

pytestmark = pytest.mark.slow

SERVER_ACCESS = "http://127.0.0.1/*"
SHOP, PATH = "prompt-shop.test", "/p/moka-pot-prompt"
PAGE = f"http://{SHOP}{PATH}"
DECLINED = "Saved. Access to the server was not granted; briefings will still arrive, a little less smoothly."
CLICKS_ONLY = "Refreshed only when you click zmot on this page."

# In the page: keys that reach the page are noted and go no further, so that keys typed before the prompt
# is up do nothing there; a key the page never sees went to the prompt.
CATCH_KEYS = """() => {
  if (window.keysSeen) return;
  window.keysSeen = [];
  addEventListener('keydown', (e) => {
    keysSeen.push(e.key);
    e.preventDefault();
    e.stopImmediatePropagation();
  }, true);
}"""


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A virtual X display for a Chromium with windows, on the first free display number."""
    xvfb, _ = require_program("Xvfb"), require_program("xdotool")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def windowed(
    playwright, display: str, local_web: LocalWeb, zmot_server: str, tmp_path_factory
) -> Iterator[ExtensionBrowser]:
    """Chromium with a window (on the virtual display) and the extension as published: nothing granted."""
    profile = tmp_path_factory.mktemp("chromium-windowed")
    with shopper_chromium(playwright, EXTENSION_DIR, profile, local_web, zmot_server, display) as session:
        yield session


def type_keys(display: str, *keys: str) -> None:
    subprocess.run(
        ["xdotool", "key", "--delay", "150", *keys], env={**os.environ, "DISPLAY": display}, check=True
    )


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout_s:g} s for {what}"
        time.sleep(0.1)


def wait_for_prompt(page, display: str) -> None:
    """Until the prompt is up: a Shift typed while it is not reaches the page (and does nothing there)."""
    deadline = time.monotonic() + 15
    while True:
        page.evaluate("keysSeen.length = 0")
        type_keys(display, "shift")
        time.sleep(0.5)
        if "Shift" not in page.evaluate("keysSeen"):
            return
        assert time.monotonic() < deadline, "no permission prompt came up"


def answer(browser: ExtensionBrowser, page, click, *, allow: bool, answered: Callable[[], bool]) -> None:
    """Click what asks for a permission (a real click: the request needs its gesture), then answer the
    prompt as a shopper does; done once `answered()` says the page took the answer."""
    page.evaluate(CATCH_KEYS)
    click()
    wait_for_prompt(page, browser.display)
    keys = ("Tab", "Return") if allow else ("Escape",)
    type_keys(browser.display, *keys)
    wait_until(answered, "the page to take the prompt's answer")
    assert not page.evaluate("keysSeen.filter(k => k !== 'Shift')"), (
        "the answer reached the page, not the prompt"
    )


def holds(browser: ExtensionBrowser, asked: dict) -> bool:
    return browser.worker.evaluate("asked => chrome.permissions.contains(asked)", asked)


def forget_grants(browser: ExtensionBrowser) -> None:
    """As installed: no origin and no notifications granted (a shopper removes them in chrome://extensions)."""
    browser.worker.evaluate(
        "() => chrome.permissions.getAll().then(p => chrome.permissions.remove("
        "{origins: p.origins, permissions: p.permissions.filter(n => n === 'notifications')}))"
    )
    assert browser.worker.evaluate("chrome.permissions.getAll()")["origins"] == []


def open_options(browser: ExtensionBrowser):
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options/options.html")
    options.get_by_label("Pairing code").wait_for()
    return options


def test_saving_the_options_asks_for_the_server_and_says_when_it_was_declined(
    windowed, zmot_server, local_web: LocalWeb
):
    forget_grants(windowed)
    options = open_options(windowed)
    result = options.locator("#result")
    answer(
        windowed,
        options,
        options.get_by_role("button", name="Save").click,
        allow=False,
        answered=lambda: result.inner_text() == DECLINED,
    )
    assert not holds(windowed, {"origins": [SERVER_ACCESS]})
    assert windowed.worker.evaluate("chrome.storage.local.get('serverUrl')")["serverUrl"] == zmot_server
    options.screenshot(path=str(ARTIFACTS / "options-permission-declined.png"), full_page=True)

    # Saved again and allowed: no word of it on the page, and the briefings stream from the server.
    answer(
        windowed,
        options,
        options.get_by_role("button", name="Save").click,
        allow=True,
        answered=lambda: holds(windowed, {"origins": [SERVER_ACCESS]}),
    )
    wait_until(lambda: result.inner_text() == "Saved.", "the page to settle")
    options.close()
    # A page of its own: one briefed before (by another module) would come from the server's store at once.
    local_web.add_page(SHOP, "/p/grinder", product_page(name="Caffè Grinder Prompt", gtin="8006363011594"))
    shop = windowed.open_tab(f"http://{SHOP}/p/grinder")
    popup = windowed.open_popup(windowed.click_action(shop))
    popup.wait_for_selector('[data-section="sources"][aria-busy="false"]', timeout=30_000)
    views = windowed.worker.evaluate("chrome.storage.session.get(null)")
    assert [v.get("transport") for v in views.values() if v.get("phase") == "done"] == ["stream"]
    popup.close()
    shop.close()


def test_a_watch_asks_to_read_the_shop_and_works_either_way(windowed, local_web: LocalWeb):
    """Declined, the watch is made and says it is refreshed on clicks only; allowed, the shop's pages may be
    read on a visit and notifications show, and the note is gone."""
    local_web.add_page(
        SHOP, PATH, product_page(name="Bialetti Moka Prompt 3", price="29.90", gtin="8006363011587")
    )
    forget_grants(windowed)
    shop = windowed.open_tab(PAGE)
    site = {"origins": [f"http://{SHOP}/*"]}
    for allow in (False, True):
        popup = windowed.open_popup(windowed.click_action(shop))
        popup.get_by_role("button", name="Watch this price").click(timeout=30_000)
        watching = popup.locator('[data-watch="on"]')
        answer(
            windowed,
            popup,
            popup.get_by_role("button", name="Start watching").click,
            allow=allow,
            answered=lambda: watching.is_visible(),  # noqa: B023 (called within the iteration)
        )
        assert "Watching" in watching.inner_text()
        assert holds(windowed, site) is allow
        assert holds(windowed, {"permissions": ["notifications"]}) is allow
        assert (CLICKS_ONLY in watching.inner_text()) is not allow
        popup.screenshot(path=str(ARTIFACTS / f"popup-watch-{'allowed' if allow else 'declined'}.png"))
        popup.get_by_role("button", name="Stop watching").click()
        popup.get_by_role("button", name="Watch this price").wait_for()
        popup.close()
    shop.close()
