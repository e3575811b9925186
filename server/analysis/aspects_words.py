"""What pros and cons need to know of a language: its words, their lemmas, and which words are no aspect.

The open classes come from libraries: lemmas from simplemma, stopwords from stopwordsiso, praise and blame
words (which are never aspects) from the sentiment lexicons. Only closed classes are listed here: the
articles and demonstratives that show a word is a noun, the words that negate or make a clause hypothetical,
and the nouns that are never a product's aspect: the shop's talk (delivery, seller), which is about the
purchase, generic words for the product or the purchase ("item", "gift"), and units of time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

import stopwordsiso
from simplemma import Lemmatizer

from server.analysis.lexicon_en import english
from server.analysis.lexicon_fr import french
from server.analysis.lexicon_it import italian
from server.analysis.vader import Language

__all__ = ["Facts", "Words", "tokens", "words_for"]

# Per language: articles (a noun follows them), demonstratives ("this phone": the product itself),
# prepositions that make a demonstrative something else ("at this price"), the "of" that joins two nouns
# ("durata della batteria"), words that make a clause negated or hypothetical, and the nouns that are no
# aspect ("shop": delivery and seller talk, generic product and purchase words, units of time).
_CLOSED: dict[str, dict[str, str]] = {
    "en": {
        "articles": "the a an its",
        "demonstratives": "this these",
        "is_a": "is s was a an",
        "prepositions": "at for with in on by from to",
        "of": "",
        "negations": "no not never nothing none nor neither without cannot n't",
        "hypothetical": "if would could should hope wish",
        "and": "and or but however although though except",
        "shop": "delivery deliver shipping ship shipment seller vendor amazon courier package packaging "
        "box refund return store retailer customer service support warranty purchase product item "
        "thing stuff money star review gift present experience model brand version unit "
        "time day week month year hour minute expectation deal",
    },
    "it": {
        "articles": "il lo la i gli le l un uno una",
        "demonstratives": "questo questa questi queste",
        "is_a": "è é era un uno una",
        "prepositions": "a per con in su da di tra fra",
        "of": "di del della dello dei degli delle dell d",
        "negations": "non nessun nessuna nessuno niente nulla mai né neanche nemmeno neppure senza alcun "
        "alcuna alcuno nn",
        "hypothetical": "se magari spero vorrei",
        "and": "e ed o oppure ma però invece tuttavia eppure anche",
        "shop": "consegna consegnare spedizione spedire venditore amazon corriere pacco pacchetto "
        "imballaggio imballo scatola reso rimborso negozio servizio assistenza garanzia acquisto "
        "prodotto articolo oggetto cosa soldi stella recensione regalo esperienza modello marca versione "
        "tempo giorno settimana mese anno ora minuto volta aspettativa affare",
    },
    "fr": {
        "articles": "le la les l un une",
        "demonstratives": "ce cet cette ces",
        "is_a": "est était un une",
        "prepositions": "à au aux pour avec en dans sur par de",
        "of": "de du des d",
        "negations": "ne n pas non jamais rien aucun aucune sans ni guère",
        "hypothetical": "si espère aurais",
        "and": "et ou mais cependant pourtant toutefois",
        "shop": "livraison livrer expédition vendeur amazon colis emballage carton remboursement retour "
        "magasin service sav garantie achat produit article chose objet argent étoile avis cadeau "
        "expérience modèle marque version temps jour semaine mois an année heure minute fois attente affaire",
    },
}
# simplemma's default strategy, affix rules included: its dictionary alone leaves an Italian verb with a
# pronoun ("acquistarlo", "accontentarsi": 379 words of 1,000 amazon.it reviews) as its own lemma, so
# it would pass for a noun, and it saves only about 2 µs a new word. Words.facts remembers the answers,
# so the lemmatizer keeps no cache of its own.
_LEMMATIZER = Lemmatizer(cache_max_size=0)
_MEMO = 200_000  # words remembered per language, a few MB at most
_PROFILES: dict[str, Callable[[], Language]] = {"en": english, "it": italian, "fr": french}
_CLAUSE_PUNCT = frozenset(".,;:!?()-–—/…")
# A word (with its "n't"), a number or a punctuation mark; written to open with one class of characters, which
# the regex engine skips to in C, then to check which kind that first character was.
_TOKEN = re.compile(
    r"[\w.,;:!?()\-–—/…](?:(?<=[^\W\d_])[^\W\d_]*(?:['’]t\b)?|(?<=\d)\d*|(?<=[.,;:!?()\-–—/…]))", re.UNICODE
)


def tokens(text: str) -> list[str]:
    """Lower-cased words, numbers and punctuation; "l'autonomie" is "l" + "autonomie"."""
    return _TOKEN.findall(text.lower())


class Facts(NamedTuple):
    """What finding aspects asks of one word, answered once."""

    lemma: str
    noun: str | None  # its lemma when the word may name an aspect (see Words.is_content), else None
    valence: float  # how much it praises (> 0) or blames (< 0)
    hedges: bool  # it negates or supposes: "not", "never", "if"
    ends: bool  # it ends a clause: punctuation, "and", "but"


@dataclass(frozen=True)
class Words:
    """One language's word knowledge for finding aspects."""

    lang: str
    stop: frozenset[str]
    articles: frozenset[str]
    demonstratives: frozenset[str]
    is_a: frozenset[str]  # "is" and "a": "this is a great machine" names the product itself
    prepositions: frozenset[str]
    of: frozenset[str]
    negations: frozenset[str]
    hypothetical: frozenset[str]
    breaks: frozenset[str]  # words that end a clause: "and", "but"
    shop: frozenset[str]  # nouns that are no aspect: delivery, seller, generic purchase talk, time units
    lexicon: dict[str, float]  # praise and blame words, with their valence

    pointers: frozenset[str] = field(init=False, repr=False, compare=False)  # articles and demonstratives
    facts: Callable[[str], Facts] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pointers", self.articles | self.demonstratives)
        # Every word of every review is asked about: remember the answers, in a bounded cache so that a
        # worker's memory stays flat and 10,000 reviews cost ten times 1,000.
        object.__setattr__(self, "facts", lru_cache(maxsize=_MEMO)(self._facts))

    def _facts(self, word: str) -> Facts:
        lemma = _LEMMATIZER.lemmatize(word, lang=self.lang).lower()
        valence = self.lexicon.get(word) or self.lexicon.get(lemma) or 0.0
        content = (
            len(word) > 2
            and word.isalpha()
            and word not in self.stop
            and not valence
            and lemma not in self.shop
            and not _verb_form(word, lemma, self.lang)
        )
        return Facts(
            lemma,
            lemma if content else None,
            valence,
            word in self.negations or word.endswith(("n't", "n’t")) or word in self.hypothetical,
            word in _CLAUSE_PUNCT or word in self.breaks,
        )

    def lemma(self, word: str) -> str:
        return self.facts(word).lemma

    def valence(self, word: str) -> float:
        """How much a word praises (> 0) or blames (< 0), by its form or its lemma; 0 for other words."""
        return self.facts(word).valence

    def is_content(self, word: str) -> bool:
        """A word that may name an aspect: alphabetic, not a stopword, not praise or blame, not shop talk,
        not an inflected verb."""
        return self.facts(word).noun is not None


