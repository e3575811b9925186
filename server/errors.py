"""The errors a user can read: one family, each with a stable code, an HTTP status and an exit code."""

from __future__ import annotations

__all__ = [
    "BadRequest",
    "BlockedAddress",
    "ConfigError",
    "FetchError",
    "FetchTimeout",
    "Forbidden",
    "MisdirectedRequest",
    "NotFound",
    "PayloadTooLarge",
    "RequestTimeout",
    "RobotsDisallowed",
    "TooLarge",
    "TooManyRedirects",
    "Unauthorized",
    "UnsupportedMediaType",
    "ZmotError",
]


class ZmotError(Exception):
    """Base of every error zmot reports to a user: `code` is stable, `message` is for people."""

    code = "error"
    http_status = 500
    exit_code = 1
    source_status = "error"  # what a briefing's `sources` entry says when this stopped a source

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


class ConfigError(ZmotError):
    code = "config_invalid"
    exit_code = 2


class BadRequest(ZmotError):
    code = "bad_request"
    http_status = 400
    exit_code = 2


class Unauthorized(ZmotError):
    code = "unauthorized"
    http_status = 401


class Forbidden(ZmotError):
    """The request comes from a web origin that may not drive zmot (a page, not zmot's extension)."""

    code = "origin_not_allowed"
    http_status = 403


class NotFound(ZmotError):
    code = "not_found"
    http_status = 404


class PayloadTooLarge(ZmotError):
    code = "body_too_large"
    http_status = 413
    exit_code = 2


class RequestTimeout(ZmotError):
    code = "request_timeout"
    http_status = 408


class MisdirectedRequest(ZmotError):
    """The Host header names another server: a page's own name resolved to this one (DNS rebinding)."""

    code = "misdirected_request"
    http_status = 421


class UnsupportedMediaType(ZmotError):
    """Not a JSON body zmot reads as it is: another type, charset or a compressed body."""

    code = "unsupported_media_type"
    http_status = 415


class FetchError(ZmotError):
    """An outgoing request failed or was refused; `url` is the address it was for."""

    code = "fetch_failed"
    http_status = 502
    exit_code = 3

    def __init__(self, message: str, *, url: str = "", code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.url = url


class BlockedAddress(FetchError):
    """The address is not one zmot may contact (private, loopback, bad scheme, …)."""

    code = "address_blocked"
    source_status = "blocked"
    http_status = 400


class TooLarge(FetchError):
    code = "response_too_large"


class TooManyRedirects(FetchError):
    code = "too_many_redirects"


class FetchTimeout(FetchError):
    code = "fetch_timeout"
    source_status = "timeout"
    http_status = 504


class RobotsDisallowed(FetchError):
    code = "robots_disallowed"
    source_status = "blocked"
    http_status = 403
