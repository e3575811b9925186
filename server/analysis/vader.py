"""VADER's rule machinery, parameterised by language: lexicon, negations, boosters, contrast words.

A port of the rules in vaderSentiment 3.3.2 (C.J. Hutto and E.E. Gilbert, "VADER: A Parsimonious
Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014; MIT licence). Upstream keeps
its negations and boosters in module globals and matches English words such as "but" and "no" inside the
rules, so one analyzer cannot serve Italian and French at the same time; here every word list comes from a
`Language` profile. Two additions for product reviews, both applied before the upstream rules run:
multi-word phrases become one token with their own valence (so "stopped working" is negated, boosted and
weighed like any lexicon word), and `negated_only` words carry sentiment only under negation ("doesn't
work", "no issues"), where a bare "works" or "issue" says little. Italian and French turn on review rules
that plain VADER lacks: negation and boosters stay inside their clause, "senza"/"sans" deny only the next
words, and after "meglio del …"/"mieux que …" the other product's words do not count. The `Language` profile
is in server.analysis.vader_language, tokens and clauses in server.analysis.vader_tokens.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from server.analysis.vader_language import B_DECR, B_INCR, Language, inflected_lexicon
from server.analysis.vader_tokens import Tokenizer

__all__ = ["B_DECR", "B_INCR", "Language", "RuleScorer", "emphasize", "inflected_lexicon", "normalize"]

_C_INCR = 0.733
_N_SCALAR = -0.74
_MAX_PLAIN = 1 << 17  # words remembered as without sentiment, per language, forgotten all at once past it
_REPEATED = re.compile(r"([^\W\d_])\1{2,}")  # a letter typed three times or more


def normalize(total: float, alpha: float = 15.0) -> float:
    """VADER's squashing of a summed valence into -1..1."""
    return round(max(-1.0, min(1.0, total / math.sqrt(total * total + alpha))), 4) if total else 0.0


def emphasize(total: float, text: str) -> float:
    """VADER's punctuation emphasis: up to four "!" and a run of "?" push the sum further from zero."""
    if not total:
        return 0.0
    emphasis = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions > 1:
        emphasis += questions * 0.18 if questions <= 3 else 0.96
    return total + emphasis if total > 0 else total - emphasis


