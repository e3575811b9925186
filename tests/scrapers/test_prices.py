"""Prices as real shops write them, and the country a shop's URL says it is in."""

from __future__ import annotations

import pytest

from scrapers.prices import country_of, currency_code, parse_price

# (as written, country of the shop, currency given separately, expected amount, expected ISO code)
PRICES = [
    # Euro zone: comma decimals, dot or space thousands, symbol before or after
    ("1.299,00 €", None, None, "1299.00", "EUR"),
    ("1.299,00\xa0€", "it", None, "1299.00", "EUR"),
    ("€ 1.299", "it", None, "1299.00", "EUR"),
    ("1 299,00 €", "fr", None, "1299.00", "EUR"),
    ("29,99 €*", "de", None, "29.99", "EUR"),
    ("ab 19,99 €", "de", None, "19.99", "EUR"),
    ("EUR 19,90", None, None, "19.90", "EUR"),
    ("19,90 EUR", "it", None, "19.90", "EUR"),
    ("Prezzo: 49,90€ IVA inclusa", "it", None, "49.90", "EUR"),
    ("1.299", "it", "EUR", "1299.00", "EUR"),
    ("1.299,00", None, "EUR", "1299.00", "EUR"),
    # Dollars: the symbol is shared, the shop's country decides
    ("$1,299.99", None, None, "1299.99", "USD"),
    ("$1,299.99", "us", None, "1299.99", "USD"),
    ("$1,299.99", "ca", None, "1299.99", "CAD"),
    ("$1,299.99", "au", None, "1299.99", "AUD"),
    ("$49", "nz", None, "49.00", "NZD"),
    ("US$ 15", "ca", None, "15.00", "USD"),
    ("C$ 12.99", None, None, "12.99", "CAD"),
    ("CA$12.99", None, None, "12.99", "CAD"),
    ("A$ 1,099.00", None, None, "1099.00", "AUD"),
    ("R$ 1.299,90", "br", None, "1299.90", "BRL"),
    ("$249.99", None, "USD", "249.99", "USD"),
    ("$.75", "us", None, "0.75", "USD"),
    # Pounds, francs, crowns, yen, rupees, dirhams
    ("£12.50", None, None, "12.50", "GBP"),
    ("£1,049.00", "gb", None, "1049.00", "GBP"),
    ("CHF 1'299.–", None, None, "1299.00", "CHF"),
    ("Fr. 49.90", "ch", None, "49.90", "CHF"),
    ("599 kr", "se", None, "599.00", "SEK"),
    ("599,- kr", "no", None, "599.00", "NOK"),
    ("599 kr", None, None, "599.00", None),
    ("1 299,00 zł", "pl", None, "1299.00", "PLN"),
    ("¥1,200", "jp", None, "1200.00", "JPY"),
    ("¥1,200", "cn", None, "1200.00", "CNY"),
    ("Rs. 1,299", "in", None, "1299.00", "INR"),
    ("₹1,29,999", None, None, "129999.00", "INR"),
    ("AED 1,299.00", "ae", None, "1299.00", "AED"),
    ("1,299.00 AED", None, None, "1299.00", "AED"),
    ("1,299 د.إ", None, None, "1299.00", "AED"),
    ("1,299.00 ر.س", None, None, "1299.00", "SAR"),
    ("NT$1,299", None, None, "1299.00", "TWD"),
    ("S/ 1,299.00", None, None, "1299.00", "PEN"),
    ("S/1,299.00", "pe", None, "1299.00", "PEN"),
    # Whole kronor as Swedish shops print them
    ("1 299:-", None, None, "1299.00", "SEK"),
    ("1 299:-", "se", None, "1299.00", "SEK"),
    # Three-decimal currencies: "1.250 KWD" is a dinar and a quarter
    ("1.250 KWD", "kw", None, "1.250", "KWD"),
    ("KWD 12,345.678", None, None, "12345.678", "KWD"),
    # Numbers as structured data gives them
    (1299, None, "EUR", "1299.00", "EUR"),
    (12.5, None, None, "12.50", None),
    (249.99, None, "usd", "249.99", "USD"),
    ("1299.00", None, "EUR", "1299.00", "EUR"),
    ("0", None, "EUR", "0.00", "EUR"),
    ("Free", "us", "USD", "0.00", "USD"),
    # Nothing to find
    ("", None, None, None, None),
    ("n/a", None, None, None, None),
    ("Prezzo su richiesta", "it", None, None, None),
    (None, None, "EUR", None, "EUR"),
    (float("nan"), None, None, None, None),
    (True, None, None, None, None),
]


@pytest.mark.parametrize(("text", "country", "currency", "amount", "code"), PRICES)
def test_prices_read_as_shoppers_read_them(text, country, currency, amount, code):
    assert parse_price(text, currency=currency, country=country) == (amount, code)


@pytest.mark.parametrize(
    ("symbol", "country", "code"),
    [
        ("€", None, "EUR"),
        ("eur", None, "EUR"),
        ("$", None, "USD"),
        ("$", "mx", "MXN"),
        ("£", "eg", "EGP"),
        ("kr", "dk", "DKK"),
        ("Kr.", "dk", "DKK"),
        ("zł", None, "PLN"),
        ("₺", None, "TRY"),
        ("Euro", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_currency_symbols_become_iso_codes(symbol, country, code):
    assert currency_code(symbol, country=country) == code


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.amazon.it/dp/B0CCJPGYC2", "it"),
        ("https://www.amazon.co.uk/dp/B0CCJPGYC2", "gb"),
        ("https://www.amazon.com.au/dp/B0CCJPGYC2", "au"),
        ("https://www.amazon.ae/dp/B0CCJPGYC2", "ae"),
        ("https://www.fnac.fr/a123", "fr"),
        ("https://WWW.Galaxus.CH./de/s1/product/1", "ch"),
        ("https://www.amazon.com/dp/B0CCJPGYC2", None),
        ("https://shop.example.io/p/1", None),
        ("https://shop.example.eu/p/1", None),
        ("http://shop-it.test/prodotto/x", None),
        ("http://127.0.0.1:8080/p", None),
        ("http://[::1]/p", None),
        ("not a url", None),
    ],
)
def test_the_shops_country_comes_from_its_domain(url, country):
    assert country_of(url) == country
