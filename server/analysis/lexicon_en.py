"""English: VADER's own lexicon and word lists, plus a product-review layer of phrases VADER misses.

The review layer names what shoppers write about goods that fail or do their job ("stopped working",
"sent it back", "waste of money", "works as advertised", "five stars"). Each entry is an expression of
the product-review genre written for zmot, not taken from any evaluation set; its valence is on VADER's
-4..+4 scale, and VADER's rules then negate, boost and weigh it like any other word.
"""

from __future__ import annotations

from functools import cache

from vaderSentiment import vaderSentiment as upstream

from server.analysis.vader import Language

__all__ = ["emoji_valences", "english", "plain_english"]


def _words(text: str) -> list[str]:
    return text.split()


# Phrases: multi-word expressions, matched on lower-case tokens, merged into one scored token.
_PHRASES: dict[str, float] = {
    # failure and breakage
    "stopped working": -2.5,
    "stop working": -2.0,
    "quit working": -2.5,
    "stops working": -2.3,
    "stopped charging": -2.3,
    "stopped responding": -2.0,
    "died after": -2.5,
    "died within": -2.5,
    "broke after": -2.3,
    "broke within": -2.3,
    "fell apart": -2.5,
    "falls apart": -2.3,
    "fell off": -1.2,
    "came apart": -2.0,
    "dead on arrival": -3.0,
    "doa": -2.5,
    "not working": -2.0,
    "no longer works": -2.5,
    "no longer working": -2.5,
    "never worked": -2.5,
    "stopped functioning": -2.5,
    # giving up on it
    "returned it": -1.8,
    "returning it": -1.8,
    "return it": -1.2,
    "sent it back": -2.0,
    "send it back": -1.5,
    "sending it back": -1.8,
    "sent back": -1.5,
    "money back": -1.8,
    "want my money back": -2.8,
    "asked for a refund": -2.0,
    "got a refund": -1.8,
    "full refund": -1.5,
    "waste of money": -3.0,
    "waste of time": -2.5,
    "wasted my money": -3.0,
    "save your money": -2.3,
    "piece of junk": -3.0,
    "piece of crap": -3.0,
    "piece of garbage": -3.0,
    "buyer beware": -2.3,
    "stay away": -2.0,
    "do not buy": -2.5,
    "don't buy": -2.5,
    "dont buy": -2.5,
    "not buy again": -2.0,
    "rip off": -2.5,
    "ripped off": -2.5,
    "cheaply made": -2.0,
    "poorly made": -2.3,
    "poor quality": -2.3,
    "low quality": -1.8,
    "bad quality": -2.3,
    "build quality": 0.0,
    "hard to use": -1.5,
    "difficult to use": -1.8,
    "hard to clean": -1.2,
    "fell short": -1.8,
    "one star": -2.3,
    "1 star": -2.3,
    "zero stars": -2.8,
    "0 stars": -2.8,
    "two stars": -1.2,
    "2 stars": -1.2,
    # doing its job
    "works great": 2.8,
    "works well": 2.3,
    "works fine": 1.8,
    "works perfectly": 3.0,
    "works like a charm": 2.8,
    "works as advertised": 2.0,
    "works as described": 2.0,
    "works as expected": 1.8,
    "as advertised": 1.2,
    "as described": 1.0,
    "as expected": 0.8,
    "does the job": 1.5,
    "does the trick": 1.8,
    "did the trick": 1.8,
    "gets the job done": 1.8,
    "well made": 2.0,
    "well built": 2.0,
    "well designed": 1.8,
    "well constructed": 2.0,
    "high quality": 2.0,
    "good quality": 2.0,
    "great quality": 2.8,
    "top quality": 2.5,
    "easy to use": 1.8,
    "easy to install": 1.8,
    "easy to clean": 1.8,
    "easy to set up": 1.8,
    "worth every penny": 2.8,
    "worth the money": 2.2,
    "worth the price": 2.0,
    "worth it": 1.8,
    "money well spent": 2.5,
    "great value": 2.5,
    "good value": 2.0,
    "great buy": 2.5,
    "good buy": 2.0,
    "great deal": 2.3,
    "must-have": 2.0,
    "would buy again": 2.3,
    "buy again": 1.5,
    "five stars": 2.5,
    "5 stars": 2.5,
    "four stars": 1.5,
    "4 stars": 1.5,
    "10/10": 2.5,
    "a+": 2.0,
    "no complaints": 1.8,
    "no problems": 1.5,
    "no issues": 1.5,
    "highly recommended": 2.8,
    "highly recommend": 2.8,
    # Eagerness, not refusal: "can't" here negates nothing ("can't wait to use it again").
    "can't wait": 1.8,
    "cannot wait": 1.8,
    "can not wait": 1.8,
}

