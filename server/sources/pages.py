"""Reading a blog, forum, news or video page: main text (trafilatura), kind, sponsorship, canonical URL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html

__all__ = ["MAX_TEXT_CHARS", "ArticlePage", "PageFacts", "canonical_key", "page_facts", "read_article"]

_JSONLD_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?(\w+)"')
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "dailymotion.com", "twitch.tv")
_FORUM_HINTS = re.compile(r"forum|community|reddit|/threads?/|/t/|/topic|discuss|board", re.I)
_NEWS_HINTS = re.compile(r"news|notizie|actualites|nachrichten|noticias", re.I)
# Affiliate links: Amazon Associates tags (…-20, …-21), and the big affiliate networks' redirectors.
_AFFILIATE_LINK = re.compile(
    r"[?&]tag=[\w.-]+-2\d\b|amzn\.to/|awin1\.com|tradedoubler\.com|skimresources\.com|viglink\.com"
    r"|linksynergy\.com|go\.redirectingat\.com|anrdoezrs\.net|shareasale\.com|effiliation\.com",
    re.I,
)
# Disclosures, in the languages zmot's shoppers read.
_DISCLOSURE = re.compile(
    r"affiliate links?|affiliate commission|we (?:may )?earn a (?:small )?commission|paid partnership"
    r"|sponsored (?:post|content|by)|\bad\b:|link (?:di )?affiliazion[ei]|link affiliati|post sponsorizzato"
    r"|liens? affiliés?|lien sponsorisé|article sponsorisé|affiliate-links?|werbung|enlaces? de afiliados?",
    re.I,
)


# "we do not use affiliate links", "non contiene link affiliati": a disclosure that says there is none.
_NEGATION_BEFORE = re.compile(
    r"\b(?:not?|never|without|don't|doesn't|non|né|nessun\w*|senza|pas|aucun\w*|sans|kein\w*|nicht|sin|ningún)\b"
    r"[^.!?\n]{0,40}$",
    re.I,
)
# How far before a disclosure its negation may start: the 40 characters between them, plus the longest
# negation word ("nessuna", "aucunement", "keineswegs") with room to spare.
_NEGATION_REACH = 100
# The main text read of one page: a long review is 20-40 KB of text; past this a page is padding, or made
# to keep a worker busy, and the extraction's time grows with the text it reads.
MAX_TEXT_CHARS = 100_000
_MAX_TITLE_CHARS = 500  # a longer "title" is not one; every sentence of the text is looked up in it


def _discloses(text: str) -> bool:
    """True when the text says it is sponsored or has affiliate links (and does not deny it). One pass:
    the negation is looked for only just before each disclosure, not in all the text before it."""
    for match in _DISCLOSURE.finditer(text):
        start = match.start()
        if not _NEGATION_BEFORE.search(text, max(0, start - _NEGATION_REACH), start):
            return True
    return False


_WRITTEN = {
    "Review",
    "Article",
    "BlogPosting",
    "NewsArticle",
    "VideoObject",
    "DiscussionForumPosting",
    "QAPage",
}


@dataclass
class ArticlePage:
    url: str
    canonical_url: str
    title: str | None
    text: str
    author: str | None
    published: str | None
    site: str | None
    kind: str  # blog | forum | news | video
    sponsored: bool
    language: str | None
    is_shop: bool = False  # a shop's product page: an offer, not somebody's opinion
    channel: str | None = None  # a video's channel: whose opinion it is, as the blog's name is for a blog
    replies: int | None = None  # a forum thread's replies: how many owners answered, where the page says


def canonical_key(url: str) -> str:
    """The URL without query, fragment and trailing slash, lower-case host: equal for the same page."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/") or "/", "", ""))


@dataclass
class PageFacts:
    """What a page's markup says it is: its schema.org types and og:type."""

    types: set[str]
    og_type: str

    @property
    def is_shop(self) -> bool:
        return _is_shop(self.types, self.og_type)


def page_facts(tree: lxml.html.HtmlElement) -> PageFacts:
    """The page's schema.org types (JSON-LD and microdata) and og:type, from its parsed tree."""
    types = set(_JSONLD_TYPE.findall(" ".join(tree.xpath("//script[@type='application/ld+json']/text()"))))
    og_type = next(iter(tree.xpath("//meta[@property='og:type']/@content")), "")
    types |= {t.rsplit("/", 1)[-1] for t in tree.xpath("//*[@itemtype]/@itemtype")}
    return PageFacts(types, og_type)


