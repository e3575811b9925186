"""The self-hoster opens zmot's own page in Chromium: enters the pairing code, reads the price chart of each
watched product (a line per seller), the last briefings with their verdicts and one briefing in full, and
tests the notifications; names a shop or seller wrote show as text and run nothing."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.store import PriceObservation, SQLiteStore
from tests.extension.browser import QUIET_FLAGS
from tests.pagegen import product_page
from tests.server.conftest import make_settings
from tests.tools import free_port, raw_request, require_program, serving_in_thread

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "site"
CODE = "site-e2e-code-5d1c"
HOSTILE_NAME = "Kettle <img src=x onerror=window.__pwned=1> <script>window.__pwned=2"
HOSTILE_SELLER = "<img src=x onerror=window.__pwned=3>Bargain Bin"
DAY = 86400.0


class Site:
    """A paired zmot with two briefed and watched products and a week of prices from three sellers."""

    def __init__(self, port: int, store_path: Path) -> None:
        self.port, self.store_path = port, store_path
        self.base = f"http://127.0.0.1:{port}"
        self.briefings: dict[str, dict[str, Any]] = {}

    def api(self, method: str, path: str, body: dict | None = None) -> Any:
        headers = [("Authorization", f"Bearer {CODE}"), ("Content-Type", "application/json")]
        data = json.dumps(body).encode() if body is not None else b""
        response = raw_request(self.port, method, path, headers=headers, body=data)
        assert response.status < 300, response.body
        return response.json()

    def workers_ready(self) -> None:
        """Wait for the worker processes, as a shopper's first briefing would."""
        deadline = time.monotonic() + 90
        while raw_request(self.port, "GET", "/healthz").json()["workers"] != "ready":
            assert time.monotonic() < deadline, "the worker processes did not start"
            time.sleep(0.1)

    def brief_and_watch(self, key: str, url: str, html: str) -> None:
        started = self.api("POST", "/v1/briefings", {"url": url, "html": html})
        deadline = time.monotonic() + 90
        briefing = started
        while briefing["status"] == "running" and time.monotonic() < deadline:
            time.sleep(0.2)
            briefing = self.api("GET", f"/v1/briefings/{started['id']}")
        assert briefing["status"] != "running", "the briefing never finished"
        self.briefings[key] = briefing
        self.api("POST", "/v1/watch", {"product_id": briefing["product"]["id"], "url": url})

    def record_prices(self, product_id: str, sellers: list[str]) -> None:
        """A week of prices from each seller, written to the store the server uses: each day's price at
        noon (UTC), and a dearer one an hour later that the chart leaves out (it draws daily lows)."""
        noon = time.time() // DAY * DAY + DAY / 2
        observations = [
            PriceObservation(
                product_id,
                seller,
                f"{30 + 2 * s + (d % 3) + later * 5:.2f}",
                "EUR",
                noon - (7 - d) * DAY + later * 3600,
            )
            for s, seller in enumerate(sellers)
            for d in range(7)
            for later in (0, 1)
        ]

        async def add() -> None:
            store = SQLiteStore(self.store_path)
            await store.open()
            await store.add_prices(observations)
            await store.close()

        asyncio.run(add())

    def sellers(self, product_id: str) -> set[str]:
        return {p["seller"] for p in self.api("GET", f"/v1/products/{product_id}/prices")["points"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory, local_web) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("site")
    settings = make_settings(
        home,
        local_web,
        server={"tokens": [CODE]},
        briefing={"deadline_s": 60},  # a busy machine still makes whole briefings
        notify={"urls": [f"json://127.0.0.1:{free_port()}/nobody-listens"], "timeout_s": 3},
    )
    with serving_in_thread(settings) as port:
        site = Site(port, settings.store.sqlite_path())
        site.workers_ready()
        site.brief_and_watch("kettle", local_web.url("kettles.test", "/p/brava"), product_page())
        site.brief_and_watch(
            "hostile",
            local_web.url("hostile.test", "/p/k"),
            product_page(name=HOSTILE_NAME, seller=HOSTILE_SELLER, gtin="8009876543210"),
        )
        for key in ("kettle", "hostile"):
            site.record_prices(
                site.briefings[key]["product"]["id"], ["Casa & Co", HOSTILE_SELLER, "Brava Store"]
            )
        yield site


@pytest.fixture(scope="module")
def chromium(site) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install '.[test]')")
    executable = require_program("chromium")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True, args=QUIET_FLAGS)
        yield browser
        browser.close()


