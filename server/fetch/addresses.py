"""Which IP addresses zmot must not contact, and what a host written as a number means. Pure functions."""

from __future__ import annotations

import ipaddress
import re
import socket

__all__ = ["IPAddress", "is_blocked_ip", "literal_ip"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _EMBEDS_IPV4) and int(ip) > 1:  # skip ::, ::1 (unspecified, loopback)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
