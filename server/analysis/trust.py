"""Review trust: signals computed from the reviews themselves, a grade A–F and an adjusted rating.

Each signal says in a sentence what a shopper should make of it. The adjusted rating leaves out the
reviews a signal marks as suspicious (near-duplicates, incentivized, rating contradicting its text,
unverified reviews inside a burst).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from scrapers.types import Review

__all__ = ["ReviewFacts", "trust_report"]

_SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3}
_GRADES = ((0, "A"), (1, "B"), (3, "C"), (5, "D"))  # up to N points → grade; more is F
_DUPLICATE_SCORE = 90  # rapidfuzz token_set_ratio at or above this is the same review written twice
_MIN_DUPLICATE_CHARS = 40
_BURST_DAYS = 3

_INCENTIVE = re.compile(
    r"(received|got|given) (this|the|it|a) (product|item|unit|sample)?\s*"
    r"(for free|free of charge|at a discount)"
    r"|in exchange for (my|an?) (honest|unbiased)"
    r"|ricevuto (gratuitamente|gratis|in omaggio)|in cambio (di|della) (una )?recensione"
    r"|prodotto (gratuitamente|offerto)|reçu gratuitement|offert par (la marque|le vendeur)"
    r"|en échange d.un avis|contre un avis|kostenlos (erhalten|zur verfügung)|im austausch für"
    r"|recibido gratis|recibí (este producto )?gratis|a cambio de (una|mi) (reseña|opinión)"
    r"|vine (customer|voice)|programma vine|testeur vine",
    re.I,
)
_GENERIC = re.compile(
    r"^(great|good|nice|excellent|perfect|super|top|ok|love it|ottimo|perfetto|buono|bello|consigliato|"
    r"parfait|excellent|très bien|génial|top produit|sehr gut|gut|muy bueno|genial)( (product|prodotto|"
    r"produit|produkt|producto|item|buy|acquisto|achat))?[ .!]*$",
    re.I,
)


@dataclass(frozen=True)
class ReviewFacts:
    """What trust needs of one review: the review and the compound of its text (None if unscored)."""

    review: Review
    compound: float | None


def _signal(name: str, severity: str, detail: str) -> dict[str, str]:
    return {"name": name, "severity": severity, "detail": detail}


def _verified(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    known = [r.verified for r in reviews if r.verified is not None]
    if len(known) < 5 or len(known) < len(reviews) / 2:
        return None, set()
    share = sum(known) / len(known)
    if share >= 0.6:
        return None, set()
    severity = "high" if share < 0.3 else "medium"
    return _signal(
        "unverified", severity, f"Only {share:.0%} of the reviews come from verified purchases."
    ), set()


def _bursts(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    dated = [(i, date.fromisoformat(r.date)) for i, r in enumerate(reviews) if r.date and len(r.date) == 10]
    if len(dated) < 8:
        return None, set()
    dated.sort(key=lambda d: d[1])
    best: list[int] = []
    end = 0
    for k, (_, start) in enumerate(dated):  # dates are sorted: slide the window's end forward
        while end < len(dated) and (dated[end][1] - start).days < _BURST_DAYS:
            end += 1
        if end - k > len(best):
            best = [i for i, _ in dated[k:end]]
    share = len(best) / len(dated)
    if len(best) < 5 or share < 0.4:
        return None, set()
    severity = "high" if share >= 0.6 else "medium"
    detail = f"{len(best)} of {len(dated)} dated reviews were posted within {_BURST_DAYS} days."
    suspicious = {i for i in best if reviews[i].verified is not True}
    return _signal("burst", severity, detail), suspicious


def _candidate_pairs(texts: list[str]) -> set[tuple[int, int]]:
    """Pairs that share one of three min-hashes of their word trigrams (MinHash banding): near-copies
    almost always do, unrelated texts almost never, so only these pairs are compared in full. crc32, not
    hash(), so that the same reviews give the same answer in every process."""
    buckets: dict[tuple[int, int], list[int]] = {}
    for k, text in enumerate(texts):
        words = text.split()
        shingles = {" ".join(words[j : j + 3]) for j in range(max(1, len(words) - 2))}
        for salt in range(3):
            buckets.setdefault((salt, min(zlib.crc32(f"{salt}{sh}".encode()) for sh in shingles)), []).append(
                k
            )
    return {(a, b) for members in buckets.values() for a in members for b in members if a < b}


def _duplicates(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    texts = [(i, " ".join((r.text or "").lower().split())) for i, r in enumerate(reviews)]
    texts = [(i, t) for i, t in texts if len(t) >= _MIN_DUPLICATE_CHARS]
    copies = set()
    for a, b in _candidate_pairs([t for _, t in texts]):
        if fuzz.token_set_ratio(texts[a][1], texts[b][1]) >= _DUPLICATE_SCORE:
            copies |= {texts[a][0], texts[b][0]}
    if len(copies) < 2:
        return None, set()
    severity = "high" if len(copies) >= max(4, len(reviews) * 0.2) else "medium"
    return _signal(
        "near_duplicates", severity, f"{len(copies)} reviews are near-copies of one another."
    ), copies


def _incentivized(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    hits = {i for i, r in enumerate(reviews) if _INCENTIVE.search(f"{r.title or ''} {r.text or ''}")}
    if not hits:
        return None, set()
    severity = "high" if len(hits) >= max(3, len(reviews) * 0.2) else "medium"
    detail = f"{len(hits)} reviews say the product was given for free or in exchange for the review."
    return _signal("incentivized", severity, detail), hits


def _mismatch(facts: list[ReviewFacts]) -> tuple[dict | None, set[int]]:
    hits = {
        i
        for i, f in enumerate(facts)
        if f.review.rating is not None
        and f.compound is not None
        and ((f.review.rating >= 4 and f.compound <= -0.5) or (f.review.rating <= 2 and f.compound >= 0.6))
    }
    rated = sum(f.review.rating is not None and f.compound is not None for f in facts)
    if not hits or len(hits) < max(2, rated * 0.1):
        return None, set()
    severity = "medium" if len(hits) >= rated * 0.25 else "low"
    detail = f"In {len(hits)} reviews the stars say the opposite of the text."
    return _signal("rating_text_mismatch", severity, detail), hits


def _short_generic(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    texts = [(r.text or "").strip() for r in reviews]
    hits = {i for i, t in enumerate(texts) if t and (_GENERIC.match(t) or len(t.split()) <= 2)}
    if len(reviews) < 5 or len(hits) < len(reviews) * 0.3:
        return None, set()
    severity = "medium" if len(hits) >= len(reviews) * 0.5 else "low"
    detail = f"{len(hits)} of {len(reviews)} reviews are a few generic words with nothing about the product."
    return _signal("short_generic", severity, detail), set()


def _distribution(reviews: list[Review], page_distribution: dict[str, int] | None) -> dict | None:
    counts = Counter({str(k): int(v) for k, v in (page_distribution or {}).items()})
    if sum(counts.values()) < 20:
        counts = Counter(str(round(r.rating)) for r in reviews if r.rating is not None)
    total = sum(counts.values())
    if total < 10:
        return None
    five, middle = counts["5"] / total, (counts["2"] + counts["3"] + counts["4"]) / total
    if five >= 0.85 and middle <= 0.05:
        detail = (
            f"{five:.0%} five-star ratings and almost none in between: real products rarely look like this."
        )
        return _signal("unnatural_distribution", "medium", detail)
    return None


def _responses(reviews: list[Review]) -> dict | None:
    negative = [r for r in reviews if r.rating is not None and r.rating <= 2]
    if len(negative) < 3:
        return None
    answered = sum(bool(r.response) for r in negative)
    if answered:
        return None
    detail = f"The seller or brand answered none of the {len(negative)} negative reviews."
    return _signal("no_seller_response", "low", detail)


def trust_report(
    facts: list[ReviewFacts],
    page_distribution: dict[str, int] | None = None,
    page_rating: float | None = None,
) -> dict | None:
    """{"grade", "adjusted_rating", "signals"} for the analyzed reviews; None when there are none."""
    if not facts:
        return None
    reviews = [f.review for f in facts]
    signals, suspicious = [], set()
    for found, marked in (
        _verified(reviews),
        _bursts(reviews),
        _duplicates(reviews),
        _incentivized(reviews),
        _mismatch(facts),
        _short_generic(reviews),
        (_distribution(reviews, page_distribution), set()),
        (_responses(reviews), set()),
    ):
        if found:
            signals.append(found)
            suspicious |= marked
    points = sum(_SEVERITY_POINTS[s["severity"]] for s in signals)
    grade = next((g for limit, g in _GRADES if points <= limit), "F")
    return {
        "grade": grade,
        "adjusted_rating": _adjusted(reviews, suspicious, page_rating),
        "signals": signals,
    }


def _adjusted(reviews: list[Review], suspicious: set[int], page_rating: float | None) -> float | None:
    """The rating without the suspicious reviews: the page's rating moved by what leaving them out does to
    the reviews at hand (the page's own rating covers more reviews than the page shows)."""
    rated = [(i, r.rating) for i, r in enumerate(reviews) if r.rating is not None]
    kept = [v for i, v in rated if i not in suspicious]
    if not kept:
        return page_rating
    shift = sum(kept) / len(kept) - sum(v for _, v in rated) / len(rated)
    base = page_rating if page_rating is not None else sum(v for _, v in rated) / len(rated)
    return round(max(1.0, min(5.0, base + shift)), 2)
