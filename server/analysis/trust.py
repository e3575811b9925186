"""Review trust: signals computed from the reviews themselves, a grade A–F and an adjusted rating.

Each signal says in a sentence what a shopper should make of it. The adjusted rating leaves out the
reviews a signal marks as suspicious (near-duplicates, incentivized, rating contradicting its text,
unverified reviews inside a burst).
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from scrapers.types import Review
from server.i18n import say

__all__ = ["ReviewFacts", "trust_report"]

_SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3}
_GRADES = ((0, "A"), (1, "B"), (3, "C"), (5, "D"))  # up to N points → grade; more is F
_DUPLICATE_SCORE = 90  # rapidfuzz token_set_ratio at or above this is the same review written twice
_MIN_DUPLICATE_CHARS = 40
_MAX_DUPLICATE_TEXT = 1_000  # characters compared: two reviews that begin alike for this long are copies
# MinHash LSH: 10 bands of 2 rows make texts whose trigram sets overlap by half candidates 94% of the time,
# by 80% always, and reviews that share 5% of their trigrams 2.5% of the time.
_BANDS, _ROWS = 10, 2
_MULTIPLIERS = np.random.default_rng(20250901).integers(1, 2**63, size=_BANDS * _ROWS, dtype=np.uint64)
_MULTIPLIERS |= np.uint64(1)  # multiply-shift hashing wants odd multipliers
_ALL_PAIRS_UP_TO = 20  # a bucket this small is compared pair by pair
_MAX_COMPARISONS = 20_000  # full comparisons for one set of reviews, at most (a few tenths of a second)
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
# Every way _INCENTIVE can match holds one of these, lower-cased: a review without any of them is not read by
# the regex, whose dozen case-blind alternatives tried at every character were most of trust's time.
_INCENTIVE_WORDS = (
    "for free", "free of charge", "at a discount", "in exchange for", "ricevuto gratuitamente",
    "ricevuto gratis", "ricevuto in omaggio", "in cambio d", "prodotto gratuitamente", "prodotto offerto",
    "reçu gratuitement", "offert par", "en échange d", "contre un avis", "kostenlos", "im austausch für",
    "recib", "a cambio de", "vine",
)  # fmt: skip
# letters that re.I matches to i, s or k though str.lower() does not turn them into those
_CASE_TRAPS = "İıſK"
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


def _signal(name: str, severity: str, **values: Any) -> dict[str, Any]:
    """A signal: its name (which is also its code), severity, its detail in English and the values the
    detail is made from, so the briefing's language (or a client) can say it in other words."""
    return {
        "name": name,
        "severity": severity,
        "detail": say(f"trust_{name}", "en", **values) + ".",
        "values": values,
    }


