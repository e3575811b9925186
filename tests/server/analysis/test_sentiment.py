"""Sentiment as a shopper reads it: en, it and fr, negation and "but", and `zmot sentiment --lang auto`."""

from __future__ import annotations

import io
import json

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from server.analysis.lexicon_en import plain_english
from server.analysis.sentiment import detect_language, score, split_sentences
from server.analysis.vader import RuleScorer
from server.cli import main


@pytest.mark.parametrize(
    ("lang", "text", "label"),
    [
        ("en", "Stopped working after two weeks, returned it.", "negative"),
        ("en", "It doesn't work.", "negative"),
        ("en", "Works as advertised, five stars.", "positive"),
        ("en", "Not bad at all.", "positive"),
        ("en", "I would not recommend it.", "negative"),
        ("en", "The design is nice, but it broke within a month.", "negative"),
        ("en", "A bit loud, but the coffee is excellent.", "positive"),
        ("it", "Ottima macchina, il caffè è buonissimo.", "positive"),
        ("it", "Non funziona più dopo due settimane.", "negative"),
        ("it", "Non è male.", "positive"),
        ("it", "Non la consiglio.", "negative"),
        ("it", "Bella, ma si è rotta subito.", "negative"),
        ("it", "Un po' rumorosa, ma il caffè è eccellente.", "positive"),
        ("fr", "Excellente machine, je la recommande.", "positive"),
        ("fr", "Je ne suis pas satisfait.", "negative"),
        ("fr", "Ce n'est pas terrible.", "negative"),
        ("fr", "Pas mal du tout.", "positive"),
        ("fr", "Jolie, mais elle fuit par le fond.", "negative"),
        ("fr", "Un peu bruyante, mais le café est délicieux.", "positive"),
    ],
)
def test_review_sentences_get_the_label_a_shopper_would_give(lang, text, label):
    assert score(text, lang).label == label
    assert score(text, "auto").lang == lang


def test_without_the_review_layer_the_rules_are_vaders_own():
    upstream, port = SentimentIntensityAnalyzer(), RuleScorer(plain_english())
    for text in [
        "VADER is smart, handsome, and funny!",
        "The book was kind of good.",
        "Not very good :(",
        "At least it isn't a horrible book.",
        "Today SUX!",
        "It was GREAT, never this good!",
    ]:
        assert port.compound(text) == pytest.approx(upstream.polarity_scores(text)["compound"], abs=1e-4)


def test_sentences_split_at_emoji_and_missing_capitals_but_not_abbreviations():
    assert split_sentences("great. works well. no complaints!!! would buy again") == [
        "great.",
        "works well.",
        "no complaints!!!",
        "would buy again",
    ]
    assert split_sentences("Love it 😍 the color is great") == ["Love it 😍", "the color is great"]
    assert split_sentences("Compared to e.g. the Dr. Brew model it is faster.") == [
        "Compared to e.g. the Dr. Brew model it is faster."
    ]


def test_short_text_takes_the_hint_and_unknown_languages_are_not_scored():
    assert detect_language("ok", hint="it") == "it"
    german = score("Die Maschine funktioniert leider nicht mehr, sehr enttäuschend.")
    assert german.lang == "de" and german.compound is None and german.label is None


def test_zmot_sentiment_auto_handles_english_italian_and_french_lines(monkeypatch, capsys):
    lines = ["Terrible, it stopped working.", "Ottimo prodotto, lo consiglio.", "Très déçu, produit cassé."]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["sentiment", "--lang", "auto"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["lang"], o["label"]) for o in out] == [
        ("en", "negative"),
        ("it", "positive"),
        ("fr", "negative"),
    ]
    assert all(-1 <= o["compound"] <= 1 for o in out)


@pytest.mark.parametrize(
    ("text", "hint", "language"),
    [
        # Full of one language's function words: decided by them, whatever the page declares.
        (
            "Il prodotto è arrivato con la scatola rovinata ma funziona, non è molto rumoroso per il prezzo",
            "en",
            "it",
        ),
        (
            "The lid is a bit stiff and it was not easy to clean, but it is very quiet for the price",
            "fr",
            "en",
        ),
        # Function words of two languages ("la", "per", "con"…): the model decides, as before.
        ("La machine à café est très bien pour le prix, je la recommande", None, "fr"),
        ("Buen producto, llegó rápido y funciona muy bien con el cargador", None, "es"),
    ],
)
def test_a_review_full_of_one_languages_function_words_is_read_in_that_language(text, hint, language):
    assert detect_language(text, hint=hint) == language
