"""Page plugins that misbehave, in a module of their own: a worker process that replaces a stopped one
imports only this (and what the fork server already has) to run them, not a test module and pytest."""

from __future__ import annotations

from scrapers.generic import SchemaOrgScraper

__all__ = ["HangsOnSomePages"]


class HangsOnSomePages(SchemaOrgScraper):
    """The generic scraper with a bug that spins forever on one shop's pages."""

    name = "hangs-on-some-pages"

    def extract(self, page, base=None):
        while "spinning-shop" in page.url:
            pass
        return super().extract(page, base)
