"""Whether a link can be fetched as a web page: the check plugins use to drop what no fetcher could follow.

Search engines, forums and shops hand out links that are broken in ways a parser takes in its stride
(a control character in the host, a host of 100 KB, an `xn--` label that is not Punycode). Such a link is
dropped where it is found, so that it costs that one result and nothing else. The guarded fetcher
refuses the same hosts with the same rules (`host_problem`).
"""

from __future__ import annotations

import encodings.idna
import ipaddress
import re
from urllib.parse import urlsplit

__all__ = [
    "MAX_HOST_CHARS",
    "MAX_LABEL_CHARS",
    "authority_too_long",
    "host_problem",
    "is_web_url",
    "web_url_problem",
]

MAX_HOST_CHARS = 253  # DNS: a name of at most 253 characters (RFC 1035, without the final dot)
MAX_LABEL_CHARS = 63  # … made of labels of at most 63
# The part of a URL before its path: user, host and port. Longer than this, it cannot hold a valid host,
# and parsing it (IDNA) costs time in proportion; the check happens before any parser sees it.
_MAX_AUTHORITY_CHARS = 1024
_AUTHORITY = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[/\\]{2}([^/?#\\]*)")
# Letters, digits and hyphens (RFC 1123), and the underscore that real host names carry and browsers take.
_LABEL = re.compile(r"[A-Za-z0-9_-]+")
# C0 controls, DEL and C1 controls: never part of a link as a page writes it. Parsers strip tabs and
# newlines silently, which would fetch a different address from the one that was written.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def host_problem(host: str) -> str | None:
    """Why `host` (as written in a URL: a name, IDNA or not, or an IP literal) names no web server, or
    None when it could."""
    if (host.startswith("[") and host.endswith("]")) or ":" in host:
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return f"{_shown(host)} is not a valid IPv6 address"
        return None
    name = host[:-1] if host.endswith(".") else host
    if not name:
        return "it names no host"
    if len(name) > MAX_HOST_CHARS:
        return f"its host name is {len(name)} characters long, more than the {MAX_HOST_CHARS} DNS allows"
    labels = []
    for label in name.split("."):
        if not label:
            return f"its host name {_shown(host)} has an empty label"
        if not label.isascii():
            try:
                label = encodings.idna.ToASCII(label).decode("ascii")
            except UnicodeError:
                return f"its host name {_shown(host)} is not a valid international (IDNA) name"
        if len(label) > MAX_LABEL_CHARS:
            return f"its host name has a label longer than the {MAX_LABEL_CHARS} characters DNS allows"
        if not _LABEL.fullmatch(label):
            return f"its host name {_shown(host)} has characters no host name can have"
        if label[:4].lower() == "xn--" and not _decodes(label):
            return f"its host name {_shown(host)} is not a valid international (IDNA) name"
        labels.append(label)
    if len(".".join(labels)) > MAX_HOST_CHARS:
        return f"its host name is longer than the {MAX_HOST_CHARS} characters DNS allows"
    return None


def authority_too_long(url: str) -> int:
    """The length of `url`'s user, host and port part when it is too long to hold a valid host, else 0."""
    match = _AUTHORITY.match(url)
    if match is None or len(match.group(1)) <= _MAX_AUTHORITY_CHARS:
        return 0
    return len(match.group(1))


def web_url_problem(url: object) -> str | None:
    """Why `url` is not an http(s) address a page can be fetched from, or None when it is one."""
    if not isinstance(url, str):
        return "it is not a text"
    if _CONTROL.search(url):
        return "it holds a control character"
    if url != url.strip():
        return "it starts or ends with a space"
    if length := authority_too_long(url):
        return f"its host part is {length} characters long, more than a host name can be"
    try:
        parts = urlsplit(url)
        hostname, _port = parts.hostname, parts.port  # both raise ValueError on a malformed host or port
    except ValueError:
        return "it is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https are web pages, not {parts.scheme or 'a relative address'}"
    if not hostname:
        return "it names no host"
    return host_problem(hostname)


def is_web_url(url: object) -> bool:
    """True if `url` is an http(s) address with a host a page can be fetched from."""
    return web_url_problem(url) is None


def _decodes(label: str) -> bool:
    """True if an `xn--` label is valid Punycode for a valid international label (what aiohttp will ask)."""
    try:
        encodings.idna.ToUnicode(label.lower())  # it checks only a lower-case "xn--" prefix
    except UnicodeError:
        return False
    return True


def _shown(host: str) -> str:
    """The host for a message: escaped (control characters visible) and cut short."""
    shown = ascii(host)[1:-1]
    return shown if len(shown) <= 80 else f"{shown[:77]}..."
