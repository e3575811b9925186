"""Is the shop's reduction real? Cases as shoppers meet them: a "was" price the shop never charged, a real
reduction, too little history to tell, a page whose own 30-day low contradicts its "was" price, and a
marketplace whose other sellers' prices must not count."""

from __future__ import annotations

from typing import Any

import pytest

from scrapers.types import Offer
from server.analysis.discount import discount_check
from server.store.base import PriceObservation

DAY = 86400.0
AT = 1_767_225_600.0  # when the shopper opened the page
PID = "3f2a9c1d7e5b4a60"


def seen(seller: str, *prices: tuple[str, float], currency: str = "EUR") -> list[PriceObservation]:
    """`(amount, days before the visit)` observations of one seller, as zmot keeps them."""
    return [
        PriceObservation(PID, seller, amount, currency, AT - days * DAY, "https://shop.example/p/espresso")
        for amount, days in prices
    ]


def espresso(**changes: Any) -> Offer:
    """The page's offer: an espresso machine at 159 €, struck-through 199 €."""
    fields: dict[str, Any] = {
        "seller": "CaffèShop",
        "price": "159.00",
        "currency": "EUR",
        "list_price": "199.00",
        "url": "https://shop.example/p/espresso",
    }
    return Offer(**{**fields, **changes})


# The shop's usual prices over the month: between 149 € and 169 €, never 199 €.
NEVER_199 = seen("CaffèShop", ("149.00", 28), ("169.00", 21), ("159.00", 14), ("165.00", 6))
# A real month at 189–199 €, now 159 €.
AT_199 = seen("CaffèShop", ("199.00", 29), ("199.00", 20), ("189.00", 12), ("199.00", 3))