def _verb_form(word: str, lemma: str, lang: str) -> bool:
    """An inflected verb, a comparative or an adverb ("started", "lighter", "utilizza", "fonctionne",
    "vivamente"): no noun."""
    if lang == "it" and word.endswith("mente") and len(word) > 7:
        return True
    if word == lemma:
        return False
    if lang == "en":
        return word.endswith(("ed", "er", "est"))  # "-ing" often names a thing: "gaming", "noise cancelling"
    if lang == "it":
        return lemma.endswith(("are", "ere", "ire", "rre"))
    if lang == "fr":
        return lemma.endswith(("er", "ir", "re")) and word not in (lemma + "s", lemma + "x")
    return False


@cache
def words_for(lang: str) -> Words | None:
    """The word knowledge of `lang`, or None where zmot has no sentiment lexicon for it."""
    if lang not in _PROFILES:
        return None
    closed = {key: frozenset(value.split()) for key, value in _CLOSED[lang].items()}
    profile = _PROFILES[lang]()
    lexicon = dict(profile.lexicon)
    for word, valence in profile.negated_only.items():  # "issue", "works": sentiment words all the same
        lexicon.setdefault(word, valence)
    for word, valence in profile.boosters.items():  # "very", "molto"
        lexicon.setdefault(word, valence or 0.1)
    return Words(
        lang=lang,
        stop=frozenset(stopwordsiso.stopwords(lang)) | closed["negations"],
        articles=closed["articles"],
        demonstratives=closed["demonstratives"],
        is_a=closed["is_a"],
        prepositions=closed["prepositions"],
        of=closed["of"],
        negations=closed["negations"] | profile.negations | profile.no_words,
        hypothetical=closed["hypothetical"],
        breaks=closed["and"] | profile.contrast,
        shop=frozenset(_LEMMATIZER.lemmatize(w, lang=lang).lower() for w in closed["shop"]) | closed["shop"],
        lexicon=lexicon,
    )
