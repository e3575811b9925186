"""Price verdict from the history in the store, and the one verdict: consistent and monotone."""

from __future__ import annotations

import itertools

from scrapers.types import Offer
from server.analysis.prices import price_section
from server.analysis.verdict import overall_verdict
from server.store.base import PriceObservation

DAY = 86400.0


def history(amounts: list[str], days_apart: float = 3) -> list[PriceObservation]:
    return [
        PriceObservation("p1", "Shop", a, "EUR", 1_700_000_000 + i * days_apart * DAY)
        for i, a in enumerate(amounts)
    ]


def test_a_price_below_its_usual_level_is_a_good_deal_with_its_reason_in_words():
    section = price_section(
        [Offer(seller="Shop", price="88.00", currency="EUR")],
        history(["100.00", "99.00", "101.00", "100.00", "102.00", "88.00"]),
    )
    assert section["verdict"] == "good_deal"
    assert section["reason"].startswith("12% below its usual price of 100.00 EUR over the last 90 days")
    assert section["history"]["percentile"] < 20 and section["history"]["typical_range"] == [
        "99.25",
        "100.75",
    ]


def test_a_price_above_its_usual_level_is_high_and_a_cheaper_seller_is_named_with_the_saving():
    offers = [
        Offer(seller="Shop", price="120.00", currency="EUR"),
        Offer(seller="Other", price="99.00", currency="EUR"),
    ]
    section = price_section(offers, history(["100.00", "100.00", "100.00", "120.00"]))
    assert section["verdict"] == "high"
    assert "Other sells it for 99.00 EUR (save 21.00 EUR)" in section["reason"]
    assert section["saving"] == {"amount": "21.00", "currency": "EUR", "percent": "18"}


def test_old_prices_fall_out_of_the_90_day_window_and_little_history_is_unknown():
    section = price_section(
        [Offer(price="50.00", currency="EUR")], history(["10.00", "50.00"], days_apart=200)
    )
    assert section["verdict"] == "unknown" and "history" in section["reason"]


def reviews(rating: float, positive: float, grade: str) -> dict:
    return {
        "rating": rating,
        "sentiment": {"mean": 0, "positive": positive, "neutral": 0, "negative": 1 - positive},
        "trust": {"grade": grade, "adjusted_rating": rating, "signals": []},
        "languages": {"en": 10},
    }


def test_better_inputs_never_lower_the_score():
    ratings, shares, grades = [1.5, 3.0, 4.2, 4.8], [0.2, 0.5, 0.9], ["F", "C", "A"]
    prices = ["high", "fair", "good_deal"]
    for r, s, g, p in itertools.product(ratings, shares, grades, prices):
        base = overall_verdict(reviews(r, s, g), {"verdict": p, "reason": "x"})["score"]
        for better in (reviews(min(5, r + 0.3), s, g), reviews(r, min(1, s + 0.1), g)):
            assert overall_verdict(better, {"verdict": p, "reason": "x"})["score"] >= base
        if g != "A":
            assert overall_verdict(reviews(r, s, "A"), {"verdict": p, "reason": "x"})["score"] >= base
        if p != "good_deal":
            assert overall_verdict(reviews(r, s, g), {"verdict": "good_deal", "reason": "x"})["score"] >= base


def test_verdict_labels_reasons_and_summary_in_the_shoppers_language():
    good = overall_verdict(
        reviews(4.7, 0.9, "A"), {"verdict": "good_deal", "reason": "12% below its usual price."}
    )
    assert good["label"] == "buy" and good["score"] >= 72 and 1 <= len(good["reasons"]) <= 3
    assert any("12% below" in r for r in good["reasons"])
    pricey = overall_verdict(
        reviews(4.7, 0.9, "A"), {"verdict": "high", "reason": "20% above its usual price."}
    )
    assert pricey["label"] in ("wait", "consider")
    bad = overall_verdict(reviews(1.8, 0.2, "D"), {"verdict": "fair", "reason": "x"}, lang="it")
    assert bad["label"] == "avoid" and bad["summary"].startswith("Meglio evitarlo")
    fr = overall_verdict(reviews(4.7, 0.9, "A"), None, lang="fr")
    assert fr["summary"].startswith("À acheter")
    assert overall_verdict(reviews(4.7, 0.9, "A"), None) == overall_verdict(reviews(4.7, 0.9, "A"), None)


def test_when_price_or_reviews_failed_the_verdict_is_unknown_and_says_why():
    verdict = overall_verdict(None, {"verdict": "fair", "reason": "x"}, failed=["reviews"])
    assert verdict["label"] == "unknown" and verdict["score"] is None
    assert "reviews" in verdict["reasons"][0]


