"""The product page as the shopper sees it: price, availability, code, brand and name from the visible page.

Markup is what a shop tells machines; the visible page is what it tells the shopper, and the two disagree
often enough (a sale price only on the page, a sold-out first variant in the markup) that zmot reads both.
Every field keeps its candidates with a score and the reasons for it, so a result can be explained:
`VisiblePage.candidates["price"]` is best first, and `best("price")` is the winner if it scored enough.
The page is read from the one parsed tree; nothing here parses HTML again.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from scrapers.markup import TITLE_SEPARATOR, phrases, text_content
from scrapers.page_index import PageIndex

__all__ = ["Candidate", "PageView", "VisiblePage", "read_visible"]

_SKIP = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "title", "option", "select", "textarea"}
)
_OTHER_TAGS = frozenset({"header", "footer", "nav", "aside"})
_FRAME_TAGS = frozenset({"header", "footer", "nav"})
_CART_ACTION = re.compile(
    r"add[-_]?to[-_]?(?:cart|bag|basket)|cart/add|/cart\b|/checkout/cart|panier|basket|warenkorb|carrello"
    r"|cesta|carrinho|carrito|koszyk|winkelwagen|kosik|varukorg|handlekurv|ostoskori",
    re.I,
)
# Class/id words of blocks that show other products or the site around the product: a price there is not
# this product's price. Matched inside class and id tokens ("product-carousel", "relatedProducts").
_OTHER_WORDS = (
    "carousel",
    "slider",
    "swiper",
    "slick",
    "recommend",
    "related",
    "similar",
    "upsell",
    "up-sell",
    "crosssell",
    "cross-sell",
    "alsobought",
    "also-bought",
    "also-viewed",
    "recently",
    "sponsor",
    "minicart",
    "mini-cart",
    "cart-drawer",
    "cartdrawer",
    "breadcrumb",
    "megamenu",
    "mega-menu",
    "bundle",
    "accessor",
    "sims-",
    "cookie",
)
_OTHER_TOKENS = frozenset(
    {
        "header",
        "footer",
        "site-header",
        "site-footer",
        "page-header",
        "page-footer",
        "navbar",
        "nav",
        "navigation",
        "menu",
        "sidebar",
        "cart",
        "basket",
    }
)
_OTHER_PATTERN = phrases("|".join(map(re.escape, _OTHER_WORDS)))
_DIALOG_PATTERN = re.compile(r"(?<![a-z])(modal|overlay|dialog|popup|lightbox)(?![a-z])", re.I)
_WORD = re.compile(r"\w{2,}")
# Only a score this high makes a visible value the page's own when markup says nothing.
MIN_SCORE = 2.0


@dataclass
class Candidate:
    """One value a field could take, with its score and the reasons for the score, best explained first."""

    value: str
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    currency: str | None = None  # for prices
    order: int = 0  # position in the page, for a stable tie-break (earlier wins)
    flags: set[str] = field(default_factory=set)  # "struck", "lowest_30d", "auction", "unit", …

    def add(self, points: float, reason: str) -> None:
        """Score `points` for `reason` (negative points are reasons against)."""
        self.score += points
        self.reasons.append(f"{points:+g} {reason}")

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "currency": self.currency,
            "score": round(self.score, 2),
            "reasons": self.reasons,
        }


@dataclass
class VisiblePage:
    """What the visible page shows, field by field: candidates best first, and the page-level facts."""

    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    buy_buttons: int = 0  # add-to-cart buttons outside other products' blocks
    auction: bool = False

    def best(self, name: str, minimum: float = MIN_SCORE) -> Candidate | None:
        """The winning candidate for a field, if any scored at least `minimum`."""
        found = self.candidates.get(name) or []
        return found[0] if found and found[0].score >= minimum else None

    def rank(self, name: str, found: list[Candidate]) -> None:
        """Store a field's candidates best first (ties: earlier in the page)."""
        self.candidates[name] = sorted(found, key=lambda c: (-c.score, c.order))


