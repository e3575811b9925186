"""The SSRF guard's decisions: which URLs and addresses zmot may contact. Pure functions, no DNS."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping

from yarl import URL

from server.errors import BlockedAddress

__all__ = [
    "IPAddress",
    "check_url",
    "guard_url",
    "host_port",
    "is_blocked_ip",
    "literal_ip",
    "operator_origins",
    "origin_listed",
    "pinned_target",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SCHEMES = ("http", "https")
# Host names the platform itself maps to this machine, whatever DNS says (RFC 6761).
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# What inet_aton would read as an IPv4 address: decimal, octal or hex parts. Anything else is a name;
# the pattern also stops inet_aton from accepting "127.0.0.1 junk", which it silently truncates.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$", re.IGNORECASE)

# Ranges with a reason a person understands, checked before the generic flags so the message is specific.
_NAMED_RANGES: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (ipaddress.ip_network("169.254.169.254/32"), "the cloud metadata address"),
    (ipaddress.ip_network("10.0.0.0/8"), "a private address"),
    (ipaddress.ip_network("172.16.0.0/12"), "a private address"),
    (ipaddress.ip_network("192.168.0.0/16"), "a private address"),
    (ipaddress.ip_network("100.64.0.0/10"), "a shared carrier-grade NAT address"),
    (ipaddress.ip_network("fc00::/7"), "a private (unique local) address"),
    (ipaddress.ip_network("fec0::/10"), "a site-local address"),
)
# IPv6 ranges that carry an IPv4 address in their last 32 bits (NAT64, IPv4-compatible).
_EMBEDS_IPV4 = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("::/96"),
)


def is_blocked_ip(ip: IPAddress) -> str | None:
    """Why zmot must not contact `ip` ("a loopback address", …), or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = is_blocked_ip(embedded)
            # The embedded address decides when it is bad; a public one still rides on a non-public range.
            if reason:
                return f"{reason} ({embedded} inside IPv6)"
    if ip.is_unspecified:
        return "the unspecified address, which means this machine"
    if ip.is_loopback:
        return "a loopback address, this machine itself"
    for network, reason in _NAMED_RANGES:
        if ip.version == network.version and ip in network:
            return reason
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private or not ip.is_global:
        return "not a public address"
    return None


def check_url(
    url: str | URL,
    *,
    resolve: Mapping[str, str] = {},
    allowed_origins: Iterable[str] = (),  # noqa: B006
) -> URL:
    """Parse `url` and refuse what zmot may never fetch, without DNS; returns the URL to request.

    Raises BlockedAddress for other schemes, credentials, local names and non-public IP literals in any
    notation. Hosts in `resolve` or `allowed_origins` are the operator's own and pass. Numeric hosts come
    back in canonical form (http://0x7f.1/ is never sent as such)."""
    return guard_url(url, resolve=resolve, allowed=operator_origins(allowed_origins))


def guard_url(
    url: str | URL,
    *,
    resolve: Mapping[str, str],
    allowed: frozenset[str],
    redirected_from: str | None = None,
) -> URL:
    """`check_url` with pre-normalised origins; `redirected_from` words the refusal of a redirect hop."""
    text = str(url)

    def refuse(reason: str) -> BlockedAddress:
        if redirected_from is None:
            return BlockedAddress(f"refused {text}: {reason}", url=text)
        return BlockedAddress(
            f"refused {redirected_from}: it redirects to {text}, and {reason}", url=redirected_from
        )

    try:
        parsed = url if isinstance(url, URL) else URL(text)
    except (ValueError, TypeError):
        raise refuse("that is not a valid URL") from None
    scheme = parsed.scheme.lower()
    if scheme not in _SCHEMES:
        shown = f"{scheme}:" if scheme else "a relative address"
        raise refuse(f"only http and https can be fetched, not {shown}")
    if parsed.user is not None or parsed.password is not None:
        raise refuse(
            f"addresses with a user name or password are not fetched (this one goes to {parsed.host})"
        )
    if not parsed.raw_host:
        raise refuse("it names no host")
    parsed = parsed.with_fragment(None)
    host = _normal_host(parsed.raw_host)
    port = parsed.port or 0
    ip = literal_ip(parsed.host or host)
    if ip is None:
        if pinned_target(host, port, resolve) or origin_listed(host, port, allowed):
            return parsed
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            raise refuse(f"{host} is this machine")
        return parsed
    canonical = str(ip)
    if not origin_listed(canonical, port, allowed):
        reason = is_blocked_ip(ip)
        if reason:
            written = _normal_host(parsed.host or host)
            what = (
                f"{canonical} is"
                if written == canonical
                else f"{written} is {canonical} written another way,"
            )
            raise refuse(f"{what} {reason}")
    if parsed.host != canonical:
        # aiohttp refuses (or the OS reinterprets) odd numeric forms; send the address we checked.
        parsed = parsed.with_host(canonical)
    return parsed


def literal_ip(host: str) -> IPAddress | None:
    """The address a host written as an IP literal means, in any notation inet_aton accepts, else None."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            # Too large for IPv4 ("99999999999"): not an address, and no resolver will make it one.
            return None
    return None


def host_port(host: str, port: int) -> str:
    """`host:port` with IPv6 in brackets, lower-case: the form used for resolve and allowed-origin keys."""
    host = _normal_host(host)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def operator_origins(items: Iterable[str]) -> frozenset[str]:
    """Normalise allowed origins given as "host:port", "host" (any port) or a URL like the search url."""
    origins = set()
    for item in items:
        item = item.strip()
        if not item:
            continue
        if "://" in item:
            url = URL(item)
            if url.raw_host:
                origins.add(host_port(url.raw_host, url.port or 0))
            continue
        host, sep, port = item.rpartition(":")
        if sep and port.isdigit() and (":" not in host or host.startswith("[")):
            origins.add(host_port(host, int(port)))
        else:
            origins.add(_normal_host(item))
    return frozenset(origins)


def pinned_target(host: str, port: int, resolve: Mapping[str, str]) -> tuple[str, int] | None:
    """The operator's `resolve` entry for host:port as (ip, port), or None.

    Keys are tried from the most to the least specific: "host:port", "host", then wildcards
    "*.domain:port" and "*.domain" (any name under domain, e.g. "*.test" for a whole test web)."""
    if not resolve:
        return None
    entries = {_resolve_key(key): target for key, target in resolve.items()}
    name = _normal_host(host)
    labels = name.split(".")
    wildcards = [f"*.{'.'.join(labels[i:])}" for i in range(1, len(labels))]
    for key in (name, *wildcards):
        target = entries.get(host_port(key, port)) or entries.get(key)
        if target is not None:
            ip, _, target_port = target.rpartition(":")
            return ip.strip("[]"), int(target_port)
    return None


def _resolve_key(key: str) -> str:
    host, sep, port = key.rpartition(":")
    if sep and port.isdigit() and (":" not in host or host.startswith("[")):
        return host_port(host, int(port))
    return _normal_host(key)


def origin_listed(host: str, port: int, allowed: frozenset[str]) -> bool:
    """True if host:port (or the bare host) is one of the operator's normalised allowed origins."""
    return host_port(host, port) in allowed or _normal_host(host) in allowed


def _normal_host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _EMBEDS_IPV4) and int(ip) > 1:  # skip ::, ::1 (unspecified, loopback)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
