"""Bench: review_summary (sentiment, pros/cons, trust) on 1,000 and 10,000 reviews, one core, median of runs.

Two pages of reviews: the bench page (tests/pagegen's reviews in English, with Italian and French ones) and,
when ../shared/data/sentiment/ is there, real amazon.it and Allociné reviews (read, never copied). Each
figure stands beside a floor measured in the same run on the same texts, plain VADER's `polarity_scores`,
because the machine is shared and noisy: the ratio is what to compare between runs. Each stage of
review_summary (language detection, sentiment with its sentence splitting, pros and cons, trust) is timed
inside the same runs, its milliseconds and its share of review_summary beside it.
    python bench/analysis_speed.py [--runs 5] [--data DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from scrapers.types import Product, ProductPage, Rating, Review  # noqa: E402
from server.analysis import reviews  # noqa: E402
from server.analysis.reviews import review_summary  # noqa: E402
from server.analysis.sentiment import warm_up  # noqa: E402
from tests.pagegen import REVIEW_TEXTS  # noqa: E402

_MORE = [  # Italian and French too, so detection and every lexicon are on the path
    (5, "Ottima macchina, il caffè è cremoso e caldo. La consiglio."),
    (2, "Dopo un mese perde acqua dal fondo, assistenza lentissima."),
    (4, "Très bonne machine, un peu bruyante mais le café est délicieux."),
    (1, "Ne fonctionne plus après deux semaines, à éviter."),
]


def bench_texts(n: int) -> list[tuple[int, str]]:
    texts = REVIEW_TEXTS + _MORE
    return [(s, f"{t} (review {i})") for i, (s, t) in ((i, texts[i % len(texts)]) for i in range(n))]


def real_texts(data: Path, n: int) -> list[tuple[int, str]]:
    """n real reviews, four amazon.it to one Allociné (labels brought to stars), cycled if n is larger."""

    def read(name: str, stars: Callable[[str], int]) -> list[tuple[int, str]]:
        lines = (data / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
        return [(stars(r), t) for _, r, t in (line.split("\t", 2) for line in lines if line.strip())]

    italian = read("it_amazon_reviews_dev", int)
    french = read("fr_allocine_reviews_dev", lambda label: 5 if label.strip() == "1" else 1)
    mixed = [french[i // 5] if i % 5 == 4 else italian[i - i // 5] for i in range(5 * len(french))]
    return [mixed[i % len(mixed)] for i in range(n)]


def page(texts: list[tuple[int, str]]) -> ProductPage:
    reviews = [
        Review(rating=s, text=t, date=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", verified=i % 3 > 0)
        for i, (s, t) in enumerate(texts)
    ]
    return ProductPage(
        url="https://shop.test/p",
        plugin="bench",
        product=Product(name="Bench Kettle"),
        rating=Rating(value=4.1, count=len(texts)),
        reviews=reviews,
    )


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# The stages of review_summary, timed where server/analysis/reviews calls them.
_STAGES = {
    "language": "detect_language",
    "sentiment": "review_sentiment",  # sentence splitting and scoring
    "pros/cons": "pros_and_cons",
    "trust": "trust_report",
}


class _Clock:
    """Milliseconds review_summary spends in one function it calls, summed per call of review_summary."""

    def __init__(self, name: str) -> None:
        self.name, self.total, self.times = name, 0.0, []
        self._inner = getattr(reviews, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._inner(*args, **kwargs)
        finally:
            self.total += (time.perf_counter() - started) * 1000

    def lap(self) -> None:
        self.times.append(self.total)
        self.total = 0.0


def median_ms_with_stages(work: Callable[[], object], runs: int) -> tuple[float, dict[str, float]]:
    """(median ms of `work`, median ms of each of its _STAGES)."""
    clocks = {stage: _Clock(name) for stage, name in _STAGES.items()}
    for clock in clocks.values():
        setattr(reviews, clock.name, clock)

    def timed() -> None:
        work()
        for clock in clocks.values():
            clock.lap()

    try:
        total = median_ms(timed, runs)
    finally:
        for clock in clocks.values():
            setattr(reviews, clock.name, clock._inner)
    return total, {stage: statistics.median(clock.times) for stage, clock in clocks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/sentiment")
    args = parser.parse_args()
    vader = SentimentIntensityAnalyzer()
    warm_up()  # the language model, lexicons and lemmas, loaded once as a running server's workers do
    review_summary(page(bench_texts(10)))
    kinds: list[tuple[str, Callable[[int], list[tuple[int, str]]]]] = [("bench page", bench_texts)]
    if (args.data / "it_amazon_reviews_dev.tsv").exists():
        kinds.append(("real it+fr", lambda n: real_texts(args.data, n)))
    print(
        f"{'reviews':<11} {'n':>6}  {'review_summary ms':>17}  {'plain VADER ms':>14}  {'ratio':>5}  ms/1,000"
        "  stages, ms (share)"
    )
    for name, make in kinds:
        for n in (1000, 10_000):
            texts = make(n)
            p = page(texts)
            runs = args.runs if n <= 1000 else max(1, args.runs // 2)
            ours, stages = median_ms_with_stages(lambda p=p, n=n: review_summary(p, max_reviews=n), runs)
            floor = median_ms(lambda texts=texts: [vader.polarity_scores(t) for _, t in texts], runs)
            ratio, per_1000 = ours / floor, ours * 1000 / n
            shares = ", ".join(f"{stage} {ms:.0f} ({ms / ours:.2f})" for stage, ms in stages.items())
            figures = f"{ours:>17.1f}  {floor:>14.1f}  {ratio:>5.2f}  {per_1000:>8.1f}"
            print(f"{name:<11} {n:>6}  {figures}  {shares}")


if __name__ == "__main__":
    main()
