"""The shopper's corrections: for one site, a CSS selector per field pointing at the element that shows the
right value, read on every later page of that site before the scrapers' own values (it wins).

A correction that matches nothing, or whose element cannot be read as its field (the shop changed its
layout), changes nothing: the automatic value stands, and the field's source is not "correction", which is
how a caller tells an applied correction from a stale one (`correction_status`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from scrapers.base import Page
from scrapers.dates import parse_date
from scrapers.prices import country_of, parse_price
from scrapers.types import Offer, ProductPage, Review
from scrapers.visible_facts import stock_said  # the visible page's stock words, all its languages

__all__ = [
    "FIELDS",
    "MAX_SELECTOR_CHARS",
    "Correction",
    "apply_corrections",
    "check_selector",
    "correction_status",
    "keep_corrected",
]

FIELDS: tuple[str, ...] = ("price", "list_price", "availability", "reviews")
MAX_SELECTOR_CHARS = 1000
SOURCE = "correction"
log = logging.getLogger("zmot.plugins")

_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "svg"})
_PRICE_LINE = 80  # characters: "€ 99,00 incl. VAT, free delivery" fits, a buy box does not
_STOCK_LINE = 200  # characters: past this an element is a description, not a stock line
_MAX_REVIEWS = 200
_ITEM_DEPTH = 4  # levels below the picked block where its repeated items may be
_MIN_REVIEW_CHARS = 3
_SPACE = re.compile(r"\s+")
_OUT_OF = re.compile(r"(\d(?:[.,]\d)?)\s*(?:/|out of|von|de|su|sur|van|z|из)\s*5(?![\d.,])", re.I)
_STAR_GLYPHS = re.compile(r"[★⭐]+")
_RATING_ATTRS = ("aria-label", "title", "content")
_RATING_ATTR = re.compile(r"^data-.*(rating|score|stars)")
_STARS_CLASS = re.compile(r"(?:star|rating|rate)s?[-_ ]?(\d)(?:[-_]?(\d))?(?!\d)", re.I)
_AUTHOR_WORDS = re.compile(r"author|user-?name|reviewer|nickname|byline|profile-?name|customer-?name", re.I)
_DATE_WORDS = re.compile(r"date|time|posted|published", re.I)
_TEXT_WORDS = re.compile(r"text|body|content|comment|description|message", re.I)
_TITLE_WORDS = re.compile(r"title|headline|summary", re.I)


@dataclass(frozen=True)
class Correction:
    """One correction of one site: the element `selector` picks shows `field` ("price", "list_price",
    "availability" or "reviews"); `value` is what the shopper saw there. Plain data: it goes to worker
    processes with the page."""

    id: str
    field: str
    selector: str
    value: str | None = None


def check_selector(selector: str) -> str | None:
    """Why `selector` cannot be used (a message for the shopper), or None when lxml's cssselect takes it."""
    if not selector.strip():
        return "the selector is empty"
    if len(selector) > MAX_SELECTOR_CHARS:
        return f"the selector is over {MAX_SELECTOR_CHARS} characters"
    try:
        _compiled(selector)
    except (SelectorError, ValueError, TypeError) as exc:
        return f"not a CSS selector lxml can use: {exc}"
    return None


def correction_status(result: ProductPage, correction: Correction) -> str:
    """Whether the correction held on this page: "applied" when it set its field, else "stale"."""
    return "applied" if result.field_sources.get(correction.field) == SOURCE else "stale"


def apply_corrections(page: Page, result: ProductPage, corrections: Iterable[Correction]) -> None:
    """Read each correction's field at its selector on `page` and put it in `result`, over what the
    scrapers found; a correction that matches nothing readable leaves `result` as it was."""
    readers = {"price": _price, "list_price": _price, "availability": _availability, "reviews": _reviews}
    # The price first: a list price or availability given alone still needs an offer to go in.
    for correction in sorted(corrections, key=lambda c: FIELDS.index(c.field) if c.field in FIELDS else 9):
        reader = readers.get(correction.field)
        if reader is None or check_selector(correction.selector) is not None:
            continue
        try:
            why = reader(page, result, correction.field, _compiled(correction.selector)(page.tree))
        except Exception as exc:  # a correction that cannot be read is stale; the page's result stands
            log.warning("correction %s failed on %s: %r", correction.id, page.url, exc)
            continue
        if why is not None:
            result.set_source(correction.field, SOURCE)
            explained = {"source": SOURCE, "why": why, "selector": correction.selector}
            result.explanation[correction.field] = explained


def keep_corrected(before: ProductPage, after: ProductPage) -> ProductPage:
    """`after` (the page completed later, from the shop's data) with the fields the shopper's corrections
    set on `before` put back: a correction wins over every other source."""
    corrected = [name for name, source in before.field_sources.items() if source == SOURCE]
    if not corrected:
        return after
    if "reviews" in corrected:
        after.reviews = before.reviews
    if before.offers and set(corrected) - {"reviews"}:
        if not after.offers:
            after.offers.append(Offer(url=before.url))
        offer = after.offers[0]
        for name in ("price", "list_price", "availability", "currency"):
            if name in corrected:
                setattr(offer, name, getattr(before.offers[0], name))
    for name in corrected:
        after.set_source(name, SOURCE)
    return after


@lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


def _text(element: HtmlElement) -> str:
    """The element's text as a shopper reads it: without scripts, styles and comments, spaces folded."""
    return _SPACE.sub(" ", " ".join(_texts(element))).strip()