# Words that are neutral on their own in a review but clearly negative when negated
# ("doesn't work", "didn't last", "won't charge", "does not fit").
_NEGATED_ONLY: dict[str, float] = {
    w: 2.0
    for w in _words(
        "work works worked working function functions functioned lasted lasts charge charges "
        "charged fit fits connect connects connected"
    )
} | {w: -1.2 for w in _words("issue issues defects glitches hiccups")}

# Single words of the genre VADER's lexicon lacks.
_WORDS: dict[str, float] = {
    "flimsy": -1.8,
    "sturdy": 1.8,
    "durable": 1.6,
    "reliable": 1.6,
    "unreliable": -1.8,
    "overpriced": -1.8,
    "refund": -1.3,
    "refunded": -1.3,
    "junk": -2.3,
    "junky": -2.0,
    "defect": -1.8,
    "malfunction": -2.0,
    "malfunctioned": -2.2,
    "malfunctions": -2.0,
    "unusable": -2.3,
    "leaks": -1.5,
    "leaking": -1.5,
    "leaked": -1.5,
    "overheats": -1.8,
    "overheated": -1.8,
    "overheating": -1.8,
    "cheaply": -1.2,
    "poorly": -1.5,
    "rattles": -1.0,
    "wobbly": -1.2,
    "finicky": -1.2,
    "unresponsive": -1.5,
    "scratched": -1.0,
    "dented": -1.2,
    "flawlessly": 2.5,
}


def _base() -> tuple[dict[str, float], dict[str, str]]:
    analyzer = upstream.SentimentIntensityAnalyzer()
    return analyzer.lexicon, analyzer.emojis


# What VADER's emoji descriptions miss ("thumbs up" holds no lexicon word), for the reviews' usual emoji.
_EMOJI: dict[str, float] = {
    "👍": 1.8, "👎": -1.8, "🤩": 2.5, "😡": -2.5, "🤬": -2.8, "💩": -2.5, "💯": 2.0, "🔝": 2.0, "🙏": 1.0,
}  # fmt: skip


@cache
def emoji_valences() -> dict[str, float]:
    """Each emoji's valence, the sum of its English description's lexicon words ("smiling face with
    heart-eyes" → 2.0), for languages whose lexicon cannot read the English descriptions."""
    lexicon, emojis = _base()
    valences = {e: sum(lexicon.get(w, 0.0) for w in d.lower().split()) for e, d in emojis.items()}
    return {e: v for e, v in (valences | _EMOJI).items() if v and len(e) == 1}


def plain_english() -> Language:
    """VADER as published: its lexicon, negations, boosters and idioms, nothing added."""
    lexicon, emojis = _base()
    return Language(
        code="en",
        lexicon=lexicon,
        negations=frozenset(upstream.NEGATE),
        boosters=dict(upstream.BOOSTER_DICT),
        contrast=frozenset({"but"}),
        no_words=frozenset({"no"}),
        special_cases=dict(upstream.SPECIAL_CASES),
        contraction_nt=True,
        emojis=emojis,
    )


def english() -> Language:
    """VADER plus the product-review layer."""
    lang = plain_english()
    lang.lexicon = {**lang.lexicon, **_WORDS}
    lang.phrases = dict(_PHRASES)
    lang.negated_only = dict(_NEGATED_ONLY)
    lang.__post_init__()
    return lang
