"""DNS for the guarded fetcher: resolve once, check every address, hand aiohttp only checked ones."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Mapping

from aiohttp.abc import AbstractResolver, ResolveResult

from server.errors import BlockedAddress
from server.fetch.addresses import IPAddress, is_blocked_ip
from server.fetch.operator import pinned_target

__all__ = ["GuardedResolver", "HostRefused", "Lookup", "system_lookup"]

Lookup = Callable[[str, int], Awaitable[list[str]]]


class HostRefused(BlockedAddress):
    """A host refused for the addresses it resolves to; `reason` says why in words without a URL."""

    def __init__(self, message: str, *, host: str, reason: str, url: str = "") -> None:
        super().__init__(message, url=url)
        self.host = host
        self.reason = reason


async def system_lookup(host: str, port: int) -> list[str]:
    """The operating system's answer for `host`: its IP addresses as strings, in the order given."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that refuses hosts with a non-public address unless the operator named them.

    aiohttp connects to exactly the addresses this returns, so the address checked is the address
    used: a DNS answer that changes between check and connect (rebinding) has nothing to change.
    IP-literal hosts never reach a resolver in aiohttp; `check_url` covers those before the request.
    """

    def __init__(
        self,
        lookup: Lookup,
        *,
        resolve: Mapping[str, str],
        is_operator_origin: Callable[[str, int], bool],
    ) -> None:
        self._lookup = lookup
        self._resolve = dict(resolve)
        self._is_operator_origin = is_operator_origin

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Addresses to connect to for host:port; raises BlockedAddress if any of them is not public."""
        pinned = pinned_target(host, port, self._resolve)
        if pinned is not None:
            # The operator's own --resolve style entry: may be loopback or private by design.
            return [_result(host, pinned[0], pinned[1])]
        addresses = await self._checked(host, port, operator=self._is_operator_origin(host, port))
        return [_result(host, str(ip), port) for ip in addresses]

    async def require_public(self, host: str, port: int) -> None:
        """Raise HostRefused unless every address of `host` is public, whatever the operator allows.

        For a request to the operator's own origin that its allowance does not cover (another path, a
        redirect from elsewhere): the connection it would use may already be open, so the check comes first.
        """
        await self._checked(host, port, operator=False)

    async def _checked(self, host: str, port: int, *, operator: bool) -> list[IPAddress]:
        addresses = await self._lookup(host.rstrip("."), port)
        if not addresses:
            raise OSError(f"{host} has no address")
        checked = []
        for text in addresses:
            ip = ipaddress.ip_address(text)
            reason = None if operator else is_blocked_ip(ip)
            if reason:
                # Refuse the host outright rather than skip the address: a public name that also
                # answers with 127.0.0.1 is either misconfigured or an attack, and both deserve a "no".
                why = f"{host} resolves to {ip}, {reason}"
                raise HostRefused(why, host=host, reason=why)
            checked.append(ip)
        return checked

    async def close(self) -> None:
        """Nothing to release: lookups are plain coroutines."""


def _result(hostname: str, ip: str, port: int) -> ResolveResult:
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    return ResolveResult(
        hostname=hostname,
        host=ip,
        port=port,
        family=family,
        proto=socket.IPPROTO_TCP,
        flags=socket.AI_NUMERICHOST,
    )
