"""Elements of one parsed page filed in one walk: by `id`, by `data-hook`, and the schema.org items.

A whole-document `//*[@id="x"]` costs a full scan per field (2–85 ms per Amazon page over its ~60 fields);
one walk that files every element by id and data-hook makes each later look-up a dict access. Amazon repeats
some ids (two `acrPopover`, several `acrCustomerReviewText`), so an id keeps every element that carries it,
in document order; lxml's `id()` and `get_element_by_id` keep only one.

The index also holds every element of the page: lxml makes a Python object for an element each time one is
reached and no object for it is alive, which costs about as much as the walk itself. Held here, the objects
are made once per page and every later walk (the visible-page reader, a plugin's XPath) reuses them.
Build it through `Page.index`, so the generic extractor and every plugin share one.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from scrapers.markup import attr, text, texts

__all__ = ["PageIndex"]


class PageIndex:
    """The elements of one tree by `id` and by `data-hook`, each in document order, and its typed items."""

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree
        ids: dict[str, list[HtmlElement]] = {}
        hooks: dict[str, list[HtmlElement]] = {}
        self.itemscopes: list[HtmlElement] = []  # elements with itemscope and itemtype (microdata items)
        self.typeofs: list[HtmlElement] = []  # elements with typeof (RDFa items)
        self.itemprops: list[HtmlElement] = []  # elements with an itemprop
        self.itemprop_contents: list[HtmlElement] = []  # itemprop="…" content="…": a value not shown as text
        self.elements: list[HtmlElement] = list(tree.iter(etree.Element))
        # The values read here, by element: `words` reads them back instead of asking lxml again.
        id_of: dict[HtmlElement, str] = {}
        hook_of: dict[HtmlElement, str] = {}
        itemprop_of: dict[HtmlElement, str] = {}
        for element in self.elements:
            names = element.keys()  # one call for the attribute names is cheaper than a get() per name
            if not names:
                continue
            if "id" in names:
                found = element.get("id")
                if found:
                    ids.setdefault(found, []).append(element)
                    id_of[element] = found
            if "data-hook" in names:
                hook = element.get("data-hook")
                if hook:
                    hooks.setdefault(hook, []).append(element)
                    hook_of[element] = hook
            if "itemprop" in names:
                self.itemprops.append(element)
                itemprop_of[element] = element.get("itemprop") or ""
                if "content" in names:
                    self.itemprop_contents.append(element)
            if "itemtype" in names and "itemscope" in names:
                self.itemscopes.append(element)
            if "typeof" in names:
                self.typeofs.append(element)
        self._ids, self._hooks = ids, hooks
        # " id itemprop data-hook" of the elements that have any of the three, for `words`: most elements
        # have none, and their words are their class alone.
        extra: dict[HtmlElement, str] = {}
        for element in (*id_of, *itemprop_of, *hook_of):
            if element not in extra:
                extra[element] = (
                    f" {id_of.get(element, '')} {itemprop_of.get(element, '')} {hook_of.get(element, '')}"
                )
        self._extra = extra
        self._classes: list[tuple[HtmlElement, str]] | None = None

    def words(self, element: HtmlElement) -> str:
        """Class, id, itemprop and data-hook words of one of the tree's elements, lower case, for matching
        shop vocabulary: one attribute read instead of four, the other three were filed by the walk."""
        return f"{element.get('class') or ''}{self._extra.get(element, '   ')}".lower()

    def marked_words(self, element: HtmlElement) -> str:
        """What `words` adds to an element's class words: its id, itemprop and data-hook words (not lower
        case), or "" when it has none of the three; for a reader that matches class words apart."""
        return self._extra.get(element, "")

    def words_lines(self, elements: list[HtmlElement]) -> str:
        """The `words` of each element, one a line (a line break inside an attribute read as a space): one
        lower() over all the lines, for a regex to search them in one pass."""
        extra = self._extra.get
        lines = [f"{element.get('class') or ''}{extra(element, '   ')}" for element in elements]
        joined = "\n".join(lines)
        if joined.count("\n") != len(lines) - 1:
            joined = "\n".join([line.replace("\n", " ") for line in lines])
        return joined.lower()

    def classed(self, *parts: str, tag: str | None = None, whole: bool = False) -> list[HtmlElement]:
        """Elements whose class attribute contains every one of `parts`, in document order: XPath's
        `contains(@class, "x")`, or with `whole` a whole class name only ("review", not "review-title").
        The class attributes are gathered on the first call, so a plugin that asks for twenty classes
        reads the page once instead of scanning it twenty times."""
        if self._classes is None:
            self._classes = [(e, found) for e in self.elements if (found := e.get("class"))]
        if len(parts) == 1 and tag is None and not whole:  # the common case, kept to one comprehension
            return [element for element, classes in self._classes if parts[0] in classes]
        found = []
        for element, classes in self._classes:
            if tag is not None and element.tag != tag:
                continue
            names = classes.split() if whole else classes
            if all(part in names for part in parts):
                found.append(element)
        return found

    def class_text(self, *parts: str, tag: str | None = None, under: str = ".") -> str | None:
        """The first non-empty text of `under` below the elements `classed(*parts, tag=tag)` finds."""
        for element in self.classed(*parts, tag=tag):
            value = text(element, under)
            if value:
                return value
        return None

    def ids(self, *names: str) -> list[HtmlElement]:
        """Every element carrying one of the ids, the first-named id's elements first."""
        return [element for name in names for element in self._ids.get(name, ())]

    def hooks(self, *names: str) -> list[HtmlElement]:
        """Every element with one of the `data-hook` values, the first-named value's elements first."""
        return [element for name in names for element in self._hooks.get(name, ())]

    def hook_names(self) -> list[str]:
        """The `data-hook` values present on the page."""
        return list(self._hooks)

    def text(self, *ids: str, under: str = ".") -> str | None:
        """The first non-empty text of `under` (an XPath relative to each element) below the ids."""
        return next(iter(self.texts(*ids, under=under)), None)

    def texts(self, *ids: str, under: str = ".") -> list[str]:
        """The non-empty texts of `under` below every element carrying one of the ids."""
        return [found for element in self.ids(*ids) for found in texts(element, under)]

    def attr(self, *ids: str, name: str, under: str = ".") -> str | None:
        """The first non-empty attribute `name` of `under` below the ids."""
        for element in self.ids(*ids):
            value = attr(element, under, name)
            if value:
                return value
        return None

    def hook_text(self, *hooks: str, under: str = ".") -> str | None:
        """The first non-empty text of `under` below the elements with one of the data-hooks."""
        for element in self.hooks(*hooks):
            value = text(element, under)
            if value:
                return value
        return None