class RuleScorer:
    """VADER compound (-1..1) for one sentence in one language."""

    def __init__(self, language: Language) -> None:
        self.lang = language
        # a review's words repeat across a page: each word's lookup form is found once per process
        self._form = lru_cache(maxsize=1 << 16)(self._lookup_form)
        self._base = lru_cache(maxsize=1 << 16)(self._find_base)
        self._tokenizer = Tokenizer(language)
        self._plain: set[str] = set()  # see _remember_plain

    def _lookup_form(self, word: str) -> str:
        """The word itself when the lexicon knows it; else, in review languages, the word with its repeated
        letters cut ("tooop", "bellooo") or its lemma ("sconsiglierei" → "sconsigliare", "funzionato" →
        "funzionare") when that is known; else the word."""
        if self._known(word) or not self.lang.clause_scope:
            return word
        forms = [word]
        if _REPEATED.search(word):
            forms += [_REPEATED.sub(r"\1\1", word), _REPEATED.sub(r"\1", word)]
        for form in forms:
            lemma = self.lang.lemmatize(form) if self.lang.lemmatize is not None else form
            for candidate in (form, lemma):
                if self._known(candidate) or candidate in self.lang.lemma_lexicon:
                    return candidate
        return word

    def _known(self, word: str) -> bool:
        lang = self.lang
        return word in lang.lexicon or word in lang.phrases or word in lang.negated_only

    def compound(self, text: str) -> float:
        """The compound score of one sentence, as VADER's `polarity_scores(...)["compound"]`."""
        return normalize(self.valence(text))

    def valence(self, text: str, emphasis: bool = True) -> float:
        """The summed valence of one sentence (with its "!"/"?" emphasis unless told), not yet squashed."""
        total, _ = self._sum(text)
        return emphasize(total, text) if emphasis else total

    def text_valence(self, sentences: list[str]) -> list[float]:
        """Each sentence's valence, with a contrast word weighing across sentences as in one VADER text."""
        return self.weigh_turn([self.sentence_sum(s) for s in sentences])

    def sentence_sum(self, text: str) -> tuple[float, int | None]:
        """One sentence's summed valence (no "!"/"?" emphasis) and where its first contrast word is."""
        return self._sum(text)

    @staticmethod
    def weigh_turn(sums: list[tuple[float, int | None]]) -> list[float]:
        """The sentences' valences weighed around the text's turn: before it, sentences count half; after
        it, one and a half. The turn is the last sentence that opens with a contrast word ("Mais là, quelle
        déception !" after a plot summary), else the first that holds one."""
        first = next((k for k, (_, at) in enumerate(sums) if at is not None), None)
        opening = next((k for k in range(len(sums) - 1, -1, -1) if sums[k][1] == 0), None)
        turn = opening if opening is not None else first
        if turn is None:
            return [total for total, _ in sums]
        return [total * (0.5 if k < turn else 1.5 if k > turn else 1.0) for k, (total, _) in enumerate(sums)]

    def _sum(self, text: str) -> tuple[float, int | None]:
        tokenizer = self._tokenizer
        clauses = tokenizer.clause_words(text) if self.lang.clause_scope else [tokenizer.words(text)]
        if len(clauses) == 1:
            words, lower = clauses[0]
        else:
            words = [w for clause, _ in clauses for w in clause]
            lower = [w for _, clause_lower in clauses for w in clause_lower]
        uppers = sum(map(str.isupper, words))
        cap_diff = 0 < uppers < len(words)  # some words in capitals, not all
        sentiments: list[float] = []
        for clause, clause_lower in clauses:
            sentiments.extend(self._clause_sentiments(clause, clause_lower, cap_diff))
        at = self._but_check(lower, sentiments)  # reweighs `sentiments` in place
        return sum(sentiments), at

    def _clause_sentiments(self, words: list[str], lower: list[str], cap_diff: bool) -> list[float]:
        lang, base, plain = self.lang, self._base, self._plain
        if plain.issuperset(lower):  # no word that could carry sentiment, compare or boost
            return [0.0] * len(lower)
        sentiments: list[float] = []
        compared = False
        for i, word in enumerate(lower):
            if word in plain:
                sentiments.append(0.0)
                continue
            if word in lang.comparatives and lower[i + 1 : i + 2] and lower[i + 1] in lang.than:
                sentiments.append(lang.comparatives[word])
                compared = True  # the rest of the clause speaks of the other product
                continue
            if compared or word in lang.boosters or (word == "kind" and lower[i + 1 : i + 2] == ["of"]):
                sentiments.append(0.0)
                continue
            if base(word) is None:  # its valence is 0.0 whatever the words around it
                self._remember_plain(word)
                sentiments.append(0.0)
                continue
            sentiments.append(self._valence(words, lower, i, cap_diff))
        return sentiments

    def _remember_plain(self, word: str) -> None:
        """Remember a word without sentiment that neither compares nor boosts: most words of a review, which
        then cost one set lookup each."""
        if word in self.lang.comparatives or word == "kind":
            return
        if len(self._plain) >= _MAX_PLAIN:
            self._plain.clear()
        self._plain.add(word)

    def _word_valence(self, lower: list[str], i: int) -> float | None:
        found = self._base(lower[i])
        if found is None:
            return None
        valence, negated_only = found
        if negated_only:
            return valence if self._is_negated(lower, i) and not self._complement(lower, i) else 0.0
        return valence

    def _find_base(self, word: str) -> tuple[float, bool] | None:
        """A word's valence and whether it counts only when negated; None for a word without sentiment.
        Cached: it does not depend on the words around."""
        word, lang = self._form(word), self.lang
        for table in (lang.lexicon, lang.phrases, lang.lemma_lexicon):
            if word in table:
                return table[word], False
        if word in lang.negated_only:
            return lang.negated_only[word], True
        for suffix, endings in lang.suffix_boosts:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                stem = word[: -len(suffix)]
                for ending in endings:
                    base = lang.lexicon.get(stem + ending)
                    if base is not None:
                        return base + (B_INCR if base > 0 else -B_INCR), False
        return None

    def _complement(self, lower: list[str], i: int) -> bool:
        """In review languages, whether a sentiment word follows within three words: the negation is then
        that word's ("non riesco a trovare difetti", "non posso più farne a meno"), not the verb's."""
        if not self.lang.clause_scope:
            return False
        return any(self._in_lexicon(w) for w in lower[i + 1 : i + 4])

    def _is_negated(self, lower: list[str], i: int) -> bool:
        # two words back, not VADER's three: "doesn't really work" yes, "no two people working" no
        return any(
            self._negates(lower[k], i - k) or lower[k] in self.lang.no_words for k in range(max(0, i - 2), i)
        )

    def _negates(self, word: str, distance: int = 1) -> bool:
        if word in self.lang.short_negations:
            return distance <= self.lang.short_negations[word]
        return word in self.lang.negations or (self.lang.contraction_nt and "n't" in word)

    def _far_negation(self, lower: list[str], i: int) -> bool:
        """A negation further back than VADER's three words, within the clause: up to `negation_reach`
        words, articles not counted ("non presenta una reale convenienza")."""
        lang = self.lang
        if any(self._negates(lower[k], i - k) for k in range(max(0, i - 3), i)):
            return False  # VADER's own window has it
        counted = sum(w not in lang.transparent for w in lower[max(0, i - 3) : i])
        for k in range(i - 4, max(-1, i - 4 - lang.negation_reach), -1):
            if k < 0 or counted >= lang.negation_reach:
                return False
            counted += 1
            if self._negates(lower[k], counted):
                return True
            counted -= lower[k] in lang.transparent
        return False

    def _in_lexicon(self, word: str) -> bool:
        lang = self.lang
        if word in lang.lexicon or word in lang.phrases:
            return True
        if lang.lemmatize is None:
            return False
        form = self._form(word)
        return form in lang.lexicon or form in lang.lemma_lexicon

    def _valence(self, words: list[str], lower: list[str], i: int, cap_diff: bool) -> float:
        base = self._word_valence(lower, i)
        if base is None:
            return 0.0
        valence = base
        nos, n = self.lang.no_words, len(lower)
        if lower[i] in nos and i != n - 1 and self._in_lexicon(lower[i + 1]):
            valence = 0.0  # "no" negates the next word instead of counting on its own
        if (
            (i > 0 and lower[i - 1] in nos)
            or (i > 1 and lower[i - 2] in nos)
            or (i > 2 and lower[i - 3] in nos and lower[i - 1] in ("or", "nor"))
        ):
            valence = base * _N_SCALAR
        if words[i].isupper() and cap_diff and base != 0:
            valence += _C_INCR if valence > 0 else -_C_INCR
        # a phrase that holds its own negation ("pas terrible", "not working") is not negated again;
        # in French and Italian "ne … pas" and "non … mai" are one negation, not two
        # ("farne a meno" holds "meno", which only half denies, so "non posso farne a meno" is negated)
        own_negation = " " in lower[i] and any(
            w in self.lang.negations or (self.lang.contraction_nt and "n't" in w) for w in lower[i].split(" ")
        )
        negated = False
        for start in range(3):
            if i > start and not self._in_lexicon(lower[i - (start + 1)]):
                s = self._scalar(words[i - (start + 1)], valence, cap_diff)
                if s:
                    s *= (1.0, 0.95, 0.9)[start]
                valence += s
                if not own_negation and not (negated and self.lang.single_negation):
                    checked = self._negation_check(valence, lower, start, i)
                    negated = negated or (checked != valence and math.isclose(checked, valence * _N_SCALAR))
                    valence = checked
                if start == 2:
                    valence = self._special_idioms(valence, lower, i)
        if not own_negation and not negated and self._far_negation(lower, i):
            valence *= _N_SCALAR
        return self._least_check(valence, lower, i)

    def _scalar(self, word: str, valence: float, cap_diff: bool) -> float:
        scalar = self.lang.boosters.get(word.lower(), 0.0)
        if not scalar:
            return 0.0
        if valence < 0:
            scalar *= -1
        if word.isupper() and cap_diff:
            scalar += _C_INCR if valence > 0 else -_C_INCR
        return scalar

    def _negation_check(self, valence: float, lower: list[str], start: int, i: int) -> float:
        before, distance = lower[i - (start + 1)], start + 1
        if start == 0:
            return valence * _N_SCALAR if self._negates(before, distance) else valence
        if start == 1:
            if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
                return valence * 1.25
            if lower[i - 2] == "without" and lower[i - 1] == "doubt":
                return valence
            return valence * _N_SCALAR if self._negates(before, distance) else valence
        if (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in ("so", "this"):
            return valence * 1.25
        if lower[i - 3] == "without" and "doubt" in (lower[i - 2], lower[i - 1]):
            return valence
        return valence * _N_SCALAR if self._negates(before, distance) else valence

    def _special_idioms(self, valence: float, lower: list[str], i: int) -> float:
        cases = self.lang.special_cases
        if cases:
            for seq in (
                f"{lower[i - 1]} {lower[i]}",
                f"{lower[i - 2]} {lower[i - 1]} {lower[i]}",
                f"{lower[i - 2]} {lower[i - 1]}",
                f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}",
                f"{lower[i - 3]} {lower[i - 2]}",
            ):
                if seq in cases:
                    valence = cases[seq]
                    break
            if len(lower) - 1 > i and f"{lower[i]} {lower[i + 1]}" in cases:
                valence = cases[f"{lower[i]} {lower[i + 1]}"]
            if len(lower) - 1 > i + 1 and f"{lower[i]} {lower[i + 1]} {lower[i + 2]}" in cases:
                valence = cases[f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"]
        for n_gram in (
            f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}",
            f"{lower[i - 3]} {lower[i - 2]}",
            f"{lower[i - 2]} {lower[i - 1]}",
        ):
            valence += self.lang.boosters.get(n_gram, 0.0)
        return valence

    def _least_check(self, valence: float, lower: list[str], i: int) -> float:
        if i > 0 and lower[i - 1] == "least" and (i == 1 or lower[i - 2] not in ("at", "very")):
            return valence * _N_SCALAR
        return valence

    def _but_check(self, lower: list[str], sentiments: list[float]) -> int | None:
        """After the first contrast word, sentiment weighs 1.5×; before it, 0.5×. Its position, if any."""
        at = next((k for k, w in enumerate(lower) if w in self.lang.contrast), None)
        if at is None:
            return None
        for k in range(len(sentiments)):
            if k < at:
                sentiments[k] *= 0.5
            elif k > at:
                sentiments[k] *= 1.5
        return at
