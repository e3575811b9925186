"""Amazon's "Customers say" box: its summary of the reviews and the aspect chips, kept as data for pros/cons.

The box (`data-hook="cr-insights-widget"`) is Amazon's own reading of all its reviews: a paragraph ("Customers
find the scale useful for baking…") and one chip per aspect, each marked positive, negative or mixed in its
`data-csa-c-item-id` ("Value for money_POSITIVE"). Where the chip lacks that id, its `aria-label` ("Positive
aspect Functionality") says the same in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapers.markup import text
from scrapers.sites._index import PageIndex

__all__ = ["CustomersSay", "customers_say"]

_SENTIMENTS = {"POSITIVE": "positive", "NEGATIVE": "negative", "MIXED": "mixed"}


@dataclass(frozen=True)
class CustomersSay:
    """What the page's "Customers say" box holds; `aspects` are (aspect, "positive"|"negative"|"mixed")."""

    summary: str | None
    aspects: tuple[tuple[str, str], ...]

    def as_json(self) -> dict[str, Any]:
        """The form `ProductPage.customer_summary` holds: {"text", "aspects": [{"aspect", "sentiment"}]}."""
        return {
            "text": self.summary,
            "aspects": [{"aspect": aspect, "sentiment": mood} for aspect, mood in self.aspects],
        }


def customers_say(index: PageIndex) -> CustomersSay | None:
    """The "Customers say" summary and aspect chips of a product page, or None when it has no such box."""
    summary = index.hook_text("cr-insights-widget-summary", under=".//p[not(@data-hook)]")
    aspects: list[tuple[str, str]] = []
    for chip in index.hooks("cr-insights-aspect-link"):
        aspect, _, mood = (chip.get("data-csa-c-item-id") or "").rpartition("_")
        sentiment = _SENTIMENTS.get(mood)
        name = aspect.strip() or text(chip, ".")
        if sentiment and name and (name, sentiment) not in aspects:
            aspects.append((name, sentiment))
    if summary is None and not aspects:
        return None
    return CustomersSay(summary=summary, aspects=tuple(aspects))
