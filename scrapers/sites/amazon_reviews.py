"""Amazon reviews as every storefront writes them, on product pages and on `/product-reviews/ASIN` pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from scrapers.dates import parse_date
from scrapers.markup import helpful_votes, prose, text, text_content
from scrapers.sites._index import PageIndex
from scrapers.types import Review

__all__ = ["has_next_page", "review_key", "reviews_in", "stars"]

# Hidden twins and widgets inside a review that are not its words.
_NOT_WORDS = ("a-icon-alt", "cr-translated-review-content", "a-expander-header", "a-letter-space")
_STAR_CLASS = re.compile(r"\ba-star-(?:mini-)?(\d)(?:-(\d))?\b")
_TRANSLATE = "data-reviews:ajax-post"  # an attribute name XPath cannot spell
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_RESPONSE = (
    './/*[@data-hook="seller-response" or contains(@class,"review-comment-text")]'
    '//*[contains(@class,"review-comment-text") or self::span]'
)


def reviews_in(index: PageIndex, *, language: str | None) -> list[Review]:
    """The reviews in a page or fragment; `language` is the storefront's, for reviews not marked otherwise.

    Product pages and `/product-reviews/ASIN` pages write a review the same way: a `data-hook="review"`
    block with `review-title`, `review-body`, `review-date`, `review-star-rating` hooks inside.
    """
    reviews = []
    for element in index.hooks("review"):
        review = _review(element, language)
        if review.rating is not None or review.text or review.title:
            reviews.append(review)
    return reviews


def has_next_page(tree: HtmlElement) -> bool:
    """True if a review page links to a next one (the pager's last item is not disabled)."""
    return bool(
        tree.xpath(
            '//ul[contains(@class,"a-pagination")]/li[contains(@class,"a-last")]'
            '[not(contains(@class,"a-disabled"))]/a'
        )
    )


def review_key(review: Review) -> tuple[str | None, ...]:
    """What identifies a review across pages (the product page repeats the first reviews)."""
    return (review.author, review.date, review.title, (review.text or "")[:80])


def stars(words: str | None) -> float | None:
    """A rating from "4.4 out of 5 stars", "4,4 von 5 Sternen", "5つ星のうち4.4" (the 5 is the scale)."""
    numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(words or "")]
    if len(numbers) >= 2 and 5.0 in numbers:
        numbers.remove(5.0)
    if not numbers or not 0 <= numbers[0] <= 5:
        return None
    return numbers[0]


class _Parts:
    """The elements of one review block that its fields are read from, found in one walk of the block.

    Asking the block ten XPath questions costs ten scans of its subtree plus an XPath set-up each (about
    half of a page's review reading); one walk files what each question asks for, in document order, and
    each field takes its first match exactly as the XPath did (the block itself excluded, as `.//` does)."""

    def __init__(self, element: HtmlElement) -> None:
        # Locals and the cheapest test first: the walk reads every element of every review on the page,
        # and each lxml call (names, a value) costs more than the Python around it.
        hooks: dict[str, list[HtmlElement]] = {}  # data-hook value -> elements
        star_hooks: list[HtmlElement] = []  # data-hook containing "review-star-rating"
        star_icons: list[HtmlElement] = []  # <i> with class containing "a-icon-star"
        profiles: list[HtmlElement] = []  # class containing "a-profile-name"
        verified = False  # a data-hook starting with "avp-badge"
        replied = False  # a seller's response or a review comment inside
        translate = element.get(_TRANSLATE) or None  # the "Translate review" request, the block included
        parts = element.iter(etree.Element)
        next(parts)  # the block itself: `.//` starts below it
        for part in parts:
            names = part.keys()
            if not names:
                continue
            if "class" in names:
                classes = part.get("class")
                if classes:
                    if "a-profile-name" in classes:
                        profiles.append(part)
                    if "a-icon-star" in classes and part.tag == "i":
                        star_icons.append(part)
                    if "review-comment-text" in classes:
                        replied = True
            if "data-hook" in names:
                hook = part.get("data-hook")
                if hook:
                    found = hooks.get(hook)
                    if found is None:
                        hooks[hook] = [part]
                    else:
                        found.append(part)
                    if "review-star-rating" in hook:
                        star_hooks.append(part)
                    if hook.startswith("avp-badge"):
                        verified = True
                    if hook == "seller-response":
                        replied = True
            if translate is None and _TRANSLATE in names:
                translate = part.get(_TRANSLATE) or None
        self.hooks, self.star_hooks, self.star_icons, self.profiles = hooks, star_hooks, star_icons, profiles
        self.verified, self.replied, self.translate = verified, replied, translate

    def first(self, *hooks: str) -> HtmlElement | None:
        """The first element with the first of `hooks` the block has."""
        for hook in hooks:
            found = self.hooks.get(hook)
            if found:
                return found[0]
        return None

    def text(self, hook: str) -> str | None:
        """The first non-empty text of the elements with `hook`, whitespace-normalized."""
        return _first_text(self.hooks.get(hook, ()))


def _first_text(elements: Iterable[HtmlElement]) -> str | None:
    for element in elements:
        value = " ".join(text_content(element).split())
        if value:
            return value
    return None


def _review(element: HtmlElement, storefront_language: str | None) -> Review:
    parts = _Parts(element)
    return Review(
        rating=_rating(parts),
        title=prose(parts.first("review-title"), _NOT_WORDS),
        text=prose(parts.first("review-collapsed", "review-body"), _NOT_WORDS),
        author=_first_text(parts.profiles),
        date=parse_date(parts.text("review-date")),
        verified=parts.verified,
        language=_language(parts.translate) or storefront_language,
        # Amazon prints no statement until someone votes: its absence is a count of zero.
        helpful_votes=helpful_votes(parts.text("helpful-vote-statement")) or 0,
        response=text(element, _RESPONSE) if parts.replied else None,
    )


def _rating(parts: _Parts) -> float | None:
    icon = next(iter(parts.star_hooks or parts.star_icons), None)
    if icon is None:
        return None
    found = _STAR_CLASS.search(icon.get("class") or "")
    value = float(f"{found[1]}.{found[2] or 0}") if found else stars(text_content(icon))
    return value if value is not None and 1 <= value <= 5 else None


def _language(request: str | None) -> str | None:
    """The language Amazon says a foreign review is written in (its "Translate review" request carries it)."""
    if request:
        try:
            inner = json.loads(json.loads(request)["params"]["reviews"])
            language = inner[0]["locale"]["language"]
            return str(language).lower() if language else None
        except (ValueError, KeyError, IndexError, TypeError):
            pass
    found = re.search(r'locale\\?"\s*:\s*\{\s*\\?"language\\?"\s*:\s*\\?"([a-z]{2})', request or "")
    return found.group(1) if found else None
