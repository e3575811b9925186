"""Every bad input is a 4xx JSON error, never a 5xx: a table of the inputs that once broke the server, and
a fuzz of the request schema (bodies and headers) against a real server on a loopback port."""

from __future__ import annotations

import json
import socket

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from yarl import URL

from server.guards import CHROME_EXTENSION_ORIGIN
from tests.server.conftest import make_settings
from tests.tools import raw_request, serving_in_thread

TOKEN = "fuzz-token-1f0c"
AUTH = ("Authorization", f"Bearer {TOKEN}")
JSON = ("Content-Type", "application/json")
PRODUCT_ID = "0123456789abcdef"


async def nowhere(host: str, port: int) -> list[str]:
    """No DNS in these tests: a name outside the local web has no address."""
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.fixture(scope="module")
def port(tmp_path_factory, local_web):
    """One zmot server for the module, served as `zmot serve` serves it, with a token."""
    config = make_settings(tmp_path_factory.mktemp("fuzz"), local_web, server={"tokens": [TOKEN]})
    with serving_in_thread(config, lookup=nowhere) as bound:
        yield bound


def briefing(**fields) -> bytes:
    return json.dumps(fields).encode()


def watch(url) -> bytes:
    return json.dumps({"product_id": PRODUCT_ID, "url": url}).encode()


CASES = [
    # (id, path, headers, body, status, code)
    (
        "nested-5000-deep",
        "/v1/briefings",
        [AUTH, JSON],
        b'{"url": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        400,
        "invalid_json",
    ),
    (
        "objects-5000-deep",
        "/v1/briefings",
        [AUTH, JSON],
        b'{"a": ' * 5000 + b"1" + b"}" * 5000,
        400,
        "invalid_json",
    ),
    (
        "5000-digit-integer",
        "/v1/briefings",
        [AUTH, JSON],
        b'{"url": ' + b"7" * 5000 + b"}",
        400,
        "invalid_json",
    ),
    (
        "5000-digit-in-watch",
        "/v1/watch",
        [AUTH, JSON],
        b'{"product_id": ' + b"7" * 5000 + b"}",
        400,
        "invalid_json",
    ),
    ("huge-float", "/v1/briefings", [AUTH, JSON], b'{"url": 1e999999}', 400, "invalid_url"),
    ("xn--.test", "/v1/briefings", [AUTH, JSON], briefing(url="https://xn--.test/"), 400, "invalid_url"),
    ("xn--.test-watch", "/v1/watch", [AUTH, JSON], watch("https://xn--.test/"), 400, "invalid_url"),
    (
        "bad-punycode",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://xn--ls8h-.test/"),
        400,
        "invalid_url",
    ),
    (
        "unknown-charset",
        "/v1/briefings",
        [AUTH, ("Content-Type", "application/json; charset=x-unknown")],
        briefing(url="https://shop.test/p"),
        415,
        "unsupported_media_type",
    ),
    (
        "gzip-header-plain-body",
        "/v1/briefings",
        [AUTH, JSON, ("Content-Encoding", "gzip")],
        briefing(url="https://shop.test/p"),
        415,
        "unsupported_media_type",
    ),
    (
        "authorization-not-ascii",
        "/v1/briefings",
        [("Authorization", b"Bearer \xff\xfe"), JSON],
        briefing(url="https://shop.test/p"),
        401,
        "unauthorized",
    ),
    (
        "control-character",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://shop\x01.test/p"),
        400,
        "invalid_url",
    ),
    (
        "delete-character",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://shop.test/p\x7f"),
        400,
        "invalid_url",
    ),
    ("nul", "/v1/briefings", [AUTH, JSON], briefing(url="https://shop\x00.test/p"), 400, "invalid_url"),
    ("nul-watch", "/v1/watch", [AUTH, JSON], watch("https://shop.test/\x00"), 400, "invalid_url"),
    (
        "space-in-host",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://shop .test/p"),
        400,
        "invalid_url",
    ),
    (
        "newline-in-path",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://shop.test/p\nHost: x"),
        400,
        "invalid_url",
    ),
    (
        "100-kb-host",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url=f"https://{'a' * 100_000}.test/"),
        400,
        "invalid_url",
    ),
    (
        "100-kb-unicode-host",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url=f"https://{'ü' * 100_000}.test/"),
        400,
        "invalid_url",
    ),
    (
        "100-kb-host-watch",
        "/v1/watch",
        [AUTH, JSON],
        watch(f"https://{'a' * 100_000}.test/"),
        400,
        "invalid_url",
    ),
    (
        "lone-surrogate",
        "/v1/briefings",
        [AUTH, JSON],
        b'{"url": "https://shop.test/\\ud800"}',
        400,
        "invalid_url",
    ),
    (
        "port-out-of-range",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://shop.test:99999/p"),
        400,
        "invalid_url",
    ),
    ("open-bracket", "/v1/briefings", [AUTH, JSON], briefing(url="http://[::1/"), 400, "invalid_url"),
    (
        "credentials",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://user:pw@shop.test/p"),
        400,
        "address_blocked",
    ),
    ("hex-loopback", "/v1/briefings", [AUTH, JSON], briefing(url="http://0x7f.1/"), 400, "address_blocked"),
    ("not-utf-8", "/v1/briefings", [AUTH, JSON], b'{"url": "https://shop.test/\xff"}', 400, "invalid_json"),
    (
        "utf-16",
        "/v1/briefings",
        [AUTH, JSON],
        '{"url": "https://shop.test/p"}'.encode("utf-16"),
        400,
        "invalid_json",
    ),
    ("empty-body", "/v1/briefings", [AUTH, JSON], b"", 400, "invalid_json"),
    ("null-body", "/v1/watch", [AUTH, JSON], b"null", 400, "invalid_json"),
    (
        "html-not-text",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://shop.test/p", html=["<p>"]),
        400,
        "invalid_html",
    ),
    (
        "locale-not-text",
        "/v1/briefings",
        [AUTH, JSON],
        briefing(url="https://shop.test/p", locale=1),
        400,
        "invalid_locale",
    ),
    (
        "product-id-not-hex",
        "/v1/watch",
        [AUTH, JSON],
        json.dumps({"product_id": "x" * 16, "url": "https://shop.test/p"}).encode(),
        400,
        "invalid_product",
    ),
]


