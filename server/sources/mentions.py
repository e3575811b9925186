"""Mentions: search for reviews of the product, read the top pages, keep those really about it."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapers.base import PluginContext
from scrapers.sources import SearchProvider
from scrapers.types import Product
from scrapers.urls import is_web_url
from server.analysis.sentiment import label_of, score, split_sentences
from server.i18n import code
from server.sources.found import FoundPages
from server.sources.identity import fold
from server.sources.pages import ArticlePage, canonical_key
from server.sources.queries import mention_queries, product_tokens
from server.sources.reading import entry_maker, ms_since, read_all, source_entry, time_left
from server.workers import CpuPool

__all__ = ["MentionsResult", "find_mentions", "mention_item"]

_SNIPPET_CHARS = 240
_TEXT_CHARS = 600
_READ_AT_ONCE = 32  # the fetcher still keeps to its per-host limits


@dataclass
class MentionsResult:
    items: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    query: str = ""

    def section(self) -> dict[str, Any]:
        """The briefing's `mentions` section: independent sources first, and their overall sentiment."""
        return {"query": self.query, "items": self.items, "sentiment": _overall(self.items)}


def _mentions_product(text: str, tokens: list[str]) -> int:
    """How often the product is named in `text`: 0 unless every token occurs in it (accents folded)."""
    lowered = fold(text)
    counts = [len(re.findall(rf"(?<!\w){re.escape(t)}(?!\w)", lowered)) for t in tokens]
    return min(counts) if counts and all(counts) else 0


def mention_item(article: ArticlePage, tokens: list[str], lang: str | None) -> dict[str, Any] | None:
    """A briefing item for an article about the product, or None when it is not about it. CPU-bound."""
    # The title counts: a forum post under "QuietPro 700 after 3 months" need not repeat the name.
    relevance = _mentions_product(f"{article.title or ''}\n{article.text}", tokens)
    if not relevance:
        return None
    sentences = split_sentences(article.text)
    naming = [i for i, s in enumerate(sentences) if any(t in fold(s) for t in tokens[1:] or tokens)]
    about = [sentences[i] for i in naming]
    if relevance >= 2 or _mentions_product(article.title or "", tokens):
        scored_text = sentences  # a page titled after the product, or that keeps naming it, is about it
    else:
        # A passing mention: its sentence and the next, which usually goes on about it ("It lasts a day").
        follow = {i + 1 for i in naming}
        scored_text = about + [sentences[i] for i in sorted(follow) if i < len(sentences)]
    language = article.language or lang or "auto"
    compounds = [c for c in (score(s, language).compound for s in scored_text) if c is not None]
    # Factual sentences ("Tried three cables") score 0 and would drown the opinions; average the opinions.
    opinions = [c for c in compounds if abs(c) >= 0.05]
    mean = round(sum(opinions) / len(opinions), 3) if opinions else (0.0 if compounds else None)
    # The heading is the page's title again; the snippet should say something the title does not.
    title = (article.title or "").strip().lower()
    about = [s for s in about if s.strip().lower() not in title] or about
    snippet = next((s for s in about if 40 <= len(s) <= _SNIPPET_CHARS), (about or sentences or [""])[0])
    return {
        "title": article.title,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "site": article.site,
        "kind": article.kind,
        "published": article.published,
        "author": article.author,
        "language": article.language,
        "channel": article.channel,
        "replies": article.replies,
        "snippet": snippet[:_SNIPPET_CHARS],
        "text": article.text[:_TEXT_CHARS],
        "sentiment": None if mean is None else {"compound": mean, "label": label_of(mean)},
        "sponsored": article.sponsored,
        "relevance": relevance,
    }


async def _mention(
    found: FoundPages, url: str, tokens: list[str], lang: str | None, plugin: str
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    started = time.monotonic()
    page = await found.read(url)

    entry = entry_maker("mention", plugin=plugin, url=url, started=started)

    if page.status != "ok":
        return None, entry(page.status, page.error, page.error_code)
    if page.article is None:
        return None, entry("skipped", code("source_shop_page"))
    try:
        item = await found.cpu.run(mention_item, page.article, tokens, lang, timeout=time_left(found.ctx))
    except TimeoutError:
        return None, entry("timeout", code("source_read_late"))
    return item, entry("skipped", code("source_not_about")) if item is None else entry("ok")


async def find_mentions(
    ctx: PluginContext,
    provider: SearchProvider,
    product: Product,
    *,
    cpu: CpuPool,
    lang: str = "en",
    limit: int = 10,
    exclude_hosts: tuple[str, ...] = (),
    found: FoundPages | None = None,
) -> MentionsResult:
    """Search for reviews, opinions and comparisons (concurrently, in the shopper's language and the
    product's), read the results that name the product, keep the relevant ones once per canonical URL,
    independent sources first. Late pages are left out, marked timeout. Pages are read in `cpu` workers,
    once per briefing, whether offers or mentions asked first."""
    found = found if found is not None else FoundPages(ctx, cpu, product)
    identity = await found.identity()
    queries = mention_queries(identity, lang)
    result = MentionsResult(query=queries[0].text)
    started = time.monotonic()
    searches = await asyncio.gather(
        *(found.search(provider, q.text, limit=limit * 2, lang=q.lang or lang) for q in queries),
        return_exceptions=True,
    )
    failures = [s for s in searches if isinstance(s, BaseException)]
    if failures and len(failures) == len(searches):
        raise failures[0]
    result.sources.append(source_entry("search", "ok", plugin=provider.name, elapsed_ms=ms_since(started)))
    tokens = product_tokens(identity)
    # The first query's results first, then what the others add; a link no fetcher could follow (from a
    # third-party search plugin) costs that result only.
    urls = dict.fromkeys(
        hit.url
        for hits in searches
        if not isinstance(hits, BaseException)
        for hit in hits
        if is_web_url(hit.url) and not _on_hosts(hit.url, exclude_hosts)
    )
    read = await read_all(
        ctx,
        urls,
        lambda url: _mention(found, url, tokens, lang, provider.name),
        at_once=_READ_AT_ONCE,
        name="mention",
        plugin=provider.name,
    )
    seen: set[str] = set()
    for item, source in read:
        result.sources.append(source)
        if item is not None and canonical_key(item["canonical_url"]) not in seen:
            seen.add(canonical_key(item["canonical_url"]))
            result.items.append(item)
    result.items.sort(key=lambda m: _rank(m, lang))
    result.items = result.items[:limit]
    return result


def _rank(item: dict[str, Any], lang: str) -> tuple[bool, bool, int]:
    """Independent sources first, sponsored last; within each, those in the shopper's language first (an
    Italian shopper reads the Italian forum before the English one), then those that name the product most."""
    return item["sponsored"], (item["language"] or "") != lang.lower(), -item["relevance"]


def _on_hosts(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts if h)


def _overall(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Shares of positive/neutral/negative among independent mentions (all of them if none is)."""
    independent = [m for m in items if not m["sponsored"]] or items
    scored = [m["sentiment"]["compound"] for m in independent if m["sentiment"]]
    if not scored:
        return None
    n = len(scored)
    return {
        "mean": round(sum(scored) / n, 3),
        "positive": round(sum(c >= 0.05 for c in scored) / n, 3),
        "neutral": round(sum(-0.05 < c < 0.05 for c in scored) / n, 3),
        "negative": round(sum(c <= -0.05 for c in scored) / n, 3),
        "counted": n,
        "independent_only": any(not m["sponsored"] for m in items),
    }
