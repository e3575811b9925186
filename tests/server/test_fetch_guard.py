"""The guard's decisions on their own: which URLs and addresses zmot refuses, and how it says so."""

from __future__ import annotations

import ipaddress

import pytest

from server.errors import BlockedAddress
from server.fetch import check_url, is_blocked_ip

# (url, what the refusal must say) — every notation an attacker might use to reach something internal.
REFUSED = [
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://127.8.9.10:8080/admin", "127.8.9.10 is a loopback address"),
    ("http://localhost/", "localhost is this machine"),
    ("http://LocalHost./", "localhost is this machine"),
    ("http://shop.localhost/", "shop.localhost is this machine"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://0.0.0.0/", "0.0.0.0 is the unspecified address"),
    ("http://[::]/", ":: is the unspecified address"),
    ("http://10.0.0.5/", "10.0.0.5 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://172.31.255.254/", "172.31.255.254 is a private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata address"),
    ("http://169.254.1.1/", "169.254.1.1 is a link-local address"),
    ("http://100.64.0.1/", "100.64.0.1 is a shared carrier-grade NAT address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
    ("http://192.0.2.10/", "192.0.2.10 is not a public address"),
    ("http://[fd00::1]/", "fd00::1 is a private (unique local) address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[::ffff:127.0.0.1]/", "loopback address, this machine itself (127.0.0.1 inside IPv6)"),
    ("http://[::ffff:10.0.0.5]/", "private address (10.0.0.5 inside IPv6)"),
    ("http://[64:ff9b::a9fe:a9fe]/", "cloud metadata address (169.254.169.254 inside IPv6)"),
    ("http://2130706433/", "2130706433 is 127.0.0.1 written another way, a loopback address"),
    ("http://0x7f.1/", "0x7f.1 is 127.0.0.1 written another way, a loopback address"),
    ("http://0x7F000001/", "0x7f000001 is 127.0.0.1 written another way"),
    ("http://017700000001/", "017700000001 is 127.0.0.1 written another way"),
    ("http://0177.0.0.1/", "0177.0.0.1 is 127.0.0.1 written another way"),
    ("http://127.1/", "127.1 is 127.0.0.1 written another way"),
    ("http://0xa.0.0.5/", "0xa.0.0.5 is 10.0.0.5 written another way, a private address"),
    ("http://127.0.0.1./", "127.0.0.1 is a loopback address"),
    ("http://example.com@127.0.0.1/", "addresses with a user name or password are not fetched"),
    ("http://user:secret@example.com/", "addresses with a user name or password are not fetched"),
    ("file:///etc/passwd", "only http and https can be fetched, not file:"),
    ("gopher://example.com:70/_SET", "only http and https can be fetched, not gopher:"),
    ("ftp://example.com/", "only http and https can be fetched, not ftp:"),
    ("/just/a/path", "not a relative address"),
]


@pytest.mark.parametrize(("url", "says"), REFUSED, ids=[url for url, _ in REFUSED])
def test_address_zmot_must_not_contact_is_refused_with_a_reason(url: str, says: str) -> None:
    with pytest.raises(BlockedAddress) as refused:
        check_url(url)
    assert refused.value.message.startswith(f"refused {url}: ")
    assert says in refused.value.message
    assert refused.value.url == url
    assert refused.value.code == "address_blocked"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/p/1?q=2",
        "http://8.8.8.8/",
        "http://[2606:4700:4700::1111]/",
        "http://shop-it.test/",
    ],
)
def test_public_address_passes(url: str) -> None:
    assert str(check_url(url)) == url


def test_public_address_in_odd_notation_is_sent_in_canonical_form() -> None:
    # aiohttp refuses numeric forms like these outright; the guard hands over the address it checked.
    assert str(check_url("http://0x08.8.8.8/a#top")) == "http://8.8.8.8/a"
    assert str(check_url("http://134744072/")) == "http://8.8.8.8/"


def test_fragment_is_dropped_since_it_is_never_sent() -> None:
    assert str(check_url("https://example.com/p#reviews")) == "https://example.com/p"


def test_operator_resolve_entry_may_name_a_local_host() -> None:
    resolve = {"searx.lan:8888": "192.168.1.20:8888", "*.test": "127.0.0.1:9000"}
    assert check_url("http://searx.lan:8888/search", resolve=resolve).host == "searx.lan"
    # A resolve entry covers that name only: the address itself stays refused.
    with pytest.raises(BlockedAddress):
        check_url("http://192.168.1.20:8888/search", resolve=resolve)


@pytest.mark.parametrize(
    "allowed", ["127.0.0.1:8888", "http://127.0.0.1:8888", "http://127.0.0.1:8888/search?format=json"]
)
def test_operator_allowed_origin_may_be_loopback(allowed: str) -> None:
    url = "http://127.0.0.1:8888/search?q=kettle"
    assert str(check_url(url, allowed_origins=[allowed])) == url


def test_allowed_origin_is_that_port_only() -> None:
    with pytest.raises(BlockedAddress, match="loopback"):
        check_url("http://127.0.0.1:6379/", allowed_origins=["127.0.0.1:8888"])


def test_allowed_origin_named_localhost_passes() -> None:
    assert check_url("http://localhost:8888/", allowed_origins=["localhost:8888"]).port == 8888


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address, this machine itself"),
        ("::1", "a loopback address, this machine itself"),
        ("0.0.0.0", "the unspecified address, which means this machine"),
        ("10.1.2.3", "a private address"),
        ("169.254.169.254", "the cloud metadata address"),
        ("100.100.100.100", "a shared carrier-grade NAT address"),
        ("fec0::1", "a site-local address"),
        ("ff02::1", "a multicast address"),
        ("2002:7f00:1::", "a loopback address, this machine itself (127.0.0.1 inside IPv6)"),
        ("198.18.0.1", "not a public address"),
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("2a00:1450:4001:80b::200e", None),
    ],
)
def test_is_blocked_ip_names_the_kind_of_address(address: str, reason: str | None) -> None:
    assert is_blocked_ip(ipaddress.ip_address(address)) == reason
