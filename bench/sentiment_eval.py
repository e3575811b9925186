"""Bench: plain VADER and zmot side by side on human-rated sentences.

For each labeled set (`id <TAB> mean human rating on -4..+4 <TAB> text`): Pearson r against the human mean
and 3-class macro-F1 (human mean / 4 and the compound both cut at ±0.05). English sets come from
../shared/data/sentiment/ (the VADER paper's, MIT); the Italian and French sets are zmot's own, in
tests/fixtures/sentiment/.
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

ENGLISH_SETS = ("amazon_reviews_dev", "tweets", "movie_reviews", "nyt_editorials")
OWN_SETS = tuple((lang, ROOT / f"tests/fixtures/sentiment/{lang}.tsv") for lang in ("it", "fr"))


def read_set(path: Path) -> list[tuple[float, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _, mean, text = line.split("\t", 2)
            rows.append((float(mean), text))
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
    scores = []
    for cls in (-1, 0, 1):
        tp = sum(g == p == cls for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == cls != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == cls != p for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 3


def evaluate(rows: list[tuple[float, str]], lang: str, vader: SentimentIntensityAnalyzer) -> dict[str, float]:
    human = [mean for mean, _ in rows]
    gold = [label(mean / 4) for mean in human]
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
    sets = [(name, "en", args.data / f"{name}.tsv") for name in ENGLISH_SETS]
    sets += [(f"{lang} (zmot's own)", lang, path) for lang, path in OWN_SETS]
    print(f"{'set':<22} {'n':>6}  {'VADER r':>8} {'zmot r':>8}  {'VADER F1':>8} {'zmot F1':>8}  zmot ms/text")
    for name, lang, path in sets:
        if not path.exists():
            print(f"{name:<22} missing: {path}")
            continue
        m = evaluate(read_set(path), lang, vader)
        print(
            f"{name:<22} {m['n']:>6}  {m['vader_r']:>8.3f} {m['zmot_r']:>8.3f}  "
            f"{m['vader_f1']:>8.3f} {m['zmot_f1']:>8.3f}  {m['zmot_ms']:>8.3f}"
        )


if __name__ == "__main__":
    main()
