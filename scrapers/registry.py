"""Plugin discovery through the `zmot.scrapers` entry-point group, and choosing the scraper for a URL."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from scrapers.base import Page, PageScraper
from scrapers.types import ProductPage

__all__ = ["ENTRY_POINT_GROUP", "PluginInfo", "Registry", "load_registry"]

ENTRY_POINT_GROUP = "zmot.scrapers"
log = logging.getLogger("zmot.plugins")


@dataclass
class PluginInfo:
    name: str
    kind: str
    matches: str
    source: str  # "module:Class"
    error: str | None = None


@dataclass
class Registry:
    page_scrapers: list[PageScraper] = field(default_factory=list)
    infos: list[PluginInfo] = field(default_factory=list)

    @property
    def fallback(self) -> PageScraper | None:
        return next((p for p in self.page_scrapers if p.fallback), None)

    def site_scraper_for(self, url: str) -> PageScraper | None:
        """The site plugin that matches `url`, if any."""
        return next((p for p in self.page_scrapers if not p.fallback and p.matches(url)), None)

    def scrape(self, page: Page) -> ProductPage:
        """The generic result, refined by the matching site plugin when there is one."""
        generic = self.fallback
        result = generic.extract(page) if generic else ProductPage(url=page.url, plugin="none")
        site = self.site_scraper_for(page.url)
        if site is not None:
            result = site.extract(page, result)
        return result

    def add(self, plugin: object, *, source: str = "", name: str = "") -> None:
        """Register an instantiated plugin (discovery calls this; tests may too)."""
        if isinstance(plugin, PageScraper):
            self.page_scrapers.append(plugin)
            self.infos.append(PluginInfo(plugin.name or name, plugin.kind, _describe(plugin), source))
        else:
            kind = getattr(plugin, "kind", "?")
            self.infos.append(PluginInfo(getattr(plugin, "name", name) or name, kind, "-", source))


def load_registry(disabled: Iterable[str] = ()) -> Registry:
    """Instantiate every installed plugin that is not disabled; a broken one is listed with its error."""
    disabled = set(disabled)
    registry = Registry()
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in disabled:
            continue
        try:
            plugin = ep.load()()
        except Exception as exc:  # a third-party plugin must not stop the server
            log.warning("plugin %s (%s) failed to load: %s", ep.name, ep.value, exc)
            registry.infos.append(PluginInfo(ep.name, "?", "", ep.value, error=str(exc)))
            continue
        registry.add(plugin, source=ep.value, name=ep.name)
    return registry


def _describe(plugin: PageScraper) -> str:
    if plugin.fallback:
        return "every URL (fallback)"
    return ", ".join(plugin.domains) or "-"

