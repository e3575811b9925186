"""Finding the schema.org Product in a parsed page, whichever syntax carries it (JSON-LD, microdata, RDFa).

Every reader returns JSON-LD-shaped dicts ({"@type": "Product", "name": …, "offers": {…}}), so the mapping
to zmot's types (in `scrapers.generic`) is written once.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import math
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

__all__ = [
    "as_nodes",
    "count_of",
    "find_product",
    "first_value",
    "is_listing",
    "jsonld_items",
    "load_jsonld",
    "long_text_of",
    "microdata_product",
    "number_of",
    "rdfa_product",
    "text_of",
    "type_names",
]

log = logging.getLogger("zmot.plugins")

PRODUCT_TYPES = {
    "Product",
    "ProductGroup",
    "ProductModel",
    "IndividualProduct",
    "SomeProducts",
    "Vehicle",
    "Car",
    "Motorcycle",
}
# Type names as schema.org spells them, for markup that writes "product" or "PRODUCT".
_CANONICAL = {
    name.lower(): name
    for name in (
        *PRODUCT_TYPES,
        "Offer",
        "AggregateOffer",
        "AggregateRating",
        "Review",
        "Rating",
        "Brand",
        "Organization",
        "ItemList",
    )
}
# This many products with different pages and names make a page a listing (search results, a category).
_LISTING = 4
# Products inside these are other products (listings, accessories), not the one the page is about.
_NOT_THE_PAGE = {
    "itemListElement",
    "isRelatedTo",
    "isSimilarTo",
    "isAccessoryOrSparePartFor",
    "isConsumableFor",
}

# Repairs run as C-level substitutions that step over JSON strings whole (group 1) and drop the rest of
# the match; possessive quantifiers keep a 2 MB unterminated string linear.
_STRING = r'("(?:[^"\\]++|\\.)*+")'
_COMMENT_OR_CONTROL = re.compile(
    _STRING + r"|/\*.*?(?:\*/|\Z)|//[^\n]*|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", re.S
)
_BAD_ESCAPE = re.compile(r'(\\["\\/bfnrtu])|\\')  # keep valid escapes, drop a lone backslash
_TRAILING_COMMA = re.compile(_STRING + r"|,(\s*[}\]])")
_REPAIR_LIMIT = 256_000  # repairing costs ~0.5 s per MB; real JSON-LD blocks are a few KB


def type_names(node: Any) -> set[str]:
    """The node's types as bare names: "Product" from "Product", "http://schema.org/Product", or a list."""
    if not isinstance(node, dict):
        return set()
    types = node.get("@type") or ()
    if isinstance(types, str):
        types = types.split()
    names = set()
    for name in types:
        if isinstance(name, str):
            name = name.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            names.add(_CANONICAL.get(name.lower(), name))
    return names


