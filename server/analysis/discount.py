"""Is the page's reduction real? Its struck-through "was" price against what zmot saw the same seller
charge in the 30 days before, and against the page's own "lowest price of the last 30 days".

Under the EU rule (Directive 98/6/EC art. 6a, as amended by the Omnibus directive) a reduction is
announced from the lowest price of the 30 days before it: a "was" price above that low, by the shop's own
figure, is itself a finding. Against zmot's history the test is plainer: a "was" price above every price
the seller charged in 30 days was never charged at all. Pure: figures in, a dict with words out."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from scrapers.types import Offer
from server.i18n.money import money as write_money
from server.i18n.money import warm_locales
from server.store.base import PriceObservation

__all__ = ["WINDOW_DAYS", "discount_check"]

WINDOW_DAYS = 30
_MIN_POINTS = 3  # fewer prices than this say nothing about what the seller charged
_MIN_SPAN_S = 7 * 86400  # and the oldest must be this old: three prices of one afternoon are one price
_TOLERANCE = Decimal("0.01")  # 1 %: rounding, not a finding

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "no_price": "The page shows no price: zmot cannot check a reduction.",
        "no_claim": "The page announces no reduction: there is nothing to check.",
        "inflated": "The 'was' price of {was} is above every price zmot saw {seller} charge in the last 30 "
        "days ({count} prices); the lowest was {low}.",
        "genuine": "The 'was' price of {was} was charged by {seller} in the last 30 days (from {low} to "
        "{high}, {count} prices).",
        "now_lowest": "Today's {price} is below every one of them.",
        "now_above_low": "Today's {price} is not the lowest of those 30 days: that was {low}.",
        "too_little": "zmot has too few prices from {seller} in the last 30 days to check the 'was' price of "
        "{was} (prices seen: {count}{seen}).",
        "page": "The page itself gives {page_low} as the lowest price of the last 30 days, below its 'was' "
        "price of {was}: under the EU rule a reduction is measured from that 30-day low.",
        "claim": "The page claims -{claimed}%, but {was} to {price} is -{percent}%.",
    },
    "it": {
        "no_price": "La pagina non mostra un prezzo: zmot non può verificare uno sconto.",
        "no_claim": "La pagina non annuncia alcuno sconto: non c'è nulla da verificare.",
        "inflated": "Il prezzo barrato di {was} è più alto di tutti i prezzi che zmot ha visto praticare da "
        "{seller} negli ultimi 30 giorni ({count} prezzi); il più basso era {low}.",
        "genuine": "Il prezzo barrato di {was} è stato praticato da {seller} negli ultimi 30 giorni "
        "(da {low} a {high}, {count} prezzi).",
        "now_lowest": "Il prezzo di oggi, {price}, è più basso di tutti.",
        "now_above_low": "Il prezzo di oggi, {price}, non è il più basso dei 30 giorni: lo è stato {low}.",
        "too_little": "zmot ha troppi pochi prezzi di {seller} negli ultimi 30 giorni per verificare il "
        "prezzo barrato di {was} (prezzi visti: {count}{seen}).",
        "page": "La pagina stessa indica {page_low} come prezzo più basso degli ultimi 30 giorni, sotto il "
        "prezzo barrato di {was}: per la norma UE uno sconto si calcola da quel minimo di 30 giorni.",
        "claim": "La pagina dichiara -{claimed}%, ma da {was} a {price} è -{percent}%.",
    },
    "fr": {
        "no_price": "La page n'affiche aucun prix : zmot ne peut pas vérifier de réduction.",
        "no_claim": "La page n'annonce aucune réduction : il n'y a rien à vérifier.",
        "inflated": "Le prix barré de {was} est au-dessus de tous les prix pratiqués par {seller} que zmot a "
        "relevés ces 30 derniers jours ({count} prix) ; le plus bas était {low}.",
        "genuine": "Le prix barré de {was} a été pratiqué par {seller} ces 30 derniers jours (de {low} à "
        "{high}, {count} prix).",
        "now_lowest": "Le prix d'aujourd'hui, {price}, est plus bas que tous.",
        "now_above_low": "Le prix d'aujourd'hui, {price}, n'est pas le plus bas de ces 30 jours : "
        "c'était {low}.",
        "too_little": "zmot a trop peu de prix de {seller} sur les 30 derniers jours pour vérifier le prix "
        "barré de {was} (prix relevés : {count}{seen}).",
        "page": "La page indique elle-même {page_low} comme prix le plus bas des 30 derniers jours, sous son "
        "prix barré de {was} : selon la règle européenne, une réduction se calcule depuis ce plus bas.",
        "claim": "La page annonce -{claimed} %, mais de {was} à {price} cela fait -{percent} %.",
    },
}


# At import, which `zmot serve` does in a thread: not in the first briefing's price section, on the loop.
warm_locales()


def discount_check(
    offer: Offer,
    history: list[PriceObservation],
    *,
    at: float,
    claimed_percent: float | None = None,
    page_url: str | None = None,
) -> dict[str, Any]:
    """Judge the page's reduction. `at`: when the page was seen (observations from then on, this visit's
    own included, are not "before"); `claimed_percent`: a "-30%" the page shows, as 30; `page_url` names
    the seller when the offer does not, as zmot's history does. Returns `code` (inflated | genuine |
    too_little_history | no_claim | unknown), `basis`, the figures and `words` in en, it, fr."""
    price, currency = _amount(offer.price), offer.currency
    was = _amount(offer.list_price)
    if was is None and claimed_percent and price is not None and 0 < claimed_percent < 100:
        was = price / (1 - Decimal(str(claimed_percent)) / 100)  # the price the claim implies
    seller = offer.seller or (urlsplit(offer.url or page_url or "").hostname or "").lower() or None
    prior = _prior(history, seller, currency, at)
    amounts = [Decimal(p.amount) for p in prior]
    page_low = _amount(offer.lowest_30d)
    figures: dict[str, Any] = {
        "seller": seller,
        "currency": currency,
        "price": _text(price),
        "was": _text(was),
        "percent": _percent(was, price),
        "claimed_percent": claimed_percent,
        "page_lowest_30d": _text(page_low),
        "history": {
            "days": WINDOW_DAYS,
            "count": len(amounts),
            "low": _text(min(amounts, default=None)),
            "high": _text(max(amounts, default=None)),
        },
    }
    if price is None:
        return {"code": "unknown", "basis": [], **figures, "words": _words(["no_price"], figures)}
    if was is None or was <= price:
        return {"code": "no_claim", "basis": [], **figures, "words": _words(["no_claim"], figures)}
    enough = len(amounts) >= _MIN_POINTS and at - min(p.observed_at for p in prior) >= _MIN_SPAN_S
    basis: list[str] = []
    findings: list[str] = []
    if enough and was > max(amounts) * (1 + _TOLERANCE):
        basis.append("history")
        findings.append("inflated")
    elif enough:
        findings.append("genuine")
    else:
        findings.append("too_little")
    if enough and price < min(amounts):
        findings.append("now_lowest")
    elif enough and not basis:  # an inflated "was" price has said the low already
        findings.append("now_above_low")
    if page_low is not None and page_low < was * (1 - _TOLERANCE):
        basis.append("page")
        findings.append("page")
    if claimed_percent and figures["percent"] is not None and claimed_percent > figures["percent"] + 1:
        findings.append("claim")
    code = "inflated" if basis else "genuine" if enough else "too_little_history"
    return {"code": code, "basis": basis, **figures, "words": _words(findings, figures)}


def _prior(
    history: list[PriceObservation], seller: str | None, currency: str | None, at: float
) -> list[PriceObservation]:
    """This seller's prices in this currency, seen in the 30 days before `at`: never another seller's."""
    key = (seller or "").strip().casefold()
    return [
        p
        for p in history
        if key
        and p.seller.strip().casefold() == key
        and p.currency == currency
        and at - WINDOW_DAYS * 86400 <= p.observed_at < at
        and _amount(p.amount) is not None
    ]


def _amount(value: str | None) -> Decimal | None:
    try:
        amount = Decimal(value) if value is not None else None
    except InvalidOperation:
        return None
    return amount if amount is not None and amount.is_finite() and amount > 0 else None


def _text(amount: Decimal | None) -> str | None:
    return f"{amount:.2f}" if amount is not None else None


def _percent(was: Decimal | None, price: Decimal | None) -> int | None:
    if was is None or price is None or was <= 0:
        return None
    return int(((was - price) / was * 100).quantize(Decimal(1)))


def _range(history: dict[str, Any], money: Any) -> str:
    """ ", 149,00 €" or ", 149,00 €–159,00 €": the prices seen, after their count."""
    if not history["count"]:
        return ""
    low, high = money(history["low"]), money(history["high"])
    return f", {low}" if low == high else f", {low}–{high}"


def _words(findings: list[str], figures: dict[str, Any]) -> dict[str, str]:
    """The findings as sentences in each language, prices written as that language writes them."""
    words = {}
    for lang, text in _WORDS.items():

        def money(value: str | None, lang: str = lang) -> str:
            return write_money(value, figures["currency"], lang)

        history = figures["history"]
        values = {
            "was": money(figures["was"]),
            "price": money(figures["price"]),
            "low": money(history["low"]),
            "high": money(history["high"]),
            "count": history["count"],
            "seen": _range(history, money),
            "seller": figures["seller"] or "?",
            "page_low": money(figures["page_lowest_30d"]),
            "claimed": f"{figures['claimed_percent']:g}" if figures["claimed_percent"] else "",
            "percent": figures["percent"],
        }
        words[lang] = " ".join(text[f].format(**values) for f in findings)
    return words
