"""Pros and cons on review sets whose pros and cons a person can see at a glance."""

from __future__ import annotations

from scrapers.types import Product, ProductPage, Rating, Review
from server.analysis.reviews import review_summary
from tests.pagegen import REVIEW_TEXTS


def page(texts: list[tuple[int, str]], name: str = "Test Product", lang: str | None = None) -> ProductPage:
    reviews = [Review(rating=s, text=t, date="2025-01-01", verified=True, language=lang) for s, t in texts]
    return ProductPage(
        url="https://shop.test/p",
        plugin="test",
        product=Product(name=name),
        rating=Rating(value=4.0, count=len(reviews)),
        reviews=reviews,
    )


def aspects(side: list[dict]) -> list[str]:
    return [a["aspect"] for a in side]


HEADPHONES = [
    (5, "The sound is amazing, rich bass and clear highs."),
    (5, "Great sound and the battery lasts for days."),
    (4, "Battery life is excellent. The ear cushions get warm after an hour."),
    (2, "Bluetooth connection drops all the time, very annoying."),
    (3, "Good sound but the connection keeps dropping on my laptop."),
    (5, "Superb sound quality, comfortable for long flights."),
    (2, "The connection is unreliable and the app is confusing."),
    (4, "Battery is great, a full week of listening."),
]


def test_headphones_praised_for_sound_and_battery_blamed_for_connection():
    summary = review_summary(page(HEADPHONES, "Sonara QuietPro 700"))
    assert aspects(summary["pros"])[:2] == ["sound", "battery"]
    assert aspects(summary["cons"]) == ["connection"]
    sound = summary["pros"][0]
    assert sound["mentions"] == 4 and sound["sentiment"] > 0.3
    assert 1 <= len(sound["quotes"]) <= 2
    assert all(any(q in text for _, text in HEADPHONES) for q in sound["quotes"])  # real quotes
    assert all("connection" in q.lower() for q in summary["cons"][0]["quotes"])  # each quote names its aspect
    assert len(summary["pros"]) <= 5 and len(summary["cons"]) <= 5


def test_praise_for_noise_cancelling_is_listed_once_with_its_quotes():
    # "cancelling" is a blame word to the sentiment lexicon, so the aspect takes the noun's name.
    texts = [
        (5, "The noise cancelling is superb on flights."),
        (5, "Noise cancelling blocks out the whole office, amazing."),
        (4, "Great noise cancelling, and the fan noise of my laptop is gone."),
    ]
    summary = review_summary(page(texts, "Sonara QuietPro 700"))
    assert aspects(summary["pros"]) == ["noise"] and summary["cons"] == []
    assert all("noise cancelling" in q.lower() for q in summary["pros"][0]["quotes"])


def test_italian_espresso_reviews_name_their_pros_and_cons_in_their_words():
    texts = [
        (5, "Il caffè è ottimo, cremoso e caldo."),
        (5, "Caffè eccellente, la lancia vapore monta il latte benissimo."),
        (2, "La pompa è molto rumorosa, davvero fastidiosa."),
        (3, "Buon caffè, ma la pompa è rumorosa e fastidiosa al mattino."),
        (1, "Perde acqua dal fondo, pessima."),
        (5, "Gusto del caffè fantastico, consegna veloce."),
    ]
    summary = review_summary(page(texts, "Ardenza Sorrento Pro", "it"))
    assert aspects(summary["pros"]) == ["caffè"]
    assert aspects(summary["cons"]) == ["pompa"]
    assert all("pompa" in q for q in summary["cons"][0]["quotes"])


def test_french_reviews_keep_delivery_out_and_group_a_phrase_by_lemma():
    texts = [
        (2, "La livraison a pris trois semaines, c'est inacceptable."),
        (1, "Livraison très lente et colis abîmé."),
        (5, "Le café est délicieux et bien chaud."),
        (4, "Très bon café, facile à utiliser."),
        (2, "La qualité de fabrication est médiocre, le plastique craque."),
        (1, "Les qualités de fabrication sont décevantes."),
    ]
    summary = review_summary(page(texts, "Machine", "fr"))
    assert aspects(summary["pros"]) == ["café"]
    assert aspects(summary["cons"]) == ["qualité de fabrication"]
    assert summary["cons"][0]["mentions"] == 2


def test_shops_own_summary_confirms_a_pro_and_vetoes_a_contradicted_one():
    texts = [
        (5, "The zoom is excellent."),
        (4, "Great zoom for birds."),
        (5, "The strap is great."),
        (4, "The strap is comfortable and great."),
        (5, "The viewfinder is bright and great."),
    ]
    plain = review_summary(page(texts, "Lumen X100"))
    assert aspects(plain["pros"]) == ["strap", "zoom"]
    said = page(texts, "Lumen X100")
    said.customer_summary = {
        "text": None,
        "aspects": [
            {"aspect": "Viewfinder", "sentiment": "positive"},
            {"aspect": "Strap quality", "sentiment": "negative"},
        ],
    }
    summary = review_summary(said)
    assert sorted(aspects(summary["pros"])) == ["viewfinder", "zoom"]  # one review is enough once confirmed
    assert aspects(summary["cons"]) == []  # two reviews praise the strap, the shop says otherwise: no side


def test_review_summary_of_100_reviews_keeps_the_contract():
    # Its speed is measured by bench/analysis_speed.py, beside a floor, not asserted here.
    texts = [REVIEW_TEXTS[i % len(REVIEW_TEXTS)] for i in range(100)]
    summary = review_summary(page(texts))
    assert summary["analyzed"] == 100 and summary["languages"] == {"en": 100}
    assert set(summary["trust"]) == {"grade", "adjusted_rating", "signals"}
    assert "near_duplicates" in {s["name"] for s in summary["trust"]["signals"]}  # ten texts, ten times each
    for aspect in summary["pros"] + summary["cons"]:
        # DESIGN's Aspect, plus what naming it in the shopper's language needs (server/i18n/aspects).
        assert set(aspect) == {"aspect", "mentions", "sentiment", "quotes", "language", "concept"}
        assert aspect["language"] == "en"
