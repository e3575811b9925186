"""Packaging: a zip per browser from extension/, the manifests differing (background, gecko id, key)."""

from __future__ import annotations

import json
import zipfile

from scripts.package_extension import SOURCE, main
from tests.extension.browser import ZMOT_EXTENSION_ID, chromium_id


def test_each_store_gets_its_own_manifest_and_every_file(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    version = json.loads((SOURCE / "manifest.json").read_text())["version"]
    chrome = zipfile.ZipFile(tmp_path / f"zmot-chrome-{version}.zip")
    firefox = zipfile.ZipFile(tmp_path / f"zmot-firefox-{version}.zip")
    names = sorted(p.relative_to(SOURCE).as_posix() for p in SOURCE.rglob("*") if p.is_file())
    assert sorted(chrome.namelist()) == names == sorted(firefox.namelist())
    chrome_manifest = json.loads(chrome.read("manifest.json"))
    firefox_manifest = json.loads(firefox.read("manifest.json"))
    assert chrome_manifest["background"] == {"service_worker": "background.js", "type": "module"}
    assert "browser_specific_settings" not in chrome_manifest
    assert "key" not in firefox_manifest  # Firefox would only warn about it
    assert firefox_manifest["background"] == {"scripts": ["background.js"], "type": "module"}
    assert firefox_manifest["browser_specific_settings"]["gecko"]["id"]
    assert (
        chrome_manifest["permissions"]
        == firefox_manifest["permissions"]
        == ["activeTab", "alarms", "scripting", "storage"]
    )
    assert (
        chrome_manifest["optional_permissions"]
        == firefox_manifest["optional_permissions"]
        == ["notifications"]
    )


def test_the_manifest_key_gives_zmot_its_fixed_chromium_id_in_the_folder_and_the_chrome_zip(tmp_path):
    """The id is the extension's origin, the one zmot's server lets in: unpacked or zipped, it is the same."""
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    assert chromium_id(manifest["key"]) == ZMOT_EXTENSION_ID
    assert main(["--out", str(tmp_path)]) == 0
    chrome = zipfile.ZipFile(tmp_path / f"zmot-chrome-{manifest['version']}.zip")
    assert json.loads(chrome.read("manifest.json"))["key"] == manifest["key"]
