"""The reviews section: what the page's rating says and how the review texts feel."""

from __future__ import annotations

from typing import Any

from scrapers.types import ProductPage, Review
from server.analysis.sentiment import score, split_sentences

__all__ = ["review_summary"]

_MAX_HIGHLIGHTS = 3
_MAX_QUOTE_CHARS = 200


def _review_text(review: Review) -> str:
    return ". ".join(part.strip() for part in (review.title, review.text) if part and part.strip())


def review_summary(page: ProductPage, *, max_reviews: int = 100) -> dict[str, Any]:
    """Count, rating, distribution and sentiment of the reviews; CPU-bound, run it off the event loop."""
    reviews = page.reviews[:max_reviews]
    scored = []
    for review in reviews:
        text = _review_text(review)
        if text:
            sentiment = score(text, review.language or "auto")
            if sentiment.compound is not None:
                scored.append((review, sentiment.compound))
    compounds = [c for _, c in scored]
    sentiment = None
    if compounds:
        n = len(compounds)
        sentiment = {
            "mean": round(sum(compounds) / n, 3),
            "positive": round(sum(c >= 0.05 for c in compounds) / n, 3),
            "neutral": round(sum(-0.05 < c < 0.05 for c in compounds) / n, 3),
            "negative": round(sum(c <= -0.05 for c in compounds) / n, 3),
        }
    return {
        "count": page.rating.count if page.rating.count is not None else (len(page.reviews) or None),
        "rating": page.rating.value,
        "distribution": page.rating.distribution,
        "on_page": len(page.reviews),
        "analyzed": len(scored),
        "sentiment": sentiment,
        "pros": [],
        "cons": [],
        "trust": None,
        "highlights": _highlights(scored),
    }


def _highlights(scored: list[tuple[Review, float]]) -> list[str]:
    """The most positive and the most negative sentence, so both sides are heard."""
    candidates = []
    for review, _ in scored:  # one quote per side; the strongest sentence speaks for it
        for sentence in split_sentences(review.text or ""):
            s = score(sentence, "en").compound
            if s is not None and abs(s) >= 0.3 and len(sentence) <= _MAX_QUOTE_CHARS:
                candidates.append((s, sentence))
    if not candidates:
        return []
    candidates.sort(key=lambda c: c[0])
    picks = [candidates[-1]]
    if candidates[0][0] < 0:
        picks.append(candidates[0])
    if len(candidates) > 2 and len(picks) < _MAX_HIGHLIGHTS and candidates[-2][0] > 0:
        picks.insert(1, candidates[-2])
    return [text for _, text in picks]