CASES = [
    # (story, offer changes, history, claimed %, code, basis, history figures, words that must be there)
    (
        "the 'was' price was never charged in 30 days",
        {},
        NEVER_199,
        None,
        "inflated",
        ["history"],
        {"count": 4, "low": "149.00", "high": "169.00"},
        {
            "en": "The 'was' price of €199.00 is above every price zmot saw CaffèShop charge in the last "
            "30 days (4 prices); the lowest was €149.00.",
            "it": "Il prezzo barrato di 199,00\xa0€ è più alto di tutti i prezzi",
            "fr": "le plus bas était 149,00\xa0€",
        },
    ),
    (
        "a genuine reduction: 199 € was charged, today is below the month's low",
        {},
        AT_199,
        None,
        "genuine",
        [],
        {"count": 4, "low": "189.00", "high": "199.00"},
        {
            "en": "The 'was' price of €199.00 was charged by CaffèShop in the last 30 days (from €189.00 to "
            "€199.00, 4 prices). Today's €159.00 is below every one of them.",
            "it": "è stato praticato da CaffèShop",
            "fr": "a été pratiqué par CaffèShop",
        },
    ),
    (
        "too little history: two prices, both this week",
        {},
        seen("CaffèShop", ("149.00", 3), ("149.00", 1)),
        None,
        "too_little_history",
        [],
        {"count": 2, "low": "149.00", "high": "149.00"},
        {
            "en": "zmot has too few prices from CaffèShop in the last 30 days to check the 'was' price of "
            "€199.00 (prices seen: 2, €149.00).",
            "it": "(prezzi visti: 2, 149,00\xa0€)",
            "fr": "(prix relevés : 2, 149,00\xa0€)",
        },
    ),
    (
        "no history, and prices older than 30 days do not count",
        {},
        seen("CaffèShop", ("149.00", 45), ("139.00", 40), ("145.00", 31)),
        None,
        "too_little_history",
        [],
        {"count": 0, "low": None, "high": None},
        {"en": "(prices seen: 0)."},
    ),
    (
        "the page's own 30-day low contradicts its 'was' price",
        {"lowest_30d": "149.00"},
        [],
        None,
        "inflated",
        ["page"],
        {"count": 0},
        {
            "en": "The page itself gives €149.00 as the lowest price of the last 30 days, below its 'was' "
            "price of €199.00: under the EU rule a reduction is measured from that 30-day low.",
            "it": "La pagina stessa indica 149,00\xa0€ come prezzo più basso degli ultimi 30 giorni",
            "fr": "La page indique elle-même 149,00\xa0€ comme prix le plus bas des 30 derniers jours",
        },
    ),
    (
        "a 'was' price zmot saw charged, yet above the page's own 30-day low",
        {"lowest_30d": "189.00"},
        AT_199,
        None,
        "inflated",
        ["page"],
        {"count": 4, "low": "189.00"},
        {"en": "was charged by CaffèShop"},
    ),
    (
        "the page's 30-day low equal to its 'was' price is no finding",
        {"lowest_30d": "199.00"},
        AT_199,
        None,
        "genuine",
        [],
        {"count": 4},
        {"en": "Today's €159.00 is below every one of them."},
    ),
    (
        "other sellers of the marketplace are not mixed in",
        {},
        # Another seller charged 199 € all month: it says nothing of CaffèShop's 'was' price.
        seen("Outlet24", ("199.00", 25), ("209.00", 15), ("199.00", 5)) + NEVER_199,
        None,
        "inflated",
        ["history"],
        {"count": 4, "high": "169.00"},
        {"en": "above every price zmot saw CaffèShop charge"},
    ),
    (
        "another seller's history alone is no history",
        {},
        seen("Outlet24", ("199.00", 25), ("209.00", 15), ("199.00", 5)),
        None,
        "too_little_history",
        [],
        {"count": 0},
        {"en": "too few prices from CaffèShop"},
    ),
    (
        "prices in another currency are not compared",
        {},
        seen("CaffèShop", ("199.00", 25), ("199.00", 15), ("199.00", 5), currency="CHF"),
        None,
        "too_little_history",
        [],
        {"count": 0},
        {},
    ),
    (
        "a seller known only by the shop's host, as zmot's history records it",
        {"seller": None},
        seen("shop.example", ("149.00", 28), ("159.00", 14), ("155.00", 6)),
        None,
        "inflated",
        ["history"],
        {"count": 3},
        {"en": "zmot saw shop.example charge"},
    ),
    (
        "a '-40%' claim with no struck price: the implied 'was' price is checked",
        {"list_price": None, "price": "120.00"},
        NEVER_199,
        40,
        "inflated",
        ["history"],
        {"count": 4},
        {"en": "The 'was' price of €200.00 is above every price"},
    ),
    (
        "a '-40%' claim beside a struck price that makes it -20%",
        {},
        AT_199,
        40,
        "genuine",
        [],
        {"count": 4},
        {"en": "The page claims -40%, but €199.00 to €159.00 is -20%.", "fr": "La page annonce -40 %"},
    ),
    (
        "no struck price and no claim: nothing to check",
        {"list_price": None},
        NEVER_199,
        None,
        "no_claim",
        [],
        {"count": 4},
        {"en": "The page announces no reduction", "it": "La pagina non annuncia alcuno sconto"},
    ),
    (
        "a struck price below today's is no reduction",
        {"list_price": "149.00"},
        NEVER_199,
        None,
        "no_claim",
        [],
        {},
        {},
    ),
    (
        "no price on the page",
        {"price": None},
        NEVER_199,
        None,
        "unknown",
        [],
        {},
        {"en": "The page shows no price"},
    ),
]


@pytest.mark.parametrize(
    ("changes", "history", "claimed", "code", "basis", "figures", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_reduction_is_judged_against_the_sellers_own_30_days(
    changes, history, claimed, code, basis, figures, words
):
    result = discount_check(espresso(**changes), history, at=AT, claimed_percent=claimed)
    assert result["code"] == code
    assert result["basis"] == basis
    for name, value in figures.items():
        assert result["history"][name] == value, name
    assert result["history"]["days"] == 30
    assert set(result["words"]) == {"en", "it", "fr"}
    assert all(result["words"].values())
    for lang, text in words.items():
        assert text in result["words"][lang], (lang, result["words"][lang])


def test_the_figures_say_what_was_compared():
    result = discount_check(espresso(lowest_30d="149.00"), NEVER_199, at=AT, claimed_percent=20)
    assert {k: v for k, v in result.items() if k not in ("words", "history")} == {
        "code": "inflated",
        "basis": ["history", "page"],
        "seller": "CaffèShop",
        "currency": "EUR",
        "price": "159.00",
        "was": "199.00",
        "percent": 20,
        "claimed_percent": 20,
        "page_lowest_30d": "149.00",
    }


def test_this_visits_own_observation_is_not_history_before_it():
    """The pipeline records today's price at the visit's time: it is not one of the 30 days before."""
    today = [PriceObservation(PID, "CaffèShop", "159.00", "EUR", AT, None)]
    result = discount_check(espresso(), NEVER_199 + today, at=AT)
    assert result["history"]["count"] == 4
    assert result["history"]["low"] == "149.00"
