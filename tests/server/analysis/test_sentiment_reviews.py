"""Sentiment on the way real shoppers write in Italian and French: where negation stops, words that only
half deny, superlatives, problems that are solved, unaccented French, and praise by comparison.

Each sentence is written here in the style of reviews that were scored wrong (none is copied from a
measured set); `python bench/sentiment_eval.py` measures the same causes on the real reviews."""

from __future__ import annotations

import pytest

from server.analysis.sentiment import score, split_sentences

CASES = [
    # a negation stays inside its clause: a comma or "ma"/"mais" ends it
    ("it", "Non ha graffi neanche leggeri, è perfetto.", "positive"),
    ("it", "Non è velocissimo, ma il caffè è ottimo.", "positive"),
    ("fr", "Pas de notice, mais elle est parfaite.", "positive"),
    ("fr", "Je n'ai pas été déçu, vraiment génial.", "positive"),
    ("it", "Niente da dire,qualità ottima.", "positive"),  # a comma typed without its space
    # and in French it reaches the whole clause, a few words further than three
    ("fr", "Ce n'est vraiment pas une série drôle.", "negative"),
    # "senza", "poco", "sans", "peu" deny the next word only
    ("it", "Costa poco e funziona bene.", "positive"),
    ("it", "Poco pratico da pulire.", "negative"),
    ("it", "Senza difetti, lo consiglio.", "positive"),
    ("fr", "Coûte peu et marche bien.", "positive"),
    ("fr", "Peu fiable, la batterie tient une journée.", "negative"),
    ("fr", "Une série sans intérêt.", "negative"),
    # singular superlatives of -e adjectives are their base word, boosted
    ("it", "Velocissima.", "positive"),
    ("it", "Facilissimo da montare.", "positive"),
    ("it", "Utilissimo in viaggio.", "positive"),
    # a problem that is absent or solved is praise
    ("it", "Mai avuto alcun tipo di problema.", "positive"),
    ("it", "Ha risolto il problema dell'umidità in bagno.", "positive"),
    ("it", "Installato senza problemi.", "positive"),
    # shorthand, idioms and the one flaw of a product the shopper likes
    ("it", "Nn mi sono trovato bene, nn la consiglio.", "negative"),
    ("it", "L'imballo lascia a desiderare.", "negative"),
    ("it", "Comodissima e robusta, unica pecca il colore.", "positive"),
    # French words of disappointment and boredom
    ("fr", "Scénario ridicule et prévisible.", "negative"),
    ("fr", "Une série plate, fade et ennuyeuse.", "negative"),
    ("fr", "Je n'ai pas accroché.", "negative"),
    # French typed without accents
    ("fr", "Quelle deception, tres decu.", "negative"),
    # praise by comparison: the other product's faults are not this one's
    ("it", "Molto meglio del power bank che non funzionava.", "positive"),
    ("fr", "Bien mieux que l'ancien qui tombait en panne.", "positive"),
    # a voucher ("buono sconto") is not praise
    ("it", "Nella scatola c'era un buono sconto per il prossimo ordine.", "neutral"),
]


@pytest.mark.parametrize(("lang", "text", "label"), CASES)
def test_real_looking_review_sentences_get_the_shoppers_label(lang, text, label):
    assert score(text, lang).label == label, score(text, lang)


def test_a_sentence_typed_without_its_space_is_two_sentences():
    text = "Le tasche sono capienti.Funziona perfettamente!Consigliato"
    assert split_sentences(text, "it") == [
        "Le tasche sono capienti.",
        "Funziona perfettamente!",
        "Consigliato",
    ]
    # abbreviations and numbers are not sentence ends
    assert split_sentences("Costa 59,99 euro, ca. 10 cm.", "it") == ["Costa 59,99 euro, ca. 10 cm."]


def test_the_glued_verdict_after_a_complaint_is_weighed_on_its_own():
    glued = "Arrivato con la scatola rovinata.Però funziona perfettamente, velocissimo e silenzioso."
    assert score(glued, "it").label == "positive"


def test_a_closing_contrast_outweighs_the_praise_before_it():
    review = (
        "Les premières saisons étaient drôles et les acteurs excellents. "
        "Mais là, quelle déception ! Une saison plate et prévisible."
    )
    assert score(review, "fr").label == "negative"
