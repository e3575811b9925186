"""Sentiment on the way real shoppers write in Italian and French: where negation stops, words that only
half deny, superlatives, problems that are solved, unaccented French, and praise by comparison.

The cases are written here in the style of the real reviews that were scored wrong (the measured sets
are for measuring only and stay outside the project); `python bench/sentiment_eval.py` measures the same
causes on all the real reviews."""

from __future__ import annotations

import pytest

from server.analysis import vader, vader_tokens
from server.analysis.lexicon_it import italian
from server.analysis.sentiment import review_sentiment, score, sentence_scores, split_sentences, text_compound
from server.analysis.vader import RuleScorer

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


# (stars the shopper gave, sentence from that real amazon.it review, label it must get)
REAL_CASES = [
    # a verb is known by its infinitive, whatever its form (deludere, pentire, innamorare, buttare)
    (5, "Come ogni volta questa marca non delude mai!", "positive"),
    (1, "Mi sono pentita, non lo ricomprerei.", "negative"),
    (5, "Dopo la prima settimana me ne sono proprio innamorata.", "positive"),
    (1, "Abbiamo buttato via i soldi.", "negative"),
    # what a device should do, denied: "non si accende", "non riesco a …", "non va"
    (1, "Dopo un mese non si accendeva più", "negative"),
    (1, "Ho provato per due sere e non riesco a collegarlo al telefono.", "negative"),
    # … unless the negation belongs to the sentiment word after it: what the shopper cannot do without
    (5, "La uso tutte le mattine e non posso farne a meno", "positive"),
    (5, "Da quando è arrivato non riesco più a farne a meno", "positive"),
    # phrases longer than four words, and phrases with an elision ("c'è"), are read as one
    (5, "Non potevo chiedere di meglio per questo prezzo!!", "positive"),
    (5, "Ho avuto altri modelli.Non c'è paragone.", "positive"),
    # sentences glued by ".." or a lost line break ("ottimoLa"); emoji and stretched words carry sentiment
    (5, "Arrivato presto..tutto perfetto..ci sono anche le istruzioni", "positive"),
    (
        5,
        "La borraccia è robusta e tiene il freddo tutto il giorno.Il prezzo è ottimoLa spedizione rapida",
        "positive",
    ),
    (5, "👍👍😁😁", "positive"),
    (5, "Tooop", "positive"),
    # a lower price is praise; one star held back is a four-star verdict; "meno" half denies
    (5, "Comprato a un costo inferiore rispetto al negozio sotto casa.", "positive"),
    (4, "un ottimo frullatore, fa bene il suo lavoro ma non do 5 stelle", "positive"),
    (1, "Meno buono e chiaro è il display", "negative"),
]


@pytest.mark.parametrize(("lang", "text", "label"), CASES)
def test_real_looking_review_sentences_get_the_shoppers_label(lang, text, label):
    assert score(text, lang).label == label, score(text, lang)


@pytest.mark.parametrize(("stars", "text", "label"), REAL_CASES)
def test_italian_review_sentences_get_the_label_their_stars_give(stars, text, label):
    assert score(text, "it").label == label, (stars, score(text, "it"))


def test_glued_sentences_are_split_where_the_line_break_was_lost_but_names_stay_whole():
    assert split_sentences(
        "Il prezzo è ottimoLa spedizione è stata veloce. Uso WhatsApp e YouTube.", "it"
    ) == [
        "Il prezzo è ottimo",
        "La spedizione è stata veloce.",
        "Uso WhatsApp e YouTube.",
    ]
    assert split_sentences("tutto perfetto..ci sono le istruzioni", "it") == [
        "tutto perfetto..",
        "ci sono le istruzioni",
    ]


@pytest.mark.parametrize(
    ("title", "body", "lang"),
    [
        ("Ottimo", "Non ha graffi neanche leggeri, è perfetto. Però la consegna è stata lenta!", "it"),
        ("Deluso!!", "Arrivato con la scatola rovinata.Però funziona, velocissimo e silenzioso.", "it"),
        (None, "Les premières saisons étaient drôles. Mais là, quelle déception ! Plate.", "fr"),
        ("Great", "Works as advertised, but the lid broke within a month.", "en"),
    ],
)
def test_a_review_scored_once_agrees_with_its_text_and_sentence_scores(title, body, lang):
    whole = ". ".join(part.rstrip(".") for part in (title, body) if part)
    compound, sentences = review_sentiment(title, body, lang)
    assert compound == pytest.approx(text_compound(whole, lang), abs=1e-4)
    assert sentences == sentence_scores(body, lang)


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


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Lo adoro!» Poi ha smesso di funzionare.", ["Lo adoro!", "Poi ha smesso di funzionare."]),
        ("Primo difetto\n \n secondo difetto", ["Primo difetto", "secondo difetto"]),
        ("Bello ☀ davvero comodo", ["Bello ☀", "davvero comodo"]),
        ("Sig. Rossi, p.es. la lampada.Funziona bene", ["Sig. Rossi, p.es. la lampada.", "Funziona bene"]),
        ("Arrivato ieri ÷ottimoIl resto no", ["Arrivato ieri ÷ottimo", "Il resto no"]),
    ],
)
def test_sentence_ends_after_quotes_blank_lines_emoji_and_glued_words_are_found(text, sentences):
    assert split_sentences(text, "it") == sentences


def test_a_worker_that_forgot_the_words_it_remembered_scores_as_a_fresh_one(monkeypatch):
    # A worker remembers the words it has read, up to a bound, then forgets them all at once: after that a
    # review must score exactly as in a worker that never read anything.
    monkeypatch.setattr(vader_tokens, "_MAX_PIECES", 5)
    monkeypatch.setattr(vader, "_MAX_PLAIN", 5)
    reviews = [
        "Non ha graffi neanche leggeri, è perfetto.",
        "Costa poco e funziona bene, ma la consegna è stata lenta!",
        "Molto meglio del power bank che non funzionava.",
        "Nessun problema, l'acqua è calda in un attimo 😍",
    ]
    busy = RuleScorer(italian())
    for text in reviews * 3:
        busy.sentence_sum(text)
    assert [busy.sentence_sum(t) for t in reviews] == [RuleScorer(italian()).sentence_sum(t) for t in reviews]
