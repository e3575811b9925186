"""Amazon reviews as every storefront writes them, on product pages and on `/product-reviews/ASIN` pages."""

from __future__ import annotations

import json
import re

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


def _review(element: HtmlElement, storefront_language: str | None) -> Review:
    date_line = text(element, './/*[@data-hook="review-date"]')
    body = _first(element, './/*[@data-hook="review-collapsed"]', './/*[@data-hook="review-body"]')
    return Review(
        rating=_rating(element),
        title=prose(_first(element, './/*[@data-hook="review-title"]'), _NOT_WORDS),
        text=prose(body, _NOT_WORDS),
        author=text(element, './/*[contains(@class,"a-profile-name")]'),
        date=parse_date(date_line),
        verified=bool(element.xpath('.//*[starts-with(@data-hook,"avp-badge")]')),
        language=_language(element) or storefront_language,
        # Amazon prints no statement until someone votes: its absence is a count of zero.
        helpful_votes=helpful_votes(text(element, './/*[@data-hook="helpful-vote-statement"]')) or 0,
        response=text(
            element,
            './/*[@data-hook="seller-response" or contains(@class,"review-comment-text")]'
            '//*[contains(@class,"review-comment-text") or self::span]',
        ),
    )


def _rating(element: HtmlElement) -> float | None:
    icon = _first(
        element, './/*[contains(@data-hook,"review-star-rating")]', './/i[contains(@class,"a-icon-star")]'
    )
    if icon is None:
        return None
    found = _STAR_CLASS.search(icon.get("class") or "")
    value = float(f"{found[1]}.{found[2] or 0}") if found else stars(text_content(icon))
    return value if value is not None and 1 <= value <= 5 else None


def _language(element: HtmlElement) -> str | None:
    """The language Amazon says a foreign review is written in (its "Translate review" request carries it)."""
    request = next((e.get(_TRANSLATE) for e in element.iter() if e.get(_TRANSLATE)), None)
    if request:
        try:
            inner = json.loads(json.loads(request)["params"]["reviews"])
            language = inner[0]["locale"]["language"]
            return str(language).lower() if language else None
        except (ValueError, KeyError, IndexError, TypeError):
            pass
    found = re.search(r'locale\\?"\s*:\s*\{\s*\\?"language\\?"\s*:\s*\\?"([a-z]{2})', request or "")
    return found.group(1) if found else None


def _first(element: HtmlElement, *xpaths: str) -> HtmlElement | None:
    for xpath in xpaths:
        found = element.xpath(xpath)
        if found:
            return found[0]
    return None
