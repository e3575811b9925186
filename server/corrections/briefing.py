"""The owner's corrections in a briefing: how each fared on the page, and what they add to the keys a
briefing is served again by (the page's, and the posted bytes')."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from scrapers.corrections import correction_status
from scrapers.types import ProductPage
from server.corrections.requests import for_page, site_of
from server.store.base import PriceObservation, SiteCorrection, Store

__all__ = [
    "corrections_digest",
    "corrections_of_page",
    "corrections_report",
    "history_since_correction",
    "with_corrections",
]

log = logging.getLogger("zmot.corrections")


async def corrections_of_page(store: Store, owner: str, url: str) -> list[SiteCorrection]:
    """The owner's corrections of the page's site; none when the store cannot say (the page is then read as
    the scrapers read it, never refused). A shopper's briefing and the server's own watch checks both read a
    page through them, so that a watched price does not flip between the corrected and the automatic one."""
    site = site_of(url)
    if site is None:
        return []
    try:
        return await store.corrections(owner, site)
    except Exception:
        log.warning("reading the corrections of %s failed", site, exc_info=True)
        return []


def history_since_correction(
    history: list[PriceObservation], page: ProductPage, corrections: list[SiteCorrection]
) -> list[PriceObservation]:
    """The price history a corrected price is judged by: the site's prices seen before the shopper corrected
    it were read from the wrong element (the open-box price taken for the new one), so they are left out;
    other shops' prices, and the site's since the correction, stay."""
    if page.field_sources.get("price") != "correction":
        return history
    since = max((c.created_at for c in corrections if c.field == "price"), default=None)
    site = site_of(page.url)
    if since is None or site is None:
        return history
    return [o for o in history if o.observed_at >= since or site_of(o.url or "") != site]


def corrections_digest(corrections: list[SiteCorrection]) -> str:
    """The corrections by their ids (a new pick of a field gets a new id): "" for none."""
    if not corrections:
        return ""
    return hashlib.sha256("\n".join(sorted(c.id for c in corrections)).encode()).hexdigest()[:32]


def corrections_report(page: ProductPage, corrections: list[SiteCorrection]) -> list[dict[str, Any]]:
    """Each correction of the site with whether it held on this page (the briefing's `corrections`)."""
    return [
        {
            "id": c.id,
            "field": c.field,
            "selector": c.selector,
            "status": correction_status(page, for_page([c])[0]),
            "value": c.value,
        }
        for c in corrections
    ]


def with_corrections(key: str, report: list[dict[str, Any]] | None) -> str:
    """The page key with the owner's corrections and how they fared: a corrected or stale-marked briefing
    is served again only to the owner of those corrections."""
    if not report:
        return key
    text = key + json.dumps([(c["id"], c["status"]) for c in report])
    return hashlib.sha256(text.encode()).hexdigest()[:32]
