"""One verdict from the briefing's sections: buy, consider, wait, avoid or unknown, with its reasons.

The score (0..100) is a weighted mean of parts that each only rise with better inputs — the rating
(adjusted for suspicious reviews) read against what is usual on that shop, the share of 1–2★ ratings, the
review texts' sentiment (weighed by how many were read), the trust grade, the price verdict and what
independent blogs, forums and videos say — so a better input never lowers it. Parts that are unknown are
left out of the mean, not guessed. "Buy" then needs more than a score: enough ratings to tell, a rating above
the shop's middle (or a histogram with almost no 1–2★), and no review saying it breaks or wastes the money;
otherwise the label is "consider" and the reason is said first.
"""

from __future__ import annotations

from typing import Any

from server.analysis.verdict_evidence import FEW_RATINGS, low_star_share, serious_complaint, typical_rating

__all__ = ["overall_verdict"]

_WEIGHTS = {"rating": 0.35, "low": 0.25, "sentiment": 0.15, "trust": 0.1, "price": 0.2, "web": 0.15}
_FULL_SENTIMENT = 10  # reviews read before their sentiment counts in full; two reviews are an anecdote
_POOR_GAP, _POOR_LOW = 0.4, 0.16  # a rating this far under the shop's middle, or this share of 1–2★, is poor
_CLEAN_LOW = 0.05  # a share of 1–2★ at or below this is unusually clean, even at an average rating
_MIN_WEB = 2  # independent pages about the product before what the web says counts
_TRUST = {"A": 100, "B": 85, "C": 65, "D": 40, "F": 15}
_PRICE = {"good_deal": 100, "fair": 65, "high": 25}
_BUY, _CONSIDER = 72, 45

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "below": "Rated {rating}/5, below what is usual for this shop (most here get about {typical})",
        "average": "Rated {rating}/5, only average for this shop (most products here get about {typical})",
        "low_share": "{share} of the ratings are 1 or 2 stars",
        "few": "Too few reviews to tell ({n} ratings)",
        "serious": "Some reviewers report a serious problem: “{quote}”",
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
        "below": "Valutato {rating}/5, sotto la media di questo negozio (di solito circa {typical})",
        "average": "Valutato {rating}/5, solo nella media di questo negozio (di solito circa {typical})",
        "low_share": "il {share} delle valutazioni è di 1 o 2 stelle",
        "few": "Troppo poche recensioni per giudicare ({n} valutazioni)",
        "serious": "Alcuni segnalano un problema serio: “{quote}”",
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
        "below": "Noté {rating}/5, en dessous de la moyenne de cette boutique (en général {typical})",
        "average": "Noté {rating}/5, seulement dans la moyenne de cette boutique (en général {typical})",
        "low_share": "{share} des notes sont de 1 ou 2 étoiles",
        "few": "Trop peu d'avis pour juger ({n} notes)",
        "serious": "Certains acheteurs signalent un problème sérieux : « {quote} »",
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


def _rating(reviews: dict) -> float | None:
    rating = (reviews.get("trust") or {}).get("adjusted_rating") or reviews.get("rating")
    return None if rating is None else float(rating)