class PageView:
    """The parsed page with what every visible reader asks of it, computed once: the text-bearing elements
    in page order, the product's title element, the buy buttons, and which blocks show other products.

    The page is walked once. Pass the page's shared `index` (`Page.index`) so that walk reuses the element
    objects the index already made instead of making its own."""

    def __init__(
        self, tree: HtmlElement, meta_title: str | None = None, index: PageIndex | None = None
    ) -> None:
        self.tree = tree
        self.index = index if index is not None else PageIndex(tree)
        self._other: dict[HtmlElement, bool] = {}
        # `words(element)`: a dict look-up in C once an element's words are known (asked thousands of times
        # a page, by the price and fact readers), the index's reading on the first ask.
        self.words = _Words(self.index).__getitem__
        self.texts: list[tuple[HtmlElement, str]] = []  # (element, its own text) in page order
        self.order: dict[HtmlElement, int] = {}
        self.h1s: list[HtmlElement] = []
        self.buttons: list[HtmlElement] = []
        body = tree.find("body")
        self._collect(body if body is not None else tree)
        # itemprop="price" content="…": a price with no text to show
        self.price_attributes: list[HtmlElement] = [
            element
            for element in self.index.itemprop_contents
            if element in self.order and element.get("content") and element.get("itemprop").lower() == "price"
        ]
        self.title = self._title(meta_title)
        # A block holding the product's title is the product's, whatever its class says ("product-header").
        self._keep = set(self._path(self.title)) if self.title is not None else set()
        self._title_path = self._path(self.title) if self.title is not None else {}
        self.buy_path: dict[HtmlElement, int] = {}  # set by the availability reader: the buy button's path

    def _collect(self, root: HtmlElement) -> None:
        """File the texts, h1s and buttons of root's subtree, in the index's one list of elements (a walk
        through lxml costs several times more than reading that list; a subtree under a skipped tag is
        found by lxml's own tag filter instead of asking every element for its parent)."""
        elements, start, end = self._subtree(root)
        self.order = order = dict(zip(elements[start:end], range(end - start), strict=True))
        # A skipped subtree is a run of positions in page order: (first, past its last, its top element).
        runs: list[tuple[int, int, HtmlElement]] = []
        reach = 0
        for element in root.iter(*_SKIP):
            first = order[element]
            if first >= reach:  # not inside a skipped subtree already
                reach = first + sum(1 for _ in element.iter(etree.Element))
                runs.append((first, reach, element))
        texts = self.texts
        position = 0
        for first, reach, skipped in (*runs, (end - start, end - start, None)):
            for element in elements[start + position : start + first]:
                text = element.text
                if text and not text.isspace():
                    texts.append((element, " ".join(text.split())))
                tail = element.tail
                if tail and not tail.isspace():
                    parent = element.getparent()
                    if parent is not None:
                        texts.append((parent, " ".join(tail.split())))
            if skipped is not None and skipped is not root:  # its tail is text of its parent's
                tail = skipped.tail
                if tail and not tail.isspace():
                    texts.append((skipped.getparent(), " ".join(tail.split())))
            position = reach
        for first, reach, _ in runs:
            for element in elements[start + first : start + reach]:
                del order[element]
        self.h1s = [element for element in root.iter("h1") if element in order]
        self.buttons = [element for element in root.iter("button", "input", "a") if element in order]

    def _subtree(self, root: HtmlElement) -> tuple[list[HtmlElement], int, int]:
        """A list of elements in page order and where root's subtree starts and ends in it: the index's list
        when it holds root (its element objects are made already), else root's own."""
        elements = self.index.elements
        try:
            start = elements.index(root)
        except ValueError:
            elements, start = list(root.iter(etree.Element)), 0
            return elements, start, len(elements)
        following = next(
            (nxt for e in (root, *root.iterancestors()) for nxt in e.itersiblings(etree.Element)), None
        )
        end = len(elements) if following is None else elements.index(following, start)
        return elements, start, end

    def _title(self, meta_title: str | None) -> HtmlElement | None:
        """The element naming the product: an h1 outside other products' blocks and dialogs (a cookie or
        privacy notice has its own h1) sharing the title's words (og:title, else <title>); else the element
        showing the title or a part of it; else the first such h1, outside the site's frame first."""
        h1s = [
            h1
            for h1 in self.h1s
            if " ".join(text_content(h1).split()) and not _among_other_products(h1) and not _in_dialog(h1)
        ]
        meta_words = set(_WORD.findall((meta_title or "").lower()))
        for h1 in h1s:
            words = set(_WORD.findall(text_content(h1).lower()))
            if meta_words and len(words & meta_words) * 2 >= min(len(words), len(meta_words)):
                return h1
        # No h1 names what the title names (the h1 is a category's, or there is none): the element that
        # shows the title, whole or one of its parts ("Moka Express | Bialetti Store").
        wanted = " ".join((meta_title or "").split()).lower()
        if wanted:
            parts = {wanted} | {part for part in TITLE_SEPARATOR.split(wanted) if len(part.split()) >= 2}
            for element, text in self.texts:
                shown = len(text) <= len(wanted) and text.lower() in parts
                if shown and not _among_other_products(element) and not _in_site_frame(element):
                    return element
        # Else the first h1, one outside the site's header, navigation and footer (a logo's) first.
        return next((h1 for h1 in h1s if not _in_site_frame(h1)), h1s[0] if h1s else None)

    def is_other(self, element: HtmlElement) -> bool:
        """True inside a block of other products or of the site's frame (carousel, cart, header, footer)."""
        if element in self._other:
            return self._other[element]
        parent = element.getparent()
        other = (element not in self._keep and _looks_other(element)) or (
            parent is not None and self.is_other(parent)
        )
        self._other[element] = other
        return other

    def distance_to_title(self, element: HtmlElement) -> int | None:
        """Steps through the tree from `element` to the product's title (None without a title)."""
        if not self._title_path:
            return None
        for steps, ancestor in enumerate((element, *element.iterancestors())):
            if ancestor in self._title_path:
                return steps + self._title_path[ancestor]
        return None

    @functools.cached_property
    def cart_forms(self) -> frozenset[HtmlElement]:
        """The forms that put the product in the cart, told by where they send it ("/cart/add",
        "/add-to-cart/", "panier", "Warenkorb"), outside the site's frame and other products' blocks."""
        forms = [form for form in self.tree.iter("form") if _CART_ACTION.search(form.get("action") or "")]
        return frozenset(form for form in forms if form in self.order and not self.is_other(form))

    def in_cart_form(self, element: HtmlElement) -> HtmlElement | None:
        """The cart form the element stands in, if any."""
        if not self.cart_forms:
            return None
        return next((form for form in element.iterancestors("form") if form in self.cart_forms), None)

    def set_buy_button(self, element: HtmlElement) -> None:
        """Remember the product's buy button, which prices are scored near."""
        self.buy_path = self._path(element)

    @staticmethod
    def _path(element: HtmlElement) -> dict[HtmlElement, int]:
        return {ancestor: steps for steps, ancestor in enumerate((element, *element.iterancestors()))}