class Tab:
    """A page of the browser, with what it said on its console and the dialogs it tried to open."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 960, "height": 900})
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(url)

    def pair(self) -> None:
        """Enter the code where the page asks for it, as the self-hoster does the first time."""
        self.page.wait_for_selector("#pairing:not([hidden])")
        self.page.fill("#code", CODE)
        self.page.click("#pairing-form button[type=submit]")

    def ran_nothing(self) -> bool:
        return self.page.evaluate("window.__pwned") is None and not self.dialogs

    def policy_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]


def test_the_page_asks_for_the_code_then_charts_each_watched_product_a_line_per_seller(site, chromium):
    tab = Tab(chromium, f"{site.base}/")
    tab.pair()
    page = tab.page
    page.wait_for_selector('[data-section="watches"][aria-busy="false"]')
    watches = page.locator("article.watch")
    assert watches.count() == 2
    for key in ("kettle", "hostile"):
        product_id = site.briefings[key]["product"]["id"]
        product = page.locator(f'article.watch[data-product="{product_id}"]')
        sellers = site.sellers(product_id)
        assert len(sellers) >= 3  # the page's own seller, and the three the store was given
        chart = product.locator("svg.price-chart")
        assert chart.locator("g.seller-line").count() == len(sellers)
        assert chart.locator("g.seller-line polyline").count() == len(sellers)
        for seller in sellers - {site.briefings[key]["price"]["current"]["seller"]}:
            line = chart.locator(f'g.seller-line[data-seller="{seller}"] polyline')
            assert len(line.get_attribute("points").split()) == 7  # one point a day: its lowest price
        drawn = {
            chart.locator("g.seller-line").nth(i).get_attribute("data-seller") for i in range(len(sellers))
        }
        assert drawn == sellers
        assert set(product.locator("ul.legend .seller").all_inner_texts()) == sellers
        # Accessible: the chart is an image named by its title, described in words; its axes are labelled.
        assert chart.get_attribute("role") == "img"
        assert chart.locator("title").first.text_content().startswith("Prices of ")
        assert f"{len(sellers)} sellers" in chart.locator("desc").text_content()
        assert {"Date", "Price (EUR)"} <= set(chart.locator("text.label").all_text_contents())
        assert "€" in " ".join(chart.locator("text.tick").all_text_contents())
    names = page.locator("article.watch .product-name").all_inner_texts()
    assert site.briefings["kettle"]["product"]["name"] in names
    assert tab.ran_nothing() and tab.policy_violations() == []
    page.screenshot(path=str(ARTIFACTS / "site-home.png"), full_page=True)
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(ARTIFACTS / "site-home-dark.png"), full_page=True)
    page.close()


def test_recent_briefings_show_their_verdicts_and_open_in_full(site, chromium):
    tab = Tab(chromium, f"{site.base}/")
    tab.pair()
    page = tab.page
    page.wait_for_selector('[data-section="briefings"][aria-busy="false"]')
    items = page.locator("li.briefing")
    assert items.count() == 2
    kettle = site.briefings["kettle"]
    hostile = site.briefings["hostile"]
    assert items.nth(0).get_attribute("data-id") == hostile["id"]  # the newest first
    for item, briefing in ((items.nth(0), hostile), (items.nth(1), kettle)):
        chip = item.locator(".chip.verdict")
        assert chip.get_attribute("data-label") == briefing["verdict"]["label"]
        assert item.locator(".name").inner_text() == briefing["product"]["name"]

    # The full view, at the address the popup's "open full briefing" link opens.
    items.nth(1).locator("a.name").click()
    page.wait_for_url(f"{site.base}/briefings/{kettle['id']}")
    page.wait_for_selector('#briefing[aria-busy="false"]')
    assert page.locator(".product-name").inner_text() == kettle["product"]["name"]
    for name in ("product", "verdict", "price", "reviews", "mentions", "sources"):
        assert page.locator(f'[data-section="{name}"]').is_visible(), name
    verdict = page.locator('[data-section="verdict"] .chip.verdict')
    assert verdict.get_attribute("data-label") == kettle["verdict"]["label"]
    price = page.locator('[data-section="price"]').inner_text()
    assert "39.90" in price
    sources = page.locator('[data-section="sources"] li')
    assert sources.count() == len(kettle["sources"])
    assert tab.ran_nothing() and tab.policy_violations() == []
    page.screenshot(path=str(ARTIFACTS / "site-briefing.png"), full_page=True)
    page.close()


def test_hostile_names_show_as_text_and_run_nothing(site, chromium):
    hostile = site.briefings["hostile"]
    tab = Tab(chromium, f"{site.base}/briefings/{hostile['id']}")  # a new tab: the code is asked again
    tab.pair()
    page = tab.page
    page.wait_for_selector('#briefing[aria-busy="false"]')
    assert page.locator(".product-name").inner_text() == hostile["product"]["name"]
    # The server keeps what the shop wrote as text (tags dropped or not): the page shows it as it is.
    assert hostile["price"]["current"]["seller"] in page.locator('[data-section="price"]').inner_text()
    page.goto(f"{site.base}/")  # the code is kept for this tab
    page.wait_for_selector('[data-section="watches"][aria-busy="false"]')
    page.wait_for_selector('[data-section="briefings"][aria-busy="false"]')
    legend = page.locator(f'article.watch[data-product="{hostile["product"]["id"]}"] ul.legend')
    assert HOSTILE_SELLER in legend.all_inner_texts()[0]  # as stored, tags and all
    assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    assert tab.ran_nothing() and tab.policy_violations() == []
    page.close()


def test_the_notification_test_says_what_each_address_did(site, chromium):
    tab = Tab(chromium, f"{site.base}/")
    tab.pair()
    page = tab.page
    page.wait_for_selector('[data-section="briefings"][aria-busy="false"]')
    page.click("#notify-test")
    result = page.locator('[data-section="notify"] .results li')
    result.first.wait_for()
    # A POST from the page's own origin passed the guards; nobody listens at the configured address.
    assert result.first.get_attribute("data-status") in {"failed", "timeout"}
    assert "0 of 1 sent" in page.locator('[data-section="notify"]').inner_text()
    assert tab.ran_nothing() and tab.policy_violations() == []
    page.close()
