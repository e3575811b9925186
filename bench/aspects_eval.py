"""Bench: are the briefing's pros and cons the aspects that people found on that side?

Reads the human-annotated review sets in ../shared/data/aspects/ (measure only, never copied into the
project). Each group there is one product page's worth of reviews; it goes through `review_summary` as a
page named after the group (with the reviews' stars and language), the same code path as a briefing, and
every listed pro and con is judged against the annotations of that group's reviews:

- terms are compared by their content lemmas: lower-cased words, lemmatized by simplemma in the set's
  language, stopwords (stopwordsiso) dropped; a listed aspect *matches* the annotated terms of the group
  with exactly its lemmas ("battery life" ~ "Battery Life"), or where the group has none of those, the
  terms that share a lemma with it ("battery" ~ "battery life", "prezzi" ~ "rapporto qualità prezzo");
- **not an aspect**: the listed aspect has no content lemma, names the product itself (a lemma of the
  group's `self` words), is shop or delivery talk (`_SHOP` below), or matches no annotated term of the group;
- otherwise its matching annotations in the group are counted by side ("±" counts for both, "0" for
  neither): **same side** when the listed side has at least one annotation and at least as many as the other
  side, **wrong side** when the other side has more, **neutral only** when all matching annotations are "0";
- *quoted*: the stricter check that a review a quote comes from annotates a matching term on the listed side.

Goals (../shared/data/README.md): same side ≥ 0.8, wrong side ≤ 0.05, not an aspect ≤ 0.1.
    python bench/aspects_eval.py [--data DIR] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simplemma  # noqa: E402
import stopwordsiso  # noqa: E402

from scrapers.types import Product, ProductPage, Rating, Review  # noqa: E402
from server.analysis.reviews import review_summary  # noqa: E402

SETS = ("en_semeval14_dev", "it_absita_dev")
# The judge's own list of shop and delivery talk, kept apart from the code under test.
_SHOP = {
    "en": "delivery shipping shipment seller amazon courier package packaging refund return store retailer",
    "it": "consegna spedizione venditore amazon corriere pacco imballaggio reso rimborso negozio spedito",
    "fr": "livraison expédition vendeur amazon colis emballage remboursement retour magasin",
}


@cache
def lemmas(term: str, lang: str) -> frozenset[str]:
    """The content lemmas of a term: what two phrasings of one aspect share."""
    stop = stopwordsiso.stopwords(lang)
    words = "".join(c if c.isalnum() else " " for c in term.lower()).split()
    return frozenset(simplemma.lemmatize(w, lang=lang).lower() for w in words if w not in stop and len(w) > 1)


def judge(item: dict, positive: bool, group: dict, reviews: list[dict], lang: str) -> tuple[str, bool]:
    """(same|wrong|neutral|non-aspect, whether a quote's own review bears it out) for one listed aspect."""
    listed = lemmas(item["aspect"], lang)
    banned = set().union(*(lemmas(w, lang) for w in group["self"]), lemmas(_SHOP.get(lang, ""), lang))
    if not listed or listed & banned:
        return "non-aspect", False
    side, other = ("+", "-") if positive else ("-", "+")
    exact = any(lemmas(t, lang) == listed for r in reviews for t, _ in r["aspects"])
    counts: Counter[str] = Counter()
    quoted = False
    for review in reviews:
        hits = [
            p
            for t, p in review["aspects"]
            if (lemmas(t, lang) == listed if exact else lemmas(t, lang) & listed)
        ]
        for p in hits:
            counts[side] += p in (side, "±")
            counts[other] += p in (other, "±")
            counts["0"] += p == "0"
        if any(p in (side, "±") for p in hits) and any(q in review["text"] for q in item["quotes"]):
            quoted = True
    if not sum(counts.values()):
        return "non-aspect", False
    if counts[other] > counts[side]:
        return "wrong", quoted
    return ("same" if counts[side] else "neutral"), quoted


def page_of(group: dict, reviews: list[dict], lang: str) -> ProductPage:
    return ProductPage(
        url=f"https://shop.test/{group['id']}",
        plugin="bench",
        product=Product(name=group["name"]),
        rating=Rating(count=len(reviews)),
        reviews=[Review(rating=r["stars"], title=r["title"], text=r["text"], language=lang) for r in reviews],
    )


def evaluate(path: Path, show: bool) -> None:
    data = json.loads(path.read_text())
    lang = data["lang"]
    tally: Counter[str] = Counter()
    quoted = 0
    seconds = 0.0
    for group in data["groups"]:
        reviews = [data["reviews"][i] for i in group["reviews"]]
        page = page_of(group, reviews, lang)
        started = time.perf_counter()
        summary = review_summary(page, max_reviews=len(reviews))
        seconds += time.perf_counter() - started
        for positive, side in ((True, summary["pros"]), (False, summary["cons"])):
            for item in side:
                verdict, bears_out = judge(item, positive, group, reviews, lang)
                tally[verdict] += 1
                quoted += bears_out
                if show:
                    mark = "+" if positive else "-"
                    quote = item["quotes"][0][:90] if item["quotes"] else ""
                    print(f"  {group['id']:<20} {mark} {item['aspect']:<24} {verdict:<10} {quote}")
    n = sum(tally.values()) or 1
    print(
        f"{path.stem:<18} listed {sum(tally.values()):>3} in {len(data['groups'])} groups: "
        f"same side {tally['same'] / n:.2f}, wrong side {tally['wrong'] / n:.2f}, "
        f"not an aspect {tally['non-aspect'] / n:.2f}, neutral only {tally['neutral'] / n:.2f}; "
        f"quote borne out {quoted / n:.2f}; review_summary {seconds * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/aspects")
    parser.add_argument("--show", action="store_true", help="print every listed aspect and its verdict")
    args = parser.parse_args()
    for name in SETS:
        evaluate(args.data / f"{name}.json", args.show)


if __name__ == "__main__":
    main()
