"""Driving Chromium with the extension loaded: what a shopper's click does, done through DevTools."""

from __future__ import annotations

import base64
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# zmot's Chromium id, fixed by the manifest's "key": the origin zmot's server lets in.
ZMOT_EXTENSION_ID = "cjmmdfjlklhnlpfddkpklcillepehcbp"

# Chromium's own connections are refused on this network; these keep it from trying.
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_id(manifest_key: str) -> str:
    """The extension id Chromium derives from a manifest "key" (a base64 DER public key): the first 128 bits
    of its SHA-256, each hex digit written as a letter from a to p."""
    digest = hashlib.sha256(base64.b64decode(manifest_key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


@dataclass
class ExtensionBrowser:
    """A persistent Chromium context with the extension, its id and a browser-level DevTools session."""

    context: Any
    worker: Any
    extension_id: str
    cdp: Any
    display: str | None = None  # the X display of a Chromium with windows; None when headless

    @classmethod
    def launch(
        cls,
        playwright,
        *,
        chromium: str,
        extension: Path,
        profile: Path,
        web_port: int,
        display: str | None = None,
    ):
        """Headless, or with windows on the X display `display` (where prompts can be answered)."""
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium,
            headless=display is None,
            env={**os.environ, "DISPLAY": display} if display is not None else None,
            args=[
                *QUIET_FLAGS,
                f"--disable-extensions-except={extension}",
                f"--load-extension={extension}",
                # DevTools (over Playwright's pipe) may then run the extension's action as a click would.
                "--enable-unsafe-extension-debugging",
                # Every *.test host is the local web: the browser reaches the shop pages by their own names.
                f"--host-resolver-rules=MAP *.test 127.0.0.1:{web_port}",
            ],
        )
        worker = (
            context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        )
        extension_id = worker.url.split("/")[2]
        return cls(context, worker, extension_id, context.browser.new_browser_cdp_session(), display)

    def close(self) -> None:
        self.context.close()

    def set_settings(self, **values: Any) -> None:
        """Store settings as the options page would."""
        self.worker.evaluate("values => chrome.storage.local.set(values)", values)

    def open_tab(self, url: str):
        """A new tab showing url, brought to the front."""
        page = self.context.new_page()
        page.goto(url)
        page.bring_to_front()
        return page

    def click_action(self, page) -> int:
        """Run the extension's action on the tab of `page`, as a click on the toolbar icon does (that is what
        grants activeTab); returns the tab's id as the extension knows it."""
        targets = self.cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        tab = next(t for t in targets if t["type"] == "tab" and t["url"] == page.url)
        self.cdp.send("Extensions.triggerAction", {"id": self.extension_id, "targetId": tab["targetId"]})
        # With activeTab granted, the extension may see the tab's address: that is how its id is found.
        deadline = time.monotonic() + 5
        while True:
            found = self.worker.evaluate(
                "url => chrome.tabs.query({}).then(tabs => (tabs.find(t => t.url === url) || {}).id ?? null)",
                page.url,
            )
            if found is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert found is not None, f"the extension cannot see {page.url} after its action ran"
        return found

    def popup_url(self, tab_id: int) -> str:
        return f"chrome-extension://{self.extension_id}/popup/popup.html?tab={tab_id}"

    def open_popup(self, tab_id: int, *, width: int = 420, color_scheme: str = "light"):
        """The popup for a tab, opened in a normal tab (DESIGN.md: popup.html?tab=ID)."""
        page = self.context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=color_scheme)
        page.goto(self.popup_url(tab_id))
        return page
