"""Values every page reader needs the same way: where the page is (base URL, country, language), links,
GTINs and availability words as schema.org writes them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from scrapers.base import Page
from scrapers.prices import country_of
from scrapers.schemaorg import first_value, text_of
from scrapers.types import Availability

__all__ = [
    "Site",
    "availability_of",
    "checked_gtin",
    "gtin_of",
    "language_of",
    "shop_code_of",
    "site_of",
    "url_of",
]

_CODE = re.compile(r"[A-Za-z0-9][\w.-]{1,39}")  # a product code: one short token, not a sentence or a URL

_AVAILABILITY: dict[str, Availability] = {
    "instock": "in_stock",
    "instoreonly": "in_stock",
    "onlineonly": "in_stock",
    "available": "in_stock",
    "limitedavailability": "in_stock",
    "outofstock": "out_of_stock",
    "oos": "out_of_stock",
    "soldout": "out_of_stock",
    "discontinued": "out_of_stock",
    "unavailable": "out_of_stock",
    "preorder": "preorder",
    "presale": "preorder",
    "backorder": "preorder",  # bought now, shipped later: closer to a pre-order than to either stock state
}


@dataclass
class Site:
    """What the page says about where it is: base URL for links, country for "$" and dates, language."""

    base_url: str
    country: str | None
    language: str | None


def site_of(page: Page, tree: HtmlElement) -> Site:
    """The page's base URL (<base href>), country (domain, else <html lang> region) and language."""
    base_href = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip().lower()
    region = re.fullmatch(r"[a-z]{2,3}[-_]([a-z]{2})", lang)
    return Site(
        base_url=urljoin(page.url, base_href) if base_href else page.url,
        country=country_of(page.url) or (region.group(1) if region else None),
        language=language_of(lang),
    )


def url_of(value: Any, site: Site) -> str | None:
    """An absolute URL from a string, a list or an ImageObject."""
    value = first_value(value)
    if isinstance(value, dict):  # ImageObject
        value = first_value(value.get("url") or value.get("contentUrl"))
    if not isinstance(value, str) or not value.strip():
        return None
    return urljoin(site.base_url, html.unescape(value.strip()))


def language_of(value: str | None) -> str | None:
    """ "it" from "it-IT", "IT", "ita"; None if it is not a language tag."""
    match = re.match(r"([a-zA-Z]{2,3})(?:[-_]|$)", (value or "").strip())
    return match.group(1).lower() if match else None


def gtin_of(value: Any) -> str | None:
    """A GTIN-8/12/13/14 as digits; None for anything else, and for the all-zero placeholder."""
    text = text_of(value)
    if not text or not re.fullmatch(r"[\d\s-]+", text):
        return None  # GS1 Digital Link URLs and the like: not a bare number, not worth guessing
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) in (8, 12, 13, 14) and digits.strip("0") else None


def checked_gtin(value: Any) -> str | None:
    """A productID that is a GTIN (an EAN printed as the id): only with a right check digit, since shops'
    own numeric codes are often GTIN-long."""
    digits = gtin_of(value)
    if digits is None:
        return None
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(reversed(digits[:-1]), start=1))
    return digits if (10 - total % 10) % 10 == int(digits[-1]) else None


def shop_code_of(node: dict[str, Any], gtin_keys: tuple[str, ...]) -> str | None:
    """The shop's code when the markup names no sku: its productID or identifier (schema.org's general
    "the product identifier"), or a code filed as a GTIN that is none (letters in it: "SONPS5DISC")."""
    for key in ("productID", "identifier", *gtin_keys):
        value = node.get(key)
        code = text_of(value) if isinstance(value, (str, int)) else None
        if not code or checked_gtin(code) or (key in gtin_keys and not re.search(r"[A-Za-z]", code)):
            continue
        if _CODE.fullmatch(code):
            return code
    return None


def availability_of(value: Any) -> Availability:
    """in_stock, out_of_stock, preorder or unknown from a schema.org ItemAvailability (URL or bare name)."""
    word = (text_of(value) or "").rstrip("/").rsplit("/", 1)[-1]
    return _AVAILABILITY.get(re.sub(r"[^a-z]", "", word.lower()), "unknown")
