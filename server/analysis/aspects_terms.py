"""Which nouns and noun phrases of a product's reviews may be its aspects, found in the reviews themselves.

A word is taken for a noun where reviewers put an article before it ("the battery", "la batteria",
"l'autonomie"); a praise word in between is skipped ("un'ottima qualità"). Phrases are two such nouns
together ("battery life", "rapporto qualità", "durata della batteria", "qualité de fabrication"). Not
aspects: the product itself (its name, and the nouns reviewers point at with "this phone", "questo zaino",
"it is a great machine"), names (mostly capitalised mid-sentence: brands, competitors), units after a
number ("2 weeks", "64 GB"), and the shop's talk (see aspects_words).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import NamedTuple

from server.analysis.aspects_words import Facts, Words

__all__ = ["Clause", "Key", "Terms", "clauses", "find_terms"]

Key = tuple[str, ...]  # an aspect's content lemmas, in order
_MAX_SKIP = 2  # praise words between an article and its noun
_COMPOUND = 3  # reviews that must write two nouns together, with no article, to make them one aspect
_MANY_REVIEWS = 20  # from this many reviews on, a noun must be seen after an article in two of them
_ELIDED = frozenset({"l", "d", "dell", "nell", "all", "sull", "dall", "qu"})  # "l'", "dell'" before a vowel
# A word capitalised mid-sentence ("a Genie", "con Samsung") or inside ("iPhone"); not one in capitals.
_DIGIT = re.compile(r"\d")
# Possessive (++, *+): a lower-case run never gives back a letter that a capital could take.
_CAPITALISED = re.compile(r"(?<=[\w,;] )[A-ZÀ-Ý][\w'’-]*+|\b[a-zà-ÿ]++[A-ZÀ-Ý][\w'’-]*+")


class Clause(NamedTuple):
    """A run of words between punctuation or "and"/"but": the scope a sentiment word speaks of."""

    words: tuple[str, ...]
    lemmas: tuple[str, ...]  # of its content words, the ones that may name an aspect
    valence: float  # its praise and blame words' valences summed
    hedged: bool  # negated or hypothetical: "no issues with leaks", "if you want a good one"


def clauses(words: list[str], lang_words: Words) -> list[Clause]:
    """The clauses of a sentence's tokens (see aspects_words.tokens)."""
    out: list[Clause] = []
    start = end = 0
    lemmas: list[str] = []
    valence = 0.0
    hedged = False
    for _, noun, value, hedges, ends in map(lang_words.facts, words):
        if ends:
            if end > start:
                out.append(Clause(tuple(words[start:end]), tuple(lemmas), valence, hedged))
            start, lemmas, valence, hedged = end + 1, [], 0.0, False
        else:
            if noun is not None:
                lemmas.append(noun)
            if value:  # most words praise or blame nothing
                valence += value
            hedged = hedged or hedges
        end += 1
    if end > start:
        out.append(Clause(tuple(words[start:end]), tuple(lemmas), valence, hedged))
    return out


@dataclass
class Terms:
    """The candidate aspects of one product's reviews: lemma key → the label reviewers write most."""

    labels: dict[Key, str] = field(default_factory=dict)
    self_lemmas: set[str] = field(default_factory=set)

    def keys_in(self, clause: Clause) -> set[Key]:
        """The aspects a clause names, longest first: "battery life" wins over "battery" there."""
        lemmas, labels = clause.lemmas, self.labels
        if len(lemmas) < 2:  # most clauses: one content word or none
            return {lemmas} if lemmas in labels else set()
        found: set[Key] = set()
        used: set[int] = set()
        for i, pair in enumerate(zip(lemmas, lemmas[1:], strict=False)):
            if pair in labels:
                found.add(pair)
                used.update((i, i + 1))
        found.update((lemma,) for i, lemma in enumerate(lemmas) if i not in used and (lemma,) in labels)
        return found


def _modifies(following: Facts, written: str, words: Words) -> bool:
    """A noun that is no aspect after a candidate ("a fast shipment", "a common problem"): the candidate
    describes it. An inflected word there is a verb ("the battery lasts"), and the candidate its subject."""
    return following.lemma in words.shop or (bool(following.valence) and following.lemma == written)


class _Phrase(NamedTuple):
    pointed: bool  # names the product itself: "this phone", "it is a great machine"
    lemmas: Key  # of the noun and the optional second noun
    words: tuple[str, ...]  # the same nouns as written
    written: str  # the phrase as written, "of" and article included: "durata della batteria"


def _phrases_after_article(clause: Clause, words: Words) -> list[_Phrase]:
    """The noun, or two, after each article or demonstrative of a clause."""
    found: list[_Phrase] = []
    w = clause.words
    if not clause.lemmas or words.pointers.isdisjoint(w):  # no noun, or nothing that points at one
        return found
    facts = words.facts
    for i, word in enumerate(w):
        if word not in words.pointers:
            continue
        demonstrative = word in words.demonstratives
        j = i + 1
        while j < len(w) and j - i <= _MAX_SKIP and facts(w[j]).valence:
            j += 1
        noun = facts(w[j]).noun if j < len(w) else None
        if noun is None:
            continue
        run: tuple[str, ...] = (w[j],)
        lemmas: Key = (noun,)
        k = j + 1
        second = facts(w[k]) if k < len(w) else None
        if second is not None and second.noun is not None:  # "battery life", "rapporto qualità"
            run, lemmas = (w[j], w[k]), (noun, second.noun)
        elif second is not None and w[k] in words.of:  # "durata della batteria", "qualité de fabrication"
            k += 1 + (k + 1 < len(w) and w[k + 1] in words.articles)
            third = facts(w[k]).noun if k < len(w) else None
            if third is not None:
                run, lemmas = (w[j], w[k]), (noun, third)
        elif words.lang == "en" and second is not None and _modifies(second, w[k], words):
            continue  # "a fast shipment", "a common problem": the word describes the next one
        # "this phone" (not "at this price"), "it is a great machine": the product itself
        pointed = (demonstrative and not (i > 0 and w[i - 1] in words.prepositions)) or (
            i > 0 and w[i - 1] in words.is_a and word in words.is_a and j > i + 1
        )
        found.append(_Phrase(pointed, lemmas, run, _written(w[j : k + 1]) if len(run) == 2 else run[0]))
    return found


