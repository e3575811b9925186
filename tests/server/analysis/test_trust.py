"""Review trust: each signal fires on a review set made to show it, and a clean set fires none."""

from __future__ import annotations

import pytest

from scrapers.types import Review
from server.analysis.sentiment import score
from server.analysis.trust import ReviewFacts, trust_report

_CLEAN_TEXTS = [
    (5, "The kettle boils a full litre in three minutes and the handle stays cool."),
    (4, "Good value, although the lid is a little stiff when it is new."),
    (2, "The plastic smell took a week to go away, which was disappointing."),
    (5, "Looks great on the counter and the water window is easy to read."),
    (3, "Does the job. The cable could be longer for my kitchen."),
    (4, "Quiet for a kettle, my old one was much louder in the morning."),
    (1, "It stopped working after a month and the replacement took weeks to arrive."),
    (5, "Fast, quiet and easy to clean, I use it several times every day."),
    (4, "Nice brushed steel finish, fingerprints show but wipe off easily."),
    (2, "The lid hinge cracked after three months of normal use at home."),
]


def reviews(texts=_CLEAN_TEXTS, *, verified=True, dates=None, responses=True) -> list[ReviewFacts]:
    out = []
    for i, (stars, text) in enumerate(texts):
        review = Review(
            rating=stars,
            text=text,
            author=f"Shopper {i}",
            date=dates[i] if dates else f"2025-{1 + i % 12:02d}-{10 + i % 15:02d}",
            verified=verified if isinstance(verified, bool) else verified[i],
            response="We are sorry, please contact us." if responses and stars <= 2 else None,
        )
        out.append(ReviewFacts(review, score(text, "en").compound))
    return out


def names(report: dict) -> set[str]:
    return {s["name"] for s in report["signals"]}


def test_a_clean_set_triggers_no_signal_and_keeps_its_rating():
    report = trust_report(reviews(), page_rating=3.5)
    assert report["signals"] == [] and report["grade"] == "A"
    assert report["adjusted_rating"] == 3.5


def test_mostly_unverified_reviews_are_flagged():
    report = trust_report(reviews(verified=[i < 2 for i in range(10)]))
    assert names(report) == {"unverified"}
    assert "20%" in report["signals"][0]["detail"]


def test_a_burst_of_reviews_within_days_is_flagged():
    dates = [
        "2025-03-01",
        "2025-03-01",
        "2025-03-02",
        "2025-03-02",
        "2025-03-03",
        "2025-03-03",
        "2025-05-10",
        "2025-07-01",
        "2025-09-12",
        "2025-11-20",
    ]
    report = trust_report(reviews(dates=dates))
    assert names(report) == {"burst"}
    assert "6 of 10" in report["signals"][0]["detail"]


def test_near_duplicate_texts_are_flagged_and_left_out_of_the_adjusted_rating():
    copy = "Amazing kettle, best purchase ever, boils water super fast and looks stylish in any kitchen!"
    texts = _CLEAN_TEXTS[:7] + [(5, copy), (5, copy.replace("Amazing", "Awesome")), (5, copy + " Wow")]
    report = trust_report(reviews(texts), page_rating=3.9)
    assert names(report) == {"near_duplicates"}
    assert report["adjusted_rating"] < 3.9


@pytest.mark.parametrize(
    "confession",
    [
        "I received this product for free in exchange for my honest review.",
        "Ho ricevuto gratuitamente il prodotto in cambio di una recensione.",
        "Produit reçu gratuitement en échange d'un avis honnête.",
        "Ich habe das Produkt kostenlos erhalten, im Austausch für meine Meinung.",
        "Producto recibido gratis a cambio de mi opinión sincera.",
    ],
)
def test_incentivized_reviews_are_flagged_in_five_languages(confession):
    texts = _CLEAN_TEXTS[:9] + [(5, "Great kettle, works perfectly. " + confession)]
    assert names(trust_report(reviews(texts))) == {"incentivized"}


def test_stars_that_contradict_the_text_are_flagged():
    texts = _CLEAN_TEXTS[:7] + [
        (5, "Terrible, it broke after two days and leaked everywhere. Waste of money."),
        (5, "Awful quality, stopped working within a week, do not buy."),
        (1, "Excellent kettle, fast and quiet, I love it and highly recommend it!"),
    ]
    assert names(trust_report(reviews(texts))) == {"rating_text_mismatch"}


def test_many_short_generic_reviews_are_flagged():
    texts = _CLEAN_TEXTS[:6] + [(5, "Great product!"), (5, "Perfect"), (5, "Love it"), (4, "Good")]
    assert names(trust_report(reviews(texts))) == {"short_generic"}


def test_an_unnatural_rating_distribution_is_flagged():
    assert names(trust_report(reviews(), {"1": 6, "2": 0, "3": 1, "4": 1, "5": 192})) == {
        "unnatural_distribution"
    }


def test_negative_reviews_nobody_answered_are_flagged():
    report = trust_report(reviews(responses=False))
    assert names(report) == {"no_seller_response"} and report["grade"] == "B"


def test_more_signals_give_a_worse_grade():
    dirty = reviews(verified=False, responses=False, dates=["2025-03-01"] * 10)
    assert trust_report(dirty)["grade"] in ("D", "F")


def test_a_signal_carries_the_values_its_detail_is_made_of():
    """The detail is English in the worker; its values let the briefing or popup say it in any language."""
    from server.i18n import say

    text = "Arrived quickly, boils fast and the handle stays cool, very happy with this kettle."
    facts = [ReviewFacts(Review(rating=5, text=text), 0.8) for _ in range(3)]
    facts += [
        ReviewFacts(Review(rating=4, text=f"Fine kettle number {i}, does the job."), 0.4) for i in range(3)
    ]
    signal = next(s for s in trust_report(facts)["signals"] if s["name"] == "near_duplicates")
    assert signal["values"] == {"n": 3}
    assert signal["detail"] == "3 reviews are near-copies of one another."
    assert (
        say("trust_near_duplicates", "it", **signal["values"])
        == "3 recensioni sono quasi copie l'una dell'altra"
    )


@pytest.mark.parametrize(
    "confession",
    [
        "I RECEIVED THIS ITEM FOR FREE AND THIS IS MY REVIEW.",
        "Produit OFFERT PAR LA MARQUE, voici mon avis.",
        # a dotless ı (Turkish keyboard), which case-blind matching reads as an i
        "Vıne Voice review: the kettle boils fast.",
    ],
)
def test_a_confession_shouted_or_typed_on_another_keyboard_is_still_flagged(confession):
    texts = _CLEAN_TEXTS[:9] + [(5, "Great kettle, works perfectly. " + confession)]
    assert names(trust_report(reviews(texts))) == {"incentivized"}
