"""Bench: review_summary (sentiment, pros/cons, trust) on 100 and 1,000 reviews, one core, median of runs.

python bench/analysis_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapers.types import Product, ProductPage, Rating, Review  # noqa: E402
from server.analysis.reviews import review_summary  # noqa: E402
from tests.pagegen import REVIEW_TEXTS  # noqa: E402

_MORE = [  # Italian and French too, so detection and every lexicon are on the path
    (5, "Ottima macchina, il caffè è cremoso e caldo. La consiglio."),
    (2, "Dopo un mese perde acqua dal fondo, assistenza lentissima."),
    (4, "Très bonne machine, un peu bruyante mais le café est délicieux."),
    (1, "Ne fonctionne plus après deux semaines, à éviter."),
]


def page(n: int) -> ProductPage:
    texts = REVIEW_TEXTS + _MORE
    reviews = [
        Review(
            rating=s,
            text=f"{t} (review {i})",
            date=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
            verified=i % 3 > 0,
        )
        for i, (s, t) in ((i, texts[i % len(texts)]) for i in range(n))
    ]
    return ProductPage(
        url="https://shop.test/p",
        plugin="bench",
        product=Product(name="Bench Kettle"),
        rating=Rating(value=4.1, count=n),
        reviews=reviews,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    review_summary(page(10))  # load the language model once, as a running server has
    for n in (100, 1000):
        p = page(n)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            review_summary(p, max_reviews=n)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"review_summary, {n:>5} reviews: median {statistics.median(times):7.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}, {args.runs} runs)"
        )


if __name__ == "__main__":
    main()
