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
from server.i18n import Code, code, render

__all__ = ["overall_verdict"]

_WEIGHTS = {"rating": 0.35, "low": 0.25, "sentiment": 0.15, "trust": 0.1, "price": 0.2, "web": 0.15}
_FULL_SENTIMENT = 10  # reviews read before their sentiment counts in full; two reviews are an anecdote
_POOR_GAP, _POOR_LOW = 0.4, 0.16  # a rating this far under the shop's middle, or this share of 1–2★, is poor
_CLEAN_LOW = 0.05  # a share of 1–2★ at or below this is unusually clean, even at an average rating
_MIN_WEB = 2  # independent pages about the product before what the web says counts
_TRUST = {"A": 100, "B": 85, "C": 65, "D": 40, "F": 15}
_PRICE = {"good_deal": 100, "fair": 65, "high": 25}
_BUY, _CONSIDER = 72, 45
# How much the real-discount check weighs among the reasons: a reduction that never was one is worth
# knowing before buying "at a discount"; a real one, less.
_DISCOUNT_WEIGHT = {"inflated": 2.6, "genuine": 1.0}


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


def _cautions(reviews: dict | None, shop: str | None) -> list[Code]:
    """Why the reviews do not back a "buy" even when the score would: too few ratings, a rating that is
    only the shop's middle with the usual share of 1–2★, a review saying it breaks or wastes the money."""
    if not reviews:
        return []
    out: list[Code] = []
    count = reviews.get("count")
    if count is not None and count < FEW_RATINGS:
        out.append(code("few", n=count))
    complaint = serious_complaint(reviews)
    if complaint:
        out.append(code("serious", quote=complaint))  # the review's words, as written
    rating, typical = _rating(reviews), typical_rating(shop)
    low = low_star_share(reviews.get("distribution"))
    if rating is not None and rating <= typical and (low is None or low > _CLEAN_LOW):
        key = "below" if round(typical - rating, 2) >= 0.2 else "average"
        out.append(code(key, rating=rating, typical=typical))
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
    reviews: dict | None, price: dict | None, mentions: dict | None = None
) -> list[tuple[float, Code]]:
    """Candidate reasons, each with how much it matters (the further from neutral, the more)."""
    out: list[tuple[float, Code]] = []
    web = _web(mentions)
    if web and web["positive"] != web["negative"]:
        side = "positive" if web["positive"] > web["negative"] else "negative"
        n, total = round(web[side] * web["counted"]), web["counted"]
        out.append((abs(web["positive"] - web["negative"]) * 2, code(f"web_{side}", n=n, total=total)))
    if reviews:
        trust = reviews.get("trust") or {}
        adjusted, rating = trust.get("adjusted_rating"), reviews.get("rating")
        if adjusted is not None and rating is not None and abs(adjusted - rating) >= 0.3:
            out.append((abs(adjusted - 3) + 1, code("adjusted", rating=adjusted)))
        elif rating is not None:
            out.append((abs(rating - 3) + 0.5, code("rating", rating=rating)))
        low = low_star_share(reviews.get("distribution"))
        if low is not None and low >= 0.1:
            out.append((low * 20, code("low_share", share=low)))
        sentiment = reviews.get("sentiment")
        if sentiment:
            side = "positive" if sentiment["positive"] >= sentiment["negative"] else "negative"
            weight = abs(sentiment["positive"] - sentiment["negative"]) * 2
            out.append((weight, code(side, share=sentiment[side])))
        if trust.get("grade") in ("A", "B"):
            out.append((0.8, code("trusted", grade=trust["grade"])))
        elif trust.get("grade"):
            signal = trust["signals"][0] if trust.get("signals") else {}
            out.append((2.5, code("untrusted", grade=trust["grade"], detail=_signal_detail(signal))))
    if price and price.get("verdict") in ("good_deal", "high") and price.get("reason"):
        reason = price.get("reason_codes") or price["reason"].rstrip(".")
        out.append((2.0, code("price", reason=reason)))
    discount = (price or {}).get("discount") or {}
    if discount.get("code") in _DISCOUNT_WEIGHT and discount.get("reason"):
        # A reduction that was never one is worth knowing before buying "at a discount"; a real one, less.
        out.append(
            (_DISCOUNT_WEIGHT[discount["code"]], code("discount", reason=discount["reason"].rstrip(".")))
        )
    return out


def _signal_detail(signal: dict) -> Code | str:
    """A trust signal's detail as a code when it has its values, else its words without the full stop."""
    if "values" in signal and signal.get("name"):
        return code(f"trust_{signal['name']}", **signal["values"])
    return (signal.get("detail") or "").rstrip(".")


def overall_verdict(
    reviews: dict | None,
    price: dict | None,
    *,
    lang: str = "en",
    failed: list[str] | None = None,
    mentions: dict | None = None,
    shop: str | None = None,
) -> dict[str, Any]:
    """{"label", "score", "reasons", "summary", "cautions", "language", "reason_codes", "summary_code"},
    deterministic; the words in `lang`, the codes beside them for clients that render their own. `failed`
    names sections that did not finish (the verdict is then unknown and says so). `mentions` counts once two
    independent pages speak. `shop` is the page's host name, whose usual rating the product's is read
    against."""
    parts, weights = _parts(reviews, price, mentions, shop)
    if failed or ("rating" not in parts and "sentiment" not in parts):
        names = [code(f"section_{name}") for name in failed or []]
        read_price = bool(((price or {}).get("current") or {}).get("price"))
        why = code("failed", names=names) if failed else code("no_reviews" if read_price else "no_data")
        return _said(lang, "unknown", None, [code("unknown", why=why)], code("unknown_summary", why=why), [])
    weight = sum(weights[k] for k in parts)
    score = round(sum(weights[k] * v for k, v in parts.items()) / weight)
    label = "buy" if score >= _BUY else "consider" if score >= _CONSIDER else "avoid"
    cautions = _cautions(reviews, shop)
    if label == "buy" and cautions:
        label = "consider"  # the score is high, but the reviews do not back it yet
    if label == "avoid" and not _clearly_poor(reviews or {}, shop):
        label = "consider"  # a weak score, but no clear sign of a poor product
    if label == "buy" and (price or {}).get("verdict") == "high":
        label = "wait"  # worth having, not at today's price
    ranked = [r for _, r in sorted(_reasons(reviews, price, mentions), key=lambda r: -r[0])]
    if any(c["code"] in ("below", "average") for c in cautions):  # says the rating already
        ranked = [r for r in ranked if r["code"] not in ("rating", "adjusted")]
    reasons = (cautions + [r for r in ranked if r not in cautions])[:3]
    return _said(lang, label, score, reasons, code(label, reasons=reasons[:2]), cautions)


def _said(
    lang: str, label: str, score: int | None, reasons: list[Code], summary: Code, cautions: list[Code]
) -> dict[str, Any]:
    """The verdict in words, with the codes they were rendered from."""
    return {
        "label": label,
        "score": score,
        "reasons": [render(r, lang) for r in reasons],
        "summary": render(summary, lang),
        "cautions": [render(c, lang) for c in cautions],
        "language": lang,
        "reason_codes": reasons,
        "summary_code": summary,
    }
