"""The guard's decisions on their own: which URLs and addresses zmot refuses, and how it says so."""

from __future__ import annotations

import ipaddress
import time

import pytest
from yarl import URL

from server.errors import BlockedAddress
from server.fetch import check_url, is_blocked_ip
from server.fetch.guard import guard_url, operator_origins

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


# -- host names no DNS name can be ------------------------------------------------------------------------

INVALID_HOSTS = [
    ("http://a\u0001b.example/", "its host name a\\x01b.example has characters no host name can have"),
    ("http://a\u0000b.example/", "has characters no host name can have"),
    ("http://bad host.example/", "has characters no host name can have"),
    ("http://a%20b.example/", "has characters no host name can have"),
    ("http://a<b>.example/", "has characters no host name can have"),
    ("https://xn--.test/", "its host name xn--.test is not a valid international (IDNA) name"),
    ("https://xn--zz.test/", "is not a valid international (IDNA) name"),
    ("http://a..b.example/", "has an empty label"),
    ("http://.example/", "has an empty label"),
    (f"http://{'a' * 64}.example/", "a label longer than the 63 characters DNS allows"),
    (f"http://{'abcdefghi.' * 25}example/", "more than the 253 DNS allows"),
    ("http://example.com:99999/", "that is not a valid URL"),
]


@pytest.mark.parametrize(("url", "says"), INVALID_HOSTS, ids=[ascii(url)[:40] for url, _ in INVALID_HOSTS])
def test_a_host_no_dns_name_can_be_is_refused_with_a_reason(url: str, says: str) -> None:
    with pytest.raises(BlockedAddress) as refused:
        check_url(url)
    assert says in refused.value.message
    assert refused.value.url == url


def test_a_host_of_a_megabyte_is_refused_before_anything_parses_it() -> None:
    url = f"http://{'ä' * 1_000_000}.example/"
    started = time.monotonic()
    with pytest.raises(BlockedAddress) as refused:
        check_url(url)
    # IDNA-encoding a host this long takes yarl seconds; refused unparsed, it takes microseconds.
    # The bound is generous: only the parsing path could come near it.
    assert time.monotonic() - started < 1.0
    assert "its host part is 1000008 characters long, more than a host name can be" in refused.value.message
    # The message names the URL, but not a megabyte of it.
    assert len(refused.value.message) < 500
    assert refused.value.url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://exämple.test/",
        "http://xn--exmple-cua.test/p",
        "http://my_shop.example.com/",
        "http://shop.example.com./p",
        f"http://{'a' * 63}.example/",
    ],
)
def test_unusual_but_valid_host_names_pass(url: str) -> None:
    assert check_url(url).raw_host


# -- the operator's search URL: its path on a private origin, nothing else --------------------------------

SEARCH = "http://127.0.0.1:8888/search"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8888/search",
        "http://127.0.0.1:8888/search?q=kettle&format=json",
        "http://127.0.0.1:8888/search/",
        "http://127.0.0.1:8888/search/page/2",
    ],
)
def test_the_search_path_and_below_pass_on_a_private_search_host(url: str) -> None:
    assert check_url(url, allowed_origins=[SEARCH]).path.startswith("/search")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/secret-admin",
        "/searchx",
        "/search%2F..%2Fsecret-admin",
        "/search/..%2Fsecret-admin",
        "/search/..;/secret-admin",
        "/search/%2e%2e/secret-admin",
    ],
)
def test_other_paths_of_a_private_search_host_are_refused(path: str) -> None:
    url = f"http://127.0.0.1:8888{path}"
    with pytest.raises(BlockedAddress) as refused:
        check_url(url, allowed_origins=[SEARCH])
    assert refused.value.message.endswith(
        "127.0.0.1 is a loopback address, this machine itself; "
        "only /search there is the operator's own (the search provider)"
    )


def test_a_search_url_with_a_trailing_slash_or_a_query_allows_the_same_path() -> None:
    for configured in ("http://127.0.0.1:8888/search/", "http://127.0.0.1:8888/search?format=json"):
        assert check_url("http://127.0.0.1:8888/search?q=1", allowed_origins=[configured]).port == 8888
        with pytest.raises(BlockedAddress):
            check_url("http://127.0.0.1:8888/admin", allowed_origins=[configured])


def test_other_pages_of_a_public_search_host_are_judged_like_any_page() -> None:
    # search.url may be a public API (Reddit's search.json); its threads are ordinary public pages.
    assert check_url("http://8.8.8.8/r/espresso/", allowed_origins=["http://8.8.8.8/search.json"]).host


def test_a_redirect_from_another_site_into_the_search_path_is_refused() -> None:
    allowed = operator_origins([SEARCH])
    with pytest.raises(BlockedAddress) as refused:
        guard_url(
            "http://127.0.0.1:8888/search?q=x",
            resolve={},
            allowed=allowed,
            redirected_from="http://blog.example/p",
            hop_from=URL("http://blog.example/p"),
        )
    assert refused.value.message == (
        "refused http://blog.example/p: it redirects to http://127.0.0.1:8888/search?q=x, and 127.0.0.1 "
        "is a loopback address, this machine itself; "
        "the operator's search provider there is not for redirects from other sites"
    )


def test_the_search_host_may_redirect_within_its_search_path() -> None:
    hop = guard_url(
        "http://127.0.0.1:8888/search/results?q=x",
        resolve={},
        allowed=operator_origins([SEARCH]),
        redirected_from=f"{SEARCH}?q=x",
        hop_from=URL(f"{SEARCH}?q=x"),
    )
    assert hop.path == "/search/results"


# -- redirects into the operator's fetch.resolve hosts --------------------------------------------------

LAN = {"searx.lan": "192.168.1.20:8888", "cdn.example": "93.184.216.34:80"}


def test_a_redirect_from_a_site_the_operator_did_not_name_cannot_reach_a_resolved_private_host() -> None:
    with pytest.raises(BlockedAddress) as refused:
        guard_url(
            "http://searx.lan/config",
            resolve=LAN,
            allowed=operator_origins([]),
            redirected_from="http://blog.example/p",
            hop_from=URL("http://blog.example/p"),
        )
    assert refused.value.message == (
        "refused http://blog.example/p: it redirects to http://searx.lan/config, and searx.lan is one of "
        "the operator's own hosts (fetch.resolve), which a redirect from another site may not lead to"
    )


def test_redirects_between_the_operators_resolved_hosts_are_followed() -> None:
    resolve = {**LAN, "*.test": "127.0.0.1:9000"}
    hop = guard_url(
        "http://searx.lan/search",
        resolve=resolve,
        allowed=operator_origins([]),
        redirected_from="http://public.test/go",
        hop_from=URL("http://public.test/go"),
    )
    assert hop.host == "searx.lan"


def test_a_redirect_to_a_host_resolved_to_a_public_address_is_followed_from_anywhere() -> None:
    hop = guard_url(
        "http://cdn.example/a.css",
        resolve=LAN,
        allowed=operator_origins([]),
        redirected_from="http://blog.example/p",
        hop_from=URL("http://blog.example/p"),
    )
    assert hop.host == "cdn.example"
