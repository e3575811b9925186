"""One verdict from the briefing's sections: buy, consider, wait, avoid or unknown, with its reasons.

The score (0..100) is a weighted mean of parts that each only rise with better inputs — the rating
(adjusted for suspicious reviews), the review texts' sentiment, the trust grade, the price verdict and
what independent blogs, forums and videos say —
so a better input never lowers it. Parts that are unknown are left out of the mean, not guessed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["overall_verdict"]

_WEIGHTS = {"rating": 0.45, "sentiment": 0.2, "trust": 0.15, "price": 0.2, "web": 0.15}
_MIN_WEB = 2  # independent pages about the product before what the web says counts
_TRUST = {"A": 100, "B": 85, "C": 65, "D": 40, "F": 15}
_PRICE = {"good_deal": 100, "fair": 65, "high": 25}
_BUY, _CONSIDER = 72, 50

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "rating": "Rated {rating}/5 by its reviewers",
        "adjusted": "Rated {rating}/5 once suspicious reviews are left out",
        "positive": "{share} of the reviews are positive",
        "negative": "{share} of the reviews are negative",
        "trusted": "The reviews look genuine (trust grade {grade})",
        "web_positive": "{n} of {total} independent reviews on the web are positive",
        "web_negative": "{n} of {total} independent reviews on the web are negative",
        "untrusted": "Be careful with the reviews (trust grade {grade}): {detail}",
        "price": "{reason}",
        "unknown": "Not enough is known to judge: {why}",
        "buy": "Worth buying: {reasons}.",
        "consider": "Worth considering, with reservations: {reasons}.",
        "wait": "A good product, but wait for a better price: {reasons}.",
        "avoid": "Better to avoid: {reasons}.",
        "no_data": "the price and the reviews could not be read",
        "failed": "the {names} could not be read in time",
    },
    "it": {
        "rating": "Valutato {rating}/5 da chi l'ha recensito",
        "adjusted": "Valutato {rating}/5 escludendo le recensioni sospette",
        "positive": "il {share} delle recensioni è positivo",
        "negative": "il {share} delle recensioni è negativo",
        "trusted": "Le recensioni sembrano autentiche (affidabilità {grade})",
        "web_positive": "{n} su {total} recensioni indipendenti sul web sono positive",
        "web_negative": "{n} su {total} recensioni indipendenti sul web sono negative",
        "untrusted": "Attenzione alle recensioni (affidabilità {grade}): {detail}",
        "price": "{reason}",
        "unknown": "Non ci sono abbastanza dati per giudicare: {why}",
        "buy": "Da comprare: {reasons}.",
        "consider": "Da valutare, con qualche riserva: {reasons}.",
        "wait": "Un buon prodotto, ma conviene aspettare un prezzo migliore: {reasons}.",
        "avoid": "Meglio evitarlo: {reasons}.",
        "no_data": "non è stato possibile leggere prezzo e recensioni",
        "failed": "non è stato possibile leggere in tempo: {names}",
    },
    "fr": {
        "rating": "Noté {rating}/5 par ses acheteurs",
        "adjusted": "Noté {rating}/5 sans les avis suspects",
        "positive": "{share} des avis sont positifs",
        "negative": "{share} des avis sont négatifs",
        "trusted": "Les avis semblent authentiques (fiabilité {grade})",
        "web_positive": "{n} sur {total} avis indépendants sur le web sont positifs",
        "web_negative": "{n} sur {total} avis indépendants sur le web sont négatifs",
        "untrusted": "Prudence avec les avis (fiabilité {grade}) : {detail}",
        "price": "{reason}",
        "unknown": "Pas assez d'informations pour juger : {why}",
        "buy": "À acheter : {reasons}.",
        "consider": "À considérer, avec des réserves : {reasons}.",
        "wait": "Un bon produit, mais mieux vaut attendre un meilleur prix : {reasons}.",
        "avoid": "À éviter : {reasons}.",
        "no_data": "le prix et les avis n'ont pas pu être lus",
        "failed": "impossible de lire à temps : {names}",
    },
}


def _web(mentions: dict | None) -> dict | None:
    """The independent mentions' sentiment when there are enough of them to say something."""
    sentiment = (mentions or {}).get("sentiment")
    if not sentiment or not sentiment.get("independent_only") or sentiment.get("counted", 0) < _MIN_WEB:
        return None
    return sentiment


