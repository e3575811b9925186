"""A briefing's words said again in another language, from the codes it carries beside them.

A stored briefing is served again for its page (see the store), possibly to a shopper who reads another
language than the one it was made for; and the reviews section is made in a worker that says its trust
signals in English and names pros and cons as the reviews write them. Both only need the codes rendered
again and the aspects labelled (see server/i18n/aspects): nothing is analyzed twice.
"""

from __future__ import annotations

from typing import Any

from server.i18n import render
from server.i18n.aspects import aspects_in

__all__ = ["briefing_in", "reviews_in"]


def reviews_in(reviews: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The reviews section in `lang`: its trust signals' details said in it, its pros and cons labelled for
    a shopper who reads it (a copy where anything changes)."""
    return aspects_in(_signals_in(reviews, lang), lang)


def _signals_in(reviews: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    trust = (reviews or {}).get("trust")
    if not trust or not any("values" in s for s in trust.get("signals") or []):
        return reviews
    signals = [
        {**s, "detail": render({"code": f"trust_{s['name']}", "values": s["values"]}, lang) + "."}
        if "values" in s
        else s
        for s in trust["signals"]
    ]
    return {**reviews, "trust": {**trust, "signals": signals}}


def briefing_in(briefing: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """A copy of the briefing with the verdict, the price reason, the trust details, the aspects' labels
    and why its sources failed in `lang`; parts without codes (from an older server) keep their words. The
    same briefing when `lang` is None."""
    if not lang:
        return briefing
    out = dict(briefing)
    verdict = briefing.get("verdict")
    if verdict and "reason_codes" in verdict and verdict.get("language") != lang:
        out["verdict"] = {
            **verdict,
            "reasons": [render(c, lang) for c in verdict["reason_codes"]],
            "summary": render(verdict["summary_code"], lang),
            "language": lang,
        }
    price = briefing.get("price")
    if price and "reason_codes" in price and price.get("language") != lang:
        reason = " ".join(f"{render(c, lang)}." for c in price["reason_codes"])
        out["price"] = {**price, "reason": reason, "language": lang}
    discount = (out.get("price") or {}).get("discount")
    if discount and discount.get("language") != lang and lang in (discount.get("words") or {}):
        out["price"] = {
            **out["price"],
            "discount": {**discount, "reason": discount["words"][lang], "language": lang},
        }
    out["reviews"] = reviews_in(briefing.get("reviews"), lang)
    sources = briefing.get("sources")
    if sources and any(s.get("error_code") for s in sources):
        out["sources"] = [
            {**s, "error": render(s["error_code"], lang)} if s.get("error_code") else s for s in sources
        ]
    return out
