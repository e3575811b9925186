"""Plugin discovery through the `zmot.scrapers` entry-point group, and choosing the plugin for a page."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from scrapers.base import Page, PageScraper, PluginContext
from scrapers.corrections import Correction, apply_corrections
from scrapers.isolation import Outcome, page_problem, reviews_problem, run_plugin
from scrapers.sources import MentionSource, OfferSource, SearchProvider
from scrapers.types import ProductPage, Review

__all__ = ["ENTRY_POINT_GROUP", "PluginInfo", "Registry", "ScrapeFailed", "load_registry"]

ENTRY_POINT_GROUP = "zmot.scrapers"
KINDS = ("page", "search", "mentions", "offers")
log = logging.getLogger("zmot.plugins")


class ScrapeFailed(Exception):
    """Every page scraper that tried the page failed: there is no result to fall back to."""


@dataclass
class PluginInfo:
    name: str
    kind: str
    matches: str
    source: str  # "module:Class"
    error: str | None = None


@dataclass
class Registry:
    """The installed plugins by kind; `infos` describes each for `zmot plugins`."""

    page_scrapers: list[PageScraper] = field(default_factory=list)
    search_providers: list[SearchProvider] = field(default_factory=list)
    mention_sources: list[MentionSource] = field(default_factory=list)
    offer_sources: list[OfferSource] = field(default_factory=list)
    infos: list[PluginInfo] = field(default_factory=list)

    @property
    def fallback(self) -> PageScraper | None:
        return next((p for p in self.page_scrapers if p.fallback), None)

    def of_kind(self, kind: str) -> list[Any]:
        """The plugins of one kind: "page", "search", "mentions" or "offers"."""
        lists: dict[str, list[Any]] = {"page": self.page_scrapers, "search": self.search_providers,
                                       "mentions": self.mention_sources, "offers": self.offer_sources}
        return list(lists.get(kind, []))

    def site_scraper_for(self, url: str, page: Page | None = None) -> PageScraper | None:
        """The site plugin for `url`: one whose domains match, else one that recognizes the page's markup."""
        sites = [p for p in self.page_scrapers if not p.fallback]
        found = next((p for p in sites if _safely(p.matches, url)), None)
        if found is None and page is not None:
            found = next((p for p in sites if _safely(p.detects, page)), None)
        return found

    def page_scraper_named(self, name: str) -> PageScraper | None:
        return next((p for p in self.page_scrapers if p.name == name), None)

    def scrape(self, page: Page, corrections: Sequence[Correction] = ()) -> ProductPage:
        """The generic result refined by the matching site plugin; a failing plugin is noted in `errors`.
        The shopper's `corrections` for the page's site win over both (scrapers.corrections).

        Raises ScrapeFailed when every scraper that tried failed, so there is nothing to fall back to.
        """
        errors: list[str] = []
        result: ProductPage | None = None
        generic = self.fallback
        if generic is not None:
            result = _extract(generic, page, None, errors)
        site = self.site_scraper_for(page.url, page)
        if site is not None:
            result = _extract(site, page, result, errors) or result
        if result is None:
            if errors:
                raise ScrapeFailed("; ".join(errors))
            result = ProductPage(url=page.url, plugin="none")
        result.errors = [*result.errors, *errors]
        if result.product.brand:
            result.product.brand = _TRADEMARK.sub("", result.product.brand).strip() or None
            explained = result.explanation.get("brand")
            if isinstance(explained, dict) and explained.get("value"):
                explained["value"] = result.product.brand
        if corrections:
            apply_corrections(page, result, corrections)
        return result

    async def enrich(self, ctx: PluginContext, result: ProductPage) -> Outcome[ProductPage]:
        """Let the plugin that made `result` complete it from the shop's data endpoints."""
        plugin = self.page_scraper_named(result.plugin)
        if plugin is None:
            return Outcome(result.plugin, "ok", result)
        return await run_plugin(ctx, plugin.name, lambda: plugin.enrich(ctx, result), page_problem)

    async def more_reviews(
        self, ctx: PluginContext, result: ProductPage, *, limit: int
    ) -> Outcome[list[Review]]:
        """Reviews beyond the page's, from the plugin that made `result` (an empty list if it has none)."""
        plugin = self.page_scraper_named(result.plugin)
        if plugin is None:
            return Outcome(result.plugin, "ok", [])
        return await run_plugin(ctx, plugin.name, lambda: plugin.more_reviews(ctx, result, limit=limit),
                                reviews_problem)

    def add(self, plugin: object, *, source: str = "", name: str = "") -> None:
        """Register an instantiated plugin (discovery calls this; tests may too)."""
        kind = getattr(plugin, "kind", "?")
        label = getattr(plugin, "name", "") or name
        if isinstance(plugin, PageScraper):
            self.page_scrapers.append(plugin)
            matches = _describe(plugin)
        elif isinstance(plugin, SearchProvider):
            self.search_providers.append(plugin)
            matches = "search queries"
        elif isinstance(plugin, MentionSource):
            self.mention_sources.append(plugin)
            matches = "products (mentions)"
        elif isinstance(plugin, OfferSource):
            self.offer_sources.append(plugin)
            matches = "products (offers)"
        else:
            self.infos.append(PluginInfo(label, kind, "-", source, error="not a zmot plugin class"))
            return
        self.infos.append(PluginInfo(label, kind, matches, source))


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


def _extract(
    plugin: PageScraper, page: Page, base: ProductPage | None, errors: list[str]
) -> ProductPage | None:
    """The plugin's result, or None (and a line in `errors`) if it raised or returned garbage."""
    try:
        result = plugin.extract(page, base)
    except Exception as exc:  # isolate: the generic result (or an empty page) stands instead
        log.warning("plugin %s failed on %s: %r", plugin.name, page.url, exc, exc_info=True)
        errors.append(f"{plugin.name}: {type(exc).__name__}: {exc}")
        return None
    problem = page_problem(result)
    if problem is not None:
        log.warning("plugin %s returned garbage for %s: %s", plugin.name, page.url, problem)
        errors.append(f"{plugin.name}: returned garbage: {problem}")
        return None
    return result


# Trademark signs after a brand ("Wade Logan®", "Acme™"): the brand a shopper names and compares is without.
_TRADEMARK = re.compile(r"\s*(?:[®™©℠]|\((?:R|TM)\))")


def _safely(check: Any, arg: Any) -> bool:
    try:
        return bool(check(arg))
    except Exception as exc:  # a plugin's matcher must not break the choice for everyone else
        log.warning("plugin matcher %r failed: %r", check, exc)
        return False


def _describe(plugin: PageScraper) -> str:
    if plugin.fallback:
        return "every URL (fallback)"
    if plugin.matches_label:
        return plugin.matches_label
    domains = ", ".join(plugin.domains)
    if type(plugin).detects is not PageScraper.detects:
        domains = f"{domains}, pages it detects" if domains else "pages it detects"
    return domains or "-"
