"""The checks a section's values must pass once read, each refusal a ConfigError that says what to set."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from server.errors import ConfigError
from server.settings_sections import (
    NO_SEARCH,
    BriefingSettings,
    FetchSettings,
    NotifySettings,
    NotifyTarget,
    SearchSettings,
    ServerSettings,
    StoreSettings,
    WatchSettings,
)

__all__ = ["checked", "is_loopback_host", "is_token"]


def checked(section: str, settings: object) -> object:
    """`settings` of `section` once they pass their checks, in their one normal form (SearXNG's address
    ending in /search), so that every reader sees the same values."""
    _validate(section, settings)
    if isinstance(settings, SearchSettings):
        settings = settings.normalised()
    return settings


def _validate(section: str, settings: object) -> None:
    if isinstance(settings, ServerSettings):
        _validate_server(settings)
    if isinstance(settings, StoreSettings):
        if settings.backend not in {"sqlite", "redis"}:
            raise ConfigError(f"store.backend must be 'sqlite' or 'redis', not {settings.backend!r}")
        if settings.backend == "redis" and not settings.redis_url:
            raise ConfigError("store.backend = 'redis' needs store.redis_url")
    if isinstance(settings, FetchSettings):
        for key, target in settings.resolve.items():
            _check_resolve_entry(key, target)
        for name in ("connect_timeout_s", "first_byte_timeout_s", "total_timeout_s", "max_bytes"):
            if getattr(settings, name) <= 0:
                raise ConfigError(f"fetch.{name} must be above 0")
        if settings.per_host_concurrency < 1:
            raise ConfigError("fetch.per_host_concurrency must be at least 1")
    if isinstance(settings, SearchSettings):
        _validate_search(settings)
    if isinstance(settings, NotifySettings | NotifyTarget) and settings.urls:
        from server.notify.targets import check_urls  # Apprise loads only when alerts are configured

        check_urls(section, settings.urls)
    if isinstance(settings, NotifySettings) and settings.timeout_s <= 0:
        raise ConfigError("notify.timeout_s must be above 0")
    if isinstance(settings, BriefingSettings) and settings.deadline_s <= 0:
        raise ConfigError("briefing.deadline_s must be above 0")
    if isinstance(settings, BriefingSettings) and settings.watch_interval_s < 60:
        raise ConfigError("briefing.watch_interval_s must be at least 60 (seconds)")
    if isinstance(settings, WatchSettings):
        if settings.confirm_after_s < 0:
            raise ConfigError("watch.confirm_after_s must be 0 or more (seconds)")
        if not 0.1 <= settings.tick_s <= 3600:
            raise ConfigError("watch.tick_s must be between 0.1 and 3600 (seconds)")
        if not 0 <= settings.jitter <= 0.5:
            raise ConfigError("watch.jitter must be between 0 and 0.5 (a share of the interval)")
        if settings.alerts_keep_s < 7 * 24 * 3600:
            raise ConfigError("watch.alerts_keep_s must be at least 604800 (7 days)")


def _validate_search(settings: SearchSettings) -> None:
    if settings.provider and settings.providers and settings.providers != [settings.provider]:
        raise ConfigError("set search.provider (one) or search.providers (several), not both")
    if NO_SEARCH in settings.providers and len(settings.providers) > 1:
        raise ConfigError(f"search.providers lists {NO_SEARCH!r} beside other providers")
    if settings.url and not settings.provider and not settings.providers:
        raise ConfigError(
            "search.url is set but search.provider is not: say which provider it is for "
            '(for example provider = "searxng")'
        )
    for name, url in [("url", settings.url), *((f"urls.{k}", v) for k, v in settings.urls.items())]:
        if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
            raise ConfigError(f"search.{name} must be an http(s) URL, not {url!r}")


def _validate_server(settings: ServerSettings) -> None:
    if not 0 < settings.port < 65536:
        raise ConfigError(f"server.port must be between 1 and 65535, not {settings.port}")
    if not all(is_token(token) for token in settings.tokens):
        raise ConfigError("server.tokens: each must be printable ASCII without spaces (sent in a header)")
    if settings.max_connections < 1:
        raise ConfigError("server.max_connections must be at least 1")
    for name in ("head_timeout_s", "body_timeout_s"):
        if getattr(settings, name) <= 0:
            raise ConfigError(f"server.{name} must be above 0")


def is_token(text: str) -> bool:
    return bool(text) and all("!" <= ch <= "~" for ch in text)


def _check_resolve_entry(key: str, target: str) -> None:
    host, sep, port = target.rpartition(":")
    try:
        ipaddress.ip_address(host.strip("[]"))
        if not sep or not 0 < int(port) < 65536:
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"fetch.resolve[{key!r}] = {target!r} must be 'ip:port', like '127.0.0.1:8080'"
        ) from None


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
