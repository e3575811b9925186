"""Golden pages: `tests/fixtures/pages/<plugin>/<case>.html` and the product page JSON expected from it.

The JSON is `ProductPage.to_json()`; its "url" is the address the case is scraped as. To add a case, save the
page as `<case>.html`, write `<case>.json` holding just `{"url": "…"}`, run
`python -m tests.scrapers.regenerate <plugin>/<case>`, and read the result before committing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapers.base import Page
from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry, load_registry

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


@dataclass(frozen=True)
class GoldenCase:
    html_path: Path

    @property
    def id(self) -> str:
        return f"{self.html_path.parent.name}/{self.html_path.stem}"

    @property
    def json_path(self) -> Path:
        return self.html_path.with_suffix(".json")

    def expected(self) -> dict[str, Any]:
        return json.loads(self.json_path.read_text(encoding="utf-8"))

    def html(self) -> str:
        # Saved pages are bytes from the wild: decode the way the fetcher does rather than fail on them.
        return self.html_path.read_bytes().decode("utf-8", errors="replace")


def golden_cases() -> list[GoldenCase]:
    """Every saved page under tests/fixtures/pages/*/, in a stable order."""
    return [GoldenCase(path) for path in sorted(PAGES.glob("*/*.html"))]


def golden_registry() -> Registry:
    """The installed plugins; the generic scraper is added when the project is not installed."""
    registry = load_registry()
    if registry.fallback is None:
        registry.add(SchemaOrgScraper(), source="scrapers.generic:SchemaOrgScraper")
    return registry


def scrape(case: GoldenCase, registry: Registry) -> dict[str, Any]:
    """What the plugins make of the case's page today, as JSON."""
    return registry.scrape(Page(url=case.expected()["url"], html=case.html())).to_json()
