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
    3.2: "perfezione ottimo eccellente perfetto fantastico stupendo meraviglioso eccezionale "
    "straordinario favoloso magnifico splendido spettacolare strepitoso impeccabile superbo "
    "perfettamente benissimo",
    2.8: "adoro entusiasta felicissimo ottimamente egregiamente top complimenti wow",
    2.4: "gioiellino impressionante bellissimo delizioso consigliatissimo felice soddisfatto "
    "soddisfattissimo contento fiero",
    2.0: "must miglior migliore bello buono consigliato consiglio consiglierei raccomando "
    "affidabile gustoso elegante bravo amo piace piaciuto piacevole gradevole soddisfazione "
    "super ricomprerei ideale",
    1.6: "convenienza comodo pratico facile intuitivo silenzioso efficiente efficace potente preciso "
    "robusto utile valido resistente curato bene grazie gentile cortese puntuale conveniente "
    "carino funzionale",
    1.2: "adatto idoneo beneficio miglioramento profumato semplicità capiente competitivo "
    "divertimento solido semplice veloce rapido cremoso tempestivo leggero ok compatto",
    0.6: "discreto sufficiente corretto",
    -0.6: "caro costoso ingombrante pesante normale",
    -1.0: "mah limitato irregolare privo manca mancano mancanza pecca errore blocca lento vibra "
    "vibrazioni rumore reso odore sottile",
    -1.4: "sbagliato imperfetto irrita strappo dispiace impossibile grave rumoroso fragile scomodo "
    "complicato difficile problema problemi peccato purtroppo plasticoso rimborso ritardo "
    "graffiato sporco mediocre assente perde perdite restituito restituire bloccato "
    "insoddisfacente",
    -1.8: "rottura peggio peggiore difetto difetti scarso insufficiente arrabbiato insoddisfatto "
    "ammaccato evitare puzza inutile danneggiato surriscalda malfunzionamento rompe",
    -2.3: "deludente delusione deluso scadente rotto difettoso guasto brutto cattivo male sconsiglio "
    "sconsigliato maleducato scortese ridicolo",
    -2.8: "pessimo orribile terribile schifo schifoso vergognoso vergogna disastro disastroso "
    "inaccettabile spreco truffa fregatura inutilizzabile indecente scandaloso penoso malissimo "
    "pessimamente",
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
    # a problem solved or absent is praise, not a complaint
    "risolto il problema": 1.5,
    "risolve il problema": 1.5,
    "risolto ogni problema": 1.5,
    "problema risolto": 1.5,
    "nessunissimo problema": 1.8,
    # "poco" after a verb: cheap is good, short-lived is not
    "costa poco": 1.5,
    "costava poco": 1.5,
    "spendere poco": 1.2,
    "speso poco": 1.2,
    "pagato poco": 1.2,
    "dura poco": -1.8,
    "durata poco": -1.8,
    "funziona poco": -1.5,
    # idioms whose "non" praises, and "se non" ("except"), which negates nothing
    "non potevo chiedere di meglio": 2.8,
    "non potevo chiedere meglio": 2.8,
    "non c'è paragone": 1.5,
    "non ce paragone": 1.5,
    "se non": 0.0,
    "meno male": 1.0,
    # "buono" as a voucher and "consiglio" as a piece of advice praise nothing
    "buono sconto": 0.0,
    "buoni sconto": 0.0,
    "buono regalo": 0.0,
    "buono acquisto": 0.0,
    "buono acquisti": 0.0,
    "un consiglio": 0.0,
    "il mio consiglio": 0.0,
    "lascia a desiderare": -2.0,
    "lasciano a desiderare": -2.0,
    "mai più": -2.0,
    "niente da dire": 1.5,
    "nulla da dire": 1.5,
    "nulla da eccepire": 1.8,
    "niente da eccepire": 1.8,
    # the one flaw of a product the shopper likes is a small complaint, not a verdict
    "unica pecca": -0.6,
    "unico difetto": -0.6,
    "unico neo": -0.6,
    "unico problema": -0.6,
    "unica cosa": -0.3,
    "superato le aspettative": 2.5,
    "superato le mie aspettative": 2.5,
    "nulla da invidiare": 2.0,
    "niente da invidiare": 2.0,
    "mi sono ricreduto": 1.5,
    "mi sono ricreduta": 1.5,
    "rimandato indietro": -1.8,
    "restituito indietro": -1.8,
}

_NEGATED_ONLY: dict[str, float] = {
    w: 2.0
    for w in _words("funziona funzionano funzionava funzionare funzionante dura durato regge tiene carica")
} | {"vale": 1.8}

_NEGATIONS = frozenset(
    _words("non nn mai nessun nessuno nessuna niente nulla né neanche nemmeno neppure alcun alcuno alcuna")
)
# "senza difetti", "poco pratico": they deny the word right after them, never a whole clause
# ("Costa poco e funziona bene" is praise).
_SHORT_NEGATIONS = {"senza": 2, "poco": 1, "poca": 1, "pochi": 1, "poche": 1}

_BOOSTERS: dict[str, float] = {
    w: B_INCR
    for w in _words(
        "molto davvero veramente estremamente assolutamente proprio decisamente particolarmente "
        "incredibilmente totalmente completamente troppo tanto così parecchio altamente"
    )
} | {w: B_DECR for w in ("abbastanza", "piuttosto", "quasi", "leggermente", "relativamente", "un po")}


# "meglio del …" praises this product; a bare "meglio" is as often advice to buy something else
_COMPARATIVES = {w: 2.0 for w in _words("meglio migliore migliori superiore superiori")} | {
    w: -2.0 for w in _words("peggio peggiore peggiori inferiore inferiori")
}


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
        # "velocissima", "facilissimo": the singular superlative of an -e adjective (veloce, facile)
        suffix_boosts=(
            ("issimo", ("o", "e")),
            ("issima", ("a", "e")),
            ("issimi", ("i", "e")),
            ("issime", ("e",)),
        ),
        clause_scope=True,
        short_negations=_SHORT_NEGATIONS,
        transparent=frozenset(_words("il lo la i gli le un uno una l' un' mi ti si ci vi ne")),
        comparatives=_COMPARATIVES,
        than=frozenset(_words("di del della dello dei degli delle dell' rispetto")),
    )
