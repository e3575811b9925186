"""py3langid's classification of many texts at once: the library's own answers, at a fraction of its cost.

py3langid walks each text byte by byte through its automaton in a Python loop, then scores the features it
met with numpy. A page of reviews is hundreds of texts: here the automaton walks all of them together, one
byte position a step, each step one numpy gather over every text still that long (the same walk, so the
same features in the same order), and each text is scored as the library scores it, against its table cast
once to float32 (numpy casts the float16 table to float32 on every call; the sums are the same). The walk
runs on the library's own tables and scoring; should a version of py3langid lay them out otherwise, the
first answers are checked against its `classify` and, where they differ, the library answers every text.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np

__all__ = ["BatchIdentifier"]

# Under this many texts the library's own loop is cheaper than a numpy step per byte position.
_MIN_BATCH = 24
_CHUNK = 512  # texts walked together: a few MB of numpy arrays
_PROBES = (
    "La macchina funziona bene e il caffè è ottimo",
    "Très bonne machine, un peu bruyante mais le café est délicieux",
    "Boils a full litre in under three minutes. Quiet, and the handle is comfortable.",
    "Die Maschine funktioniert leider nicht mehr, sehr enttäuschend.",
    "Llegó rápido y funciona muy bien, lo recomiendo",
    "ok 👍🏻 top!!",
)


class BatchIdentifier:
    """`classify_all(texts)`: what the py3langid identifier's `classify` answers for each text."""

    def __init__(self, identifier: Any) -> None:
        self._identifier = identifier
        try:
            self._next = np.frombuffer(
                identifier.tk_nextmove, dtype=np.dtype(identifier.tk_nextmove.typecode)
            )
            self._rowbase = np.asarray(identifier._rowbase, dtype=np.intp)
            self._output = np.asarray(identifier.tk_output, dtype=np.intp)
            self._table = np.asarray(identifier.nb_ptc).astype(np.float32)
            self._exact = self._answers(list(_PROBES)) == [identifier.classify(t) for t in _PROBES]
        except (AttributeError, TypeError, ValueError):
            self._exact = False
        if not self._exact:
            logging.getLogger(__name__).warning(
                "py3langid's tables are not as expected: texts read one by one"
            )

    @property
    def together(self) -> bool:
        """Whether pages are read together: the library's tables are as this module reads them."""
        return self._exact

    def classify_all(self, texts: list[str]) -> list[tuple[str, float]]:
        """(language, confidence) of each text, as `identifier.classify(text)` gives it."""
        if not self._exact or len(texts) < _MIN_BATCH:
            return [self._identifier.classify(text) for text in texts]
        return self._answers(texts)

    def _answers(self, texts: list[str]) -> list[tuple[str, float]]:
        answers: list[tuple[str, float]] = []
        for start in range(0, len(texts), _CHUNK):
            encoded = [self._identifier._encode(text) for text in texts[start : start + _CHUNK]]
            answers += [
                self._classify(data, *found)
                for data, found in zip(encoded, self._visits(encoded), strict=True)
            ]
        return answers

    def _visits(self, encoded: list[bytes]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each text's features and their counts (as float32), in the order the library's walk first meets
        them. All texts walk the automaton together, the longest first, so that the texts still walking are
        a prefix of the columns; the features are then counted for all texts at once."""
        n = len(encoded)
        order = sorted(range(n), key=lambda k: -len(encoded[k]))
        lengths = np.array([len(encoded[k]) for k in order], dtype=np.intp)
        longest = int(lengths[0]) if n else 0
        grid = np.zeros((longest, n), dtype=np.intp)  # byte j of each text, in `order`
        for column, k in enumerate(order):
            grid[: lengths[column], column] = np.frombuffer(encoded[k], dtype=np.uint8)
        features = np.full((longest, n), -1, dtype=np.intp)
        state = np.zeros(n, dtype=np.intp)
        walking = n
        nextmove, rowbase, output = self._next, self._rowbase, self._output
        for j in range(longest):
            while lengths[walking - 1] <= j:
                walking -= 1
            states = state[:walking]
            states[:] = nextmove[rowbase[states] + grid[j, :walking]]
            features[j, :walking] = output[states]
        # each (text, feature) once, ordered by text and then by where the walk first met it
        columns, steps = np.nonzero(features.T >= 0)
        keys = columns * len(self._table) + features[steps, columns]
        unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
        met = np.argsort(first, kind="stable")
        unique, counts = unique[met], counts[met].astype(np.float32)
        text_of, feature = np.divmod(unique, len(self._table))
        bounds = np.searchsorted(text_of, np.arange(n + 1)).tolist()
        visits: list[tuple[np.ndarray, np.ndarray]] = [(feature[:0], counts[:0])] * n
        for column, k in enumerate(order):
            a, b = bounds[column], bounds[column + 1]
            visits[k] = (feature[a:b], counts[a:b])
        return visits

    def _classify(self, data: bytes, features: np.ndarray, counts: np.ndarray) -> tuple[str, float]:
        """The rest of py3langid's `classify` once the walk is done: its `_decide` after `visit_counts`,
        `_sparse_score` included."""
        identifier = self._identifier
        if len(features):
            scores = np.log1p(counts) @ self._table[features] + identifier.nb_pc
        else:
            fill = 0.0 if identifier._norm_probs else float(np.finfo(np.float32).min)
            scores = np.full(len(identifier.nb_classes), fill, dtype=np.float32)
        if identifier._norm_probs:
            scores *= 1.0 / math.sqrt(len(data) or 1)
            np.exp(scores - scores.max(), out=scores)
            scores /= scores.sum()
        for i, j in identifier._alias_pairs:
            if identifier._norm_probs:
                scores[i] += scores[j]
                scores[j] = 0.0
            else:
                scores[i] = max(scores[i], scores[j])
                scores[j] = float(np.finfo(np.float32).min)
        best = int(scores.argmax())
        confidence = float(scores[best])
        if identifier.min_confidence is not None and confidence < identifier.min_confidence:
            return "und", confidence
        return identifier.nb_classes[best], confidence
