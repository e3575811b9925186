"""Readers for site plugins: text and attributes by XPath, embedded JSON, shop words in many languages."""

from __future__ import annotations

import copy
import functools
import json
import pickle
import re
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from scrapers.schemaorg import count_of
from scrapers.types import Availability, ProductPage

__all__ = [
    "TITLE_SEPARATOR",
    "attr",
    "availability_in",
    "embedded_json",
    "has_class",
    "helpful_votes",
    "json_at",
    "page_language",
    "phrases",
    "prose",
    "starting_from",
    "text",
    "text_content",
    "texts",
]

_SKIP = {"script", "style", "noscript", "template"}
_BREAK_BEFORE = {"br", "p", "div", "li"}  # prose: a line break before these
_BREAK_AFTER = {"p", "div", "li"}  # and after these
# Checked in this order: "non disponibile" must not read as "disponibile", "pre-order" not as "order".
_AVAILABILITY_WORDS: tuple[tuple[Availability, tuple[str, ...]], ...] = (
    (
        "preorder",
        (
            "pre-order",
            "preorder",
            "pre order",
            "précommande",
            "precommande",
            "vorbestell",
            "preordina",
            "prenota",
            "reserva",
            "予約",
            "pré-venda",
            "pre-venta",
        ),
    ),
    (
        "out_of_stock",
        (
            "out of stock",
            "unavailable",
            "not available",
            "sold out",
            "no longer available",
            "non disponibile",
            "esaurito",
            "nicht verfügbar",
            "nicht auf lager",
            "ausverkauft",
            "indisponible",
            "rupture",
            "épuisé",
            "no disponible",
            "agotado",
            "niet leverbaar",
            "uitverkocht",
            "niet op voorraad",
            "在庫切れ",
            "取り扱いできません",
            "listing has ended",
            "listing ended",
        ),
    ),
    (
        "in_stock",
        (
            "in stock",
            "available",
            "ships within",
            "usually ships",
            "left in stock",
            "disponibil",
            "auf lager",
            "lieferbar",
            "en stock",
            "disponible",
            "en existencia",
            "op voorraad",
            "leverbaar",
            "在庫あり",
            "add to cart",
            "aggiungi al carrello",
        ),
    ),
)
# "One person found this helpful" and its translations: a helpful count with no digit in it.
_ONE = re.compile(r"\b(one|una|une|uno|un|eine|einer|een|uma|um|en|ett|jeden|bir)\b|1人", re.I)


def has_class(name: str) -> str:
    """An XPath test for one whole class name ("review" but not "review-title"), for use inside [...]."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def page_language(tree: HtmlElement) -> str | None:
    """The page's language (ISO 639-1) from <html lang>, if it says."""
    found = re.match(r"([a-z]{2})(?:[-_]|$)", (tree.get("lang") or "").strip().lower())
    return found.group(1) if found else None


# What sites put between a product's name and their own in a title ("Moka Express | Bialetti Store").
TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::)\s+")


def phrases(source: str, flags: int = 0, *, word_start: bool = False) -> re.Pattern[str]:
    """`source`, an alternation of phrases ("out of stock|sold out|…"), compiled to find exactly what it finds
    as written, in about half the time: the phrases are grouped by their first character. A search tries each
    alternative at each character of the text; grouped, only the phrases starting with that character are
    tried, in the order written, so the same phrase wins at each place. Not for re.I: "N" and "n" would be
    two groups. A source that is not an alternation of phrases is compiled as written.

    With `word_start`, a phrase is found only where a word starts ("in stock", not "within stock" or "vi
    lager"), and the search tries the phrases only there (a fifth less time on the stock phrases); phrases of
    scripts written without spaces (Chinese, Japanese, Korean, Thai) are still found anywhere."""
    parts, depth, start, position = [], 0, 0, 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 1
        elif char == "[":  # a class: "|" and parentheses inside it are characters
            position = source.index("]", position + 2)
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(source[start:position])
            start = position + 1
        position += 1
    parts.append(source[start:])
    groups: dict[str, list[str]] = {}
    for part in parts:
        if not part or part[0] in "\\[(.^$" or part[1:2] in ("?", "*", "+", "{"):
            return re.compile(source, flags)
        groups.setdefault(part[0], []).append(part[1:])
    grouped = {
        first: first + (rest[0] if len(rest) == 1 else f"(?:{'|'.join(rest)})")
        for first, rest in groups.items()
    }
    if not word_start:
        return re.compile("|".join(grouped.values()), flags)
    spaced = "|".join(found for first, found in grouped.items() if not _UNSPACED.match(first))
    unspaced = [found for first, found in grouped.items() if _UNSPACED.match(first)]
    return re.compile("|".join([rf"\b(?:{spaced})", *unspaced]), flags)


