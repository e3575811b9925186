"""Pros and cons a shopper was once shown and could not trust, each now left out.

Every row is a few review sentences of the kind that misled the briefing (praise words, the product's own
type, delivery talk, negated or idiomatic blame, a competitor's name, a verb taken for a noun), the side it
was wrongly listed on, and the word that must not be listed there. Where the reviews also name a real pro or
con, the row says which, so that leaving the wrong one out is not done by listing nothing.
"""

from __future__ import annotations

import pytest

from scrapers.types import Product, ProductPage, Rating, Review
from server.analysis.reviews import review_summary


def summary_of(texts: list[tuple[int, str]], name: str, lang: str) -> dict:
    reviews = [Review(rating=s, text=t, language=lang) for s, t in texts]
    page = ProductPage(
        url="https://shop.test/p",
        plugin="test",
        product=Product(name=name),
        rating=Rating(count=len(texts)),
        reviews=reviews,
    )
    return review_summary(page)


PHONE_IT = [
    (5, "Ottimo telefono, la batteria dura tutto il giorno."),
    (5, "Ottimo acquisto, questo telefono è veloce e la batteria è ottima."),
    (4, "Ottimo, lo schermo è luminoso e la batteria è buona."),
    (5, "Consegna veloce, il telefono è bellissimo."),
    (5, "La consegna è stata rapidissima, ottimo."),
    (5, "Consegna perfetta e imballo curato, ottimo."),
]
COFFEE_IT = [
    (3, "Non ho riscontrato alcun tipo di problema di perdite, ma il caffè è tiepido."),
    (3, "Nessun problema di perdite, però il caffè viene tiepido e deludente."),
    (3, "Mai avuto perdite, ma la crema è scarsa e deludente."),
    (4, "Economico, per questo una stella in più."),
    (3, "Economico, ma il caffè è tiepido."),
    (4, "Economico, e il caffè è ottimo."),
]
SHELF_IT = [
    (5, "Ottima mensola, il montarlo è facile."),
    (5, "Il montarlo è semplice e veloce. Il legno è solido."),
    (4, "Bella, il montarlo è facile e il legno è robusto."),
    (5, "Il legno è bellissimo."),
]
SUPPORT_EN = [
    (1, "Customer service was great at promising a refund that never came."),
    (1, "Customer service was friendly and helpful, yet nothing was fixed."),
    (2, "The customer service is nice but useless."),
    (5, "The picture quality is stunning."),
    (5, "Great picture quality in low light."),
]
CAMERA_EN = [
    (2, "Not much better than a point and shoot."),
    (1, "As a point and shoot it is disappointing."),
    (2, "For a point and shoot the battery is poor."),
    (5, "The lens is nothing short of amazing."),
    (5, "Nothing short of amazing, the zoom too."),
    (4, "Results are nothing short of amazing."),
]
OPENER_EN = [
    (5, "Much quieter than my old Genie, great opener."),
    (5, "Replaced a Genie and the difference is great."),
    (4, "Better than the Genie it replaced, love the remote."),
    (5, "No issue at all after three months."),
    (5, "Works perfectly, no issue with the app."),
    (5, "Not a single issue, the remote works perfectly."),
    (5, "Installed it perfectly in an hour, the remote is great."),
]
EARBUDS_EN = [
    (5, "Sound is better than my old iPhone earbuds, great bass."),
    (5, "Great bass, and they pair with the iPhone in seconds."),
    (4, "Works with the iPhone perfectly, the case is great."),
    (5, "Love the iPhone app, the bass is deep."),
]
CASE_EN = [
    (5, "It also sits flush with the phone, leaving no gaps for dust."),
    (5, "Snug on the phone, no bulk and no slipping."),
    (5, "The phone slides in easily and nothing rattles."),
    (5, "The grip is excellent."),
    (4, "Nice grip, and the buttons are easy to press."),
]

# (what went wrong, product name, language, reviews, side, must not be listed, should be listed or None)
CASES = [
    ("praise word as a pro", "Samsung Galaxy A52", "it", PHONE_IT, "pros", "ottimo", "batteria"),
    ("the product type as a pro", "Samsung Galaxy A52", "it", PHONE_IT, "pros", "telefono", "batteria"),
    ("delivery as a pro", "Samsung Galaxy A52", "it", PHONE_IT, "pros", "consegna", "batteria"),
    ("negated leaks as a con", "Ardenza Sorrento", "it", COFFEE_IT, "cons", "perdite", None),
    ("a reason for a star as a con", "Ardenza Sorrento", "it", COFFEE_IT, "cons", "economico", None),
    ("a verb with its pronoun as a pro", "Mensola Nordica", "it", SHELF_IT, "pros", "montarlo", "legno"),
    ("customer service as a pro", "Lumen X100 camera", "en", SUPPORT_EN, "pros", "customer service", None),
    ("point and shoot as a con", "Lumen X100 camera", "en", CAMERA_EN, "cons", "point", None),
    ("point and shoot as a con", "Lumen X100 camera", "en", CAMERA_EN, "cons", "shoot", None),
    ("nothing short of amazing as a con", "Lumen X100 camera", "en", CAMERA_EN, "cons", "short", None),
    ("a competitor's name as a pro", "LiftMaster 8500", "en", OPENER_EN, "pros", "genie", "remote"),
    ("a name written iPhone as a pro", "Sonara Buds", "en", EARBUDS_EN, "pros", "iphone", "bass"),
    ("a blame word as a pro", "LiftMaster 8500", "en", OPENER_EN, "pros", "issue", "remote"),
    ("a praise word as a pro", "LiftMaster 8500", "en", OPENER_EN, "pros", "perfectly", "remote"),
    ("praise of the fit as a con", "Armor slim case", "en", CASE_EN, "cons", "phone", None),
]


@pytest.mark.parametrize(("wrong", "name", "lang", "texts", "side", "banned", "expected"), CASES)
def test_untrustworthy_aspect_is_left_out(wrong, name, lang, texts, side, banned, expected):
    summary = summary_of(texts, name, lang)
    listed = [a["aspect"] for a in summary[side]]
    assert not any(banned in aspect.split() or banned == aspect for aspect in listed), (wrong, listed)
    if expected:
        assert expected in listed, (wrong, listed)
