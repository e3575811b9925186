"""What an alert says, in the shopper's language (en, it, fr): product, old -> new price, seller, the rule
that fired, and the link. Prices are written the way the shopper's locale writes them (Babel)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from server.i18n import LANGUAGES
from server.i18n import language_of as i18n_language
from server.i18n.money import money

__all__ = ["LANGUAGES", "RULES", "Alert", "alert_message", "check_message", "language_of", "money"]

Rule = Literal["below", "drop", "lowest", "back_in_stock"]
RULES: tuple[str, ...] = ("below", "drop", "lowest", "back_in_stock")


@dataclass(frozen=True)
class Alert:
    """A watch's rule fired: what the shopper is told. Prices are decimal strings, as in an Offer."""

    product: str
    url: str
    rule: Rule  # below a price, any drop, a new lowest price, back in stock
    new_price: str | None = None
    old_price: str | None = None
    currency: str | None = None  # ISO 4217
    seller: str | None = None
    threshold: str | None = None  # the price of a "below" rule
    locale: str = "en"  # the watch's or shopper's: "it", "it-IT", "fr_FR", …

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown alert rule {self.rule!r}; known: {', '.join(RULES)}")
        if self.rule == "below" and self.threshold is None:
            raise ValueError("a 'below' alert needs its threshold")


# Per language: the title for each rule, the words of the body, and each rule in a few words.
_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title.price": "Price drop: {product}",
        "title.lowest": "New lowest price: {product}",
        "title.back_in_stock": "Back in stock: {product}",
        "at": "at {seller}",
        "rule": "Alert: {rule}",
        "rule.below": "below {threshold}",
        "rule.drop": "any drop",
        "rule.lowest": "new lowest price",
        "rule.back_in_stock": "back in stock",
        "test.title": "zmot: test notification",
        "test.body": "Price alerts from zmot will arrive here.",
    },
    "it": {
        "title.price": "Prezzo in calo: {product}",
        "title.lowest": "Nuovo prezzo minimo: {product}",
        "title.back_in_stock": "Di nuovo disponibile: {product}",
        "at": "da {seller}",
        "rule": "Avviso: {rule}",
        "rule.below": "sotto {threshold}",
        "rule.drop": "qualsiasi ribasso",
        "rule.lowest": "nuovo prezzo minimo",
        "rule.back_in_stock": "di nuovo disponibile",
        "test.title": "zmot: notifica di prova",
        "test.body": "Gli avvisi di prezzo di zmot arriveranno qui.",
    },
    "fr": {
        "title.price": "Baisse de prix : {product}",
        "title.lowest": "Nouveau prix le plus bas : {product}",
        "title.back_in_stock": "De nouveau en stock : {product}",
        "at": "chez {seller}",
        "rule": "Alerte : {rule}",
        "rule.below": "sous {threshold}",
        "rule.drop": "toute baisse",
        "rule.lowest": "nouveau prix le plus bas",
        "rule.back_in_stock": "de nouveau en stock",
        "test.title": "zmot : notification de test",
        "test.body": "Les alertes de prix de zmot arriveront ici.",
    },
}


def language_of(locale: str | None) -> str:
    """ "it-IT", "fr_FR", "IT" -> "it"; anything zmot has no words for -> "en"."""
    return i18n_language(locale) or "en"


def alert_message(alert: Alert) -> tuple[str, str]:
    """(title, body) of an alert in its shopper's language."""
    lang = language_of(alert.locale)
    text = _TEXT[lang]
    kind = alert.rule if alert.rule in ("lowest", "back_in_stock") else "price"
    title = text[f"title.{kind}"].format(product=alert.product)
    price = money(alert.new_price, alert.currency, lang)
    if alert.old_price:
        price = f"{money(alert.old_price, alert.currency, lang)} → {price}"
    if alert.seller:
        price = f"{price} {text['at'].format(seller=alert.seller)}"
    threshold = money(alert.threshold, alert.currency, lang)
    rule = text["rule"].format(rule=text[f"rule.{alert.rule}"].format(threshold=threshold))
    lines = [price if alert.new_price or alert.old_price else "", rule, alert.url]
    return title, "\n".join(line for line in lines if line)


def check_message(locale: str | None) -> tuple[str, str]:
    """(title, body) of the message that checks a notification URL."""
    text = _TEXT[language_of(locale)]
    return text["test.title"], text["test.body"]
