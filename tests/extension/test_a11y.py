"""Accessibility in real Chromium: the popup and the options page, in every state a shopper meets them, pass
axe-core's rules (WCAG 2.x A and AA and best practices), in light and in dark; and the popup can be read and
worked from the keyboard alone, section by section."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from tests.extension.conftest import ARTIFACTS, PAIRING_CODE
from tests.extension.stub_server import StubServer, rich_briefing
from tests.tools import free_port

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
HEADPHONES = "http://shop-us.test/products/noise-cancelling-headphones"
SECTIONS = ("verdict", "price", "reviews", "mentions", "sources")
SCHEMES = ("light", "dark")

# Run in the page: axe's violations, each with the nodes it found and why, as plain data.
RUN_AXE = """() => axe.run(document, {resultTypes: ['violations']}).then((result) =>
  result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), why: n.failureSummary})),
  })))"""

# Run in the page: what has the focus, where it is, and whether it shows that it has it.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const section = e.closest('[data-section]');
  return {
    tag: e.tagName.toLowerCase(),
    name: (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 60),
    section: section ? section.dataset.section : null,
    in_form: Boolean(e.closest('.watch-form')),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
  };
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script (npm's axe-core, installed by `npm ci`); skipped without it, failed in CI."""
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    reason = f"{AXE} is missing (npm ci)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def violations(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the page as it stands. The script goes in through DevTools (which the
    extension page's script-src 'self' does not stop), once per document."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(RUN_AXE)


def assert_accessible(page, axe_source: str, what: str) -> None:
    """No axe violation on the page, in light and in dark; the message names each rule and node."""
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        for violation in violations(page, axe_source):
            nodes = "\n    ".join(f"{n['target']}: {n['why']}" for n in violation["nodes"])
            found[f"{violation['id']} ({scheme})"] = f"{violation['help']}\n    {nodes}"
    page.emulate_media(color_scheme="light")
    assert not found, f"axe finds in {what}:\n" + "\n".join(f"- {k}: {v}" for k, v in found.items())


def section(popup, name: str):
    return popup.locator(f'[data-section="{name}"]')


def wait_arrived(popup, name: str, timeout_ms: int = 20_000) -> None:
    popup.wait_for_selector(f'[data-section="{name}"][aria-busy="false"]', timeout=timeout_ms)


def briefed_popup(browser, url: str = HEADPHONES):
    """The popup for a shop page, once every section has arrived."""
    shop = browser.open_tab(url)
    popup = browser.open_popup(browser.click_action(shop))
    for name in ("product", *SECTIONS):
        wait_arrived(popup, name)
    return shop, popup


def api(server: str, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = Request(
        f"{server}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {PAIRING_CODE}", "Content-Type": "application/json"},
    )
    with urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def test_a_complete_briefing_and_its_open_watch_control_pass_axe(browser, local_web, axe_source):
    shop, popup = briefed_popup(browser)
    assert popup.locator("#notice").get_attribute("data-state") != "partial"
    assert_accessible(popup, axe_source, "the popup with a complete briefing")

    watch = popup.get_by_role("button", name="Watch this price")
    watch.wait_for(timeout=10_000)
    watch.click()
    popup.get_by_role("button", name="Start watching").wait_for()
    assert_accessible(popup, axe_source, "the popup with the watch control open")
    popup.screenshot(path=str(ARTIFACTS / "a11y-watch-form.png"), full_page=True)
    popup.close()
    shop.close()


def test_a_partial_briefing_with_every_field_passes_axe(browser, local_web, zmot_server, axe_source):
    with StubServer(rich_briefing(HEADPHONES, "Clear, calm text")) as stub:
        browser.set_settings(serverUrl=stub.url)
        try:
            shop, popup = briefed_popup(browser)
        finally:
            browser.set_settings(serverUrl=zmot_server)
    assert popup.locator('#notice[data-state="partial"]').is_visible()
    assert_accessible(popup, axe_source, "the popup with a partial briefing")
    popup.close()
    shop.close()


