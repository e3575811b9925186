"""Elements by `id` and by `data-hook`, found in one walk over the tree.

A whole-document `//*[@id="x"]` costs a full scan per field (2–85 ms per Amazon page over its ~60 fields);
one walk that files every element by id and data-hook makes each later look-up a dict access. Amazon repeats
some ids (two `acrPopover`, several `acrCustomerReviewText`), so an id keeps every element that carries it,
in document order; lxml's `id()` and `get_element_by_id` keep only one.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree
from lxml.html import HtmlElement

from scrapers.markup import attr, text, texts

__all__ = ["PageIndex"]


class PageIndex:
    """The elements of one tree by `id` and by `data-hook`, each in document order."""

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree
        ids: dict[str, list[HtmlElement]] = defaultdict(list)
        hooks: dict[str, list[HtmlElement]] = defaultdict(list)
        for element in tree.iter(etree.Element):
            found = element.get("id")
            if found:
                ids[found].append(element)
            hook = element.get("data-hook")
            if hook:
                hooks[hook].append(element)
        self._ids, self._hooks = dict(ids), dict(hooks)

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
