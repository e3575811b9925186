"""Aspect names in the shopper's language: an English reader of an Italian phone's reviews sees "battery"
for "batteria", while an aspect zmot has no name for keeps the reviewers' word, marked as Italian."""

from __future__ import annotations

import pytest

from scrapers.types import Product, ProductPage, Rating, Review
from server.analysis.aspects_names import concept_of, key_of
from server.analysis.aspects_words import words_for
from server.analysis.reviews import review_summary
from server.i18n import LANGUAGES
from server.i18n.aspects import aspect_name, aspect_names
from server.i18n.briefing import briefing_in, reviews_in

PHONE_IT = [
    (5, "Ottimo telefono, la batteria dura tutto il giorno."),
    (5, "Questo telefono è veloce e la batteria è ottima."),
    (4, "Lo schermo è ottimo e la batteria è buona."),
    (5, "Lo schermo è bellissimo, colori vivaci."),
]
SHELF_IT = [
    (5, "Ottima mensola, il montarlo è facile."),
    (5, "Il montarlo è semplice e veloce. Il legno è solido."),
    (4, "Bella, il montarlo è facile e il legno è robusto."),
    (5, "Il legno è bellissimo."),
]


def reviews_section(texts: list[tuple[int, str]], name: str, lang: str) -> dict:
    page = ProductPage(
        url="https://shop.test/p",
        plugin="test",
        product=Product(name=name),
        rating=Rating(value=4.6, count=len(texts)),
        reviews=[Review(rating=s, text=t, language=lang) for s, t in texts],
    )
    return review_summary(page)


def pro(section: dict, aspect: str) -> dict:
    return next(a for a in section["pros"] if a["aspect"] == aspect)


def test_an_english_reader_of_italian_reviews_sees_battery_and_screen_with_the_quotes_as_written():
    made = reviews_section(PHONE_IT, "Samsung Galaxy A52", "it")
    assert {a["aspect"] for a in made["pros"]} >= {"batteria", "schermo"}
    assert pro(made, "batteria")["language"] == "it" and pro(made, "batteria")["concept"] == "battery"
    english = reviews_in(made, "en")
    battery = pro(english, "batteria")  # `aspect` keeps its meaning: the reviews' own word
    assert (battery["label"], battery["label_language"]) == ("battery", "en")
    assert (pro(english, "schermo")["label"], pro(english, "schermo")["label_language"]) == ("screen", "en")
    assert battery["quotes"] == pro(made, "batteria")["quotes"]
    assert all("batteria" in quote for quote in battery["quotes"])
    french = reviews_in(made, "fr")
    assert pro(french, "batteria")["label"] == "batterie"


def test_an_italian_reader_sees_the_word_the_reviewers_wrote():
    italian = reviews_in(reviews_section(PHONE_IT, "Samsung Galaxy A52", "it"), "it")
    assert (pro(italian, "batteria")["label"], pro(italian, "batteria")["label_language"]) == (
        "batteria",
        "it",
    )


def test_an_aspect_zmot_has_no_name_for_keeps_the_reviewers_word_marked_with_its_language():
    english = reviews_in(reviews_section(SHELF_IT, "Mensola Nordica", "it"), "en")
    wood = pro(english, "legno")
    assert wood["concept"] is None
    assert (wood["label"], wood["label_language"]) == ("legno", "it")


def test_a_stored_briefing_says_its_aspects_again_in_the_new_readers_language():
    stored = {"reviews": reviews_section(PHONE_IT, "Samsung Galaxy A52", "it")}
    stored["reviews"] = reviews_in(stored["reviews"], "it")
    again = briefing_in(stored, "en")
    assert pro(again["reviews"], "batteria")["label"] == "battery"
    assert pro(stored["reviews"], "batteria")["label"] == "batteria"  # the stored one is left as it was


def test_aspects_from_an_older_server_are_left_as_they_were():
    old = {"pros": [{"aspect": "batteria", "mentions": 3, "sentiment": 0.6, "quotes": []}], "cons": []}
    assert reviews_in(old, "en") == old


@pytest.mark.parametrize(
    ("lang", "written", "concept"),
    [
        ("en", "battery life", "battery_life"),
        ("it", "autonomia", "battery_life"),
        ("it", "rapporto qualità prezzo", "value_for_money"),
        ("fr", "qualité de fabrication", "build_quality"),
        ("fr", "écran", "screen"),
        ("en", "battery pack", None),
    ],
)
def test_an_aspect_is_known_by_its_lemmas_as_reviewers_write_it(lang: str, written: str, concept: str | None):
    key = key_of(written, words_for(lang))
    assert key is not None and concept_of(key, lang) == concept


def test_every_aspect_has_a_name_in_each_language_and_no_two_share_a_key():
    for concept, names in aspect_names().items():
        assert all(names.get(lang) for lang in LANGUAGES), concept
        assert aspect_name(concept, "en") == names["en"][0]
    for lang in LANGUAGES:
        words = words_for(lang)
        owners: dict[tuple[str, ...], str] = {}
        for concept, names in aspect_names().items():
            for name in names[lang]:
                key = key_of(name, words)
                if key is not None:
                    assert owners.setdefault(key, concept) == concept, (lang, name, owners[key], concept)
        assert len(owners) > 100, lang  # most names are ones an aspect can be written as
