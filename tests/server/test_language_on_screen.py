"""One language on screen: a shopper who reads Italian or French gets the whole briefing's words in it —
verdict, reasons, price verdict, trust signals — while what reviewers wrote is quoted as they wrote it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from server.fetch import Fetcher
from server.i18n import LANGUAGES, catalogue, language_of, placeholders, render
from server.i18n.briefing import briefing_in
from server.pipeline import BriefingRequest, Pipeline
from server.store import SQLiteStore
from tests.pagegen import REVIEW_TEXTS, product_page
from tests.server.conftest import make_settings
from tests.server.test_api import schema_of

LOCALES = Path(__file__).resolve().parents[2] / "extension" / "_locales"
KETTLE = "https://shop.test/p/kettle"
COPIED = "Arrived quickly, boils fast and the handle stays cool, very happy with this kettle."
# The kettle's reviews, in English, three of them the same text (a trust signal to be said in words).
REVIEWS = [*REVIEW_TEXTS, (5, COPIED), (5, COPIED), (5, COPIED)]


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_every_sentence_exists_in_italian_and_french_with_the_same_placeholders(key: str):
    english = placeholders(catalogue("en")[key])
    for lang in LANGUAGES:
        assert catalogue(lang).get(key), f"{lang} has no {key!r}"
        assert placeholders(catalogue(lang)[key]) == english, (lang, key)
    assert set(catalogue("it")) == set(catalogue("fr")) == set(catalogue("en"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_extension_says_each_code_in_the_servers_words(lang: str):
    """The popup renders codes with its own _locales: they must read as the server's (`say_` + key)."""
    messages = json.loads((LOCALES / lang / "messages.json").read_text(encoding="utf-8"))
    for key, template in catalogue(lang).items():
        entry = messages.get(f"say_{key}")
        assert entry, f"extension/_locales/{lang} lacks say_{key}"
        assert entry["message"] == re.sub(r"\{(\w+)\}", r"$\1$", template), key
        assert set(entry.get("placeholders", {})) == placeholders(template), key


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("it-IT", "it"),
        ("fr_CA", "fr"),
        ("FR", "fr"),
        ("en-GB", "en"),
        ("de-DE", None),
        ("", None),
        (None, None),
    ],
)
def test_the_language_is_the_locales_when_zmot_speaks_it(locale: str | None, lang: str | None):
    assert language_of(locale) == lang


async def _briefing(tmp_path: Path, cpu, locale: str | None) -> dict:
    settings = make_settings(tmp_path / (locale or "none"), privacy={"beyond": False})
    store = SQLiteStore(tmp_path / f"{locale}.sqlite3")
    await store.open()
    fetcher = Fetcher(settings.fetch, store=store)
    registry = Registry()
    registry.add(SchemaOrgScraper())
    try:
        pipeline = Pipeline(settings, registry, fetcher, store, cpu=cpu)
        page = product_page(reviews=REVIEWS, rating=3.6, rating_count=40)
        return await pipeline.brief(BriefingRequest(KETTLE, page, locale))
    finally:
        await fetcher.close()
        await store.close()


def _english_words() -> list[str]:
    """Runs of four or more words of zmot's English sentences that Italian and French do not share."""
    others = " ".join(t for lang in ("it", "fr") for t in catalogue(lang).values())
    runs = []
    for template in catalogue("en").values():
        for part in re.split(r"\{\w+\}|[;:(),“”]", template):
            if len(part.split()) >= 4 and part.strip() not in others:
                runs.append(part.strip())
    return runs


def _said(briefing: dict) -> list[str]:
    verdict, price, trust = briefing["verdict"], briefing["price"], briefing["reviews"]["trust"]
    return [
        verdict["summary"],
        *verdict["reasons"],
        price["reason"],
        *(s["detail"] for s in trust["signals"]),
    ]


def _quotes(briefing: dict) -> list[str]:
    reviews = briefing["reviews"]
    aspects = [*reviews["pros"], *reviews["cons"]]
    return [*reviews["highlights"], *(q for a in aspects for q in a["quotes"])]


@pytest.mark.parametrize(
    ("locale", "opening", "trust_words"),
    [
        ("it-IT", ("Da comprare", "Da valutare", "Un buon prodotto", "Meglio evitarlo"), "quasi copie"),
        ("fr-FR", ("À acheter", "À considérer", "Un bon produit", "À éviter"), "quasi-copies"),
    ],
)
async def test_an_italian_or_french_shopper_reads_the_briefing_in_their_language_and_quotes_as_written(
    tmp_path, cpu, locale: str, opening: tuple[str, ...], trust_words: str
):
    english = await _briefing(tmp_path, cpu, "en-US")
    shopper = await _briefing(tmp_path, cpu, locale)
    lang = locale[:2]

    verdict = shopper["verdict"]
    assert verdict["summary"].startswith(opening), verdict["summary"]
    assert verdict["language"] == lang and len(verdict["reasons"]) == len(verdict["reason_codes"]) >= 1
    assert [render(c, lang) for c in verdict["reason_codes"]] == verdict["reasons"]
    assert render(verdict["summary_code"], lang) == verdict["summary"]
    assert shopper["price"]["reason"] == " ".join(
        f"{render(c, lang)}." for c in shopper["price"]["reason_codes"]
    )
    assert any(trust_words in s["detail"] for s in shopper["reviews"]["trust"]["signals"])
    for text in _said(shopper):
        for words in _english_words():
            assert words not in text, (words, text)

    # What reviewers wrote is theirs: the same quotes, in English, whatever the shopper reads.
    assert _quotes(shopper) == _quotes(english) and _quotes(shopper)
    written = " ".join(text for _, text in REVIEWS)
    assert all(quote in written for quote in _quotes(shopper))
    # The machine-readable parts do not depend on the language.
    assert [c["code"] for c in verdict["reason_codes"]] == [
        c["code"] for c in english["verdict"]["reason_codes"]
    ]
    assert (verdict["label"], verdict["score"]) == (english["verdict"]["label"], english["verdict"]["score"])
    jsonschema.validate(shopper, schema_of("Briefing"))  # the new fields are in the OpenAPI document

    # The English shopper's briefing, served again from the store to this shopper, is said in their words.
    again = briefing_in(english, lang)
    assert _said(again) == _said(shopper) and _quotes(again) == _quotes(shopper)
    assert _said(english) != _said(shopper) and briefing_in(english, None) is english
