"""Bench: review_summary (sentiment, pros/cons, trust) on 1,000 and 10,000 reviews, one core, median of runs.

Three pages of reviews: the bench page (tests/pagegen's reviews in English, with Italian and French ones) and,
when ../shared/data/sentiment/ is there, two samples of real amazon.it and Allociné reviews (read, never
copied), four Italian to one French: "real first" takes the first reviews of each set, which run long
(amazon.it's first 800 average 628 characters against 397 for the whole set), "real spread" every k-th of
the whole sets, so that it weighs what the sets weigh. Each sample's mean characters per review is printed
beside its figures: "1,000 reviews" says little without it.

The process is in a server worker's state (server/sources/warmed.py): every model and lexicon loaded, then
gc.freeze(), which keeps what warming made out of the garbage collector's full passes (--no-freeze shows
what it saves). Times are CPU seconds of this process (time.process_time), wall beside them, because the
machine is shared and noisy; each figure stands beside a floor measured in the same run on the same texts,
plain VADER's `polarity_scores`, and the ratio is what to compare between runs. "1st" is the CPU time of the
first run on a sample, whose words the word caches have not seen yet, as on a worker's first product. Each
stage of review_summary (language detection, sentiment with its sentence splitting, pros and cons, trust) is
timed inside the same runs, its CPU milliseconds and its share of review_summary beside it.

It measures this source tree, in Python; --installed measures the installed zmot instead, whose analysis
`pip install .` compiles (hatch_build.py). The first line says which one ran.
    python bench/analysis_speed.py [--runs 5] [--data DIR] [--no-freeze] [--installed]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if "--installed" in sys.argv:  # the installed server and scrapers; this tree only for the tests' review texts
    HERE = Path(__file__).resolve().parent  # bench/, whose scrapers.py would hide the package
    sys.path[:] = [path for path in sys.path if Path(path or ".").resolve() != HERE] + [str(ROOT)]
else:
    sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from scrapers.types import Product, ProductPage, Rating, Review  # noqa: E402
from server.analysis import reviews  # noqa: E402
from server.analysis import vader as vader_rules  # noqa: E402
from server.analysis.aspects import warm_up as warm_aspects  # noqa: E402
from server.analysis.reviews import review_summary  # noqa: E402
from server.analysis.sentiment import warm_up  # noqa: E402
from tests.pagegen import REVIEW_TEXTS  # noqa: E402

Texts = list[tuple[int, str]]

_MORE = [  # Italian and French too, so detection and every lexicon are on the path
    (5, "Ottima macchina, il caffè è cremoso e caldo. La consiglio."),
    (2, "Dopo un mese perde acqua dal fondo, assistenza lentissima."),
    (4, "Très bonne machine, un peu bruyante mais le café est délicieux."),
    (1, "Ne fonctionne plus après deux semaines, à éviter."),
]


def bench_texts(n: int) -> Texts:
    texts = REVIEW_TEXTS + _MORE
    return [(s, f"{t} (review {i})") for i, (s, t) in ((i, texts[i % len(texts)]) for i in range(n))]


def _read(data: Path, name: str, stars: Callable[[str], int]) -> Texts:
    lines = (data / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    return [(stars(r), t) for _, r, t in (line.split("\t", 2) for line in lines if line.strip())]


def _sets(data: Path) -> tuple[Texts, Texts]:
    """amazon.it's reviews with their stars, Allociné's with their label brought to stars (5 or 1)."""
    italian = _read(data, "it_amazon_reviews_dev", int)
    french = _read(data, "fr_allocine_reviews_dev", lambda label: 5 if label.strip() == "1" else 1)
    return italian, french


def _four_to_one(italian: Texts, french: Texts, n: int) -> Texts:
    """n reviews, each fifth one French."""
    return [
        french[i // 5 % len(french)] if i % 5 == 4 else italian[(i - i // 5) % len(italian)] for i in range(n)
    ]


def real_texts(data: Path, n: int) -> Texts:
    """n real reviews from the start of each set, four amazon.it to one Allociné, cycled if n is larger."""
    italian, french = _sets(data)
    mixed = _four_to_one(italian, french, 5 * len(french))
    return [mixed[i % len(mixed)] for i in range(n)]


def spread_texts(data: Path, n: int) -> Texts:
    """n real reviews taken evenly over the whole of each set (every k-th, no randomness), four amazon.it to
    one Allociné; a set smaller than its part gives each review more than once."""
    italian, french = _sets(data)
    n_french = n // 5
    n_italian = n - n_french
    return _four_to_one(
        [italian[k * len(italian) // n_italian] for k in range(n_italian)],
        [french[k * len(french) // n_french] for k in range(n_french)],
        n,
    )


def page(texts: Texts) -> ProductPage:
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


class Timing(NamedTuple):
    cpu: float  # median CPU ms
    wall: float  # median wall ms
    first: float  # CPU ms of the first run


def timed_runs(work: Callable[[], object], runs: int) -> Timing:
    cpu, wall = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(cpu), statistics.median(wall), cpu[0])


# The stages of review_summary, timed where server/analysis/reviews calls them.
_STAGES = {
    "language": "detect_languages",
    "sentiment": "review_sentiment",  # sentence splitting and scoring
    "pros/cons": "pros_and_cons",
    "trust": "trust_report",
}


class _Clock:
    """CPU milliseconds review_summary spends in one function it calls, summed per call of review_summary."""

    def __init__(self, name: str) -> None:
        self.name, self.total, self.times = name, 0.0, []
        self._inner = getattr(reviews, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return self._inner(*args, **kwargs)
        finally:
            self.total += (time.process_time() - started) * 1000

    def lap(self) -> None:
        self.times.append(self.total)
        self.total = 0.0


def timed_with_stages(work: Callable[[], object], runs: int) -> tuple[Timing, dict[str, float]]:
    """(timing of `work`, median CPU ms of each of its _STAGES)."""
    clocks = {stage: _Clock(name) for stage, name in _STAGES.items()}
    for clock in clocks.values():
        setattr(reviews, clock.name, clock)

    def lapped() -> None:
        work()
        for clock in clocks.values():
            clock.lap()

    try:
        timing = timed_runs(lapped, runs)
    finally:
        for clock in clocks.values():
            setattr(reviews, clock.name, clock._inner)
    return timing, {stage: statistics.median(clock.times) for stage, clock in clocks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/sentiment")
    parser.add_argument("--no-freeze", action="store_true", help="leave the warmed objects to the collector")
    parser.add_argument("--installed", action="store_true", help="the installed zmot, not this source tree")
    args = parser.parse_args()
    compiled = not vader_rules.__file__.endswith(".py")
    print(f"analysis: {'compiled (mypyc)' if compiled else 'Python'}, {Path(vader_rules.__file__).parent}")
    vader = SentimentIntensityAnalyzer()
    warm_up()  # the language model, lexicons and lemmas, loaded once as a running server's workers do
    warm_aspects()
    review_summary(page(bench_texts(10)))
    if not args.no_freeze:
        gc.freeze()  # as server/sources/warmed.py does once a worker is warm
    kinds: list[tuple[str, Callable[[int], Texts]]] = [("bench page", bench_texts)]
    if (args.data / "it_amazon_reviews_dev.tsv").exists():
        kinds.append(("real first", lambda n: real_texts(args.data, n)))
        kinds.append(("real spread", lambda n: spread_texts(args.data, n)))
    print(
        f"{'reviews':<11} {'n':>6} {'chars':>5}  {'CPU ms':>8} {'1st':>8} {'wall ms':>8}  {'VADER':>7}"
        f"  {'ratio':>5}  {'CPU ms/1,000':>12}  stages, CPU ms (share)"
    )
    for name, make in kinds:
        for n in (1000, 10_000):
            texts = make(n)
            p = page(texts)
            chars = sum(len(t) for _, t in texts) / n
            runs = args.runs if n <= 1000 else max(1, args.runs // 2)
            ours, stages = timed_with_stages(lambda p=p, n=n: review_summary(p, max_reviews=n), runs)
            floor = timed_runs(lambda texts=texts: [vader.polarity_scores(t) for _, t in texts], runs)
            shares = ", ".join(f"{stage} {ms:.0f} ({ms / ours.cpu:.2f})" for stage, ms in stages.items())
            figures = (
                f"{ours.cpu:>8.0f} {ours.first:>8.0f} {ours.wall:>8.0f}  {floor.cpu:>7.0f}"
                f"  {ours.cpu / floor.cpu:>5.2f}  {ours.cpu * 1000 / n:>12.0f}"
            )
            print(f"{name:<11} {n:>6} {chars:>5.0f}  {figures}  {shares}", flush=True)


if __name__ == "__main__":
    main()