def _texts(element: HtmlElement) -> Iterable[str]:
    if isinstance(element.tag, str) and element.tag not in _NOT_TEXT:
        yield element.text or ""
        for child in element:
            yield from _texts(child)
            yield child.tail or ""


def _offer(page: Page, result: ProductPage) -> Offer:
    """The page's current offer, made when the scrapers found none."""
    if not result.offers:
        result.offers.append(Offer(url=page.url))
    return result.offers[0]


def _price(page: Page, result: ProductPage, field: str, elements: list[HtmlElement]) -> str | None:
    for element in elements:
        text = _text(element)
        if len(text) > _PRICE_LINE:  # a whole block, not the price: its first number is a guess
            continue
        amount, code = parse_price(text, country=country_of(page.url))
        if amount is None or float(amount) == 0:  # a zero is a placeholder, never a price to pay
            continue
        offer = _offer(page, result)
        if field == "price":
            offer.price = amount
        else:
            offer.list_price = amount
        if code is not None and (field == "price" or offer.currency is None):
            offer.currency = code
            result.set_source("currency", SOURCE)
        return f"the shopper's correction points at {text[:80]!r}"
    return None


def _availability(page: Page, result: ProductPage, field: str, elements: list[HtmlElement]) -> str | None:
    for element in elements:
        text = _text(element).lower()[:_STOCK_LINE]
        found = stock_said(text)
        if found is not None:
            _offer(page, result).availability = found
            return f"the shopper's correction points at {text[:80]!r}"
    return None


def _reviews(page: Page, result: ProductPage, field: str, elements: list[HtmlElement]) -> str | None:
    country = country_of(page.url)
    for block in elements:
        reviews = [r for r in (_review(item, country) for item in _items(block)) if r is not None]
        if reviews:
            result.reviews = reviews[:_MAX_REVIEWS]
            return f"the shopper's correction points at a block of {len(reviews)} reviews"
    return None


def _items(block: HtmlElement) -> list[HtmlElement]:
    """The block's repeated items: the largest group of siblings alike in tag and class, in the block or the
    first level below it that has one (a section holding a heading and the list); else the block itself."""
    best: list[HtmlElement] = []
    level = [block]
    for _depth in range(_ITEM_DEPTH):
        below: list[HtmlElement] = []
        for parent in level:
            children = [c for c in parent if isinstance(c.tag, str) and c.tag not in _NOT_TEXT]
            below.extend(children)
            if len(children) < 2:
                continue
            kind, count = Counter(map(_kind, children)).most_common(1)[0]
            if count >= 2 and count > len(best):
                best = [c for c in children if _kind(c) == kind]
        if best:  # the shallowest repeat: deeper ones are parts of one review (paragraphs, stars)
            return best
        level = below
    return [block]


def _kind(element: HtmlElement) -> tuple[str, str]:
    """What makes siblings alike: their tag and first class."""
    classes = (element.get("class") or "").split()
    return element.tag, classes[0] if classes else ""


def _review(item: HtmlElement, country: str | None) -> Review | None:
    author = _part(item, _AUTHOR_WORDS)
    title = _part(item, _TITLE_WORDS)
    body = _part(item, _TEXT_WORDS)
    date_text = _date(item)
    text = body or _text(item)
    for known in (author, title, date_text):
        if known and body is None:
            text = text.replace(known, " ")
    text = _SPACE.sub(" ", text).strip()
    if len(text) < _MIN_REVIEW_CHARS:
        return None
    return Review(
        rating=_stars(item),
        title=title if title and title != text else None,
        text=text,
        author=author,
        date=parse_date(date_text, country=country) if date_text else None,
    )


def _part(item: HtmlElement, words: re.Pattern[str]) -> str | None:
    """The text of the first element below `item` whose class, id or itemprop says it is that part."""
    for element in item.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}"
        if words.search(names):
            text = _text(element)
            if text:
                return text
    return None


def _date(item: HtmlElement) -> str | None:
    for element in item.iter():
        if element.tag == "time":
            return element.get("datetime") or _text(element)
        for name, value in element.attrib.items() if isinstance(element.tag, str) else ():
            if name.startswith("data-") and "date" in name and value.strip():
                return value
    return _part(item, _DATE_WORDS)


def _stars(item: HtmlElement) -> float | None:
    """A 1–5 rating from what the item shows: a star widget's attributes or class ("stars-4"), else its
    text ("4 out of 5", "4/5", ★★★★)."""
    for element in item.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name == "content" and element.get("itemprop") != "ratingValue":
                continue
            if name in _RATING_ATTRS or _RATING_ATTR.search(name):
                found = _on_five(value)
                if found is not None:
                    return found
        in_class = _STARS_CLASS.search(element.get("class") or "")
        if in_class:
            found = _on_five(".".join(g for g in in_class.groups() if g))
            if found is not None:
                return found
    text = _text(item)
    out_of = _OUT_OF.search(text)
    if out_of:
        return _on_five(out_of.group(1))
    glyphs = _STAR_GLYPHS.search(text)
    return _on_five(str(len(glyphs.group(0)))) if glyphs else None


def _on_five(text: str | None) -> float | None:
    if not text:
        return None
    found = _OUT_OF.search(text) or re.fullmatch(r"\s*(\d(?:[.,]\d+)?)\s*", text)
    if not found:
        return None
    value = float(found.group(1).replace(",", "."))
    return value if 1 <= value <= 5 else None