def test_a_priced_page_without_reviews_is_unknown_for_want_of_reviews_not_of_the_price():
    current = Offer(price="99.00", currency="EUR", availability="in_stock")
    priced = price_section([current], [], lang="en")
    verdict = overall_verdict(None, priced)
    assert verdict["label"] == "unknown"
    assert "no ratings or reviews" in verdict["reasons"][0] and "price" not in verdict["reasons"][0]
    nothing = overall_verdict(None, None, lang="it")
    assert "prezzo e recensioni" in nothing["reasons"][0]  # neither was read


def web(positive: float, negative: float, counted: int = 4, independent: bool = True) -> dict:
    neutral = round(1 - positive - negative, 3)
    return {
        "items": [],
        "sentiment": {
            "mean": positive - negative,
            "positive": positive,
            "neutral": neutral,
            "negative": negative,
            "counted": counted,
            "independent_only": independent,
        },
    }


def test_what_independent_pages_say_weighs_in_and_is_given_as_a_reason():
    base = overall_verdict(reviews(4.3, 0.7, "B"), {"verdict": "fair", "reason": "x"})
    panned = overall_verdict(
        reviews(4.3, 0.7, "B"), {"verdict": "fair", "reason": "x"}, mentions=web(0.0, 0.75)
    )
    praised = overall_verdict(
        reviews(4.3, 0.7, "B"), {"verdict": "fair", "reason": "x"}, mentions=web(1.0, 0.0)
    )
    assert panned["score"] < base["score"] < praised["score"]
    assert "3 of 4 independent reviews on the web are negative" in panned["reasons"]
    it = overall_verdict(reviews(4.3, 0.7, "B"), None, lang="it", mentions=web(1.0, 0.0))
    assert "4 su 4 recensioni indipendenti sul web sono positive" in it["reasons"]


def test_one_page_or_only_sponsored_pages_do_not_count():
    plain = overall_verdict(reviews(4.3, 0.7, "B"), None)
    assert overall_verdict(reviews(4.3, 0.7, "B"), None, mentions=web(0.0, 1.0, counted=1)) == plain
    assert overall_verdict(reviews(4.3, 0.7, "B"), None, mentions=web(1.0, 0.0, independent=False)) == plain


def test_better_web_opinion_never_lowers_the_score():
    shares = [(0.0, 1.0), (0.25, 0.5), (0.5, 0.25), (1.0, 0.0)]
    for (p1, n1), (p2, n2) in itertools.pairwise(shares):
        worse = overall_verdict(reviews(3.5, 0.5, "C"), None, mentions=web(p1, n1))
        better = overall_verdict(reviews(3.5, 0.5, "C"), None, mentions=web(p2, n2))
        assert better["score"] >= worse["score"]


def test_fewer_one_and_two_star_ratings_never_lower_the_score():
    def with_histogram(low: int) -> dict:
        return {**reviews(4.4, 0.8, "A"), "distribution": {"1": low, "2": low, "3": 50, "4": 150, "5": 600}}

    scores = [overall_verdict(with_histogram(low), None)["score"] for low in (200, 120, 60, 20, 5)]
    assert scores == sorted(scores) and scores[0] < scores[-1]


def test_the_same_stars_mean_less_on_a_shop_where_everything_is_rated_high():
    amazon = overall_verdict(reviews(4.7, 0.9, "A"), None, shop="www.amazon.it")
    etsy = overall_verdict(reviews(4.7, 0.9, "A"), None, shop="www.etsy.com")
    assert etsy["score"] < amazon["score"] and amazon["label"] == "buy" and etsy["label"] == "consider"
    assert "only average for this shop" in etsy["summary"]


def test_the_price_verdict_is_said_in_the_shoppers_language_with_its_codes_beside():
    seen = history(["100.00", "100.00", "100.00", "100.00", "100.00"])
    current = Offer(price="120.00", currency="EUR", seller="Shop")
    other = Offer(price="99.00", currency="EUR", seller="SoundHaus")
    english = price_section([current, other], seen)
    italian = price_section([current, other], seen, lang="it")
    assert english["reason"] == (
        "20% above its usual price of 100.00 EUR over the last 90 days; 100% of the prices seen were lower."
        " SoundHaus sells it for 99.00 EUR (save 21.00 EUR)."
    )
    assert italian["reason"] == (
        "20% sopra il suo prezzo abituale di 100,00 EUR negli ultimi 90 giorni; il 100% dei prezzi visti era"
        " più basso. SoundHaus lo vende a 99,00 EUR (risparmi 21,00 EUR)."
    )
    assert italian["reason_codes"] == english["reason_codes"]
    assert [c["code"] for c in italian["reason_codes"]] == ["price_above", "price_elsewhere"]
    verdict = overall_verdict(reviews(4.7, 0.9, "A"), italian, lang="it")
    assert any(r.endswith("SoundHaus lo vende a 99,00 EUR (risparmi 21,00 EUR)") for r in verdict["reasons"])
    unknown_seller = price_section([current, Offer(price="99.00", currency="EUR")], [], lang="fr")
    assert unknown_seller["reason"] == "Un autre vendeur le vend 99,00 EUR (économie de 21,00 EUR)."