def load_jsonld(text: str) -> list[Any]:
    """Parse one JSON-LD block, repairing what is safe to repair; raises ValueError when it cannot."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = text.removeprefix("<![CDATA[").removesuffix("]]>")
    try:
        return _as_list(json.loads(text, strict=False))
    except ValueError:
        pass
    if len(text) > _REPAIR_LIMIT:
        raise ValueError(f"broken and too big to repair ({len(text)} characters)")
    repaired = _repair(text)
    try:
        return _decode_all(repaired)
    except ValueError:
        if "&" not in repaired:
            raise
    # Some CMSs HTML-escape the whole block ({&quot;@type&quot;: …}); unescaping is safe only as a last try.
    return _decode_all(_repair(html.unescape(text)))


def jsonld_items(tree: lxml.html.HtmlElement, url: str = "") -> list[Any]:
    """Every JSON-LD value on the page; a block that cannot be read is logged and skipped."""
    items: list[Any] = []
    for index, script in enumerate(tree.iter("script")):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = script.text or ""
        if not text.strip():
            continue
        try:
            items.extend(load_jsonld(text))
        except (ValueError, RecursionError) as exc:
            log.warning("skipping unreadable JSON-LD block (script %d) on %s: %s", index, url, exc)
    return items


def find_product(items: list[Any]) -> dict[str, Any] | None:
    """The Product the page is about: the first (named) one, with @id references resolved."""
    index: dict[str, dict[str, Any]] = {}
    products: list[dict[str, Any]] = []
    for node in _walk(items):
        if isinstance(node.get("@id"), str) and len(node) > 1:
            index.setdefault(node["@id"], node)
        if type_names(node) & PRODUCT_TYPES:
            products.append(node)
    if not products:
        return None
    product = next((p for p in products if p.get("name")), products[0])
    chosen = _first_variant(_resolve(product, index, depth=0))
    # One Product per size or colour: the same name again. Their offers are this product's offers.
    name = product.get("name")
    same = [p for p in products if p is not product and name and p.get("name") == name]
    more = (o for p in same for o in as_nodes(_resolve(p.get("offers"), index, 0)))
    offers = [*as_nodes(chosen.get("offers")), *more]
    return chosen | {"offers": offers} if same and offers else chosen


def is_listing(items: list[Any]) -> bool:
    """True for a page of many products (search results, a category): not one product's page.

    Variants of one product (one Product per size) share a name or a page; listed products differ in both.
    """
    names: set[str] = set()
    pages: set[str] = set()
    for node in _walk(items):
        if type_names(node) & PRODUCT_TYPES:
            names.add(str(node.get("name") or "").strip().lower())
            offer = next(iter(as_nodes(node.get("offers"))), {})
            url = node.get("url") or offer.get("url")
            if isinstance(url, str):
                pages.add(url.split("?", 1)[0].split("#", 1)[0])
    return len(names) >= _LISTING and len(pages) >= _LISTING


def microdata_product(
    tree: lxml.html.HtmlElement, base_url: str, items: list[Any] | None = None
) -> dict[str, Any] | None:
    """The first named microdata Product as a JSON-LD-shaped dict (only its subtree is read, for speed).
    `items` are the page's itemscope elements when an index has them (`Page.index.itemscopes`).

    A page may carry a stub Product before the real one (an old data-vocabulary item holding only a
    category): the first Product with a name is the page's, the first of all only when none has one."""
    first = None
    for element in _typed(tree, "//*[@itemscope][@itemtype]", "itemtype", items):
        found = _microdata_extractor().extract_items(element, base_url)
        node = _from_microdata(found[0]) if found else None
        if isinstance(node, dict) and node.get("name"):
            return node
        first = first if first is not None else node
    return first


@functools.cache
def _microdata_extractor() -> Any:
    """extruct's microdata reader, numbering items only as it meets them.

    extruct numbers every itemscope of the whole document before it reads one item (a document-wide XPath,
    a few ms on a large page) although the numbers only tell which items it has read already; here an item
    gets its number when first met, so reading the product's subtree costs only that subtree. Imported on
    first use: extruct's package import pulls in every syntax it reads (about half a second)."""
    from extruct.w3cmicrodata import MicrodataExtractor

    class _Numbers(dict[Any, int]):
        def __missing__(self, node: Any) -> int:
            number = self[node] = len(self) + 1
            return number

    # extruct's own XPaths below are compiled once; these are the ones the itemref reading adds.
    ref_by_id = etree.XPath("(//*[@id=$refid])[1]")
    scope_of = etree.XPath("ancestor-or-self::*[@itemscope][1]")
    properties_of = etree.XPath("descendant-or-self::*[@itemprop]")
    parent_scope_of = etree.XPath("ancestor::*[@itemscope][1]")

    class _Extractor(MicrodataExtractor):  # type: ignore[misc]
        def _build_itemids(self, document: Any) -> dict[Any, int]:
            return _Numbers()

        def _extract_property_refs(self, node: Any, refid: str, **kwargs: Any) -> Iterator[Any]:
            # extruct's own, but the element an itemref names is found by its id attribute: extruct asks
            # XPath's id(), which needs the table of ids the page's parser does not build (scrapers.base).
            found = ref_by_id(node, refid=refid)
            if not found:
                return
            ref = found[0]
            if ref.get("itemprop") is not None and ref.get("itemscope") is not None:  # a whole item
                yield from self._extract_property(ref, **kwargs)
                return
            scope = scope_of(ref)
            for prop in properties_of(ref):
                if parent_scope_of(prop) == scope:  # not a property of a nested item
                    yield from self._extract_property(prop, **kwargs)

    return _Extractor()