def test_the_server_down_notice_passes_axe(browser, local_web, zmot_server, axe_source):
    browser.set_settings(serverUrl=f"http://127.0.0.1:{free_port()}")
    try:
        shop = browser.open_tab("http://shop-it.test/prodotto/macchina-caffe-espresso")
        popup = browser.open_popup(browser.click_action(shop))
        popup.wait_for_selector('#notice[data-state="unreachable"]', timeout=15_000)
    finally:
        browser.set_settings(serverUrl=zmot_server)
    assert_accessible(popup, axe_source, "the popup with the server down")
    popup.close()
    shop.close()


def test_the_options_page_with_watches_listed_passes_axe(browser, local_web, zmot_server, axe_source):
    shop, popup = briefed_popup(browser)
    views = browser.worker.evaluate("chrome.storage.session.get(null)")
    [product] = {v["briefing"]["product"]["id"] for v in views.values() if v.get("url") == HEADPHONES}
    api(zmot_server, "POST", "/v1/watch", {"product_id": product, "url": HEADPHONES, "notify_on": ["drop"]})
    popup.close()
    shop.close()
    try:
        options = browser.context.new_page()
        options.goto(f"chrome-extension://{browser.extension_id}/options/options.html")
        options.locator("#watches li").wait_for(timeout=10_000)
        assert_accessible(options, axe_source, "the options page with a watch listed")
        options.locator("#watches li").get_by_role("button", name="Change").click()
        options.locator("#watches form").wait_for()
        assert_accessible(options, axe_source, "the options page changing a watch")
        options.close()
    finally:
        path = f"/v1/watch/{product}?url={HEADPHONES}"
        api(zmot_server, "DELETE", path)


def test_the_popup_reads_section_by_section_and_works_from_the_keyboard(browser, local_web):
    """A screen-reader user moves between the sections by their headings (each section a region named by
    its heading); a keyboard user tabs through the tools, then each section in reading order, always seeing
    where the focus is, and opens the watch form with Enter and ticks its boxes with Space."""
    shop, popup = briefed_popup(browser)
    assert popup.get_by_role("heading", level=1).count() == 1
    for name in SECTIONS:
        title = section(popup, name).locator("h2").inner_text()
        assert title and popup.get_by_role("region", name=title, exact=False).count() >= 1, name
    assert popup.get_by_role("main").count() == 1

    popup.locator("body").focus()
    stops = []
    for _ in range(60):
        popup.keyboard.press("Tab")
        focused = popup.evaluate(FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            break
        stops.append(focused)
    print("\nfocus order:", [(stop["section"], stop["tag"], stop["name"]) for stop in stops])
    assert len(stops) >= 4, stops
    unseen = [stop for stop in stops if not stop["ring"]]
    assert not unseen, f"focused without a visible focus style: {unseen}"
    tools = [stop["name"] for stop in stops if stop["section"] is None]
    assert {"Refresh", "Options"} <= set(tools), stops
    order = [SECTIONS.index(stop["section"]) for stop in stops if stop["section"] in SECTIONS]
    assert order == sorted(order), f"the sections are not reached in reading order: {stops}"
    assert "Watch this price" in [stop["name"] for stop in stops]

    watch = popup.get_by_role("button", name="Watch this price")
    watch.focus()
    popup.keyboard.press("Enter")
    start = popup.get_by_role("button", name="Start watching")
    start.wait_for()
    # The form replaces the button; the next Tab goes on into the form, not back to the top.
    popup.keyboard.press("Tab")
    assert popup.evaluate(FOCUSED)["in_form"]
    box = popup.locator('.watch-form input[type="checkbox"]').first
    ticked = box.is_checked()
    box.focus()
    popup.keyboard.press("Space")
    assert box.is_checked() != ticked
    assert popup.evaluate(FOCUSED)["ring"]
    popup.get_by_role("button", name="Cancel").focus()
    popup.keyboard.press("Enter")
    popup.get_by_role("button", name="Watch this price").wait_for()
    popup.close()
    shop.close()
