"""Who gets which alert: `notify.urls` get every one, `notify.tokens` add a client's own URLs. A client is
known by the token it sends; the config may name it by the token or by its id (a hash prefix), so that
the secret need not be written twice. Config checks live here too, run once when settings are read."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from server.errors import ConfigError

if TYPE_CHECKING:
    from server.settings import NotifySettings

__all__ = ["bearer_token", "check_token_keys", "check_urls", "every_url", "token_id", "urls_for"]

EVERYONE = "every alert"


def token_id(token: str) -> str:
    """A client token's id: the first 12 hex digits of its SHA-256, safe to write and to show."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, given = (authorization or "").partition(" ")
    return (given.strip() or None) if scheme.lower() == "bearer" else None


def _key_matches(key: str, token: str) -> bool:
    return hmac.compare_digest(key.encode(), token.encode()) or key == token_id(token)


def urls_for(notify: NotifySettings, token: str | None) -> list[str]:
    """The URLs an alert for the client with `token` goes to: everyone's, then its own (each once)."""
    own = [u for key, t in notify.tokens.items() if token and _key_matches(key, token) for u in t.urls]
    return list(dict.fromkeys([*notify.urls, *own]))


def every_url(notify: NotifySettings) -> list[tuple[str, str]]:
    """Every configured URL with whose alerts it gets: (EVERYONE | "token <id>", url), each pair once."""
    pairs = [(EVERYONE, u) for u in notify.urls]
    for key, target in notify.tokens.items():
        shown = key if len(key) == 12 and all(c in "0123456789abcdef" for c in key) else token_id(key)
        pairs.extend((f"token {shown}", u) for u in target.urls)
    return list(dict.fromkeys(pairs))


def check_token_keys(notify: NotifySettings, tokens: list[str]) -> None:
    """Each `notify.tokens` key must name one of server.tokens (the token or its id)."""
    if not tokens:
        raise ConfigError(
            "notify.tokens gives clients their own alert URLs, but server.tokens is not set: "
            "use notify.urls, or set server.tokens"
        )
    for key in notify.tokens:
        if not any(_key_matches(key, token) for token in tokens):
            shown = key if len(key) <= 12 else f"{key[:4]}…"
            ids = ", ".join(token_id(t) for t in tokens)
            raise ConfigError(
                f'[notify.tokens."{shown}"] names none of server.tokens: '
                f"key it by the token or its id ({ids})"
            )


@contextlib.contextmanager
def _quiet_apprise() -> Iterator[None]:
    log = logging.getLogger("apprise")
    saved = log.disabled
    log.disabled = True
    try:
        yield
    finally:
        log.disabled = saved


def check_urls(section: str, urls: list[str]) -> None:
    """Every URL must be one Apprise can send to, else ConfigError naming it (its secrets masked)."""
    from server.notify.send import load_service, masked

    for url in urls:
        with _quiet_apprise():  # the ConfigError below says it once, with the secrets masked
            service = load_service(url)
        if service is None:
            raise ConfigError(
                f"{section}.urls: {masked(url)!r} is not an Apprise URL zmot can send to "
                "(like ntfy://topic, tgram://bottoken/chatid, mailto://user:pass@example.com, "
                "json://host/path; see https://github.com/caronc/apprise/wiki)"
            )