def _parts(
    reviews: dict | None, price: dict | None, mentions: dict | None = None, shop: str | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """Each known part's value (0..100) and its weight."""
    parts: dict[str, float] = {}
    weights = dict(_WEIGHTS)
    web = _web(mentions)
    if web:
        parts["web"] = (web["positive"] - web["negative"] + 1) / 2 * 100
    if reviews:
        trust = reviews.get("trust") or {}
        rating = _rating(reviews)
        if rating is not None:  # the shop's middle scores 50; each tenth of a star above or below, 10
            parts["rating"] = max(0.0, min(100.0, 50 + (rating - typical_rating(shop)) * 100))
        low = low_star_share(reviews.get("distribution"))
        if low is not None:  # 5% of 1–2★ scores 90, 10% 65, 15% 40, 23% and more 0
            parts["low"] = max(0.0, min(100.0, 115 - low * 500))
        sentiment = reviews.get("sentiment")
        if sentiment:
            parts["sentiment"] = (sentiment["positive"] - sentiment["negative"] + 1) / 2 * 100
            analyzed = reviews.get("analyzed")
            if analyzed:
                weights["sentiment"] *= min(1.0, analyzed / _FULL_SENTIMENT)
        if trust.get("grade") in _TRUST:
            parts["trust"] = _TRUST[trust["grade"]]
    if price and price.get("verdict") in _PRICE:
        parts["price"] = _PRICE[price["verdict"]]
    return parts, weights


def _cautions(reviews: dict | None, text: dict[str, str], shop: str | None) -> list[str]:
    """Why the reviews do not back a "buy" even when the score would: too few ratings, a rating that is
    only the shop's middle with the usual share of 1–2★, a review saying it breaks or wastes the money."""
    if not reviews:
        return []
    out: list[str] = []
    count = reviews.get("count")
    if count is not None and count < FEW_RATINGS:
        out.append(text["few"].format(n=count))
    complaint = serious_complaint(reviews)
    if complaint:
        out.append(text["serious"].format(quote=complaint))
    rating, typical = _rating(reviews), typical_rating(shop)
    low = low_star_share(reviews.get("distribution"))
    if rating is not None and rating <= typical and (low is None or low > _CLEAN_LOW):
        key = "below" if round(typical - rating, 2) >= 0.2 else "average"
        out.append(text[key].format(rating=f"{rating:.1f}", typical=f"{typical:.1f}"))
    return out


def _clearly_poor(reviews: dict, shop: str | None) -> bool:
    """ "Avoid" needs a clear sign, not only a weak score: a rating well under the shop's middle, many 1–2★
    ratings, or a serious complaint among too few ratings to outweigh it. A few low ratings alone are no
    more proof of a bad product than a few high ones."""
    rating, low, count = _rating(reviews), low_star_share(reviews.get("distribution")), reviews.get("count")
    few = count is not None and count < FEW_RATINGS
    if few and not serious_complaint(reviews):
        return False
    return (
        (rating is not None and round(rating - typical_rating(shop), 2) <= -_POOR_GAP)
        or (low is not None and low >= _POOR_LOW)
        or (few and rating is not None and rating < typical_rating(shop))
    )


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
        low = low_star_share(reviews.get("distribution"))
        if low is not None and low >= 0.1:
            out.append((low * 20, text["low_share"].format(share=f"{low:.0%}")))
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
    shop: str | None = None,
) -> dict[str, Any]:
    """{"label", "score", "reasons", "summary", "cautions"}, deterministic; `failed` names sections that did
    not finish (the verdict is then unknown and says so). `mentions` counts once two independent pages speak.
    `shop` is the page's host name, whose usual rating the product's is read against."""
    text = _TEXT.get(lang, _TEXT["en"])
    parts, weights = _parts(reviews, price, mentions, shop)
    if failed or ("rating" not in parts and "sentiment" not in parts):
        why = text["failed"].format(names=", ".join(failed)) if failed else text["no_data"]
        unknown = text["unknown"].format(why=why)
        return {
            "label": "unknown",
            "score": None,
            "reasons": [unknown],
            "summary": unknown + ".",
            "cautions": [],
        }
    weight = sum(weights[k] for k in parts)
    score = round(sum(weights[k] * v for k, v in parts.items()) / weight)
    label = "buy" if score >= _BUY else "consider" if score >= _CONSIDER else "avoid"
    cautions = _cautions(reviews, text, shop)
    if label == "buy" and cautions:
        label = "consider"  # the score is high, but the reviews do not back it yet
    if label == "avoid" and not _clearly_poor(reviews or {}, shop):
        label = "consider"  # a weak score, but no clear sign of a poor product
    if label == "buy" and (price or {}).get("verdict") == "high":
        label = "wait"  # worth having, not at today's price
    ranked = [r for _, r in sorted(_reasons(reviews, price, text, mentions), key=lambda r: -r[0])]
    if any(c.startswith(text["rating"].split("{")[0]) for c in cautions):  # says the rating already
        ranked = [r for r in ranked if not r.startswith(text["rating"].split("{")[0])]
    reasons = (cautions + [r for r in ranked if r not in cautions])[:3]
    summary = text[label].format(reasons="; ".join(_mid_sentence(r, text) for r in reasons[:2]))
    return {"label": label, "score": score, "reasons": reasons, "summary": summary, "cautions": cautions}


def _mid_sentence(reason: str, text: dict[str, str]) -> str:
    """A reason as it reads after a colon: "Rated 4.3/5" -> "rated 4.3/5". Only zmot's own wording is
    lowered; a reason that starts with a name ("SoundHaus sells it…", from the price) keeps its capital."""
    own_words = {t.split(" ", 1)[0] for t in text.values() if not t.startswith("{")}
    first = reason.split(" ", 1)[0]
    return reason[0].lower() + reason[1:] if first in own_words else reason
