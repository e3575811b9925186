"""Search queries from a product's identity, and the tokens that show a text is about that product."""

from __future__ import annotations

import re

from scrapers.types import Product

__all__ = ["REVIEW_WORDS", "mention_query", "model_of", "offer_queries", "product_tokens"]

# The word a shopper types after a product's name to find reviews, per language.
REVIEW_WORDS = {"en": "review", "it": "recensione", "fr": "avis test", "de": "Test", "es": "opinión"}

_MAX_NAME_QUERY_CHARS = 200  # the name as a search query: real names are shorter, search boxes too
_SEPARATOR = re.compile(r"\s[–—|/(-]\s?|,|\(|:")
_WORD = re.compile(r"[\w+.'-]+", re.UNICODE)


def model_of(product: Product) -> str | None:
    """The model part of the name: the words after the brand up to the first one with a digit, or two.

    "Sonara QuietPro 700 Wireless Headphones, Black" -> "QuietPro 700";
    "Ardenza Sorrento Pro – Macchina da caffè" -> "Sorrento Pro"."""
    name = (product.name or "").strip()
    if product.brand and name.lower().startswith(product.brand.lower()):
        name = name[len(product.brand) :]
    head = _SEPARATOR.split(name, maxsplit=1)[0]
    words = _WORD.findall(head)
    for i, word in enumerate(words[:4]):
        if any(ch.isdigit() for ch in word):
            return " ".join(words[: i + 1])
    return " ".join(words[:2]) or None


def product_tokens(product: Product) -> list[str]:
    """Lower-case tokens a text about the product must contain: the brand and the model's words."""
    tokens = [product.brand.lower()] if product.brand else []
    model = model_of(product)
    if model:
        tokens += [w.lower() for w in _WORD.findall(model)]
    return list(dict.fromkeys(tokens))


def mention_query(product: Product, lang: str = "en") -> str:
    """Brand, model and the word for review in the shopper's language: "Sonara QuietPro 700 review"."""
    model = model_of(product) or product.mpn or ""
    parts = [product.brand or "", model, REVIEW_WORDS.get(lang, REVIEW_WORDS["en"])]
    return " ".join(p for p in parts if p).strip()


def offer_queries(product: Product) -> list[str]:
    """Queries that find other shops' pages for the same product: GTIN, brand + MPN, the exact name."""
    queries = []
    if product.gtin:
        queries.append(product.gtin)
    if product.mpn:
        queries.append(f"{product.brand or ''} {product.mpn}".strip())
    if product.name:
        queries.append(product.name[:_MAX_NAME_QUERY_CHARS].strip())
    return list(dict.fromkeys(queries))
