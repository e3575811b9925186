"""The operator's own services, which may live on private addresses: `fetch.resolve` entries and the
allowance for the search provider's URL. Pure functions, no DNS."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import unquote

from yarl import URL

from server.fetch.addresses import is_blocked_ip, literal_ip

__all__ = [
    "OperatorAllowance",
    "host_port",
    "normal_host",
    "operator_origins",
    "operators_own",
    "pinned_target",
    "private_target",
]


def host_port(host: str, port: int) -> str:
    """`host:port` with IPv6 in brackets, lower-case: the form used for resolve and allowed-origin keys."""
    host = normal_host(host)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class OperatorAllowance:
    """The operator's own services, which may be on private addresses: whole origins ("host:port", or
    "host" for any port), or one path and what is below it on an origin (the search provider's URL).

    A path allowance covers zmot's own requests only: a redirect from another origin into it, or any
    other path on that origin, is judged like any address on the web."""

    def __init__(self, prefixes: Mapping[str, Iterable[str]] | None = None) -> None:
        # origin key (`host_port`, or a bare normalised host) -> path prefixes; "" means the whole origin
        self._prefixes = {key: tuple(paths) for key, paths in (prefixes or {}).items()}

    def lists(self, host: str, port: int) -> bool:
        """True if host:port (or the bare host) is one of the operator's origins, whatever the path."""
        return bool(self._paths(host, port))

    def permits(self, url: URL) -> bool:
        """True if `url` is within what the operator allows on its origin (ignores redirects)."""
        paths = self._paths(url.raw_host or "", url.port or 0)
        if not paths:
            return False
        if "" in paths:
            return True
        path = unquote(url.raw_path).replace("\\", "/")
        # A dot segment that the server would resolve (written encoded, so yarl kept it) could climb out.
        if any(segment.split(";")[0] in (".", "..") for segment in path.split("/")):
            return False
        return any(path == prefix or path.startswith(prefix + "/") for prefix in paths)

    def applies(self, url: URL, hop_from: URL | None = None) -> bool:
        """True if the allowance lets `url` through: permitted, and asked by zmot or redirected to by the
        same origin (never by another site)."""
        if not self.permits(url):
            return False
        return hop_from is None or hop_from.origin() == url.origin()

    def refusal_note(self, url: URL, hop_from: URL | None = None) -> str:
        """What a refusal of `url` adds when its origin is the operator's but the allowance did not apply."""
        paths = self._paths(url.raw_host or "", url.port or 0)
        if not paths:
            return ""
        if hop_from is not None and hop_from.origin() != url.origin() and self.permits(url):
            return "; the operator's search provider there is not for redirects from other sites"
        return f"; only {' and '.join(paths)} there is the operator's own (the search provider)"

    def _paths(self, host: str, port: int) -> tuple[str, ...]:
        host = _origin_host(host)
        return self._prefixes.get(host_port(host, port), ()) + self._prefixes.get(host, ())


def operator_origins(items: Iterable[str]) -> OperatorAllowance:
    """The allowance for the operator's services given as "host:port", "host" (any port), or a URL like
    the search url: its path and below only ("http://10.0.0.2:8888/search"), or the whole origin when it
    has no path."""
    prefixes: dict[str, list[str]] = {}
    for item in items:
        item = item.strip()
        if not item:
            continue
        if "://" in item:
            url = URL(item)
            if url.raw_host:
                path = unquote(url.raw_path).rstrip("/")
                prefixes.setdefault(host_port(_origin_host(url.raw_host), url.port or 0), []).append(path)
            continue
        host, sep, port = item.rpartition(":")
        if sep and port.isdigit() and (":" not in host or host.startswith("[")):
            prefixes.setdefault(host_port(_origin_host(host), int(port)), []).append("")
        else:
            prefixes.setdefault(_origin_host(item), []).append("")
    return OperatorAllowance(prefixes)


def pinned_target(host: str, port: int, resolve: Mapping[str, str]) -> tuple[str, int] | None:
    """The operator's `resolve` entry for host:port as (ip, port), or None.

    Keys are tried from the most to the least specific: "host:port", "host", then wildcards
    "*.domain:port" and "*.domain" (any name under domain, e.g. "*.test" for a whole test web)."""
    if not resolve:
        return None
    entries = {_resolve_key(key): target for key, target in resolve.items()}
    name = normal_host(host)
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
    return normal_host(key)


def private_target(ip: str) -> bool:
    """True if a fetch.resolve target is not a public address (or not an address at all)."""
    address = literal_ip(ip)
    return address is None or is_blocked_ip(address) is not None


def operators_own(url: URL, resolve: Mapping[str, str], allowed: OperatorAllowance) -> bool:
    """True if `url`'s host is one the operator named: a fetch.resolve entry or an allowed origin."""
    host, port = url.raw_host or "", url.port or 0
    return pinned_target(host, port, resolve) is not None or allowed.lists(host, port)


def normal_host(host: str) -> str:
    """A host as keys hold it: no brackets, no final dot, lower-case."""
    return host.strip("[]").rstrip(".").lower()


def _origin_host(host: str) -> str:
    """The host as allowance keys hold it: lower-case, and an IP literal in canonical form."""
    ip = literal_ip(host)
    return str(ip) if ip is not None else normal_host(host)
