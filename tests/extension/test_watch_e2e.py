"""End to end: a shopper watches a product from the popup in real Chromium, and hears when its price drops or
it is back in stock: through the server's notification target and as a browser notification."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from tests.extension.browser import ExtensionBrowser
from tests.extension.conftest import ARTIFACTS, EXTENSION_DIR, PAIRING_CODE, paired_zmot, shopper_chromium
from tests.localweb import LocalWeb
from tests.pagegen import product_page
from tests.receiver import Receiver, receiving_in_thread

pytestmark = pytest.mark.slow

SHOP, PATH = "watch-shop.test", "/p/brava-kettle-watch"
PAGE = f"http://{SHOP}{PATH}"
NAME = "Brava Steel Kettle 1.7 L Watchable"


@pytest.fixture(scope="module")
def sink() -> Iterator[Receiver]:
    """Where the server sends alerts: a json:// target on loopback that keeps every notification."""
    with receiving_in_thread() as alerts:
        yield alerts


@pytest.fixture(scope="module")
def watch_home(tmp_path_factory) -> Path:
    """The server's home: its config and its SQLite store."""
    return tmp_path_factory.mktemp("zmot-watch")


@pytest.fixture(scope="module")
def watch_server(watch_home: Path, local_web: LocalWeb, sink: Receiver) -> Iterator[str]:
    """zmot with alerts going to the sink; briefings read the shopper's page only (no search), so each
    check is quick; a new price counts once a second check sees it (confirm_after_s stays an hour)."""
    more = (
        "[privacy]\nbeyond = false\n"
        f"[notify]\nurls = [{json.dumps(sink.url('json', '/zmot'))}]\n"
        "[watch]\ntick_s = 0.5\n"  # due watches are looked for twice a second, not every 30 s
    )
    with paired_zmot(watch_home, local_web, more) as base:
        yield base


@pytest.fixture(scope="module")
def shopper(
    playwright, local_web: LocalWeb, watch_server: str, tmp_path_factory
) -> Iterator[ExtensionBrowser]:
    """Chromium with a copy of the extension whose notifications and reading of the shop's pages are allowed:
    the shopper's "Allow" on the prompt the first watch brings, which cannot be clicked headless."""
    copy = tmp_path_factory.mktemp("ext") / "extension"
    shutil.copytree(EXTENSION_DIR, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["permissions"].append("notifications")
    manifest.pop("optional_permissions")
    manifest["host_permissions"] = [f"http://{SHOP}/*"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    profile = tmp_path_factory.mktemp("profile")
    with shopper_chromium(playwright, copy, profile, local_web, watch_server) as session:
        yield session


class Shop:
    """The shop's page of the kettle, changed at run time: its price, its stock, and its ratings, one more
    at each visit (a page showing the very same facts as last time is answered from the server's store and
    is no new check: between two real visits a shop's page moves on)."""

    def __init__(self, local_web: LocalWeb) -> None:
        self.local_web = local_web
        self.price, self.in_stock, self.ratings = "39.90", True, 212

    def sell(self, price: str, *, in_stock: bool = True) -> None:
        """The price and stock the page shows from the next visit on."""
        self.price, self.in_stock = price, in_stock

    def serve(self) -> None:
        """Serve the page as it stands now."""
        self.ratings += 1
        page = product_page(
            name=NAME,
            gtin="8001234567901",
            price=self.price,
            seller="Kitchen Corner",
            rating_count=self.ratings,
        )
        if not self.in_stock:
            page = page.replace("https://schema.org/InStock", "https://schema.org/OutOfStock")
        self.local_web.add_page(SHOP, PATH, page)

    def visit(self, shopper: ExtensionBrowser, tab):
        """The shopper reloads the page and clicks zmot: the popup's briefing is a check of the watch.
        Returns the popup once it shows the watch's state for the page."""
        self.serve()
        tab.reload()
        popup = shopper.open_popup(shopper.click_action(tab))
        popup.wait_for_selector('[data-section="price"][aria-busy="false"]', timeout=20_000)
        popup.wait_for_selector(
            '.watch-slot:not([hidden]) [data-watch="on"], [data-watch="off"]', timeout=20_000
        )
        return popup

    def open_again(self, shopper: ExtensionBrowser, tab, server: str) -> None:
        """Half an hour later the shopper opens the page again and clicks nothing: the extension refreshes
        the watch from their browser, seen as the watch checked anew on the server."""
        [before] = api(server, "/v1/watch")["watches"]
        shopper.worker.evaluate("chrome.storage.session.clear()")  # the half hour that went by
        self.serve()
        tab.reload()
        wait_for(
            lambda: checked_since(server, before),
            "the check from merely opening the page",
        )


def server_check(server: str, store: Path) -> None:
    """One check of the watch by the server itself (the schedule's, not the shopper's browser): the watch
    is made due now in the server's store, and the server's watcher fetches the page within half a
    second."""
    [before] = api(server, "/v1/watch")["watches"]
    with sqlite3.connect(store, timeout=10) as db:
        db.execute("UPDATE watches SET next_check = 0")
    wait_for(
        lambda: checked_since(server, before),
        "the server's own check of the watch",
    )


def checked_since(server: str, before: dict) -> bool:
    """Whether the watch was checked after the state `before` (its last_checked moved on)."""
    [watch] = api(server, "/v1/watch")["watches"]
    return (watch["last_checked"] or 0) > (before["last_checked"] or 0)


def api(server: str, path: str) -> dict:
    request = Request(f"{server}{path}", headers={"Authorization": f"Bearer {PAIRING_CODE}"})
    with urlopen(request, timeout=10) as response:
        return json.loads(response.read())


# In the service worker: every notification the extension makes is noted (and still made).
OBSERVE_NOTIFICATIONS = """() => {
  if (globalThis.notesMade) return;
  globalThis.notesMade = [];
  const create = chrome.notifications.create.bind(chrome.notifications);
  chrome.notifications.create = (id, options) => {
    globalThis.notesMade.push({ id, ...options });
    return create(id, options);
  };
}"""


def shown_notifications(shopper: ExtensionBrowser, count: int) -> tuple[list[dict], dict]:
    """The browser notifications the extension made, once there are `count` of them, and the ids of those
    the browser shows: the background is woken by its own alarm (now rather than in a few minutes) and
    asks the server for alerts."""
    deadline = time.monotonic() + 20
    while True:
        shopper.worker.evaluate(
            "chrome.alarms.create('zmot-alerts', {when: Date.now() + 10, periodInMinutes: 5})"
        )
        time.sleep(0.5)
        made = shopper.worker.evaluate("globalThis.notesMade")
        if len(made) >= count or time.monotonic() > deadline:
            return made, shopper.worker.evaluate("chrome.notifications.getAll()")


def wait_for(condition, what: str, timeout_s: float = 20, why=None) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout_s:g} s for {what}" + (
            f": {why()}" if why else ""
        )
        time.sleep(0.2)


