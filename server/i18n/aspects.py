"""Aspect names in the shopper's language: "batteria" is "battery" to a shopper who reads English.

Pros and cons are named as the reviews write them ("durata della batteria"), in the reviews' language; the
analysis adds the aspect's `concept` where zmot knows it (see server/analysis/aspects_names) and the
`language` of the written name. Saying the aspect to a shopper adds two fields and changes none:
`label`, the name in the shopper's language (the reviews' own words when they are in that language, else
the concept's name in it), and `label_language`, the language the label is in: where zmot does not know
the aspect, the label is the reviews' own word, marked with their language, so a client can say so.

No well-kept multilingual dictionary installs from PyPI with its data (wordnets download theirs at run
time), so the names are a small data file, `aspects.json`: concept → language → names, the first being
the one shown, the others synonyms reviewers write. It covers the aspects seen most on real product
reviews (laptops, phones, shavers, coffee machines, irons, bags, bottles, audio) and on film reviews.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["aspect_name", "aspect_names", "aspects_in", "labelled"]

_FILE = Path(__file__).with_name("aspects.json")


@cache
def aspect_names() -> dict[str, dict[str, list[str]]]:
    """Concept → language → its names, the one to show first."""
    return json.loads(_FILE.read_text(encoding="utf-8"))


def aspect_name(concept: str | None, lang: str) -> str | None:
    """The name of `concept` shown to a shopper who reads `lang`; None when zmot has none."""
    names = aspect_names().get(concept or "", {}).get(lang)
    return names[0] if names else None


def labelled(aspect: dict[str, Any], lang: str) -> dict[str, Any]:
    """The aspect with `label` and `label_language` for a shopper who reads `lang` (a copy); an aspect
    without `language` (from an older server) as it is."""
    written_in = aspect.get("language")
    if not written_in:
        return aspect
    name = None if written_in == lang else aspect_name(aspect.get("concept"), lang)
    if name is None:
        return {**aspect, "label": aspect["aspect"], "label_language": written_in}
    return {**aspect, "label": name, "label_language": lang}


def aspects_in(reviews: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The reviews section with its pros' and cons' labels in `lang` (a copy where anything changes)."""
    if not reviews or not any(reviews.get(side) for side in ("pros", "cons")):
        return reviews
    return {
        **reviews,
        **{side: [labelled(a, lang) for a in reviews.get(side) or []] for side in ("pros", "cons")},
    }
