"""Pros and cons: the product's aspects that reviewers praise or blame, with counts and real quotes.

An aspect is found where a review sentence names it: a per-category vocabulary in en, it and fr groups
synonyms and word forms under one aspect ("battery", "batteria", "autonomie" → battery), and words that
many reviews repeat outside the vocabulary become aspects of their own. Each aspect takes the sentiment of
the sentences that name it; those mostly praised are pros, those mostly blamed are cons.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

__all__ = ["ScoredSentence", "main_language", "pros_and_cons"]

_MAX_ASPECTS = 5
_MAX_QUOTES = 2
_MAX_QUOTE_CHARS = 160
_SAID = 0.05  # a sentence below this |compound| praises or blames nothing

# aspect | English words | Italian words | French words (a word also matches its plural-ish forms)
_VOCABULARY = """
battery | battery batteries charge charging | batteria batterie autonomia ricarica | batterie autonomie charge
sound | sound audio bass speaker speakers treble | suono audio bassi altoparlante | son audio basses
noise | noise noisy loud quiet silent | rumore rumorosa rumoroso silenziosa silenzioso
      | bruit bruyant bruyante silencieux silencieuse
noise cancelling | anc cancelling canceling cancellation | cancellazione | réduction
comfort | comfort comfortable fit ears ear | comodità comoda comodo orecchie | confort confortable oreilles
screen | screen display | schermo display | écran affichage
size | size compact bulky | dimensioni ingombro compatta compatto ingombrante | taille encombrement compacte
weight | weight heavy | peso pesante | poids lourd lourde
build quality | build plastic materials material sturdy flimsy construction
              | materiali plastica costruzione robusta robusto
              | matériaux plastique construction fabrication robuste
durability | broke broken stopped lasted lasting durable died | rotta rotto durata guasto guasta
           | cassé cassée durée panne
leaks | leak leaks leaking leaked | perde perdite perdita gocciola | fuite fuit fuites
taste | coffee espresso taste flavor flavour crema tea | caffè espresso gusto sapore crema
      | café expresso goût saveur
milk frother | frother milk foam steam wand | lancia latte schiuma vapore | mousseur lait mousse vapeur
temperature | hot heat heats temperature warm cold | caldo calda temperatura scalda
            | chaud chaude température chauffe
cleaning | clean cleaning descaling wash | pulire pulizia decalcificazione lavare
         | nettoyer nettoyage détartrage laver
ease of use | easy intuitive setup controls buttons app | facile intuitiva intuitivo semplice pulsanti app
            | facile intuitif intuitive simple boutons application
design | design looks look beautiful color colour style | design estetica bella colore
       | design esthétique belle couleur
price | price value money expensive cheap cost | prezzo costo soldi cara caro costosa
      | prix coût argent cher chère
delivery | delivery shipping arrived package packaging box
         | consegna spedizione arrivata arrivato imballaggio pacco
         | livraison expédition arrivé arrivée emballage colis
customer service | seller support service warranty refund | venditore assistenza garanzia rimborso
                 | vendeur service garantie remboursement sav
connectivity | bluetooth connection pairing wifi connect | bluetooth connessione wifi
             | bluetooth connexion wifi