def read_article(url: str, html: str, tree: lxml.html.HtmlElement | None = None) -> ArticlePage | None:
    """Main text and facts of an article-like page; None when it has no main text. CPU-bound, and bounded:
    the extraction reads at most MAX_TEXT_CHARS of the page's text, however large the page. `tree` is the
    page already parsed (it is cut down in place)."""
    if tree is None:
        try:
            tree = lxml.html.document_fromstring(html)
        except (ValueError, lxml.etree.ParserError):
            return None
    canonical = next(iter(tree.xpath("//link[@rel='canonical']/@href")), None)
    canonical = urljoin(url, canonical) if canonical else url
    links = " ".join(tree.xpath("//a/@href"))
    sponsored_rel = bool(tree.xpath("//a[contains(concat(' ', normalize-space(@rel), ' '), ' sponsored ')]"))
    # The page's language as it declares it: <html lang>, else og:locale ("it_IT").
    lang = next(iter(tree.xpath("/html/@lang | //meta[@property='og:locale']/@content")), None)
    facts = page_facts(tree)
    types, og_type = facts.types, facts.og_type
    kind = _kind(canonical, types, og_type)
    # Only videos and threads are looked into for their channel and replies: a blog costs nothing more.
    objects = list(_jsonld_objects(tree)) if kind in ("video", "forum") else []
    channel = _channel(tree, objects) if kind == "video" else None
    replies = _replies(tree, objects) if kind == "forum" else None
    _keep_first_text(tree, MAX_TEXT_CHARS)
    # Imported here: reading articles is a worker's job (server.sources.warmed imports it there); the
    # server itself need not spend its start on it.
    import trafilatura

    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False)
    text = ((doc.text if doc is not None else "") or "")[:MAX_TEXT_CHARS]
    if not text.strip():
        return None
    return ArticlePage(
        url=url,
        canonical_url=canonical,
        title=doc.title[:_MAX_TITLE_CHARS] if doc.title else doc.title,
        text=text,
        author=doc.author,
        published=doc.date,
        site=doc.sitename or urlsplit(url).hostname,
        kind=kind,
        sponsored=sponsored_rel or bool(_AFFILIATE_LINK.search(links)) or _discloses(text),
        language=re.split(r"[-_]", lang or "")[0].strip().lower() or None,
        is_shop=_is_shop(types, og_type),
        channel=channel,
        replies=replies,
    )


def _keep_first_text(tree: lxml.html.HtmlElement, limit: int) -> None:
    """Cut the document after its first `limit` characters of text. Scripts and styles, which are no text
    a reader sees, go first; JSON-LD stays, for the metadata, and like comments does not count."""
    for element in tree.xpath("//script[not(@type='application/ld+json')] | //style"):
        element.drop_tree()  # keeps the text that follows the element
    seen = 0
    for element in tree.iter():
        readable = isinstance(element.tag, str) and element.tag != "script"
        seen += len((element.text if readable else None) or "") + len(element.tail or "")
        if seen > limit:
            break
    else:
        return
    for child in list(element):
        element.remove(child)
    node = element
    while (parent := node.getparent()) is not None:
        for later in list(node.itersiblings()):
            parent.remove(later)
        node = parent


def _is_shop(types: set[str], og_type: str) -> bool:
    """A page that sells (an Offer, og:type product) and is not also an article, review or post."""
    sells = bool(types & {"Offer", "AggregateOffer"}) or og_type.startswith("product")
    writes = bool(types & _WRITTEN) or og_type == "article"
    return sells and not writes


def _kind(url: str, types: set[str], og_type: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    if "VideoObject" in types or og_type.startswith("video") or host.endswith(_VIDEO_HOSTS):
        return "video"
    if types & {"DiscussionForumPosting", "QAPage"} or _FORUM_HINTS.search(url):
        return "forum"
    if "NewsArticle" in types or _NEWS_HINTS.search(host):
        return "news"
    return "blog"


# What a thread's answers are called on its page: "12 replies", "12 risposte", "12 réponses"...
_VISIBLE_REPLIES = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d+)\s+(?:repl(?:y|ies)|rispost[ae]|réponses?|respuestas?"
    r"|antworten|respostas?|comments?|commenti|commentaires?|kommentare)\b",
    re.I,
)
_THREAD_TYPES = {"DiscussionForumPosting", "SocialMediaPosting", "QAPage", "Question"}
_REPLY_ACTIONS = ("CommentAction", "ReplyAction")


def _jsonld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, `@graph` members and lists flattened; broken blocks skipped."""
    for block in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def _types_of(obj: dict[str, Any]) -> set[str]:
    types = obj.get("@type")
    names = types if isinstance(types, list) else [types]
    return {str(t).rsplit("/", 1)[-1] for t in names if t}


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() or None if value else None


def _channel(tree: lxml.html.HtmlElement, objects: list[dict[str, Any]]) -> str | None:
    """The video's channel: VideoObject's author or creator, else the microdata YouTube writes
    (`<span itemprop="author"><link itemprop="name" content="…">`); None when the page names none."""
    for obj in objects:
        if "VideoObject" in _types_of(obj):
            name = _name(obj.get("author")) or _name(obj.get("creator"))
            if name:
                return name
    for author in tree.xpath("//*[@itemprop='author']"):
        names = author.xpath(
            ".//*[@itemprop='name']/@content | .//*[@itemprop='name'][not(@content)]//text()"
        )
        name = " ".join("".join(names).split()) or None
        if name:
            return name
    return None


def _replies(tree: lxml.html.HtmlElement, objects: list[dict[str, Any]]) -> int | None:
    """The thread's reply count: its JSON-LD commentCount, answerCount or comment/reply counter,
    else a visible "N replies" in the page's languages; None when the page does not say."""
    for obj in objects:
        if not _types_of(obj) & _THREAD_TYPES:
            continue
        target = obj.get("mainEntity") if isinstance(obj.get("mainEntity"), dict) else obj
        for key in ("commentCount", "answerCount"):
            if str(target.get(key, "")).isdigit():
                return int(target[key])
        stats = target.get("interactionStatistic")
        for stat in stats if isinstance(stats, list) else [stats]:
            if not isinstance(stat, dict):
                continue
            action = stat.get("interactionType")
            action = action.get("@type", "") if isinstance(action, dict) else str(action or "")
            if action.endswith(_REPLY_ACTIONS) and str(stat.get("userInteractionCount", "")).isdigit():
                return int(stat["userInteractionCount"])
    text = " ".join(tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))
    match = _VISIBLE_REPLIES.search(text)
    return int(re.sub(r"\D", "", match.group(1))) if match else None
