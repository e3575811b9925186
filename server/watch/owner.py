"""Whose watch: each client token owns its watches and alerts, known by the token's id (server.notify's
token_id). The pairing code, and a server without tokens, is one client: owner "", so that watches
outlive a new pairing code."""

from __future__ import annotations

import hmac
from pathlib import Path

from server.notify import bearer_token, token_id
from server.settings import PAIRING_FILE, Settings

__all__ = ["owner_of"]

_pairing_codes: dict[Path, str] = {}  # the code is made once and kept: read once per file


def _pairing_code(settings: Settings) -> str | None:
    path = settings.store.sqlite_path().parent / PAIRING_FILE
    if path not in _pairing_codes:
        try:
            _pairing_codes[path] = path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return None
    return _pairing_codes[path]


def owner_of(settings: Settings, authorization: str | None) -> str:
    """The owner of a request's watches, from its Authorization header (already checked by the guards)."""
    token = bearer_token(authorization)
    if token is None or not settings.server.tokens:
        return ""
    if settings.server.pairing and len(settings.server.tokens) == 1:
        code = _pairing_code(settings)
        if code and hmac.compare_digest(code.encode(), token.encode()):
            return ""
    return token_id(token)
