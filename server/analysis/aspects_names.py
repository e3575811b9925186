"""Which concept of server/i18n/aspects.json an aspect found in reviews is, so it can be named in another
language: the aspect's key (its content lemmas, see aspects_terms) is looked up among the keys of the
names written for its language, worked out with the same word knowledge.

A name is recognised only when each of its words is an article, a preposition or a word that may name an
aspect: "value for money" never comes out of the reviews as an aspect (value is a praise word), and "son"
in "qualité du son" is a stopword, so those names are only shown, never matched. Two-word keys match only
two-word keys: "battery pack" is not "battery".
"""

from __future__ import annotations

from functools import cache

from server.analysis.aspects_terms import Key
from server.analysis.aspects_words import Words, tokens, words_for
from server.i18n.aspects import aspect_names

__all__ = ["concept_of", "key_of"]

_MAX_KEY = 2  # an aspect's key has at most two lemmas ("rapporto qualità" of "rapporto qualità prezzo")


def key_of(name: str, words: Words) -> Key | None:
    """The key an aspect written as `name` would have; None when no aspect can be written so."""
    function = words.articles | words.of | words.prepositions
    lemmas: list[str] = []
    for word in tokens(name):
        noun = words.facts(word).noun
        if noun is not None:
            lemmas.append(noun)
        elif word not in function and word.isalpha():
            return None
    return tuple(lemmas[:_MAX_KEY]) or None


@cache
def _index(lang: str) -> dict[Key, str]:
    words = words_for(lang)
    index: dict[Key, str] = {}
    if words is None:
        return index
    for concept, names in aspect_names().items():
        for name in names.get(lang, []):
            key = key_of(name, words)
            if key is not None:
                index.setdefault(key, concept)
    return index


def concept_of(key: Key, lang: str) -> str | None:
    """The concept of an aspect with this key in reviews written in `lang`, or None when zmot has none."""
    return _index(lang).get(key)
