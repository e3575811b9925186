"""Search queries from a product's identity, per purpose and language, and the words that show a text is
about that product."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.types import Product
from server.sources.identity import Identity, fold, identity_of

__all__ = [
    "PURPOSE_WORDS",
    "REVIEW_WORDS",
    "Query",
    "mention_queries",
    "mention_query",
    "model_of",
    "offer_queries",
    "product_tokens",
]

# What a shopper types after a product's name, per purpose and language.
PURPOSE_WORDS = {
    "review": {
        "en": "review",
        "it": "recensione",
        "fr": "test avis",
        "de": "Test",
        "es": "opinión",
        "pt": "análise",
    },
    "opinion": {
        "en": "forum",
        "it": "forum opinioni",
        "fr": "forum avis",
        "de": "Erfahrungen forum",
        "es": "foro opiniones",
        "pt": "fórum opinião",
    },
    "comparison": {"en": "vs", "it": "vs", "fr": "vs", "de": "vs", "es": "vs", "pt": "vs"},
}
REVIEW_WORDS = PURPOSE_WORDS["review"]
_MAX_NAME_QUERY_CHARS = 200  # the name as a search query: real names are shorter, search boxes too
_WORD = re.compile(r"[\w+.'-]+", re.UNICODE)


@dataclass(frozen=True)
class Query:
    purpose: str  # review | opinion | comparison | price
    text: str
    lang: str | None = None


def model_of(product: Product) -> str | None:
    """The model part of the name: "Sonara QuietPro 700 Wireless Headphones" -> "QuietPro 700"."""
    return identity_of(product).model


def product_tokens(product: Product | Identity) -> list[str]:
    """Folded tokens a text about the product must contain: the brand and the model's words."""
    identity = product if isinstance(product, Identity) else identity_of(product)
    tokens = fold(identity.brand).split() if identity.brand else []
    tokens += [w for w in _WORD.findall(fold(identity.model or ""))]
    return list(dict.fromkeys(tokens))


def _named(identity: Identity, quoted: bool = False) -> str:
    """Brand and model; with `quoted`, the model in quotes where that narrows: "Lume 2" (a bare number
    alone matches any page 2), Ardenza "Sorrento Pro" (either word alone is a town or a grade)."""
    model = identity.model or ""
    if not model:
        return identity.short_name or (identity.name or "")[:_MAX_NAME_QUERY_CHARS]
    if quoted and model.isdigit():
        return f'"{identity.short_name}"'
    if quoted and " " in model:
        return f'{identity.brand or ""} "{model}"'.strip()
    return identity.short_name


def mention_queries(identity: Identity, shopper_lang: str = "en") -> list[Query]:
    """Review, opinion and comparison queries in the shopper's language, then the product's, each once."""
    langs = list(dict.fromkeys(lang for lang in (shopper_lang, identity.language) if lang))
    queries = []
    name = _named(identity)
    for purpose in ("review", "opinion"):
        for lang in langs:
            words = PURPOSE_WORDS[purpose].get(lang) or PURPOSE_WORDS[purpose]["en"]
            quoted = purpose == "opinion"  # forum posts name the model exactly
            queries.append(Query(purpose, f"{_named(identity, quoted)} {words}".strip(), lang))
    queries.append(Query("comparison", f"{name} vs", None))
    return _once(queries)


def mention_query(product: Product, lang: str = "en") -> str:
    """Brand, model and the word for review in the shopper's language: "Sonara QuietPro 700 review"."""
    return mention_queries(identity_of(product), lang)[0].text


def offer_queries(product: Product | Identity) -> list[str]:
    """Queries that find other shops' pages for the same product: GTIN, brand + model numbers, the name."""
    identity = product if isinstance(product, Identity) else identity_of(product)
    queries = [identity.gtin] if identity.gtin else []
    queries += [f"{identity.brand or ''} {n}".strip() for n in identity.model_numbers if len(n) >= 5]
    if identity.name:
        queries.append(identity.name[:_MAX_NAME_QUERY_CHARS].strip())
    return list(dict.fromkeys(q for q in queries if q))


def _once(queries: list[Query]) -> list[Query]:
    seen: set[str] = set()
    kept = []
    for query in queries:
        key = " ".join(fold(query.text).split())
        if key not in seen:
            seen.add(key)
            kept.append(query)
    return kept