def test_a_watched_price_drop_and_restock_reach_the_shopper_once_each(
    shopper: ExtensionBrowser, local_web: LocalWeb, watch_server: str, watch_home: Path, sink: Receiver
):
    store = watch_home / "store.sqlite3"
    shopper.worker.evaluate(OBSERVE_NOTIFICATIONS)
    shop = Shop(local_web)
    shop.serve()
    tab = shopper.open_tab(PAGE)
    popup = shop.visit(shopper, tab)
    assert popup.locator('[data-watch="off"]').is_visible()

    # Watch from the price section: any drop and back in stock, as the form starts.
    popup.get_by_role("button", name="Watch this price").click()
    popup.get_by_label("it is back in stock").wait_for()
    popup.get_by_role("button", name="Start watching").click()
    watching = popup.locator('[data-watch="on"]')
    watching.wait_for(timeout=10_000)
    assert "Watching" in watching.inner_text()
    assert "any drop · back in stock" in watching.inner_text()
    popup.screenshot(path=str(ARTIFACTS / "popup-watching.png"), full_page=True)
    [watch] = api(watch_server, "/v1/watch")["watches"]
    assert watch["url"] == PAGE and watch["name"].startswith("Brava Steel Kettle")
    assert sorted(watch["notify_on"]) == ["back_in_stock", "drop"] and watch["locale"] == "en"
    popup.close()

    # The full briefing opens on the server, in a tab of its own.
    popup = shop.visit(shopper, tab)  # the first check: the price the watch starts from
    briefing_id = popup.locator("#full").get_attribute("data-id")
    with shopper.context.expect_page() as opened:
        popup.get_by_role("button", name="Open full briefing").click()
    assert opened.value.url == f"{watch_server}/briefings/{briefing_id}"
    opened.value.close()
    popup.close()

    shop.sell("34.90")  # the price drops, and holds across two of the server's own checks: one alert
    shop.serve()
    server_check(watch_server, store)
    assert not sink.payloads()  # seen once: not yet a change
    server_check(watch_server, store)
    wait_for(
        lambda: len(sink.payloads()) >= 1,
        "the drop's notification at the json:// target",
        why=lambda: api(watch_server, "/v1/watch")["watches"],
    )
    popup = shop.visit(shopper, tab)
    assert "Last price: €34.90" in popup.locator('[data-watch="on"]').inner_text()
    popup.close()
    made, shown = shown_notifications(shopper, 1)
    assert len(made) == 1 and made[0]["id"] in shown

    shop.sell("29.90")  # a flicker: one check lower, then back (seen by merely opening the page)
    shop.visit(shopper, tab).close()
    shop.sell("34.90")
    shop.open_again(shopper, tab, watch_server)
    shop.visit(shopper, tab).close()

    shop.sell("34.90", in_stock=False)  # sold out, then back: one alert
    shop.visit(shopper, tab).close()
    shop.visit(shopper, tab).close()
    shop.sell("34.90")
    shop.visit(shopper, tab).close()
    shop.visit(shopper, tab).close()
    wait_for(lambda: len(sink.payloads()) >= 2, "the restock's notification at the json:// target")

    alerts = api(watch_server, "/v1/alerts?since=0")["alerts"]
    assert [a["rule"] for a in alerts] == ["drop", "back_in_stock"]
    assert [a["new_price"] for a in alerts][0] == "34.90"
    assert len(sink.payloads()) == 2
    assert [m["title"] for m in sink.payloads()] == [a["title"] for a in alerts]
    made, shown = shown_notifications(shopper, 2)
    assert made[1]["id"] in shown
    assert [n["title"] for n in made] == [a["title"] for a in alerts]
    assert [n["message"] for n in made] == [a["body"] for a in alerts]
    tab.close()

    # The options page lists the watch with its last price, and removes it.
    options = shopper.context.new_page()
    options.goto(f"chrome-extension://{shopper.extension_id}/options/options.html")
    item = options.locator("#watches li")
    item.wait_for()
    assert NAME in item.inner_text() and "Last price" in item.inner_text()
    options.screenshot(path=str(ARTIFACTS / "options-watches.png"), full_page=True)
    item.get_by_role("button", name="Remove").click()
    options.wait_for_selector("#watchesStatus:has-text('No product is watched yet')")
    assert api(watch_server, "/v1/watch")["watches"] == []
    options.close()