@pytest.mark.parametrize(
    ("path", "headers", "body", "status", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_a_4xx_json_error(port, path, headers, body, status, code):
    response = raw_request(port, "POST", path, headers=headers, body=body)
    assert response.status == status, response.body[:300]
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert len(error["message"]) < 1000  # a 100 KB address is not echoed back whole
    assert raw_request(port, "GET", "/healthz").status == 200


# -- the fuzz --------------------------------------------------------------------------------------------

URL_SEEDS = [
    "https://shop.test/p/kettle",
    "http://blog.test/post?id=1#top",
    "https://xn--.test/",
    "https://shop.test:0/",
    "http://[::1]/",
    "ftp://shop.test/",
    "javascript:alert(1)",
    "//shop.test/p",
    "https://sh\u00f6p.test/p",
]
# Any character, control characters, NUL and lone surrogates included.
ODD_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
URLS = st.one_of(
    st.sampled_from(URL_SEEDS),
    st.builds(lambda seed, tail: seed + tail, st.sampled_from(URL_SEEDS), ODD_TEXT),
    st.builds(lambda head, seed: head + seed, ODD_TEXT, st.sampled_from(URL_SEEDS)),
    ODD_TEXT,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    ODD_TEXT,
    URLS,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ODD_TEXT, children, max_size=4),
    max_leaves=10,
)
BRIEFING_BODIES = st.fixed_dictionaries(
    {}, optional={"url": URLS | JSON_VALUES, "html": ODD_TEXT | JSON_VALUES, "locale": ODD_TEXT | JSON_VALUES}
)
WATCH_BODIES = st.fixed_dictionaries(
    {}, optional={"product_id": st.just(PRODUCT_ID) | ODD_TEXT | JSON_VALUES, "url": URLS | JSON_VALUES}
)
# Header values as a client may send them on the wire: any byte but the ones that end a header line.
HEADER_BYTES = st.binary(max_size=30).map(
    lambda b: bytes(c for c in b if (c >= 0x20 and c != 0x7F) or c == 0x09)
)


def header(name: str, *choices: str | bytes | None):
    return st.one_of(st.sampled_from(choices), HEADER_BYTES).map(lambda value: (name, value))


HEADERS = st.tuples(
    header(
        "Content-Type",
        "application/json",
        "application/json; charset=UTF-8",
        "text/plain",
        None,
        "application/json; charset",
        "application/json;;",
        'application/json; charset="utf-8"',
        "*/*",
    ),
    header("Content-Encoding", None, None, "identity", "gzip", "br, gzip", ""),
    header(
        "Authorization", f"Bearer {TOKEN}", f"Bearer {TOKEN}", b"Bearer \xff\xfe", "Bearer", "", "Basic Zm9v"
    ),
    header("Origin", None, None, CHROME_EXTENSION_ORIGIN, "null", "https://evil.example"),
    header("Host", None, None, "localhost", "evil.example", "[::1]"),
).map(lambda pairs: [(name, value) for name, value in pairs if value is not None])


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *strings_in(item)]]
    return []


def may_leave_this_machine(value) -> bool:
    """Whether a string in `value` is a URL with a numeric host (an IP address in some notation): those
    skip name lookup, so one that is public would be fetched from the network. Names go nowhere here."""
    for text in strings_in(value):
        try:
            host = URL(text.strip()).host or ""
        except Exception:
            continue
        if host and set(host.lower()) <= set("0123456789abcdefx.:[]%"):
            return True
    return False


def check(response) -> None:
    assert response.status < 500, response.body[:300]
    answer = response.json()
    if response.status >= 400:
        assert isinstance(answer["error"]["code"], str) and isinstance(answer["error"]["message"], str)
    else:
        assert isinstance(answer, dict)


FUZZ = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
REQUESTS = st.one_of(
    st.tuples(st.just("/v1/briefings"), BRIEFING_BODIES | JSON_VALUES),
    st.tuples(st.just("/v1/watch"), WATCH_BODIES | JSON_VALUES),
)


@FUZZ
@given(case=REQUESTS, raw=st.none() | st.binary(max_size=80))
def test_no_request_body_makes_a_5xx(port, case, raw):
    path, value = case
    body = raw if raw is not None else json.dumps(value).encode()
    assume(not may_leave_this_machine(value) and not may_leave_this_machine(_parsed(body)))
    check(raw_request(port, "POST", path, headers=[AUTH, JSON], body=body))


@FUZZ
@given(case=REQUESTS, headers=HEADERS)
def test_no_odd_header_makes_a_5xx(port, case, headers):
    path, value = case
    assume(not may_leave_this_machine(value))
    check(raw_request(port, "POST", path, headers=headers, body=json.dumps(value).encode()))


def _parsed(body: bytes):
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None
