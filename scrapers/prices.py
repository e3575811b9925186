"""Prices as shops write them ("1.299,00 €", "$1,299.99", "CHF 1'299.–") → a decimal string and an ISO code.

Built on price-parser, which finds the number and the currency *symbol*; this module turns the symbol into
an ISO 4217 code, using the shop's country where a symbol is shared ("$", "kr", "¥").
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from ipaddress import ip_address
from urllib.parse import urlsplit

from price_parser import Price
from price_parser._currencies import CURRENCIES  # the symbol data behind price-parser itself

__all__ = ["country_of", "currency_code", "parse_price"]

# Symbols several currencies share, resolved by country; the default is what the symbol means with no
# country to go on (None where there is no fair default).
_DOLLAR = {"us": "USD", "ca": "CAD", "au": "AUD", "nz": "NZD", "sg": "SGD", "hk": "HKD", "mx": "MXN",
           "ar": "ARS", "cl": "CLP", "co": "COP", "tw": "TWD", "uy": "UYU", "jm": "JMD", "tt": "TTD"}
_SHARED: dict[str, tuple[dict[str, str], str | None]] = {
    "$": (_DOLLAR, "USD"),
    "£": ({"eg": "EGP", "lb": "LBP", "sy": "SYP", "gi": "GIP", "fk": "FKP"}, "GBP"),
    "¥": ({"cn": "CNY"}, "JPY"),
    "kr": ({"se": "SEK", "no": "NOK", "dk": "DKK", "is": "ISK", "fo": "DKK", "gl": "DKK"}, None),
    "rs": ({"in": "INR", "pk": "PKR", "lk": "LKR", "np": "NPR", "mu": "MUR"}, "INR"),
}
# Unambiguous spellings price-parser returns that its own table does not map to one code.
_EXTRA = {"US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD",
          "S$": "SGD", "MX$": "MXN", "R$": "BRL", "CHF": "CHF", "Fr.": "CHF", "€": "EUR", "₺": "TRY",
          "TL": "TRY", "₽": "RUB", "руб": "RUB", "₴": "UAH", "₪": "ILS", "د.إ": "AED", "zł": "PLN",
          "Kč": "CZK", "Ft": "HUF", "lei": "RON", "₩": "KRW", "฿": "THB", "₫": "VND", "₱": "PHP",
          "₸": "KZT", "тг": "KZT", "тг.": "KZT", "원": "KRW", "грн": "UAH", "грн.": "UAH", "NT$": "TWD",
          "S/": "PEN", "ر.س": "SAR"}


def _unique_symbols() -> dict[str, str]:
    """Symbol → code for every symbol in price-parser's table that belongs to exactly one currency."""
    seen: dict[str, set[str]] = {}
    for code, info in CURRENCIES.items():
        for symbol in (info.get("s"), info.get("sn"), *info.get("sn2", [])):
            if symbol:
                seen.setdefault(symbol, set()).add(code)
    return {symbol: codes.pop() for symbol, codes in seen.items() if len(codes) == 1}


_BY_SYMBOL = _unique_symbols() | _EXTRA
# Currencies written as short words that price-parser does not pick out of the text ("44 890 тг.",
# "S/ 1,299.00", "1,299 د.إ").
_WORD_CURRENCY = re.compile(r"(?<!\w)(?:(тг|₸|грн|د\.إ|ر\.س)(?!\w)|(S/)(?=\s?\d))")
_KRONOR = re.compile(r"\d:-")  # Swedish shops print whole kronor as "1 299:-"
# ccTLDs sold as generic names: they say nothing about where the shop is.
_VANITY_TLDS = {"io", "co", "tv", "me", "ai", "fm", "gg", "so", "to", "cc", "ws", "ly", "am", "eu", "su"}


def currency_code(symbol: str | None, *, country: str | None = None) -> str | None:
    """The ISO 4217 code for a currency symbol or code ("€", "US$", "eur"); shared symbols use `country`."""
    if not symbol:
        return None
    symbol = symbol.strip()
    if re.fullmatch(r"[A-Za-z]{3}", symbol) and symbol.upper() in CURRENCIES:
        return symbol.upper()
    shared = _SHARED.get(symbol.lower().rstrip("."))  # "Kr", "Rs." are spelled many ways
    if shared is not None:
        by_country, default = shared
        return by_country.get(country or "", default)
    return _BY_SYMBOL.get(symbol)


def parse_price(
    text: str | float | int | None, *, currency: str | None = None, country: str | None = None
) -> tuple[str | None, str | None]:
    """(amount as a decimal string, ISO code) from a price as written; `currency` wins over a symbol."""
    if text is None or isinstance(text, bool) or not isinstance(text, str | int | float):
        return None, currency_code(currency, country=country)  # a node where a price should be
    if isinstance(text, int | float):
        amount = _from_number(text)
        code = currency_code(currency, country=country)
    else:
        found = Price.fromstring(text)
        code = currency_code(currency, country=country) or currency_code(found.currency, country=country)
        amount = found.amount
        if code is None and found.currency is None:
            word = _WORD_CURRENCY.search(text)
            code = currency_code(word[1] or word[2], country=country) if word else None
            if code is None and _KRONOR.search(text):
                code = currency_code("kr", country=country) or "SEK"
        separator = _three_decimals_separator(found.amount_text, code)
        if separator:
            amount = Price.fromstring(text, decimal_separator=separator).amount
    return _format(amount, code), code


def country_of(url: str) -> str | None:
    """The shop's country (ISO 3166 alpha-2, lower case) from its URL's top-level domain, if it has one."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    try:
        ip_address(host)
        return None
    except ValueError:
        pass
    tld = host.rpartition(".")[2]
    if len(tld) != 2 or not tld.isalpha() or tld in _VANITY_TLDS:
        return None
    return "gb" if tld == "uk" else tld


def _from_number(value: float | int) -> Decimal | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _minor_digits(code: str | None) -> int:
    info = CURRENCIES.get(code or "")
    return int(info.get("d", 2)) if info else 2


def _three_decimals_separator(amount_text: str | None, code: str | None) -> str | None:
    """"1.250 KWD" is one dinar and a quarter, not 1250: a few currencies have three decimals."""
    if not amount_text or _minor_digits(code) != 3 or not re.search(r"\d[.,]\d{3}$", amount_text):
        return None
    separator = amount_text[-4]
    return separator if separator == "." or "." in amount_text[:-4] else None


def _format(amount: Decimal | None, code: str | None) -> str | None:
    if amount is None or not amount.is_finite() or amount < 0:
        return None
    places = 3 if _minor_digits(code) == 3 else 2
    return str(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
