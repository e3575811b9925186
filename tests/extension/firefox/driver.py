"""Firefox ESR with the extension, for pytest: starts driver.mjs (puppeteer-core over WebDriver BiDi) and
speaks its one-JSON-line-per-request protocol."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

__all__ = ["FirefoxExtension", "extension_for_tests"]

DRIVER = Path(__file__).with_name("driver.mjs")


def extension_for_tests(extension: Path, into: Path) -> Path:
    """The extension as tests load it in Firefox: its pages web-accessible to the local web (how driver.mjs
    opens them, since WebDriver BiDi will not) and the *.test sites granted, as the shopper's click on the
    toolbar icon grants the tab it is on. Nothing else differs; the server's address is not granted, so
    requests to it stay cross-origin, with the extension's own moz-extension:// origin."""
    copy = into / "extension"
    shutil.copytree(extension, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["host_permissions"] = ["http://*.test/*"]
    manifest["web_accessible_resources"] = [
        {"resources": ["popup/*", "options/*"], "matches": ["http://*.test/*"]}
    ]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return copy


class FirefoxExtension:
    """One Firefox with the extension loaded, pages addressed by the handles driver.mjs gives."""

    def __init__(
        self, *, node: str, firefox: str, extension: Path, web_port: int, artifacts: Path, log: Path
    ):
        self.uuid = str(uuid.uuid4())
        config = {
            "firefox": firefox,
            "extension": str(extension),
            "webPort": web_port,
            "uuid": self.uuid,
            "artifacts": str(artifacts),
        }
        self._log = log
        # Firefox's own output goes to a file: a pipe nobody reads would block it once full.
        with log.open("w") as sink:
            self._process = subprocess.Popen(
                [node, str(DRIVER), json.dumps(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=sink,
                text=True,
                cwd=DRIVER.parent,
            )
        self._next_id = 0
        hello = self._read()
        self.extension_id: str = hello["extension"]
        self.origin: str = hello["origin"]

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self._process.stdin.flush()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()

    def request(self, op: str, **args: Any) -> Any:
        self._next_id += 1
        self._process.stdin.write(json.dumps({"id": self._next_id, "op": op, **args}) + "\n")
        self._process.stdin.flush()
        answer = self._read()
        if not answer["ok"]:
            raise RuntimeError(f"{op} failed in Firefox: {answer['error']}")
        return answer["value"]

    def _read(self) -> dict[str, Any]:
        line = self._process.stdout.readline()
        if not line:
            self._process.wait(timeout=30)
            raise RuntimeError(f"the Firefox driver stopped:\n{self._log.read_text()[-4000:]}")
        return json.loads(line)

    # What a test does, in a shopper's words.

    def set_settings(self, **values: Any) -> None:
        """Store settings as the options page would."""
        self.request("settings", values=values)

    def open_tab(self, url: str) -> tuple[int, int]:
        """A new tab showing url: its handle, and its id as the extension knows it."""
        opened = self.request("open_tab", url=url)
        return opened["handle"], opened["tabId"]

    def open_popup(self, tab_id: int, *, width: int = 420) -> int:
        return self.request("open_popup", tabId=tab_id, width=width)

    def wait(self, handle: int, selector: str, *, timeout_ms: int = 15_000) -> None:
        self.request("wait", handle=handle, selector=selector, timeoutMs=timeout_ms)

    def probe(self, handle: int, queries: dict[str, str]) -> dict[str, dict[str, Any]]:
        """For each named selector: count, visible (how many), text, attrs (of the first)."""
        return self.request("probe", handle=handle, queries=queries)

    def click(self, handle: int, selector: str) -> None:
        self.request("click", handle=handle, selector=selector)

    def dialogs(self, handle: int) -> list[str]:
        """The messages of the dialogs the page opened (each dismissed)."""
        return self.request("dialogs", handle=handle)

    def screenshot(self, handle: int, name: str) -> None:
        self.request("screenshot", handle=handle, name=name)

    def close_page(self, handle: int) -> None:
        self.request("close", handle=handle)

    def strays(self) -> list[str]:
        """The first line of every request Firefox sent anywhere but the local web and loopback."""
        return self.request("strays")