def rdfa_product(
    tree: lxml.html.HtmlElement, base_url: str, items: list[Any] | None = None
) -> dict[str, Any] | None:
    """The first RDFa (Lite, schema.org vocabulary) Product as a JSON-LD-shaped dict. `items` are the
    page's typeof elements when an index has them (`Page.index.typeofs`)."""
    element = _first_typed(tree, "//*[@typeof]", "typeof", items)
    return _rdfa_item(element, base_url) if element is not None else None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _repair(text: str) -> str:
    """Drop comments, stray control characters, invalid escapes and trailing commas."""
    text = _COMMENT_OR_CONTROL.sub(r"\1", text)
    text = _BAD_ESCAPE.sub(r"\1", text)
    return _TRAILING_COMMA.sub(r"\1\2", text)


def _decode_all(text: str) -> list[Any]:
    """Decode one or more JSON values written one after another ("{…}{…}" or "{…},{…}")."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    position = 0
    while True:
        while position < len(text) and (text[position].isspace() or text[position] in ",;"):
            position += 1
        if position >= len(text):
            break
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError as exc:
            if not values:
                raise
            # What came before the junk was whole JSON: keep it rather than lose the product.
            log.warning("ignoring unreadable JSON-LD after %d value(s): %s", len(values), exc)
            break
        values.extend(_as_list(value))
    if not values:
        raise ValueError("empty JSON-LD block")
    return values


def _walk(value: Any) -> list[dict[str, Any]]:
    """Every dict in document order (parents first), not descending into other products' lists."""
    found: list[dict[str, Any]] = []
    _gather(value, 0, found)
    return found


def _gather(value: Any, depth: int, found: list[dict[str, Any]]) -> None:
    # A list filled by plain recursion: a chain of generators re-yields each node once per level above it.
    if depth > 40:
        return
    if isinstance(value, dict):
        found.append(value)
        for key, child in value.items():
            if isinstance(child, dict | list) and key not in _NOT_THE_PAGE:
                _gather(child, depth + 1, found)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                _gather(item, depth + 1, found)


