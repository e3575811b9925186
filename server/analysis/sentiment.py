"""Sentiment of review text: VADER's rules per sentence, in the review's language, combined per text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from server.analysis.language import detect_language
from server.analysis.lexicon_en import english
from server.analysis.lexicon_fr import french
from server.analysis.lexicon_it import italian
from server.analysis.vader import Language, RuleScorer, emphasize, normalize

__all__ = [
    "NEGATIVE",
    "POSITIVE",
    "SUPPORTED_LANGUAGES",
    "TextSentiment",
    "detect_language",
    "label_of",
    "review_sentiment",
    "score",
    "sentence_scores",
    "split_sentences",
    "text_compound",
    "warm_up",
]

POSITIVE = 0.05
NEGATIVE = -0.05

_PROFILES: dict[str, Callable[[], Language]] = {"en": english, "it": italian, "fr": french}
# Languages whose lexicon and rules zmot has; other text is detected but not scored (never guessed).
SUPPORTED_LANGUAGES = frozenset(_PROFILES)

# A sentence ends at . ! ? … (runs of them too) followed by space, at a line break, or after an emoji
# that is followed by more text: shoppers end sentences with "!!!", "😍" or nothing at all.
# Every end opens with a space or a closing quote, matched first so that the regex engine skips to those in C
# (rather than trying each alternative at every character); each alternative then checks what came before.
_SENTENCE_END = re.compile(
    r"[\s\"'»]"
    r"(?:(?<=[.!?…][\"'»])[\"'»]*\s+(?=\S)"  # . ! ? … then quotes, then spaces
    r"|(?<=[.!?…]\s)\s*(?=\S)"  # . ! ? … then spaces
    r"|(?<=[\U0001F300-\U0001FAFF\u2600-\u27BF]\s)\s*(?=\w)"  # an emoji, spaces, a word
    r"|(?<=\n)\s*|(?<=\s)\s*\n+\s*)"  # spaces with a line break among them
)
# The word before a ". " that does not end a sentence. It is looked for only before each ". " (a search
# over the whole text tries its two dozen alternatives at every word, a tenth of the splitting's time).
_ABBREVIATION = re.compile(
    r"\b(?:e\.g|i\.e|vs|approx|incl|Mr|Mrs|Ms|Dr|St|No|ca|Sig|Sigg|Dott|pag|Mme|Mlle|env|cf|"
    r"p\.es|ex|[A-Za-z])\Z",
    re.I,
)
_LONGEST_ABBREVIATION = len("approx")
# "capienti.Funziona perfettamente": a sentence end typed without its space (one amazon.it review in seven).
# English text is left as VADER reads it: in tweets the glued form is shorthand, and splitting it measured no
# better there.
_GLUED_LANGUAGES = frozenset({"it", "fr"})
# Also "perfetto..ci sono", "bello!consiglio", "compro.ottimo" (dots, or ! ?, before a small letter), and
# "il prezzo è ottimoIl trasporto", where a line break was lost between a lower-case word and a capital;
# a name such as "WhatsApp" or "iPhone" is not a lower-case word of two letters or more, so it stays whole.
_GLUED_END = re.compile(
    r"\b(?P<word>[a-zà-ÿ]{2,}+)(?=[A-ZÀ-Ý][a-zà-ÿ])"
    r"|(?<=[a-zà-ÿ]{2})(?:(?P<end>[.!?…]+)(?=[A-ZÀ-Ý][a-zà-ÿ])"
    r"|(?P<run>\.{2,}|…|[!?]+)(?=[a-zà-ÿ]{2})"
    r"|(?<=[a-zà-ÿ]{3})(?P<dot>\.)(?=[a-zà-ÿ]{3}))"
)
# Where _GLUED_END can match: a capital or a . ! ? … right after a small letter, and a letter after it (or
# after the run of . ! ? …). It opens with a class of characters, which the regex engine skips to in C:
# _GLUED_END is tried only there, not at every character (a fifth of the splitting's time).
_MAYBE_GLUED = re.compile(
    r"[A-ZÀ-Ý.!?…](?<=[a-zà-ÿ].)(?:(?<=[A-ZÀ-Ý])(?=[a-zà-ÿ])|(?<=[.!?…])(?=[.!?…]*[a-zà-ÿA-ZÀ-Ý]))"
)
_GLUE_MARKS = frozenset(".!?…")
_RUN_ON_WORDS = 40  # a longer "sentence" is a run-on review: cut at its commas


def _unglued(text: str) -> str:
    """`text` as `_GLUED_END.sub(_unglue, text)` makes it, with _GLUED_END tried only where it can match:
    at each . ! ? … that _MAYBE_GLUED finds, and along the run of small letters before each capital it finds
    (from the left, as the scan of `sub` does: "÷" is in that run but is no letter, so a word may begin
    after it). Matches never share a character, so each is found where `sub` finds it."""
    pieces: list[str] = []
    done = 0
    for hint in _MAYBE_GLUED.finditer(text):
        at = hint.start()
        starts: Iterable[int] = (at,)
        if text[at] not in _GLUE_MARKS:  # a capital: a word of two small letters or more ends before it
            start = at - 1
            while start > 0 and ("a" <= text[start - 1] <= "z" or "à" <= text[start - 1] <= "ÿ"):
                start -= 1
            starts = range(start, at - 1)
        for start in starts:
            match = _GLUED_END.match(text, start) if start >= done else None
            if match is not None:
                pieces += (text[done:start], _unglue(match))
                done = match.end()
                break
    return "".join(pieces) + text[done:] if pieces else text


def _unglue(match: re.Match[str]) -> str:
    word = match.group("word")
    if word is not None:
        return word + "\n"  # a lost line break
    return match.group(0) + " "


def _protect_abbreviations(text: str) -> str:
    """`text` with the space of each "e.g. ", "Dott. " or "A. " made a NUL, so that no sentence ends there."""
    pieces: list[str] = []
    start = 0
    at = text.find(". ")
    while at >= 0:
        if _ABBREVIATION.search(text, max(0, at - _LONGEST_ABBREVIATION), at):
            pieces += (text[start:at], ".\x00")
            start = at + 2
        at = text.find(". ", at + 2)
    return "".join(pieces) + text[start:] if pieces else text


@dataclass(frozen=True)
class TextSentiment:
    text: str
    compound: float | None  # -1..1; None when the language is not supported
    label: str | None  # positive | neutral | negative
    lang: str


@cache
def _scorer(lang: str) -> RuleScorer:
    return RuleScorer(_PROFILES[lang]())


def split_sentences(text: str, lang: str | None = None) -> list[str]:
    """Split review text into sentences: abbreviations ("e.g.", "ecc.") stay inside, emoji and line breaks
    end a sentence, run-on text without punctuation is cut at its commas, and in Italian and French (or
    when no language is given) "word.Word" typed without a space is two sentences."""
    unglued = text.strip()
    if lang is None or lang in _GLUED_LANGUAGES:
        unglued = _unglued(unglued)
    protected = _protect_abbreviations(unglued)
    sentences: list[str] = []
    for part in _SENTENCE_END.split(protected):
        part = part.replace("\x00", " ").strip()
        if not part:
            continue
        if part.count(" ") >= _RUN_ON_WORDS and "," in part:
            sentences.extend(p.strip() for p in part.split(",") if p.strip())
        else:
            sentences.append(part)
    return sentences


def label_of(compound: float) -> str:
    """The 3-class label VADER's authors recommend: ±0.05 thresholds."""
    if compound >= POSITIVE:
        return "positive"
    if compound <= NEGATIVE:
        return "negative"
    return "neutral"


