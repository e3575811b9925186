"""Does a raw page name the product? A few milliseconds on the HTML, before any full read of it.

Most search results are not about the product (a news site's page for "Lume" or "2"). Reading one with
trafilatura costs 20-100 ms of CPU; finding the brand and the model in its text costs a few. So a page is
read in full only when its text names the product: the brand and the model as whole words, accents
folded, entities decoded, and inline tags ("Lu<b>me</b>") not splitting a word.
"""

from __future__ import annotations

import re

from server.sources.identity import Identity, fold

__all__ = ["names_product", "page_text"]

# Inline tags join the letters around them; every other tag, a comment or a script is a space.
_INLINE = re.compile(r"</?(?:a|b|i|em|strong|span|small|sup|sub|mark|u|abbr|font|wbr)\b[^>]*>", re.I)
_BLOCKS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>", re.I | re.S)


def page_text(html: str) -> str:
    """The page's words, folded (lower case, no accents, entities decoded), tags removed."""
    return fold(_BLOCKS.sub(" ", _INLINE.sub("", html)))


def _phrase(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"[\s\-]*".join(re.escape(w) for w in words) + r"(?!\w)")


def _has(text: str, words: list[str]) -> bool:
    """The words in sequence as whole words. A plain substring test first: a pattern that starts with a
    look-behind is tried at every position of a 200 KB page, a substring is found (or not) at memory speed."""
    return all(w in text for w in words) and bool(_phrase(words).search(text))


def names_product(html: str, identity: Identity, *, codes: bool = True) -> bool:
    """True when the page's text names the product: its brand and its model's core ("Sony" … "WH-1000XM5",
    "Lume 2" together when the core is a bare number), or, when `codes`, its GTIN or a model number."""
    text = page_text(html)
    if codes:
        gtin = (identity.gtin or "").lstrip("0")
        if gtin and gtin in text and re.search(rf"(?<!\d)0*{gtin}(?!\d)", text):
            return True
        if any(_has(text, fold(n).split()) for n in identity.model_numbers if len(n) >= 5):
            return True
    core = fold(identity.core()).split()
    brand = fold(identity.brand).split() if identity.brand else []
    if not core:
        return bool(brand) and _has(text, brand)
    if brand and (len(core) == 1 and (core[0].isdigit() or len(core[0]) < 3)):
        return _has(text, brand + core)  # "Lume 2": the number alone is anywhere
    return (not brand or _has(text, brand)) and _has(text, core)
