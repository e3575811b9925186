"""Plain-text renderings for the terminal: a briefing, a scraped product page."""

from __future__ import annotations

from typing import Any

from scrapers.types import ProductPage

__all__ = ["render_briefing", "render_explanation", "render_product_page"]

_AVAILABILITY = {"in_stock": "in stock", "out_of_stock": "out of stock", "preorder": "pre-order"}


def _offer(offer: dict[str, Any] | None) -> str:
    if not offer:
        return "no price on the page"
    parts = [f"{offer['price']} {offer['currency']}"]
    extra = [_AVAILABILITY.get(offer.get("availability") or "", ""), offer.get("seller") or ""]
    extra = [e for e in extra if e]
    return parts[0] + (f" ({', '.join(extra)})" if extra else "")


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def render_briefing(b: dict[str, Any]) -> str:
    """A briefing as a shopper reads it in a terminal."""
    lines = []
    product = b.get("product")
    if product:
        brand = f" — {product['brand']}" if product.get("brand") else ""
        lines.append(f"{product['name']}{brand}")
    else:
        lines.append("Not a product page (no product found)")
    lines.append(b["url"])
    lines.append("")
    price = b.get("price")
    if price:
        lines.append(f"Price     {_offer(price['current'])}")
        lowest, saving = price.get("lowest"), price.get("saving")
        if lowest and price.get("current") and lowest != price["current"]:
            where = f" at {lowest['url']}" if lowest.get("url") else ""
            save = f", save {saving['amount']} {saving['currency']}" if saving else ""
            lines.append(f"          lowest offer: {_offer(lowest)}{save}{where}")
        lines.append(f"          verdict: {price['verdict']} — {price['reason']}")
        history = price.get("history") or {}
        if len(history.get("points") or []) > 1:
            lines.append(
                f"          history: {len(history['points'])} prices seen, low {history['low']},"
                f" typical {history['typical']}, high {history['high']}"
            )
    reviews = b.get("reviews")
    if reviews:
        rating = f"{reviews['rating']}/5" if reviews.get("rating") is not None else "no rating"
        count = f" from {reviews['count']} ratings" if reviews.get("count") else ""
        lines.append(f"Reviews   {rating}{count} · {reviews['analyzed']} review texts analyzed")
        sentiment = reviews.get("sentiment")
        if sentiment:
            lines.append(
                f"          sentiment: {_percent(sentiment['positive'])} positive · "
                f"{_percent(sentiment['neutral'])} neutral · {_percent(sentiment['negative'])} negative "
                f"(mean {sentiment['mean']:+.2f})"
            )
        for quote in reviews.get("highlights") or []:
            lines.append(f"          “{quote}”")
        lines.extend(_aspects("pros", reviews.get("pros")) + _aspects("cons", reviews.get("cons")))
        lines.extend(_trust(reviews.get("trust")))
    lines.extend(_mentions(b.get("mentions")))
    verdict = b.get("verdict")
    if verdict:
        score = f" ({verdict['score']}/100)" if verdict.get("score") is not None else ""
        lines.append(f"Verdict   {verdict.get('label')}{score} — {verdict.get('summary') or ''}")
        lines.extend(f"          · {reason}" for reason in verdict.get("reasons") or [])
    lines.append("")
    for source in b.get("sources", []):
        why = f": {source['error']}" if source.get("error") else ""
        url = f" {source['url']}" if source.get("url") and source["name"] != "page" else ""
        lines.append(f"  {source['status']:<8} {source['name']:<12} {source['elapsed_ms']:>5} ms{url}{why}")
    lines.append(f"Briefing {b['status']} in {b['elapsed_ms']} ms")
    return "\n".join(lines)


def _mentions(mentions: dict[str, Any] | None) -> list[str]:
    """One line per blog, forum, news or video page: kind, site, sentiment, and whether it is sponsored."""
    if not mentions or not mentions.get("items"):
        return []
    lines = [f"Mentions  {len(mentions['items'])} pages about it"]
    for item in mentions["items"]:
        feeling = (item.get("sentiment") or {}).get("label") or "unscored"
        flag = " · sponsored" if item.get("sponsored") else ""
        lines.append(
            f"          {item['kind']:<6} {item.get('site') or ''}: {feeling}{flag} — {item.get('title')}"
        )
    return lines


def _aspects(title: str, aspects: list[dict[str, Any]] | None) -> list[str]:
    """ "pros: sound (4 reviews), comfort (3 reviews)" and the first quote of the strongest."""
    if not aspects:
        return []
    names = ", ".join(f"{a['aspect']} ({a['mentions']})" for a in aspects)
    lines = [f"          {title}: {names}"]
    if aspects[0].get("quotes"):
        lines.append(f"            “{aspects[0]['quotes'][0]}”")
    return lines


def _trust(trust: dict[str, Any] | None) -> list[str]:
    if not trust:
        return []
    adjusted = trust.get("adjusted_rating")
    adjusted_text = f", adjusted rating {adjusted}/5" if adjusted else ""
    lines = [f"          trust: grade {trust['grade']}{adjusted_text}"]
    lines.extend(f"            {s['severity']}: {s['detail']}" for s in trust.get("signals") or [])
    return lines


def render_product_page(page: ProductPage) -> str:
    """What the scrapers found on a page, one fact a line."""
    p = page.product
    lines = [f"plugin    {page.plugin}", f"name      {p.name}", f"brand     {p.brand}"]
    ids = ", ".join(
        f"{k} {v}" for k, v in (("gtin", p.gtin), ("mpn", p.mpn), ("sku", p.sku), ("asin", p.asin)) if v
    )
    lines.append(f"ids       {ids or '-'}")
    for offer in page.offers:
        lines.append(
            f"offer     {offer.price} {offer.currency} {offer.availability} {offer.seller or ''}".rstrip()
        )
    if page.rating.value is not None:
        lines.append(f"rating    {page.rating.value}/5 from {page.rating.count} ratings")
    lines.append(f"reviews   {len(page.reviews)} on the page")
    return "\n".join(lines)


def render_explanation(page: ProductPage) -> str:
    """Per field: the value, where it came from, why, and the visible page's candidates with their scores."""
    lines = ["", "why each field has its value"]
    sources = page.field_sources
    for name in sorted(set(sources) | set(page.explanation)):
        entry = page.explanation.get(name, {})
        source = sources.get(name) or "-"
        lines.append(f"{name:<13} {entry.get('value', '')!s:<24} from {source}: {entry.get('why', 'markup')}")
        for candidate in entry.get("candidates", []):
            value = f"{candidate['value']} {candidate.get('currency') or ''}".strip()
            lines.append(f"    {candidate['score']:>6.1f}  {value}")
            lines.extend(f"              {reason}" for reason in candidate["reasons"])
    return "\n".join(lines)
