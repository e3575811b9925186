"""The reviews section: the rating, how the texts feel, pros and cons, and how far to trust the reviews."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from scrapers.types import ProductPage, Review
from server.analysis.aspects import ScoredSentence, main_language, pros_and_cons
from server.analysis.language import detect_languages
from server.analysis.sentiment import (
    NEGATIVE,
    POSITIVE,
    SUPPORTED_LANGUAGES,
    review_sentiment,
)
from server.analysis.trust import ReviewFacts, trust_report

__all__ = ["MAX_REVIEW_CHARS", "review_summary"]

_MAX_HIGHLIGHTS = 3
_MAX_COMPLAINTS = 5
_MAX_QUOTE_CHARS = 200
_STRONG = 0.3  # a highlight must say something clearly
# What is read of one review: a long review is 2,000-3,000 characters; past this it is padding, and the work
# (language, sentiment, trust) grows with every character.
MAX_REVIEW_CHARS = 5_000
_MAX_TITLE_CHARS = 300


def _review_text(review: Review) -> str:
    return ". ".join(
        part.strip().rstrip(".") for part in (review.title, review.text) if part and part.strip()
    )


def _bounded(review: Review) -> Review:
    """The review as analyzed: its text and title cut at MAX_REVIEW_CHARS and _MAX_TITLE_CHARS."""
    text, title = review.text, review.title
    if (text is None or len(text) <= MAX_REVIEW_CHARS) and (title is None or len(title) <= _MAX_TITLE_CHARS):
        return review
    return dataclasses.replace(
        review,
        text=None if text is None else text[:MAX_REVIEW_CHARS],
        title=None if title is None else title[:_MAX_TITLE_CHARS],
    )


def review_summary(
    page: ProductPage, *, max_reviews: int = 100, on_page: int | None = None
) -> dict[str, Any]:
    """Count, rating, distribution, sentiment, pros/cons, trust and highlights of the first `max_reviews`
    reviews, each read up to MAX_REVIEW_CHARS; CPU-bound, run it in a worker. `on_page`: how many reviews
    the page had, when `page` carries only those to analyze."""
    reviews = [_bounded(r) for r in page.reviews[:max_reviews]]
    on_page = len(page.reviews) if on_page is None else on_page
    facts: list[ReviewFacts] = []
    sentences: list[ScoredSentence] = []
    texts = [_review_text(review) for review in reviews]
    written = [k for k, text in enumerate(texts) if text]  # the model reads the page's texts together
    detected = detect_languages([texts[k] for k in written], [reviews[k].language for k in written])
    langs = [review.language or "unknown" for review in reviews]
    for k, lang in zip(written, detected, strict=True):
        langs[k] = lang
    for index, (review, text, lang) in enumerate(zip(reviews, texts, langs, strict=True)):
        compound = None
        if text and lang in SUPPORTED_LANGUAGES:
            compound, body = review_sentiment(review.title, review.text, lang)
            sentences.extend(ScoredSentence(index, s, c, lang) for s, c in body)
        facts.append(ReviewFacts(review, compound))
    compounds = [f.compound for f in facts if f.compound is not None]
    lang = main_language(langs)
    pros, cons = pros_and_cons(
        sentences,
        lang,
        exclude={page.product.name or "", page.product.brand or "", page.product.category or ""},
        customer_summary=page.customer_summary,
    )
    return {
        "count": page.rating.count if page.rating.count is not None else (on_page or None),
        "rating": page.rating.value,
        "distribution": page.rating.distribution,
        "on_page": on_page,
        "analyzed": len(compounds),
        "languages": dict(Counter(langs).most_common()),
        "sentiment": _shares(compounds),
        "pros": pros,
        "cons": cons,
        "trust": trust_report(facts, page.rating.distribution, page.rating.value),
        "highlights": _highlights(sentences),
        "complaints": _complaints(sentences, reviews),
    }


def _complaints(sentences: list[ScoredSentence], reviews: list[Review]) -> list[str]:
    """What the 1-2★ reviews blame, their most negative sentences first: a complaint such as "it stopped
    working" names no part of the product, so it is no con, yet it is what a careful shopper looks for."""
    low = {i for i, review in enumerate(reviews) if review.rating is not None and review.rating <= 2}
    blamed = sorted(
        (s.compound, s.text)
        for s in sentences
        if s.review in low and s.compound <= NEGATIVE and len(s.text) <= _MAX_QUOTE_CHARS
    )
    return list(dict.fromkeys(text for _, text in blamed))[:_MAX_COMPLAINTS]


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