def sentence_scores(text: str, lang: str) -> list[tuple[str, float]]:
    """Each sentence of `text` with its compound score, in a supported language."""
    scorer = _scorer(lang)
    return [(s, scorer.compound(s)) for s in split_sentences(text, lang)]


def text_compound(text: str, lang: str) -> float:
    """One score for a text: its sentences' valences summed, then emphasised and squashed once as VADER
    does for a whole text, so that "but" and negation stay inside their sentence while intensity adds up."""
    scorer = _scorer(lang)
    return normalize(emphasize(sum(scorer.text_valence(split_sentences(text, lang))), text))


def review_sentiment(title: str | None, body: str | None, lang: str) -> tuple[float, list[tuple[str, float]]]:
    """A review's compound (title and body read as one text, as `text_compound`) and its body's sentences
    with their compounds (as `sentence_scores`), scoring each sentence once: half the work of both."""
    scorer = _scorer(lang)
    head = split_sentences(title, lang) if title else []
    body_sentences = split_sentences(body, lang) if body else []
    sums = [scorer.sentence_sum(s) for s in (*head, *body_sentences)]
    total = sum(scorer.weigh_turn(sums))
    compound = normalize(emphasize(total, f"{title or ''} {body or ''}"))
    scored = [
        (s, normalize(emphasize(v, s))) for s, (v, _) in zip(body_sentences, sums[len(head) :], strict=True)
    ]
    return compound, scored


def score(text: str, lang: str = "auto", hint: str | None = None) -> TextSentiment:
    """Sentiment of one text: VADER's rules in its language (detected when `lang` is "auto")."""
    detected = detect_language(text, hint=hint) if lang == "auto" else lang
    if detected not in SUPPORTED_LANGUAGES:
        return TextSentiment(text=text, compound=None, label=None, lang=detected)
    compound = text_compound(text, detected)
    return TextSentiment(text=text, compound=compound, label=label_of(compound), lang=detected)


def warm_up() -> None:
    """Load the language model, every lexicon and the Italian lemmas now (about a second), not during a
    shopper's briefing."""
    warm = (
        ("auto", "warming up the analyzer"),
        ("en", "good"),
        ("it", "buono, mi ha stupito"),
        ("fr", "bon"),
    )
    for lang, text in warm:
        score(text, lang)
