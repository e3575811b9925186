"""The SSRF guard's decisions: which URLs zmot may contact. Pure functions, no DNS."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from yarl import URL

from scrapers.urls import authority_too_long, host_problem
from server.errors import BlockedAddress
from server.fetch.addresses import IPAddress, is_blocked_ip, literal_ip
from server.fetch.operator import (
    OperatorAllowance,
    host_port,
    normal_host,
    operator_origins,
    operators_own,
    pinned_target,
    private_target,
)

__all__ = [
    "IPAddress",
    "OperatorAllowance",
    "check_url",
    "guard_url",
    "host_port",
    "is_blocked_ip",
    "literal_ip",
    "operator_origins",
    "parse_url",
    "pinned_target",
    "shown_url",
]

_SCHEMES = ("http", "https")
# Host names the platform itself maps to this machine, whatever DNS says (RFC 6761).
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# Escaped when a message shows a URL: a refusal must not carry raw control characters into a log or terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_url(
    url: str | URL,
    *,
    resolve: Mapping[str, str] = {},
    allowed_origins: Iterable[str] = (),  # noqa: B006
) -> URL:
    """Parse `url` and refuse what zmot may never fetch, without DNS; returns the URL to request.

    Raises BlockedAddress for other schemes, credentials, invalid or local host names and non-public IP
    literals in any notation. Hosts in `resolve` and the operator's `allowed_origins` (a whole origin, or
    the search URL's path and below) pass. Numeric hosts come back in canonical form (http://0x7f.1/ is
    never sent as such)."""
    return guard_url(url, resolve=resolve, allowed=operator_origins(allowed_origins))


def parse_url(text: str) -> URL:
    """`text` as a URL; ValueError for what is none, and for a host part too long to be a host name
    (refused before yarl's IDNA step, whose time grows with the host's length)."""
    if length := authority_too_long(text):
        raise ValueError(f"its host part is {length} characters long, more than a host name can be")
    return URL(text)


def guard_url(
    url: str | URL,
    *,
    resolve: Mapping[str, str],
    allowed: OperatorAllowance,
    redirected_from: str | None = None,
    hop_from: URL | None = None,
) -> URL:
    """`check_url` with a pre-built allowance. For a redirect hop, `redirected_from` is the URL first
    asked for (named in the refusal) and `hop_from` the URL whose answer redirected here."""
    text = str(url)

    def refuse(reason: str) -> BlockedAddress:
        if redirected_from is None:
            return BlockedAddress(f"refused {shown_url(text)}: {reason}", url=text)
        return BlockedAddress(
            f"refused {shown_url(redirected_from)}: it redirects to {shown_url(text)}, and {reason}",
            url=redirected_from,
        )

    try:
        parsed = url if isinstance(url, URL) else parse_url(text)
    except ValueError as exc:
        reason = str(exc) if str(exc).startswith("its host") else "that is not a valid URL"
        raise refuse(reason) from None
    except TypeError:
        raise refuse("that is not a valid URL") from None
    scheme = parsed.scheme.lower()
    if scheme not in _SCHEMES:
        shown = f"{scheme}:" if scheme else "a relative address"
        raise refuse(f"only http and https can be fetched, not {shown}")
    if not parsed.raw_host:
        raise refuse("it names no host")
    problem = host_problem(parsed.raw_host)
    if problem:
        raise refuse(problem)
    try:
        decoded = parsed.host or ""  # the IDNA decoding aiohttp does too: refused here, not raised there
    except ValueError:  # UnicodeError included
        raise refuse("its host name is not a valid international (IDNA) name") from None
    try:
        port = parsed.port or 0
    except ValueError:
        raise refuse("its port is not a number from 0 to 65535") from None
    if parsed.user is not None or parsed.password is not None:
        raise refuse(f"addresses with a user name or password are not fetched (this one goes to {decoded})")
    parsed = parsed.with_fragment(None)
    host = normal_host(parsed.raw_host)
    operators = allowed.applies(parsed, hop_from)
    ip = literal_ip(decoded or host)
    if ip is None:
        pinned = pinned_target(host, port, resolve)
        if pinned is not None:
            if (
                hop_from is not None
                and private_target(pinned[0])
                and not operators_own(hop_from, resolve, allowed)
            ):
                raise refuse(
                    f"{host} is one of the operator's own hosts (fetch.resolve), "
                    "which a redirect from another site may not lead to"
                )
            return parsed
        if operators:
            return parsed
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            raise refuse(f"{host} is this machine{allowed.refusal_note(parsed, hop_from)}")
        return parsed
    canonical = str(ip)
    if not operators:
        reason = is_blocked_ip(ip)
        if reason:
            written = normal_host(decoded or host)
            what = (
                f"{canonical} is"
                if written == canonical
                else f"{written} is {canonical} written another way,"
            )
            raise refuse(f"{what} {reason}{allowed.refusal_note(parsed, hop_from)}")
    if parsed.host != canonical:
        # aiohttp refuses (or the OS reinterprets) odd numeric forms; send the address we checked.
        parsed = parsed.with_host(canonical)
    return parsed


def shown_url(url: str | URL, limit: int = 300) -> str:
    """A URL as a message shows it: control characters escaped, and cut short when it is long."""
    text = _CONTROL.sub(lambda m: ascii(m.group())[1:-1], str(url))
    return text if len(text) <= limit else f"{text[: limit - 40]}… ({len(text)} characters)"
