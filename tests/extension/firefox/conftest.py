"""Fixtures for the Firefox end-to-end tests: Firefox ESR with the extension, beside the zmot server and the
local web that tests/extension/conftest.py starts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.extension.conftest import ARTIFACTS, EXTENSION_DIR, PAIRING_CODE
from tests.extension.firefox.driver import FirefoxExtension, extension_for_tests
from tests.localweb import LocalWeb
from tests.tools import require_program

PUPPETEER = Path(__file__).resolve().parents[3] / "node_modules" / "puppeteer-core"


def _require_puppeteer() -> None:
    """Skip without npm's puppeteer-core (fail in CI, where it must run), as require_program does."""
    if PUPPETEER.is_dir():
        return
    reason = "puppeteer-core is not installed (npm ci --no-audit --no-fund at the repository's root)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")  # session, so that it is checked before the session's servers start
def firefox_programs() -> tuple[str, str]:
    """Firefox ESR and node (with puppeteer-core): checked before any server starts, to skip at once."""
    firefox_esr = require_program("firefox-esr")
    node = require_program("node")
    _require_puppeteer()
    return firefox_esr, node


@pytest.fixture(scope="module")
def firefox(
    firefox_programs: tuple[str, str], local_web: LocalWeb, zmot_server: str, tmp_path_factory
) -> Iterator[FirefoxExtension]:
    """Headless Firefox ESR (Debian's) with the extension, paired with the test's zmot server; one for the
    whole module, since it takes seconds to start."""
    firefox_esr, node = firefox_programs
    home = tmp_path_factory.mktemp("firefox")
    artifacts = ARTIFACTS / "firefox"
    artifacts.mkdir(parents=True, exist_ok=True)
    browser = FirefoxExtension(
        node=node,
        firefox=firefox_esr,
        extension=extension_for_tests(EXTENSION_DIR, home),
        web_port=local_web.port,
        artifacts=artifacts,
        log=home / "firefox.log",
    )
    try:
        browser.set_settings(serverUrl=zmot_server, token=PAIRING_CODE, language="en")
        yield browser
    finally:
        browser.close()