class _Words(dict[HtmlElement, str]):
    """`PageIndex.words` of each element asked, computed once."""

    def __init__(self, index: PageIndex) -> None:
        super().__init__()
        self._index = index

    def __missing__(self, element: HtmlElement) -> str:
        found = self[element] = self._index.words(element)
        return found


def _in_dialog(element: HtmlElement) -> bool:
    """Inside a dialog or an overlay laid over the page (consent notices, sign-in boxes)."""
    for ancestor in element.iterancestors():
        if ancestor.tag == "dialog" or ancestor.get("role") in ("dialog", "alertdialog"):
            return True
        if ancestor.get("aria-modal") == "true" or _DIALOG_PATTERN.search(ancestor.get("class") or ""):
            return True
    return False


def _in_site_frame(element: HtmlElement) -> bool:
    """Inside the page's header, navigation or footer, where a site puts its own name (a logo's h1)."""
    return any(ancestor.tag in _FRAME_TAGS for ancestor in element.iterancestors())


def _among_other_products(element: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if _OTHER_PATTERN.search(f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower()):
            return True
    return False


def _looks_other(element: HtmlElement) -> bool:
    if element.tag in _OTHER_TAGS:
        return True
    return _other_words(f"{element.get('class') or ''} {element.get('id') or ''}".lower())


@functools.lru_cache(maxsize=4096)
def _other_words(words: str) -> bool:
    """Class and id words of a block of other products or of the site's frame. Cached: a page repeats its
    class names on hundreds of elements, and every element up from each candidate asks."""
    if words.isspace():
        return False
    return bool(_OTHER_PATTERN.search(words)) or any(t in _OTHER_TOKENS for t in words.split())


def words_of(element: HtmlElement) -> str:
    """Class, id, itemprop and data-hook words of an element, lower case, for matching shop vocabulary."""
    get = element.get  # asked for thousands of elements a page: four plain look-ups, no generator
    return f"{get('class') or ''} {get('id') or ''} {get('itemprop') or ''} {get('data-hook') or ''}".lower()


def read_visible(
    tree: HtmlElement,
    *,
    index: PageIndex | None = None,
    country: str | None = None,
    meta_title: str | None = None,
    currency: str | None = None,
    url: str | None = None,
) -> VisiblePage:
    """Read the visible page: candidates for price, list price, lowest 30-day price, availability, sku,
    brand and name. `currency` is the page's currency when its markup or meta tags say it; `url` is the
    page's address, where many shops put the product's code."""
    from scrapers.visible_facts import read_facts
    from scrapers.visible_price import read_prices

    view = PageView(tree, meta_title, index)
    visible = VisiblePage()
    read_facts(view, visible, url)
    read_prices(view, visible, country=country, currency=currency)
    return visible
