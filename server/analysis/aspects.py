"""Pros and cons: the product's aspects that reviewers praise or blame, with counts and real quotes.

Aspects come from the reviews themselves (see aspects_terms): nouns and noun phrases, grouped by lemma,
never praise words, the product itself, names or the shop's talk. An aspect takes a side from the clause
that names it, not from the whole sentence: the clause's praise and blame words must agree with the
sentence's score, and a clause that negates or supposes ("no issues with leaks", "if you want a good
one") gives no side, though it counts against the other side ("the battery doesn't last" is no pro). An
aspect is a pro or a con when at least two reviews put it on that side and it is at least twice as often
there as against it; a shop's own summary (Amazon's "Customers say") lowers that to one review and
vetoes the side it contradicts. Fewer, right aspects beat many wrong ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from server.analysis.aspects_names import concept_of
from server.analysis.aspects_terms import Clause, Key, Terms, clauses, find_terms
from server.analysis.aspects_words import Words, tokens, words_for

__all__ = ["ScoredSentence", "main_language", "pros_and_cons", "warm_up"]

_LANGS = ("en", "it", "fr")
_MAX_ASPECTS = 5
_MAX_QUOTES = 2
_MAX_QUOTE_CHARS = 160
_SAID = 0.05  # a sentence below this |compound| praises or blames nothing
_MIN_REVIEWS = 2  # reviews that must put an aspect on its side
_MAJORITY = 2.0  # times as many reviews on the aspect's side as on the other


@dataclass(frozen=True)
class ScoredSentence:
    review: int  # index of the review it comes from
    text: str
    compound: float
    lang: str


@dataclass
class _Tally:
    reviews: set[int] = field(default_factory=set)
    sides: dict[bool, set[int]] = field(default_factory=lambda: {True: set(), False: set()})
    # reviews whose sentence leans to a side while the clause does not say it plainly ("doesn't last")
    doubts: dict[bool, set[int]] = field(default_factory=lambda: {True: set(), False: set()})
    scores: dict[bool, list[float]] = field(default_factory=lambda: {True: [], False: []})
    quotes: dict[bool, list[tuple[float, int, str]]] = field(default_factory=lambda: {True: [], False: []})


def _side(clause: Clause, compound: float) -> bool | None:
    """True for praise, False for blame, None when the clause says neither or the sentence disagrees."""
    if abs(compound) < _SAID or clause.hedged or not clause.valence or (clause.valence > 0) != (compound > 0):
        return None
    return clause.valence > 0


def _summary_sides(summary: dict[str, Any] | None, words: Words) -> dict[str, bool | None]:
    """Lemma → side the shop's summary gives it (None for "mixed")."""
    sides: dict[str, bool | None] = {}
    for chip in (summary or {}).get("aspects") or []:
        mood = {"positive": True, "negative": False}.get(chip.get("sentiment"))
        for word in tokens(str(chip.get("aspect") or "")):
            if words.is_content(word):
                sides[words.lemma(word)] = mood
    return sides


def pros_and_cons(
    sentences: list[ScoredSentence],
    lang: str = "en",
    exclude: set[str] | frozenset[str] = frozenset(),
    customer_summary: dict[str, Any] | None = None,
) -> tuple[list[dict], list[dict]]:
    """Up to five pros and five cons: {"aspect", "mentions", "sentiment", "quotes"}, strongest first, each
    with the `language` its name is written in (the reviews') and its `concept` where zmot knows the aspect
    (see aspects_names), so it can be named in the shopper's language (server/i18n/aspects).
    `exclude`: texts that name the product itself (its name, brand, category), whose words are never its
    aspects; `customer_summary`: the page's own summary of its reviews (`ProductPage.customer_summary`)."""
    words = words_for(lang)
    if words is None:
        return [], []
    parsed = [(s, clauses(tokens(s.text), words)) for s in sentences if s.lang == lang]
    named = {token for word in exclude for token in tokens(word)}
    terms = find_terms([(s.review, s.text, parts) for s, parts in parsed], words, named)
    seeded = _summary_sides(customer_summary, words)
    for lemma, mood in seeded.items():
        if mood is not None and (lemma,) not in terms.labels and lemma not in terms.self_lemmas:
            terms.labels[(lemma,)] = lemma
    tallies = _tally(parsed, terms, words)
    pros: list[dict] = []
    cons: list[dict] = []
    for key, tally in tallies.items():
        item = _verdict(key, tally, terms, seeded)
        if item is not None:
            item.update(language=lang, concept=concept_of(key, lang))
            (pros if item.pop("_positive") else cons).append(item)
    return _top(pros), _top(cons)


