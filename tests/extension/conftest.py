"""Fixtures for the extension's end-to-end tests: zmot server, local web, Chromium with the extension."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.extension.browser import ExtensionBrowser
from tests.localweb import LocalWeb
from tests.tools import require_program, serving, toml_table

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "extension"
# The code the test server is paired with, entered in the extension as a shopper enters `zmot token`'s.
PAIRING_CODE = "e2e-pairing-code-7f3a"


def _require_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install '.[test]')"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI must run this test: {reason}")
        pytest.skip(reason)
    return sync_playwright


@contextlib.contextmanager
def paired_zmot(home: Path, local_web: LocalWeb, more: str = "") -> Iterator[str]:
    """`zmot serve` on a free loopback port with its own store in `home`, paired with PAIRING_CODE and
    reaching the local web by its host names; `more` adds TOML sections."""
    config = (
        # The first lines land in [server]: the token is the pairing code, as `zmot token` would print it.
        f"tokens = [{json.dumps(PAIRING_CODE)}]\n"
        f'[store]\npath = "{home / "store.sqlite3"}"\n'
        f"[fetch]\nresolve = {toml_table(local_web.resolve_map())}\ntotal_timeout_s = 2.0\n{more}"
    )
    with serving([require_program("zmot")], config, home) as base:
        yield base


@contextlib.contextmanager
def shopper_chromium(
    playwright, extension: Path, profile: Path, local_web: LocalWeb, server: str, display: str | None = None
) -> Iterator[ExtensionBrowser]:
    """Chromium (Debian's) with `extension` loaded, paired with `server`, reading in English: headless, or
    with windows on the X display `display`."""
    session = ExtensionBrowser.launch(
        playwright,
        chromium=require_program("chromium"),
        extension=extension,
        profile=profile,
        web_port=local_web.port,
        display=display,
    )
    try:
        session.set_settings(serverUrl=server, token=PAIRING_CODE, language="en")
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def zmot_server(tmp_path_factory, local_web: LocalWeb) -> Iterator[str]:
    """The server the extension talks to, as a self-hoster's would be: it searches the local web's SearXNG
    for mentions and other sellers."""
    search = '[search]\nprovider = "searxng"\nurl = "http://search.test/search"\n'
    with paired_zmot(tmp_path_factory.mktemp("zmot"), local_web, search) as base:
        yield base


@pytest.fixture(scope="module")
def playwright():
    """One Playwright driver per module (its sync API cannot be nested, and its event loop must be gone
    before the asyncio tests of other modules run)."""
    sync_playwright = _require_playwright()
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(
    playwright, local_web: LocalWeb, zmot_server: str, tmp_path_factory
) -> Iterator[ExtensionBrowser]:
    """Headless Chromium (Debian's) with the unpacked extension loaded, pointed at the test's zmot server."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with shopper_chromium(playwright, EXTENSION_DIR, profile, local_web, zmot_server) as session:
        yield session
