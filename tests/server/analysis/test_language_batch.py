"""A page's reviews are read by the language model together: each gets the language, and the confidence, that
reading it alone gives."""

from __future__ import annotations

from server.analysis.language import _identifier, detect_language, detect_languages
from server.analysis.language_batch import _MIN_BATCH, BatchIdentifier

# Reviews as a mixed page holds them: several languages, lengths, emoji, capitals, accents, nonsense.
PAGE = [
    "La macchina funziona bene e il caffè è ottimo",
    "Arrivato in tempo, imballo curato. Consigliato!",
    "Très bonne machine, un peu bruyante mais le café est délicieux",
    "Ne fonctionne plus après deux semaines, à éviter.",
    "Boils a full litre in under three minutes. Quiet, and the handle is comfortable.",
    "STOPPED WORKING AFTER TWO WEEKS",
    "Die Maschine funktioniert leider nicht mehr, sehr enttäuschend.",
    "Llegó rápido y funciona muy bien, lo recomiendo",
    "ok",
    "Top!",
    "👍👍👍",
    "",
    "Prodotto ottimo 😍😍 lo ricomprerei subito, spedizione veloce",
    "qualità/prezzo imbattibile... batteria dura 2 giorni",
    "rapport qualité prix correct, l'écran est lumineux",
    "asdfgh qwerty zxcvb",
    "12345 678",
    "Il prodotto è arrivato con la scatola rovinata ma funziona, non è molto rumoroso per il prezzo " * 3,
    "Buen producto, llegó rápido y funciona muy bien con el cargador",
    "La machine à café est très bien pour le prix, je la recommande",
    "Nice design and a handy water window. Happy with it.",
    "Ottima macchina, il caffè è cremoso e caldo. La consiglio.",
    "Dopo un mese perde acqua dal fondo, assistenza lentissima.",
    "Sehr gut, schnelle Lieferung",
    "Vraiment déçue… le produit ne correspond pas à la description",
    "È un buon prodotto ma la batteria dura poco",
    "Perfect for tea, the handle is comfortable and it heats fast.",
    "J'adore, je recommande à 100 %",
]


def test_reading_a_page_together_gives_each_review_the_answer_it_gets_alone():
    identifier = _identifier()
    batch = BatchIdentifier(identifier)
    assert batch.together and len(PAGE) >= _MIN_BATCH  # read together, not handed back to the library
    assert batch.classify_all(PAGE) == [identifier.classify(text) for text in PAGE]


def test_a_page_of_reviews_gets_the_languages_its_reviews_get_one_by_one():
    hints = [None, "it", "fr", None, "en", "en", None, None, "it", None, "fr", "en"] * 3
    hints = hints[: len(PAGE)]
    assert detect_languages(PAGE, hints) == [
        detect_language(text, hint=hint) for text, hint in zip(PAGE, hints, strict=True)
    ]