def _verified(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    known = [r.verified for r in reviews if r.verified is not None]
    if len(known) < 5 or len(known) < len(reviews) / 2:
        return None, set()
    share = sum(known) / len(known)
    if share >= 0.6:
        return None, set()
    severity = "high" if share < 0.3 else "medium"
    return _signal("unverified", severity, share=share), set()


def _bursts(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    dated = [(i, date.fromisoformat(r.date)) for i, r in enumerate(reviews) if r.date and len(r.date) == 10]
    if len(dated) < 8:
        return None, set()
    dated.sort(key=lambda d: d[1])
    first = last = end = 0
    for k, (_, start) in enumerate(dated):  # dates are sorted: slide the window's end forward
        while end < len(dated) and (dated[end][1] - start).days < _BURST_DAYS:
            end += 1
        if end - k > last - first:
            first, last = k, end
    best = [i for i, _ in dated[first:last]]
    share = len(best) / len(dated)
    if len(best) < 5 or share < 0.4:
        return None, set()
    severity = "high" if share >= 0.6 else "medium"
    suspicious = {i for i in best if reviews[i].verified is not True}
    return _signal("burst", severity, n=len(best), total=len(dated), days=_BURST_DAYS), suspicious


def _signatures(texts: list[str]) -> np.ndarray:
    """One row per text: the MinHash of its word trigrams under each of _BANDS * _ROWS hash functions
    (multiply-shift of their crc32, not hash(), so that the same reviews give the same answer in every
    process), computed for all texts at once."""
    hashes: list[int] = []
    starts: list[int] = []
    crc32, join = zlib.crc32, b" ".join
    for text in texts:
        # the UTF-8 of the words: one encoding a text rather than one a trigram; the texts' words are
        # separated by single spaces (see _duplicates), so bytes.split finds the same words
        words = text.encode().split()
        starts.append(len(hashes))
        # a repeated trigram is hashed again rather than looked up: it leaves each minimum as it is;
        # a text of fewer than three words is one "trigram" of all its words
        if len(words) < 3:
            hashes.append(crc32(join(words)))
        else:
            hashes += map(crc32, map(join, zip(words, words[1:], words[2:], strict=False)))
    values = np.array(hashes, dtype=np.uint64)
    index = np.array(starts, dtype=np.intp)
    columns = [np.minimum.reduceat((a * values) >> np.uint64(32), index) for a in _MULTIPLIERS]
    return np.stack(columns, axis=1).astype(np.uint32)


def _candidate_pairs(texts: list[str]) -> list[tuple[int, int]]:
    """Pairs worth comparing in full, found without looking at all pairs (MinHash LSH): two texts are
    candidates when the _ROWS min-hashes of one of _BANDS bands agree, which near-copies almost always do
    and unrelated texts rarely. A crowded bucket (a stock phrase, or one text posted many times) is paired
    as a chain; the pairs that share the most bands come first, and at most _MAX_COMPARISONS of them."""
    buckets: defaultdict[tuple[int, bytes], list[int]] = defaultdict(list)
    signatures = _signatures(texts)
    # each band's _ROWS min-hashes as one bytes object, for all texts at once
    bands = np.ascontiguousarray(signatures).view(np.dtype((np.void, signatures.itemsize * _ROWS)))
    for k, row in enumerate(bands.tolist()):
        for band, key in enumerate(row):
            buckets[band, key].append(k)
    pairs: list[tuple[int, int]] = []  # counted at once below: most buckets hold one text and no pair
    for members in buckets.values():
        if len(members) < 2:
            continue
        if len(members) <= _ALL_PAIRS_UP_TO:
            pairs += itertools.combinations(members, 2)
        else:  # each with the first and with the next: copies of one text still all meet
            pairs += ((members[0], b) for b in members[1:])
            pairs += zip(members[1:], members[2:], strict=False)
    shared = Counter(pairs)
    return [pair for pair, _ in shared.most_common(_MAX_COMPARISONS)]


def _duplicates(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    by_text: dict[str, list[int]] = {}
    for i, r in enumerate(reviews):
        text = " ".join((r.text or "")[:_MAX_DUPLICATE_TEXT].lower().split())
        if len(text) >= _MIN_DUPLICATE_CHARS:
            by_text.setdefault(text, []).append(i)
    # The same text twice is a copy without comparing; near-copies are looked for among distinct texts.
    copies = {i for same in by_text.values() if len(same) > 1 for i in same}
    texts, groups = list(by_text), list(by_text.values())
    for a, b in _candidate_pairs(texts):
        if fuzz.token_set_ratio(texts[a], texts[b], score_cutoff=_DUPLICATE_SCORE):
            copies.update(groups[a], groups[b])
    if len(copies) < 2:
        return None, set()
    severity = "high" if len(copies) >= max(4, len(reviews) * 0.2) else "medium"
    return _signal("near_duplicates", severity, n=len(copies)), copies


def _is_incentivized(text: str) -> bool:
    lowered = text.lower()
    trapped = not text.isascii() and any(letter in text for letter in _CASE_TRAPS)
    if not trapped and not any(word in lowered for word in _INCENTIVE_WORDS):
        return False
    return _INCENTIVE.search(text) is not None


def _incentivized(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    hits = {i for i, r in enumerate(reviews) if _is_incentivized(f"{r.title or ''} {r.text or ''}")}
    if not hits:
        return None, set()
    severity = "high" if len(hits) >= max(3, len(reviews) * 0.2) else "medium"
    return _signal("incentivized", severity, n=len(hits)), hits


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
    return _signal("rating_text_mismatch", severity, n=len(hits)), hits


def _short_generic(reviews: list[Review]) -> tuple[dict | None, set[int]]:
    texts = [(r.text or "").strip() for r in reviews]
    hits = {i for i, t in enumerate(texts) if t and (_GENERIC.match(t) or len(t.split()) <= 2)}
    if len(reviews) < 5 or len(hits) < len(reviews) * 0.3:
        return None, set()
    severity = "medium" if len(hits) >= len(reviews) * 0.5 else "low"
    return _signal("short_generic", severity, n=len(hits), total=len(reviews)), set()


def _distribution(reviews: list[Review], page_distribution: dict[str, int] | None) -> dict | None:
    counts = Counter({str(k): int(v) for k, v in (page_distribution or {}).items()})
    if sum(counts.values()) < 20:
        counts = Counter(str(round(r.rating)) for r in reviews if r.rating is not None)
    total = sum(counts.values())
    if total < 10:
        return None
    five, middle = counts["5"] / total, (counts["2"] + counts["3"] + counts["4"]) / total
    if five >= 0.85 and middle <= 0.05:
        return _signal("unnatural_distribution", "medium", share=five)
    return None


def _responses(reviews: list[Review]) -> dict | None:
    negative = [r for r in reviews if r.rating is not None and r.rating <= 2]
    if len(negative) < 3:
        return None
    answered = sum(bool(r.response) for r in negative)
    if answered:
        return None
    return _signal("no_seller_response", "low", n=len(negative))


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
