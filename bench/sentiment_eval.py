"""Bench: plain VADER and zmot side by side on human-rated sentences.

For each labeled set (`id <TAB> rating <TAB> text`): Pearson r of the compound against the rating brought
to -1..1, and macro-F1 over the classes present (rating and compound both cut at ±0.05). The English sets
are the VADER paper's human means on -4..+4 (divided by 4); the amazon.it reviews carry 1-5 stars
((stars - 3) / 2) and the Allociné reviews a -1/+1 label. All are read from ../shared/data/sentiment/ and
measured only, never copied into the project; zmot's own forty Italian and French sentences
(tests/fixtures/sentiment/) follow.
    python bench/sentiment_eval.py [--data DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from server.analysis.sentiment import score  # noqa: E402

# (file stem, language, divisor that brings the rating to -1..1, offset subtracted first)
SHARED_SETS = (
    ("amazon_reviews_dev", "en", 4.0, 0.0),
    ("tweets", "en", 4.0, 0.0),
    ("movie_reviews", "en", 4.0, 0.0),
    ("nyt_editorials", "en", 4.0, 0.0),
    ("it_amazon_reviews_dev", "it", 2.0, 3.0),
    ("fr_allocine_reviews_dev", "fr", 1.0, 0.0),
)
OWN_SETS = tuple((lang, ROOT / f"tests/fixtures/sentiment/{lang}.tsv") for lang in ("it", "fr"))


def read_set(path: Path, scale: float = 4.0, offset: float = 0.0) -> list[tuple[float, str]]:
    """(rating on -1..1, text) for each line."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _, rating, text = line.split("\t", 2)
            rows.append(((float(rating) - offset) / scale, text))
    return rows


def pearson(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return cov / (sx * sy) if sx and sy else 0.0


def label(value: float) -> int:
    return 1 if value >= 0.05 else -1 if value <= -0.05 else 0


def macro_f1(gold: list[int], predicted: list[int]) -> float:
    """Macro-F1 over the classes present in `gold` (the Allociné set has no neutral class)."""
    scores = []
    for cls in sorted(set(gold)):
        tp = sum(g == p == cls for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == cls != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == cls != p for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def evaluate(rows: list[tuple[float, str]], lang: str, vader: SentimentIntensityAnalyzer) -> dict[str, float]:
    human = [rating for rating, _ in rows]
    gold = [label(rating) for rating in human]
    plain = [vader.polarity_scores(text)["compound"] for _, text in rows]
    started = time.perf_counter()
    ours = [score(text, lang).compound or 0.0 for _, text in rows]
    ms = (time.perf_counter() - started) * 1000 / len(rows)
    return {
        "n": len(rows),
        "vader_r": pearson(human, plain),
        "vader_f1": macro_f1(gold, [label(c) for c in plain]),
        "zmot_r": pearson(human, ours),
        "zmot_f1": macro_f1(gold, [label(c) for c in ours]),
        "zmot_ms": ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/sentiment")
    args = parser.parse_args()
    vader = SentimentIntensityAnalyzer()
    sets = [
        (name, lang, args.data / f"{name}.tsv", scale, offset) for name, lang, scale, offset in SHARED_SETS
    ]
    sets += [(f"{lang} (zmot's own)", lang, path, 4.0, 0.0) for lang, path in OWN_SETS]
    print(f"{'set':<24} {'n':>6}  {'VADER r':>8} {'zmot r':>8}  {'VADER F1':>8} {'zmot F1':>8}  zmot ms/text")
    for name, lang, path, scale, offset in sets:
        if not path.exists():
            print(f"{name:<24} missing: {path}")
            continue
        m = evaluate(read_set(path, scale, offset), lang, vader)
        print(
            f"{name:<24} {m['n']:>6}  {m['vader_r']:>8.3f} {m['zmot_r']:>8.3f}  "
            f"{m['vader_f1']:>8.3f} {m['zmot_f1']:>8.3f}  {m['zmot_ms']:>8.3f}"
        )


if __name__ == "__main__":
    main()