@dataclass
class _Evidence:
    """What the reviews show of each word: where an article stands before it, how it is written."""

    nouns: dict[Key, set[int]] = field(default_factory=lambda: defaultdict(set))  # alone after an article
    heads: dict[Key, set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )  # "life" in "the battery life"
    pairs: dict[Key, set[int]] = field(default_factory=lambda: defaultdict(set))  # after an article
    compounds: dict[Key, set[int]] = field(default_factory=lambda: defaultdict(set))  # anywhere (English)
    pointed: set[str] = field(default_factory=set)
    surface: dict[Key, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    seen: Counter[str] = field(default_factory=Counter)
    after_number: Counter[str] = field(default_factory=Counter)
    capitalised: Counter[str] = field(default_factory=Counter)

    def read(self, review: int, text: str, parts: list[Clause], words: Words) -> None:
        # Only a capital after the first letter can be a name (× is in the regex's range of capitals).
        if not text[1:].islower() or "×" in text:
            self.capitalised.update(
                words.lemma(m.lower()) for m in _CAPITALISED.findall(text) if not m.isupper()
            )
        has_number = _DIGIT.search(text) is not None
        facts = words.facts
        for clause in parts:
            if words.lang == "en" and len(clause.lemmas) > 1:  # "noise cancelling", "battery life"
                self._compounds(review, clause.words, facts)
            if has_number:
                pairs_of_words = zip(clause.words, clause.words[1:], strict=False)
                self.after_number.update(facts(b).lemma for a, b in pairs_of_words if a[0].isdigit())
            for phrase in _phrases_after_article(clause, words):
                self._phrase(review, phrase, words.lang)

    def _phrase(self, review: int, phrase: _Phrase, lang: str) -> None:
        lemmas = phrase.lemmas
        # English puts the noun last ("a fast computer", "battery life"), Italian and French first.
        head = len(lemmas) - 1 if lang == "en" else 0
        (self.nouns if len(lemmas) == 1 or head == 0 else self.heads)[lemmas[head : head + 1]].add(review)
        self.surface[lemmas[head : head + 1]][phrase.words[head]] += 1
        if phrase.pointed:
            self.pointed.add(lemmas[head])
        if len(lemmas) == 2:
            self.pairs[lemmas].add(review)
            self.surface[lemmas][phrase.written] += 1

    def _compounds(self, review: int, clause_words: tuple[str, ...], facts: Callable[[str], Facts]) -> None:
        """Two content words together with no article before them (English)."""
        nouns = [facts(word).noun for word in clause_words]
        for i in range(len(nouns) - 1):
            first, second = nouns[i], nouns[i + 1]
            if first is not None and second is not None:
                key = (first, second)
                self.compounds[key].add(review)
                self.surface[key][f"{clause_words[i]} {clause_words[i + 1]}"] += 1

    def candidates(self, enough: int) -> list[Key]:
        """Nouns seen after an article in `enough` reviews; pairs in two (three when the second word is
        inflected: "offers" may be a verb after its subject, "life" is surely a noun); compounds in three."""
        inflected = {
            k[1] for k, forms in self.surface.items() if len(k) == 2 for f in forms if f.split()[-1] != k[1]
        }
        keys = [k for k, reviews in self.nouns.items() if len(reviews | self.heads.get(k, set())) >= enough]
        keys += [
            k
            for k, reviews in self.pairs.items()
            if len(reviews) >= (2 if (k[1],) in self.nouns or k[1] not in inflected else 3)
        ]
        keys += [
            k for k, reviews in self.compounds.items() if len(reviews | self.pairs.get(k, set())) >= _COMPOUND
        ]
        return list(dict.fromkeys(keys))

    def is_name_or_unit(self, lemma: str) -> bool:
        """Mostly capitalised mid-sentence (a brand, a competitor), or mostly after a number ("2 weeks")."""
        seen = self.seen[lemma]
        return self.capitalised[lemma] * 2 > seen or self.after_number[lemma] * 3 > seen


def find_terms(texts: list[tuple[int, str, list[Clause]]], words: Words, exclude: set[str]) -> Terms:
    """Candidate aspects of reviews given as (review index, sentence text, its clauses)."""
    evidence = _Evidence()
    for review, text, parts in texts:
        evidence.read(review, text, parts, words)
    evidence.seen.update(chain.from_iterable(clause.lemmas for _, _, parts in texts for clause in parts))
    terms = Terms(self_lemmas={words.lemma(w) for w in exclude} | set(exclude) | evidence.pointed)
    enough = 2 if len({review for review, _, _ in texts}) >= _MANY_REVIEWS else 1
    for key in evidence.candidates(enough):
        if set(key) & terms.self_lemmas or any(evidence.is_name_or_unit(lemma) for lemma in key):
            continue
        if len(key) == 2 and (key[0],) not in evidence.nouns and (key[0],) not in evidence.heads:
            continue
        terms.labels[key] = evidence.surface[key].most_common(1)[0][0]
    return terms


def _written(tokens: tuple[str, ...]) -> str:
    """A phrase as written, from its tokens: "durata della batteria", "qualité de l'écran"."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1] in _ELIDED:
            out[-1] += "'" + token
        else:
            out.append(token)
    return " ".join(out)
