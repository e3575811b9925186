"""Italian for VADER's rules: a product-review lexicon, negations, boosters and contrast words.

Written for zmot (MIT, like the project) from the common vocabulary of Italian shop reviews; no
evaluation sentence was copied into it. Valences use VADER's -4..+4 scale. Adjectives are listed once in
the masculine singular and inflected here (ottimo → ottima, ottimi, ottime); "-issimo" superlatives are
scored as their base word plus a booster by the rule engine.
"""

from __future__ import annotations

from server.analysis.vader import B_DECR, B_INCR, Language, inflected_lexicon

__all__ = ["italian"]


def _words(text: str) -> list[str]:
    return text.split()


# valence: words (adjectives in the masculine singular are inflected below)
_WORDS: dict[float, str] = {
    3.2: "ottimo eccellente perfetto fantastico stupendo meraviglioso eccezionale straordinario favoloso "
    "magnifico splendido spettacolare strepitoso impeccabile superbo perfettamente benissimo",
    2.8: "adoro entusiasta felicissimo ottimamente egregiamente top complimenti wow",
    2.4: "bellissimo delizioso consigliatissimo felice soddisfatto soddisfattissimo contento fiero",
    2.0: "bello buono consigliato consiglio consiglierei raccomando affidabile gustoso elegante bravo "
    "amo piace piaciuto piacevole gradevole soddisfazione super ricomprerei ideale",
    1.6: "comodo pratico facile intuitivo silenzioso efficiente efficace potente preciso robusto utile "
    "valido resistente curato bene grazie gentile cortese puntuale conveniente carino funzionale",
    1.2: "solido semplice veloce rapido cremoso tempestivo leggero ok compatto",
    0.6: "discreto sufficiente corretto",
    -0.6: "caro costoso ingombrante pesante normale",
    -1.0: "lento vibra vibrazioni rumore reso odore sottile",
    -1.4: "rumoroso fragile scomodo complicato difficile problema problemi peccato purtroppo plasticoso "
    "rimborso ritardo graffiato sporco mediocre assente perde perdite",
    -1.8: "difetto difetti scarso insufficiente arrabbiato insoddisfatto ammaccato evitare puzza "
    "inutile danneggiato surriscalda malfunzionamento rompe",
    -2.3: "deludente delusione deluso scadente rotto difettoso guasto brutto cattivo male sconsiglio "
    "sconsigliato maleducato scortese ridicolo",
    -2.8: "pessimo orribile terribile schifo schifoso vergognoso vergogna disastro disastroso "
    "inaccettabile truffa fregatura inutilizzabile indecente scandaloso penoso malissimo pessimamente",
}

_PHRASES: dict[str, float] = {
    "smesso di funzionare": -2.5,
    "smette di funzionare": -2.3,
    "non funziona più": -2.3,
    "soldi buttati": -3.0,
    "soldi sprecati": -3.0,
    "spreco di soldi": -3.0,
    "da evitare": -2.5,
    "lasciate perdere": -2.3,
    "ho restituito": -1.8,
    "ho reso": -1.5,
    "reso il prodotto": -1.5,
    "si blocca": -1.8,
    "si è rotto": -2.3,
    "si è rotta": -2.3,
    "usa e getta": -1.2,
    "una stella": -2.3,
    "1 stella": -2.3,
    "due stelle": -1.2,
    "vale la pena": 1.8,
    "vale ogni centesimo": 2.8,
    "vale il prezzo": 2.0,
    "fa il suo dovere": 1.8,
    "fa il suo lavoro": 1.5,
    "come descritto": 1.0,
    "come da descrizione": 1.0,
    "cinque stelle": 2.5,
    "5 stelle": 2.5,
    "quattro stelle": 1.5,
    "4 stelle": 1.5,
    "nessun problema": 1.5,
    "rapporto qualità prezzo": 0.4,
    "qualità prezzo": 0.4,
    "alta qualità": 2.0,
    "bassa qualità": -2.0,
    "di qualità": 1.2,
    "senza problemi": 1.5,
    "va benissimo": 2.8,
    "va bene": 1.5,
}

_NEGATED_ONLY: dict[str, float] = {
    w: 2.0
    for w in _words("funziona funzionano funzionava funzionare funzionante dura durato regge tiene carica")
} | {"vale": 1.8}

_NEGATIONS = frozenset(
    _words("non mai nessun nessuno nessuna niente nulla senza né neanche nemmeno neppure poco")
)

_BOOSTERS: dict[str, float] = {
    w: B_INCR
    for w in _words(
        "molto davvero veramente estremamente assolutamente proprio decisamente particolarmente "
        "incredibilmente totalmente completamente troppo tanto così parecchio altamente"
    )
} | {w: B_DECR for w in ("abbastanza", "piuttosto", "quasi", "leggermente", "relativamente", "un po")}


def _inflect(word: str) -> list[str]:
    """The four forms of a regular Italian adjective; other words stay as they are."""
    if word.endswith(("co", "go")) and len(word) > 4:
        return [word, word[:-1] + "a", word[:-1] + "hi", word[:-1] + "he", word[:-1] + "i"]
    if word.endswith("o") and len(word) > 3:
        return [word, word[:-1] + "a", word[:-1] + "i", word[:-1] + "e"]
    if word.endswith("e") and len(word) > 5:
        return [word, word[:-1] + "i"]
    return [word]


def italian() -> Language:
    """The Italian profile for the rule engine."""
    lexicon = inflected_lexicon(_WORDS, _inflect, _NEGATED_ONLY)
    return Language(
        code="it",
        lexicon=lexicon,
        negations=_NEGATIONS,
        boosters=dict(_BOOSTERS),
        contrast=frozenset({"ma", "però", "tuttavia", "eppure", "invece"}),
        phrases=dict(_PHRASES),
        negated_only=dict(_NEGATED_ONLY),
        single_negation=True,
        elisions=frozenset(_words("l' un' dell' all' dall' nell' sull' quest' quell' c' d' m' t' s' po'")),
        suffix_boosts=(("issimo", ("o",)), ("issima", ("a",)), ("issimi", ("i",)), ("issime", ("e",))),
    )
