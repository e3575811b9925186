"""A sentence of everyday words scores nothing, yet the same words still count where together they make a
phrase, and a single word that counts is heard among plain ones: what any shortcut of the scorer for plain
sentences must keep."""

import pytest

from server.analysis.sentiment import review_sentiment, score

# (language, a plain sentence, everyday words making a phrase that praises or blames)
CASES = [
    ("it", "Arrivato ieri, montato oggi in cucina.", "Fa il suo dovere, niente di più."),
    ("it", "Lo uso da una settimana.", "Usa e getta."),
    ("fr", "Reçu hier, installé ce matin.", "Film à éviter."),
    ("fr", "Je l'ai vu au cinéma avec mon frère.", "Une étoile, pas plus."),
    ("en", "Got it on Monday, set it up at home.", "It fell apart, after a week."),
]


@pytest.mark.parametrize(("lang", "plain", "phrase"), CASES)
def test_everyday_words_score_nothing_until_they_make_a_phrase(lang: str, plain: str, phrase: str) -> None:
    assert score(plain, lang).compound == 0.0
    assert score(phrase, lang).compound != 0.0


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("it", "Arrivato ieri, bello, e funziona."),  # a praise word before a comma
        ("it", "Arrivato ieri ma non funziona."),  # a contrast word among plain ones
        ("fr", "Reçu hier 😍 installé ce matin."),  # an emoji is a word too
        ("en", "Got it on Monday, love it."),
    ],
)
def test_a_single_word_that_counts_among_plain_ones_is_heard(lang: str, text: str) -> None:
    compound, sentences = review_sentiment(None, text, lang)
    assert compound != 0.0
    assert any(c != 0.0 for _, c in sentences)
