"""Words for VADER's rules: a sentence's tokens (punctuation stripped, emoji named, elisions split, known
phrases merged into one token) and, for review languages, its clauses."""

from __future__ import annotations

import re
import string

from server.analysis.vader_language import Language

__all__ = ["Tokenizer"]

# a , ; : before a space, or a comma glued between two words ("dire,qualità"); not "59,99" nor ";)"
_CLAUSE_END = re.compile(r"\s*[,;:](?=\s|$)\s*|(?<=[^\W\d_]),(?=[^\W\d_])")


def _strip_punct(token: str) -> str:
    stripped = token.strip(string.punctuation + "«»“”‘’…")
    # VADER keeps short tokens whole to save emoticons (":)"), which also hides "ok." from its lexicon
    return token if len(stripped) <= 2 and stripped.lower() != "ok" else stripped


class Tokenizer:
    """Tokens and clauses of one sentence in one language."""

    def __init__(self, language: Language) -> None:
        self.lang = language
        # str.translate names the emoji in C, rather than a Python loop over every character
        self._emoji = {ord(ch): f" {name} " for ch, name in language.emojis.items() if len(ch) == 1}
        self._ascii_emoji = any(ch.isascii() for ch in language.emojis)

    def tokens(self, text: str) -> list[str]:
        """Words and emoticons, punctuation stripped, elisions split, known phrases merged."""
        lang = self.lang
        if self._emoji and (self._ascii_emoji or not text.isascii()):
            text = text.translate(self._emoji)
        raw = [_strip_punct(t) for t in text.replace("’", "'").split()]
        if lang.elisions:
            split: list[str] = []
            for token in raw:
                head, sep, tail = token.partition("'")
                if sep and tail and (head.lower() + "'") in lang.elisions:
                    split.extend((head + "'", tail))
                else:
                    split.append(token)
            raw = split
        raw = [t for t in raw if t]
        return self._merge_phrases(raw)

    def clauses(self, text: str) -> list[list[str]]:
        """The sentence's tokens cut into clauses at , ; : and before a contrast word."""
        clauses: list[list[str]] = [[]]
        for chunk in _CLAUSE_END.split(text):
            if chunk.strip():
                clauses[-1].extend(self.tokens(chunk))
                clauses.append([])
        out: list[list[str]] = []
        for clause in clauses:
            current: list[str] = []
            for token in clause:
                if token.lower() in self.lang.contrast and current:
                    out.append(current)
                    current = []
                current.append(token)
            if current:
                out.append(current)
        return out

    def _merge_phrases(self, tokens: list[str]) -> list[str]:
        lang, out, i = self.lang, [], 0
        lower = [t.lower() for t in tokens]
        while i < len(tokens):
            if lower[i] in lang._phrase_first:
                for n in range(min(lang._longest, len(tokens) - i), 1, -1):
                    candidate = " ".join(lower[i : i + n])
                    if candidate in lang._multi:
                        out.append(candidate)
                        i += n
                        break
                else:
                    out.append(tokens[i])
                    i += 1
            else:
                out.append(tokens[i])
                i += 1
        return out
