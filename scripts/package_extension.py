"""Build the browser extension's store packages: dist/zmot-chrome-VERSION.zip, dist/zmot-firefox-VERSION.zip.

    python scripts/package_extension.py          # both zips
    python scripts/package_extension.py --lint   # and `web-ext lint` (npm, via npx) on the Firefox build

extension/ loads unpacked as it is; the zips differ only in the manifest: Chrome's keeps the service worker
and the "key", Firefox's the background scripts and browser_specific_settings.

The "key" fixes zmot's Chromium id (cjmmdfjlklhnlpfddkpklcillepehcbp), the origin zmot's server lets in, for
the unpacked folder and the Chrome zip alike: that zip is for loading unpacked and for handing out as it is
(a Chrome Web Store listing would have the store's own id, which the server would then have to be told).
Firefox has no use for the key (its id is the gecko id, its origin a random moz-extension:// one) and reports
it as an unexpected manifest property on install, so the Firefox zip goes without.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "extension"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # the same files give the same zip


def manifest_for(browser: str, manifest: dict) -> dict:
    """The manifest as each browser wants it."""
    out = json.loads(json.dumps(manifest))
    background = out["background"]
    if browser == "chrome":
        background.pop("scripts", None)
        out.pop("browser_specific_settings", None)
    else:
        background.pop("service_worker", None)
        out.pop("key", None)
    return out


def package_files() -> list[Path]:
    """Every file of the extension, in a stable order (nothing hidden)."""
    return sorted(
        p for p in SOURCE.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts)
    )


def build(browser: str, out_dir: Path) -> Path:
    """Write the zip for `browser` ("chrome" or "firefox") and return its path."""
    manifest = json.loads((SOURCE / "manifest.json").read_text(encoding="utf-8"))
    target = out_dir / f"zmot-{browser}-{manifest['version']}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in package_files():
            name = path.relative_to(SOURCE).as_posix()
            data = path.read_bytes()
            if name == "manifest.json":
                data = (
                    json.dumps(manifest_for(browser, manifest), indent=2, ensure_ascii=False) + "\n"
                ).encode()
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return target


def lint(firefox_zip: Path) -> int:
    """Run Mozilla's `web-ext lint` on the unpacked Firefox build; returns its exit code."""
    npx = shutil.which("npx")
    if npx is None:
        print("npx is not installed: cannot run web-ext lint", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(firefox_zip) as archive:
            archive.extractall(tmp)
        command = [npx, "--yes", "web-ext", "lint", "--source-dir", tmp]
        return subprocess.run(command, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the zips go (default: dist/)")
    parser.add_argument("--lint", action="store_true", help="run web-ext lint on the Firefox build")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    built = {browser: build(browser, args.out) for browser in ("chrome", "firefox")}
    for path in built.values():
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return lint(built["firefox"]) if args.lint else 0


if __name__ == "__main__":
    sys.exit(main())