def _parts(reviews: dict | None, price: dict | None, mentions: dict | None = None) -> dict[str, float]:
    parts: dict[str, float] = {}
    web = _web(mentions)
    if web:
        parts["web"] = (web["positive"] - web["negative"] + 1) / 2 * 100
    if reviews:
        trust = reviews.get("trust") or {}
        rating = trust.get("adjusted_rating") or reviews.get("rating")
        if rating is not None:
            parts["rating"] = max(0.0, min(100.0, (float(rating) - 1) / 4 * 100))
        sentiment = reviews.get("sentiment")
        if sentiment:
            parts["sentiment"] = (sentiment["positive"] - sentiment["negative"] + 1) / 2 * 100
        if trust.get("grade") in _TRUST:
            parts["trust"] = _TRUST[trust["grade"]]
    if price and price.get("verdict") in _PRICE:
        parts["price"] = _PRICE[price["verdict"]]
    return parts


def _reasons(
    reviews: dict | None, price: dict | None, text: dict[str, str], mentions: dict | None = None
) -> list[tuple[float, str]]:
    """Candidate reasons, each with how much it matters (the further from neutral, the more)."""
    out: list[tuple[float, str]] = []
    web = _web(mentions)
    if web and web["positive"] != web["negative"]:
        side = "positive" if web["positive"] > web["negative"] else "negative"
        n, total = round(web[side] * web["counted"]), web["counted"]
        out.append((abs(web["positive"] - web["negative"]) * 2, text[f"web_{side}"].format(n=n, total=total)))
    if reviews:
        trust = reviews.get("trust") or {}
        adjusted, rating = trust.get("adjusted_rating"), reviews.get("rating")
        if adjusted is not None and rating is not None and abs(adjusted - rating) >= 0.3:
            out.append((abs(adjusted - 3) + 1, text["adjusted"].format(rating=f"{adjusted:.1f}")))
        elif rating is not None:
            out.append((abs(rating - 3) + 0.5, text["rating"].format(rating=f"{rating:.1f}")))
        sentiment = reviews.get("sentiment")
        if sentiment:
            side = "positive" if sentiment["positive"] >= sentiment["negative"] else "negative"
            out.append(
                (
                    abs(sentiment["positive"] - sentiment["negative"]) * 2,
                    text[side].format(share=f"{sentiment[side]:.0%}"),
                )
            )
        if trust.get("grade") in ("A", "B"):
            out.append((0.8, text["trusted"].format(grade=trust["grade"])))
        elif trust.get("grade"):
            detail = trust["signals"][0]["detail"] if trust.get("signals") else ""
            out.append((2.5, text["untrusted"].format(grade=trust["grade"], detail=detail.rstrip("."))))
    if price and price.get("verdict") in ("good_deal", "high") and price.get("reason"):
        out.append((2.0, text["price"].format(reason=price["reason"].rstrip("."))))
    return out


def overall_verdict(
    reviews: dict | None,
    price: dict | None,
    *,
    lang: str = "en",
    failed: list[str] | None = None,
    mentions: dict | None = None,
) -> dict[str, Any]:
    """{"label", "score", "reasons", "summary"}, deterministic; `failed` names sections that did not finish
    (the verdict is then unknown and says so). `mentions` counts once two independent pages speak."""
    text = _TEXT.get(lang, _TEXT["en"])
    parts = _parts(reviews, price, mentions)
    if failed or ("rating" not in parts and "sentiment" not in parts):
        why = text["failed"].format(names=", ".join(failed)) if failed else text["no_data"]
        unknown = text["unknown"].format(why=why)
        return {"label": "unknown", "score": None, "reasons": [unknown], "summary": unknown + "."}
    weight = sum(_WEIGHTS[k] for k in parts)
    score = round(sum(_WEIGHTS[k] * v for k, v in parts.items()) / weight)
    label = "buy" if score >= _BUY else "consider" if score >= _CONSIDER else "avoid"
    if label == "buy" and (price or {}).get("verdict") == "high":
        label = "wait"  # worth having, not at today's price
    reasons = [r for _, r in sorted(_reasons(reviews, price, text, mentions), key=lambda r: -r[0])][:3]
    summary = text[label].format(reasons="; ".join(_mid_sentence(r, text) for r in reasons[:2]))
    return {"label": label, "score": score, "reasons": reasons, "summary": summary}


def _mid_sentence(reason: str, text: dict[str, str]) -> str:
    """A reason as it reads after a colon: "Rated 4.3/5" -> "rated 4.3/5". Only zmot's own wording is
    lowered; a reason that starts with a name ("SoundHaus sells it…", from the price) keeps its capital."""
    own_words = {t.split(" ", 1)[0] for t in text.values() if not t.startswith("{")}
    first = reason.split(" ", 1)[0]
    return reason[0].lower() + reason[1:] if first in own_words else reason
