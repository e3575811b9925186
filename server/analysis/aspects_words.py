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
from functools import cache

import simplemma
import stopwordsiso

from server.analysis.lexicon_en import english
from server.analysis.lexicon_fr import french
from server.analysis.lexicon_it import italian
from server.analysis.vader import Language

__all__ = ["Words", "tokens", "words_for"]

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
_MEMO = 200_000  # words remembered per language and question, a few MB at most
_PROFILES: dict[str, Callable[[], Language]] = {"en": english, "it": italian, "fr": french}
_CLAUSE_PUNCT = frozenset(".,;:!?()-–—/…")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’]t\b)?|\d+|[.,;:!?()\-–—/…]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased words, numbers and punctuation; "l'autonomie" is "l" + "autonomie"."""
    return _TOKEN.findall(text.lower())


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

    # Memos of the three questions below, asked of every word of every review; bounded by _MEMO.
    _lemmas: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _valences: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    _contents: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _infos: dict[str, tuple[str | None, float, bool, bool]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def lemma(self, word: str) -> str:
        lemma = self._lemmas.get(word)
        if lemma is None:
            lemma = self._lemmas[word] = simplemma.lemmatize(word, lang=self.lang).lower()
            _bound(self._lemmas)
        return lemma

    def valence(self, word: str) -> float:
        """How much a word praises (> 0) or blames (< 0), by its form or its lemma; 0 for other words."""
        valence = self._valences.get(word)
        if valence is None:
            valence = self.lexicon.get(word) or self.lexicon.get(self.lemma(word)) or 0.0
            self._valences[word] = valence
            _bound(self._valences)
        return valence

    def is_content(self, word: str) -> bool:
        """A word that may name an aspect: alphabetic, not a stopword, not praise or blame, not shop talk,
        not an inflected verb."""
        content = self._contents.get(word)
        if content is None:
            lemma = self.lemma(word)
            content = self._contents[word] = (
                len(word) > 2
                and word.isalpha()
                and word not in self.stop
                and not self.valence(word)
                and lemma not in self.shop
                and not _verb_form(word, lemma, self.lang)
            )
            _bound(self._contents)
        return content

    def negates(self, word: str) -> bool:
        return word in self.negations or word.endswith(("n't", "n’t"))

    def info(self, word: str) -> tuple[str | None, float, bool, bool]:
        """(its lemma if it may name an aspect, its valence, whether it negates or supposes, whether it
        ends a clause) in one look-up: the per-word work of every review sentence."""
        info = self._infos.get(word)
        if info is None:
            ends = word in _CLAUSE_PUNCT or word in self.breaks
            info = self._infos[word] = (
                self.lemma(word) if self.is_content(word) else None,
                self.valence(word),
                self.negates(word) or word in self.hypothetical,
                ends,
            )
            _bound(self._infos)
        return info


def _bound(memo: dict) -> None:
    if len(memo) > _MEMO:
        memo.clear()


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
        shop=frozenset(simplemma.lemmatize(w, lang=lang).lower() for w in closed["shop"]) | closed["shop"],
        lexicon=lexicon,
    )
