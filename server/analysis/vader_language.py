"""The vocabulary side of VADER's rules: a `Language` profile (lexicon, negations, boosters, contrast words
and zmot's review rules) and the scale constants the lexicons share, so that a lexicon module does not need
the rule engine (server.analysis.vader) to describe a language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = ["B_DECR", "B_INCR", "Language", "inflected_lexicon"]

B_INCR = 0.293
B_DECR = -0.293


@dataclass
class Language:
    """Everything language-specific that VADER's rules need."""

    code: str
    lexicon: dict[str, float]
    negations: frozenset[str]
    boosters: dict[str, float]
    contrast: frozenset[str]  # "but": what comes after it weighs more
    phrases: dict[str, float] = field(default_factory=dict)  # multi-word lexicon entries
    negated_only: dict[str, float] = field(default_factory=dict)
    no_words: frozenset[str] = frozenset()  # "no": a negation when a lexicon word follows
    special_cases: dict[str, float] = field(default_factory=dict)
    contraction_nt: bool = False  # English: any word with "n't" negates
    single_negation: bool = False  # "ne … pas", "non … mai": two words, one negation
    elisions: frozenset[str] = frozenset()  # French/Italian: "n'", "l'" … split off the word
    suffix_boosts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # "-issimo" → "buono" + a booster
    emojis: dict[str, str] = field(default_factory=dict)
    # Review rules beyond VADER's (off for plain VADER): a comma, ";", ":" or contrast word ends a clause,
    # and negation and boosters stay inside theirs ("Non ha graffi, è perfetto").
    clause_scope: bool = False
    negation_reach: int = 3  # "non presenta una reale convenienza": the clause's negation, further back
    short_negations: dict[str, int] = field(default_factory=dict)  # "senza", "poco": only the next word(s)
    transparent: frozenset[str] = frozenset()  # articles, which negation reaches across without counting
    # "better than the one that broke": a comparative followed by its "than" praises or blames this product
    # with its own valence, and the words after it are about the other product, so they do not count.
    comparatives: dict[str, float] = field(default_factory=dict)
    than: frozenset[str] = frozenset()
    # A word not in the lexicon is looked up by its lemma ("sconsiglierei" → "sconsigliare"), so one entry
    # covers a verb's every form; `lemma_lexicon` holds entries only reached that way (verbs by infinitive).
    lemmatize: Callable[[str], str] | None = None
    lemma_lexicon: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        multi = [w for w in (*self.phrases, *self.boosters, *self.contrast) if " " in w]
        self._phrase_first = {w.split()[0] for w in multi}
        self._phrase_pairs = {(w.split()[0], w.split()[1]) for w in multi}
        self._multi = frozenset(multi)
        self._longest = max((len(w.split()) for w in multi), default=1)


def inflected_lexicon(
    words: dict[float, str], inflect: Callable[[str], list[str]], negated_only: Iterable[str] = ()
) -> dict[str, float]:
    """A lexicon from {valence: "listed forms …"}, every inflected form taking its word's valence (the
    first listing wins); words that only count when negated are left out of it."""
    lexicon: dict[str, float] = {}
    for valence, listed in words.items():
        for word in listed.split():
            for form in inflect(word):
                lexicon.setdefault(form, valence)
    for word in negated_only:
        lexicon.pop(word, None)
    return lexicon