instructions | instructions manual | istruzioni manuale | notice instructions mode
"""
# aspect | Italian name | French name (English names are the aspects' own)
_NAMES = """
battery | batteria | batterie
sound | suono | son
noise | rumore | bruit
noise cancelling | cancellazione del rumore | réduction de bruit
comfort | comodità | confort
screen | schermo | écran
size | dimensioni | taille
weight | peso | poids
build quality | materiali | matériaux
durability | durata | durabilité
leaks | perdite | fuites
taste | gusto del caffè | goût du café
milk frother | lancia del latte | buse vapeur
temperature | temperatura | température
cleaning | pulizia | nettoyage
ease of use | facilità d'uso | facilité d'utilisation
design | design | design
price | prezzo | prix
delivery | consegna | livraison
customer service | assistenza | service client
connectivity | connessione | connexion
instructions | istruzioni | notice
"""
_LANGS = ("en", "it", "fr")


def _rows(table: str) -> list[list[str]]:
    """Table lines split at "|"; a line that starts with "|" adds its cells to the row above it."""
    rows: list[list[str]] = []
    for line in table.strip().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if not cells[0] and rows:
            rows[-1].extend(cells[1:])
        else:
            rows.append(cells)
    return rows


_LABELS: dict[str, dict[str, str]] = {
    "it": {row[0]: row[1] for row in _rows(_NAMES)},
    "fr": {row[0]: row[2] for row in _rows(_NAMES)},
}
_STOPWORDS = frozenset(
    str.split(
        "this that with have they them there their would could should about after before because been "
        "were what when which while your only just also very really much more than then into other some "
        "questo questa sono anche molto dopo prima perché come della delle dello degli nella quando ancora "
        "tutto tutti sempre cette avec pour dans sont très mais plus aussi tout tous comme elle même "
        "product prodotto produit machine macchina item articolo article appareil unit purchase acquisto "
        "achat thing cosa chose"
    )
)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def _index() -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {lang: {} for lang in _LANGS}
    for aspect, *words in _rows(_VOCABULARY):
        for lang, text in zip(_LANGS, words, strict=True):
            for word in text.split():
                index[lang][word] = aspect
    return index


_INDEX = _index()


@dataclass(frozen=True)
class ScoredSentence:
    review: int  # index of the review it comes from
    text: str
    compound: float
    lang: str


@dataclass
class _Tally:
    reviews: set[int] = field(default_factory=set)
    pos: set[int] = field(default_factory=set)
    neg: set[int] = field(default_factory=set)
    scores: list[float] = field(default_factory=list)
    quotes: list[tuple[float, str]] = field(default_factory=list)


def _aspects_in(words: list[str], lang: str) -> set[str]:
    index = _INDEX.get(lang, _INDEX["en"])
    found = set()
    for word in words:
        aspect = index.get(word) or index.get(word.rstrip("s")) or (len(word) > 4 and index.get(word[:-1]))
        if aspect:
            found.add(aspect)
    # "noise cancelling is superb" speaks of noise cancelling, not of the product's noise.
    return {a for a in found if not any(a != b and a in b.split() for b in found)}


def _frequent_terms(sentences: list[ScoredSentence], known: set[str]) -> dict[str, str]:
    """Words outside the vocabulary that at least three reviews use: candidate aspects of this product."""
    seen: dict[str, set[int]] = defaultdict(set)
    for s in sentences:
        for word in _WORD.findall(s.text.lower()):
            if len(word) >= 5 and word not in _STOPWORDS and word not in known:
                seen[word].add(s.review)
    return {w: w for w, reviews in seen.items() if len(reviews) >= 3}


def pros_and_cons(
    sentences: list[ScoredSentence], lang: str = "en", exclude: set[str] | frozenset[str] = frozenset()
) -> tuple[list[dict], list[dict]]:
    """Up to five pros and five cons: {"aspect", "mentions", "sentiment", "quotes"}, strongest first.
    `exclude`: words that name the product itself (its name), never an aspect of it."""
    known = {w for table in _INDEX.values() for w in table} | exclude
    extra = _frequent_terms(sentences, known)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for s in sentences:
        words = _WORD.findall(s.text.lower())
        found = _aspects_in(words, s.lang) | {extra[w] for w in words if w in extra}
        for aspect in found:
            tally = tallies[aspect]
            tally.reviews.add(s.review)
            if abs(s.compound) < _SAID:
                continue
            tally.scores.append(s.compound)
            (tally.pos if s.compound > 0 else tally.neg).add(s.review)
            if len(s.text) <= _MAX_QUOTE_CHARS:
                tally.quotes.append((s.compound, s.text))
    pros, cons = [], []
    for aspect, tally in tallies.items():
        if not tally.scores or (aspect in extra.values() and len(tally.pos | tally.neg) < 2):
            continue
        side = pros if len(tally.pos) > len(tally.neg) else cons if tally.neg else None
        if side is None:
            continue
        positive = side is pros
        scores = [c for c in tally.scores if (c > 0) == positive]
        quotes = sorted((q for q in tally.quotes if (q[0] > 0) == positive), key=lambda q: -abs(q[0]))
        unique = list(dict.fromkeys(text for _, text in quotes))[:_MAX_QUOTES]
        side.append(
            {
                "aspect": _LABELS.get(lang, {}).get(aspect, aspect),
                "mentions": len(tally.reviews),
                "sentiment": round(sum(scores) / len(scores), 3),
                "quotes": unique,
                "_rank": len(tally.pos if positive else tally.neg) * abs(sum(scores) / len(scores)),
            }
        )
    return _top(pros), _top(cons)


def _top(items: list[dict]) -> list[dict]:
    items.sort(key=lambda a: (-a["_rank"], -a["mentions"], a["aspect"]))
    for item in items:
        del item["_rank"]
    return items[:_MAX_ASPECTS]


def main_language(langs: list[str]) -> str:
    """The language most reviews are written in (en when none is known)."""
    counts = Counter(lang for lang in langs if lang in _LANGS)
    return counts.most_common(1)[0][0] if counts else "en"
