"""The page index site plugins look elements up in; it lives in `scrapers.page_index`, shared as
`Page.index` by the generic extractor and every plugin."""

from scrapers.page_index import PageIndex

__all__ = ["PageIndex"]