# Scripts written without spaces between words: no word boundary marks where a phrase of theirs starts.
_UNSPACED = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def text_content(element: HtmlElement) -> str:
    """All the text below `element`, exactly as `element.text_content()` gives it, in half the time: lxml's
    C serializer instead of an XPath `string()` evaluation per call (the page readers make thousands)."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


@functools.lru_cache(maxsize=1024)
def _compiled(xpath: str) -> etree.XPath:
    """`xpath` compiled once per process: `node.xpath(xpath)` parses it again at every call, which costs as
    much as evaluating it over a small subtree (a histogram row, a price box). Keyed on the expressions the
    plugins write, never on a page's content."""
    return etree.XPath(xpath)


def text(node: HtmlElement, xpath: str, **variables: Any) -> str | None:
    """The whitespace-normalized text of the first non-empty match (an element or an attribute)."""
    return next(iter(texts(node, xpath, **variables)), None)


def texts(node: HtmlElement, xpath: str, **variables: Any) -> list[str]:
    """The whitespace-normalized, non-empty texts of every match."""
    found = []
    for match in _compiled(xpath)(node, **variables):
        value = text_content(match) if isinstance(match, HtmlElement) else str(match)
        value = " ".join(value.split())
        if value:
            found.append(value)
    return found


def attr(node: HtmlElement, xpath: str, name: str) -> str | None:
    """The first non-empty value of attribute `name` on the elements matching `xpath`."""
    for element in _compiled(xpath)(node):
        value = (element.get(name) or "").strip()
        if value:
            return value
    return None


def prose(element: HtmlElement | None, skip_classes: tuple[str, ...] = ()) -> str | None:
    """Readable text of an element: <br> and blocks become line breaks, scripts and `skip_classes` dropped."""
    if element is None:
        return None
    parts: list[str] = []
    _collect(element, parts, frozenset(skip_classes))
    lines = [" ".join(line.split()) for line in "".join(parts).splitlines()]
    return "\n".join([line for line in lines if line]) or None


def _collect(element: HtmlElement, parts: list[str], skip: frozenset[str]) -> None:
    # Called for every node of every review text a plugin reads: each attribute and tag read once.
    tag = element.tag
    if not isinstance(tag, str) or not tag or tag in _SKIP:  # comments and processing instructions too
        return
    if skip:
        classes = element.get("class")
        if classes and not skip.isdisjoint(classes.split()):
            return
    if tag in _BREAK_BEFORE:
        parts.append("\n")
    words = element.text
    if words:
        parts.append(words)
    for child in element:
        _collect(child, parts, skip)
        words = child.tail
        if words:
            parts.append(words)
    if tag in _BREAK_AFTER:
        parts.append("\n")


def embedded_json(node: HtmlElement, xpath: str) -> Any:
    """The JSON in the first script matching `xpath` (e.g. Next.js `__NEXT_DATA__`); None if unreadable."""
    for script in _compiled(xpath)(node):
        try:
            return json.loads(script.text or "")
        except ValueError:
            continue
    return None


def json_at(value: Any, *path: str | int) -> Any:
    """value[p0][p1]… with None wherever a step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value


def availability_in(words: str | None) -> Availability:
    """Availability from a shop's own words ("In Stock", "Disponibilità immediata", "Indisponible")."""
    folded = (words or "").lower()
    for availability, words in _AVAILABILITY_WORDS:
        if any(phrase in folded for phrase in words):
            return availability
    return "unknown"


def helpful_votes(words: str | None) -> int | None:
    """Votes from "12 people found this helpful", "Una persona l'ha trovato utile"; None if no statement."""
    if not words or not words.strip():
        return None
    count = count_of(words)
    if count is not None:
        return count
    return 1 if _ONE.search(words) else None


def starting_from(base: ProductPage | None, url: str, plugin: str) -> ProductPage:
    """A copy of the generic result to refine, under the site plugin's name (an empty page if none)."""
    result = _deep_copy(base) if base is not None else ProductPage(url=url, plugin=plugin)
    result.url, result.plugin = url, plugin
    return result


def _deep_copy(page: ProductPage) -> ProductPage:
    # pickle's C code builds the same objects as copy.deepcopy's Python walk in about a third of the time.
    try:
        copied: ProductPage = pickle.loads(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):  # a value pickle cannot write
        return copy.deepcopy(page)
    return copied
