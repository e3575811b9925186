"""The sections of zmot's settings, one frozen dataclass each: what a self-hoster may set in [server],
[store], [fetch], [briefing], [search], [privacy], [notify], [watch] and [plugins], with the defaults."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs

__all__ = [
    "NO_SEARCH",
    "BriefingSettings",
    "FetchSettings",
    "NotifySettings",
    "NotifyTarget",
    "PluginSettings",
    "PrivacySettings",
    "SearchSettings",
    "ServerSettings",
    "StoreSettings",
    "WatchSettings",
    "searxng_search_url",
]


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8750
    tokens: list[str] = field(default_factory=list)
    cors_origins: list[str] = field(default_factory=list)
    # Names the Host header may carry besides loopback names and `host`: a reverse proxy's, a LAN name.
    hosts: list[str] = field(default_factory=list)
    # With no tokens, `zmot serve` makes a pairing code once and requires it; false leaves a loopback
    # server open to every local program (the Origin, Host and JSON checks still keep web pages out).
    pairing: bool = True
    max_connections: int = 1000  # open at once; kept below the file descriptor limit
    head_timeout_s: float = 10.0  # a request head not complete by then closes its connection
    body_timeout_s: float = 60.0  # a request body not complete by then gets 408


@dataclass(frozen=True)
class StoreSettings:
    backend: str = "sqlite"
    path: str = ""  # empty: zmot.sqlite3 in the user's data directory
    redis_url: str = ""
    redis_prefix: str = "zmot:"  # zmot's keys in Redis start with this, so one Redis can hold other data

    def sqlite_path(self) -> Path:
        if self.path:
            return Path(self.path).expanduser()
        return Path(platformdirs.user_data_dir("zmot")) / "zmot.sqlite3"


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout_s: float = 5.0
    first_byte_timeout_s: float = 10.0
    total_timeout_s: float = 20.0
    max_bytes: int = 8_000_000
    max_header_bytes: int = 16_384
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_interval_s: float = 0.1
    user_agent: str = ""  # empty: "zmot/<version> (+self-hosted shopping research)"
    respect_robots: bool = True
    cache_ttl_s: int = 3600
    # "host" or "host:port" -> "ip:port", like curl's --resolve; the operator's own, may be private.
    resolve: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BriefingSettings:
    deadline_s: float = 3.0
    max_reviews: int = 100
    max_mentions: int = 10
    max_offers: int = 10
    ttl_s: int = 6 * 3600
    watch_interval_s: int = 6 * 3600  # how often a watched product's page is checked again


NO_SEARCH = "none"  # search.provider or search.default: no search provider at all


@dataclass(frozen=True)
class SearchSettings:
    """Which search providers a briefing asks, and where.

    `provider` (one) or `providers` (several, their results merged); with neither, `default`: the keyless
    metasearch, so that a fresh install finds mentions and offers. "none" in either place means no search.
    `url` is the address of SearXNG when it is among the providers, else of the first provider; `urls`
    gives any provider its own. A SearXNG address may be the instance's base URL or its /search URL: it is
    made to end in /search when the settings are read (once), so that the provider and the fetcher's
    allowance agree."""

    provider: str = ""
    providers: list[str] = field(default_factory=list)
    url: str = ""
    urls: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    default: str = "ddgs"

    def normalised(self) -> SearchSettings:
        """SearXNG's address made to end in /search, whichever of its URLs was given."""
        names = self.chosen()
        url = self.url
        if url and names and self._url_owner(names) == "searxng":
            url = searxng_search_url(url)
        urls = dict(self.urls)
        if urls.get("searxng"):
            urls["searxng"] = searxng_search_url(urls["searxng"])
        return dataclasses.replace(self, url=url, urls=urls)

    def chosen(self) -> list[str]:
        """The providers a briefing asks, in order of preference; empty for no search."""
        names = list(self.providers) or ([self.provider] if self.provider else [self.default])
        return [name for name in dict.fromkeys(names) if name and name != NO_SEARCH]

    @property
    def is_default(self) -> bool:
        """True when no provider is configured and the keyless default is asked."""
        return not self.providers and not self.provider and self.default not in ("", NO_SEARCH)

    def url_for(self, name: str) -> str:
        """The address `name` is asked at: its own in `urls`, or `url` if it owns that, else "" (its
        public address)."""
        if self.urls.get(name):
            return self.urls[name]
        names = self.chosen()
        return self.url if names and name == self._url_owner(names) else ""

    def for_provider(self, name: str) -> SearchSettings:
        """These settings as one provider sees them: its own address in `url`."""
        return dataclasses.replace(self, provider=name, providers=[], url=self.url_for(name), urls={})

    def operator_urls(self) -> list[str]:
        """Every configured provider address: the operator's own, which may be private."""
        return [u for u in dict.fromkeys([self.url, *self.urls.values()]) if u]

    @staticmethod
    def _url_owner(names: list[str]) -> str:
        return "searxng" if "searxng" in names else names[0]


def searxng_search_url(url: str) -> str:
    """A SearXNG instance's /search address from its base URL or its /search URL (as people copy
    either): "http://10.0.0.2:8888" and "http://10.0.0.2:8888/search/" both give ".../search"."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if not path.endswith("/search"):
        path += "/search"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


@dataclass(frozen=True)
class PrivacySettings:
    """What a briefing may fetch beyond the page the shopper sent.

    `beyond = false` keeps a briefing to that page alone: no search, no other shops, no further review
    pages, no shop data endpoints (and so no robots.txt of those sites)."""

    beyond: bool = True


@dataclass(frozen=True)
class NotifyTarget:
    """Where one client's alerts go besides `notify.urls`: its own Apprise URLs."""

    urls: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NotifySettings:
    """Where alerts go, as Apprise URLs (ntfy://, tgram://, mailto://, json://, …; any Apprise service).

    `urls` get every alert. `tokens` gives a client its own: `[notify.tokens."<token or token id>"]` with
    `urls = [...]`, keyed by one of server.tokens or its id (`zmot notify test` shows it), so that the
    secret need not be written twice. `timeout_s` bounds each sending."""

    urls: list[str] = field(default_factory=list)
    tokens: dict[str, NotifyTarget] = field(default_factory=dict)
    timeout_s: float = 10.0


@dataclass(frozen=True)
class WatchSettings:
    """How watched pages are checked. A new price or availability counts once a later check sees it again
    or `confirm_after_s` has passed since it was first seen (0: at once), and the page is then checked
    again that soon; `jitter` spreads checks over that share of their interval; alerts are kept
    `alerts_keep_s` for GET /v1/alerts; the server looks for due watches every `tick_s`."""

    confirm_after_s: float = 3600.0
    jitter: float = 0.05
    alerts_keep_s: float = 14 * 24 * 3600.0
    tick_s: float = 30.0


@dataclass(frozen=True)
class PluginSettings:
    disabled: list[str] = field(default_factory=list)