def _resolve(value: Any, index: dict[str, dict[str, Any]], depth: int) -> Any:
    """Replace {"@id": …} references by the nodes they name (graphs split a product across nodes)."""
    if depth > 8:
        return value
    if isinstance(value, list):
        return [_resolve(v, index, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"@id"} and value["@id"] in index:
        value = index[value["@id"]]
    return {k: v if k in _NOT_THE_PAGE else _resolve(v, index, depth + 1) for k, v in value.items()}


def _first_variant(product: dict[str, Any]) -> dict[str, Any]:
    """A ProductGroup stands for its first variant, with the group's values where the variant has none."""
    variants = product.get("hasVariant")
    variant = variants[0] if isinstance(variants, list) and variants else variants
    if "ProductGroup" not in type_names(product) or not isinstance(variant, dict):
        return product
    group = {k: v for k, v in product.items() if k != "hasVariant"}
    merged = group | {k: v for k, v in variant.items() if v not in (None, "", [])}
    # Every variant's offer is kept (the first variant's first): which one is shown, or in stock, is
    # decided against the visible page.
    others = [
        o
        for v in (variants if isinstance(variants, list) else [])[1:]
        if isinstance(v, dict)
        for o in as_nodes(v.get("offers"))
    ]
    if others:
        merged["offers"] = [*as_nodes(merged.get("offers")), *others]
    return merged


def _first_typed(tree: lxml.html.HtmlElement, xpath: str, attribute: str, items: list[Any] | None) -> Any:
    return next(_typed(tree, xpath, attribute, items), None)


def _typed(tree: lxml.html.HtmlElement, xpath: str, attribute: str, items: list[Any] | None) -> Iterator[Any]:
    """The elements typed as a Product, in page order."""
    for element in tree.xpath(xpath) if items is None else items:
        if type_names({"@type": element.get(attribute)}) & PRODUCT_TYPES:
            yield element


def _from_microdata(item: Any) -> Any:
    """extruct's {"type", "properties"} microdata items → JSON-LD-shaped dicts."""
    if isinstance(item, list):
        return [_from_microdata(v) for v in item]
    if not isinstance(item, dict) or not ("type" in item or "properties" in item or "value" in item):
        return item
    node: dict[str, Any] = {"@type": item.get("type", "Thing")}
    if item.get("id"):
        node["@id"] = item["id"]
    if "properties" not in item and isinstance(item.get("value"), str):
        node["name"] = item["value"]  # <span itemprop="brand" itemscope itemtype="…/Brand">Acme</span>
    for key, value in item.get("properties", {}).items():
        node[key] = _from_microdata(value)
    return node


def _rdfa_item(element: Any, base_url: str) -> dict[str, Any]:
    """One RDFa Lite item: its typeof, and the properties under it that no nested item claims."""
    node: dict[str, Any] = {"@type": element.get("typeof", "").split()}
    if element.get("resource"):
        node["@id"] = urljoin(base_url, element.get("resource"))
    _rdfa_collect(element, node, base_url)
    return node


def _rdfa_collect(element: Any, node: dict[str, Any], base_url: str) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        names = [n.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in (child.get("property") or "").split()]
        nested = child.get("typeof") is not None
        value = _rdfa_item(child, base_url) if nested else _rdfa_value(child, base_url) if names else None
        for name in names:
            previous = node.get(name)
            node[name] = value if previous is None else [*_as_list(previous), value]
        if not nested:
            _rdfa_collect(child, node, base_url)


def _rdfa_value(element: Any, base_url: str) -> str:
    for attribute in ("content", "datetime"):
        if element.get(attribute) is not None:
            return element.get(attribute)
    for attribute in ("resource", "href", "src"):
        if element.get(attribute) is not None:
            return urljoin(base_url, element.get(attribute))
    return " ".join(element.text_content().split())


# -- property values: schema.org allows a string, a number, a list or a node almost anywhere ----------


def as_nodes(value: Any) -> list[dict[str, Any]]:
    """The nodes (dicts) in a value that may be one node, a list, or a plain string."""
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]


def first_value(value: Any) -> Any:
    """The first non-empty item of a list; anything else as it is."""
    return next((v for v in value if v not in (None, "")), None) if isinstance(value, list) else value


def text_of(value: Any) -> str | None:
    """A short text from a string, number, list (first) or named node (Brand, Person…); None if empty."""
    value = first_value(value)
    if isinstance(value, dict):
        value = first_value(value.get("name") or value.get("@value"))
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(str(value))).split())
    return text or None


def long_text_of(value: Any) -> str | None:
    """Review text: entities decoded, tags dropped, paragraphs kept."""
    value = first_value(value)
    if not isinstance(value, str):
        return text_of(value)
    value = re.sub(r"<br\s*/?>|</p>", "\n", html.unescape(value), flags=re.I)
    lines = (" ".join(line.split()) for line in re.sub(r"<[^>]+>", " ", value).splitlines())
    return "\n".join(line for line in lines if line) or None


def number_of(value: Any) -> float | None:
    """A number from 4, 4.3, "4.3", "4,3 su 5"; None if there is none."""
    value = first_value(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = re.search(r"\d+(?:[.,]\d+)?", value) if isinstance(value, str) else None
    return float(match.group(0).replace(",", ".")) if match else None


def count_of(value: Any) -> int | None:
    """A count from 128, "1.234", "1,234 ratings"; None if there is none."""
    value = first_value(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if math.isfinite(value) else None
    match = re.search(r"\d[\d.,\s]*", value) if isinstance(value, str) else None
    return int(re.sub(r"\D", "", match.group(0))) if match else None
