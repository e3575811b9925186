"""Words for VADER's rules: a sentence's tokens (punctuation stripped, emoji named, elisions split, known
phrases merged into one token) and, for review languages, its clauses."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from server.analysis.vader_language import Language

__all__ = ["Tokenizer"]

_MAX_PIECES = 1 << 17  # runs of text remembered per language (a few MB), forgotten all at once past it
# A , ; : before a space, or a comma glued between two words ("dire,qualità"); not "59,99" nor ";)". It opens
# with a class of characters, which the regex engine skips to in C, rather than trying \s* at every character
# (half the splitting's time); each alternative then checks what that first character was.
_CLAUSE_END = re.compile(
    r"[\s,;:](?:(?<=\s)\s*[,;:](?=\s|$)\s*"  # spaces, then , ; : and a space or the end
    r"|(?<=[,;:])(?=\s|$)\s*"  # , ; : then a space or the end
    r"|(?<=[^\W\d_],)(?=[^\W\d_]))"  # a comma between two letters
)


def _strip_punct(token: str) -> str:
    stripped = token.strip(string.punctuation + "«»“”‘’…")
    # VADER keeps short tokens whole to save emoticons (":)"), which also hides "ok." from its lexicon
    return token if len(stripped) <= 2 and stripped.lower() != "ok" else stripped


def _char_ranges(chars: Iterable[int]) -> re.Pattern[str] | None:
    """A regex for any character in the few ranges that hold `chars` (code points): a text without a match
    holds none of them, found in one scan in C. Not a class of the characters themselves, which the regex
    engine tries one by one at every character (emoji are outside its bitmaps)."""
    ranges: list[list[int]] = []
    for code in sorted(chars):
        if ranges and code - ranges[-1][1] <= 256:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    if not ranges:
        return None
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


Words = tuple[list[str], list[str]]  # tokens as written, and the same lower-cased


class Tokenizer:
    """Tokens and clauses of one sentence in one language."""

    def __init__(self, language: Language) -> None:
        self.lang = language
        # str.translate names the emoji in C, rather than a Python loop over every character
        self._emoji = {ord(ch): f" {name} " for ch, name in language.emojis.items() if len(ch) == 1}
        self._ascii_emoji = any(ch.isascii() for ch in language.emojis)
        self._any_emoji = _char_ranges(self._emoji)
        # each run of text's words, and their lower-case forms, which every rule reads
        self._pieces: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def words(self, text: str) -> Words:
        """Words and emoticons, punctuation stripped, elisions split, known phrases merged; with their
        lower-case forms."""
        return self._tokens(text, self._has_emoji(text))

    def _has_emoji(self, text: str) -> bool:
        if self._any_emoji is None or (not self._ascii_emoji and text.isascii()):
            return False
        return self._any_emoji.search(text) is not None

    def _tokens(self, text: str, emoji: bool) -> Words:
        if emoji:
            text = text.translate(self._emoji)
        pieces = self._pieces
        words: list[str] = []
        lower: list[str] = []
        for raw in text.replace("’", "'").split():
            piece = pieces.get(raw)
            if piece is None:
                piece = self._piece(raw)
            words += piece[0]
            lower += piece[1]
        return self._merge_phrases(words, lower)

    def _piece(self, raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The words of one run of text between spaces: its punctuation stripped, an elision split off
        ("l'acqua"). Remembered: a page's reviews write the same few thousand runs again and again."""
        token = _strip_punct(raw)
        head, sep, tail = token.partition("'")
        if sep and tail and (head.lower() + "'") in self.lang.elisions:
            words: tuple[str, ...] = (head + "'", tail)
        else:
            words = (token,) if token else ()
        if len(self._pieces) >= _MAX_PIECES:
            self._pieces.clear()
        piece = self._pieces[raw] = (words, tuple(w.lower() for w in words))
        return piece

    def clause_words(self, text: str) -> list[Words]:
        """The sentence's `words` cut into clauses at , ; : and before a contrast word."""
        emoji, contrast = self._has_emoji(text), self.lang.contrast
        # every clause end holds a , ; or :
        chunks = _CLAUSE_END.split(text) if "," in text or ";" in text or ":" in text else [text]
        out: list[Words] = []
        for chunk in chunks:
            if not chunk.strip():
                continue
            tokens, lower = self._tokens(chunk, emoji)
            if contrast.isdisjoint(lower):
                if tokens:
                    out.append((tokens, lower))
                continue
            start = 0
            for k, word in enumerate(lower):
                if word in contrast and k > start:
                    out.append((tokens[start:k], lower[start:k]))
                    start = k
            if start < len(tokens):
                out.append((tokens[start:], lower[start:]))
        return out

    def _merge_phrases(self, tokens: list[str], lower: list[str]) -> Words:
        """Each known phrase ("stopped working", "pas terrible") made one lower-case token, longest first."""
        lang = self.lang
        first = lang._phrase_first
        if first.isdisjoint(lower):  # most sentences: no phrase to merge
            return tokens, lower
        if lang._phrase_pairs.isdisjoint(zip(lower, lower[1:], strict=False)):
            return tokens, lower  # "non", "di", "pas" begin phrases, yet rarely one that is there
        out: list[str] = []
        out_lower: list[str] = []
        done, n = 0, len(tokens)  # tokens[:done] are in `out`
        for k in [k for k, word in enumerate(lower[:-1]) if word in first]:
            if k < done or (lower[k], lower[k + 1]) not in lang._phrase_pairs:
                continue  # inside the phrase just merged, or no phrase begins with these two words
            for size in range(min(lang._longest, n - k), 1, -1):
                candidate = " ".join(lower[k : k + size])
                if candidate in lang._multi:
                    out += tokens[done:k]
                    out_lower += lower[done:k]
                    out.append(candidate)
                    out_lower.append(candidate)
                    done = k + size
                    break
        return out + tokens[done:], out_lower + lower[done:]
