"""Sentiment of review text: VADER per sentence, averaged per text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = [
    "NEGATIVE",
    "POSITIVE",
    "SUPPORTED_LANGUAGES",
    "TextSentiment",
    "detect_language",
    "label_of",
    "score",
    "split_sentences",
]

POSITIVE = 0.05
NEGATIVE = -0.05

# A sentence ends at . ! ? … followed by space and a capital, digit or quote, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-ZÀ-ÖØ-Þ0-9])|\s*\n+\s*")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|Mr|Mrs|Ms|Dr|St|No|ca|Sig|Dott)\.\s", re.I)

_STOPWORDS = {
    "en": {"the", "and", "is", "it", "this", "was", "with", "for", "not", "but", "very", "of", "to"},
    "it": {"il", "che", "non", "è", "di", "per", "una", "molto", "con", "della", "ma", "lo", "sono"},
    "fr": {"le", "la", "les", "est", "et", "pas", "très", "pour", "une", "des", "avec", "mais", "ce"},
    "de": {"der", "die", "und", "ist", "nicht", "sehr", "mit", "das", "ein", "eine", "für", "aber"},
    "es": {"el", "la", "que", "es", "muy", "pero", "con", "para", "una", "los", "las", "del", "por"},
}


# Languages whose lexicon and rules zmot has; other text is detected but not scored (never guessed).
SUPPORTED_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class TextSentiment:
    text: str
    compound: float | None  # -1..1; None when the language is not supported
    label: str | None  # positive | neutral | negative
    lang: str


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def split_sentences(text: str) -> list[str]:
    """Split review text into sentences, keeping abbreviations such as "e.g." inside their sentence."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(". ", ".\x00"), text.strip())
    parts = _SENTENCE_END.split(protected)
    return [p.replace("\x00", " ").strip() for p in parts if p and p.strip()]


def label_of(compound: float) -> str:
    """The 3-class label VADER's authors recommend: ±0.05 thresholds."""
    if compound >= POSITIVE:
        return "positive"
    if compound <= NEGATIVE:
        return "negative"
    return "neutral"


def detect_language(text: str, default: str = "en") -> str:
    """A light guess from function words (en, it, fr, de, es); `default` when nothing stands out."""
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    if not words:
        return default
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] > 0 and list(counts.values()).count(counts[best]) == 1 else default


def score(text: str, lang: str = "auto") -> TextSentiment:
    """Sentiment of one text: the mean VADER compound of its sentences (neutral when empty)."""
    detected = detect_language(text) if lang == "auto" else lang
    if detected not in SUPPORTED_LANGUAGES:
        return TextSentiment(text=text, compound=None, label=None, lang=detected)
    sentences = split_sentences(text)
    analyzer = _vader()
    compounds = [analyzer.polarity_scores(s)["compound"] for s in sentences]
    compound = round(sum(compounds) / len(compounds), 4) if compounds else 0.0
    return TextSentiment(text=text, compound=compound, label=label_of(compound), lang=detected)
