"""The reviews section: the rating, how the texts feel, pros and cons, and how far to trust the reviews."""

from __future__ import annotations

from collections import Counter
from typing import Any

from scrapers.types import ProductPage, Review
from server.analysis.aspects import ScoredSentence, main_language, pros_and_cons
from server.analysis.sentiment import (
    NEGATIVE,
    POSITIVE,
    SUPPORTED_LANGUAGES,
    detect_language,
    sentence_scores,
    text_compound,
)
from server.analysis.trust import ReviewFacts, trust_report

__all__ = ["review_summary"]

_MAX_HIGHLIGHTS = 3
_MAX_QUOTE_CHARS = 200
_STRONG = 0.3  # a highlight must say something clearly


def _review_text(review: Review) -> str:
    return ". ".join(
        part.strip().rstrip(".") for part in (review.title, review.text) if part and part.strip()
    )


def review_summary(page: ProductPage, *, max_reviews: int = 100) -> dict[str, Any]:
    """Count, rating, distribution, sentiment, pros/cons, trust and highlights of the reviews; CPU-bound,
    run it off the event loop."""
    reviews = page.reviews[:max_reviews]
    facts: list[ReviewFacts] = []
    sentences: list[ScoredSentence] = []
    langs: list[str] = []
    for index, review in enumerate(reviews):
        text = _review_text(review)
        lang = detect_language(text, hint=review.language) if text else (review.language or "unknown")
        langs.append(lang)
        compound = None
        if text and lang in SUPPORTED_LANGUAGES:
            compound = text_compound(text, lang)
            body = sentence_scores(review.text or "", lang)
            sentences.extend(ScoredSentence(index, s, c, lang) for s, c in body)
        facts.append(ReviewFacts(review, compound))
    compounds = [f.compound for f in facts if f.compound is not None]
    lang = main_language(langs)
    pros, cons = pros_and_cons(sentences, lang, exclude=set((page.product.name or "").lower().split()))
    return {
        "count": page.rating.count if page.rating.count is not None else (len(page.reviews) or None),
        "rating": page.rating.value,
        "distribution": page.rating.distribution,
        "on_page": len(page.reviews),
        "analyzed": len(compounds),
        "languages": dict(Counter(langs).most_common()),
        "sentiment": _shares(compounds),
        "pros": pros,
        "cons": cons,
        "trust": trust_report(facts, page.rating.distribution, page.rating.value),
        "highlights": _highlights(sentences),
    }


def _shares(compounds: list[float]) -> dict[str, float] | None:
    if not compounds:
        return None
    n = len(compounds)
    return {
        "mean": round(sum(compounds) / n, 3),
        "positive": round(sum(c >= POSITIVE for c in compounds) / n, 3),
        "neutral": round(sum(NEGATIVE < c < POSITIVE for c in compounds) / n, 3),
        "negative": round(sum(c <= NEGATIVE for c in compounds) / n, 3),
    }


def _highlights(sentences: list[ScoredSentence]) -> list[str]:
    """The most positive and the most negative sentence, so both sides are heard."""
    candidates = sorted(
        (s.compound, s.text)
        for s in sentences
        if abs(s.compound) >= _STRONG and len(s.text) <= _MAX_QUOTE_CHARS
    )
    if not candidates:
        return []
    picks = [candidates[-1]]
    if candidates[0][0] < 0:
        picks.append(candidates[0])
    if len(candidates) > 2 and len(picks) < _MAX_HIGHLIGHTS and candidates[-2][0] > 0:
        picks.insert(1, candidates[-2])
    return list(dict.fromkeys(text for _, text in picks))