def _tally(
    parsed: list[tuple[ScoredSentence, list[Clause]]], terms: Terms, words: Words
) -> dict[Key, _Tally]:
    """Per aspect: the reviews that name it, put it on each side, or lean to a side without saying so."""
    tallies: dict[Key, _Tally] = defaultdict(_Tally)
    for sentence, parts in parsed:
        review, compound = sentence.review, sentence.compound
        for clause in parts:
            if not clause.lemmas:  # no word that may name an aspect
                continue
            keys = terms.keys_in(clause)
            if not keys:
                continue
            side = None if sentence.text.rstrip().endswith("?") else _side(clause, compound)
            for key in keys:
                tally = tallies[key]
                tally.reviews.add(review)
                if side is None:
                    if abs(compound) >= _SAID:
                        tally.doubts[compound > 0].add(review)
                    continue
                tally.sides[side].add(review)
                tally.scores[side].append(compound)
                tally.quotes[side].append((abs(compound), review, sentence.text))
    return tallies


def _verdict(key: Key, tally: _Tally, terms: Terms, seeded: dict[str, bool | None]) -> dict | None:
    pos, neg = len(tally.sides[True]), len(tally.sides[False])
    said = [seeded[lemma] for lemma in key if lemma in seeded]
    positive = pos > neg
    agreeing = len(tally.sides[positive])
    other = len(tally.sides[not positive] | tally.doubts[not positive])
    if agreeing < (1 if said else _MIN_REVIEWS) or agreeing < _MAJORITY * other:
        return None
    if any(mood is not None and mood != positive for mood in said):
        return None
    scores = tally.scores[positive]
    return {
        "aspect": terms.labels[key],
        "mentions": len(tally.reviews),
        "sentiment": round(sum(scores) / len(scores), 3),
        "quotes": _quotes(tally.quotes[positive]),
        "_rank": (agreeing - other, agreeing, abs(sum(scores) / len(scores))),
        "_key": key,
        "_positive": positive,
    }


def _quotes(candidates: list[tuple[float, int, str]]) -> list[str]:
    """The strongest short sentences on the aspect's side, one per review."""
    picked: list[str] = []
    reviews: set[int] = set()
    for _, review, text in sorted(candidates, key=lambda q: (len(q[2]) > _MAX_QUOTE_CHARS, -q[0])):
        if review in reviews or text in picked:
            continue
        picked.append(text if len(text) <= _MAX_QUOTE_CHARS else text[: _MAX_QUOTE_CHARS - 1].rstrip() + "…")
        reviews.add(review)
        if len(picked) == _MAX_QUOTES:
            break
    return picked


def _top(items: list[dict]) -> list[dict]:
    """The strongest five, leaving out "battery" where "battery life" is listed on the same side."""
    items.sort(key=lambda a: (tuple(-x for x in a["_rank"]), a["aspect"]))
    phrases = {lemma for a in items if len(a["_key"]) > 1 for lemma in a["_key"]}
    kept = [a for a in items if len(a["_key"]) > 1 or a["_key"][0] not in phrases][:_MAX_ASPECTS]
    for item in kept:
        del item["_rank"], item["_key"]
    return kept


def main_language(langs: list[str]) -> str:
    """The language most reviews are written in (en when none is known)."""
    counts = Counter(lang for lang in langs if lang in _LANGS)
    return counts.most_common(1)[0][0] if counts else "en"


def warm_up() -> None:
    """Load the lemma dictionaries and word lists now (a second or two a language), not in a briefing."""
    for lang in _LANGS:
        pros_and_cons([ScoredSentence(0, "The battery is good.", 0.4, lang)], lang)
