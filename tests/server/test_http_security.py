"""Only zmot's own clients drive the server, and limits hold before any work: a real server on a loopback
port, served the way `zmot serve` serves it, and requests written byte for byte as an attacker would."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.api import MAX_BODY_BYTES, MAX_HTML_BYTES
from server.app import create_app
from server.guards import CHROME_EXTENSION_ORIGIN
from tests.pagegen import product_page
from tests.server.conftest import make_settings
from tests.tools import free_port, raw_request, require_program, serving_in_thread, wait_for_health

TOKEN = "s3cret-pairing-code"
AUTH = ("Authorization", f"Bearer {TOKEN}")
JSON = ("Content-Type", "application/json")
FIREFOX = "moz-extension://0b9a4c4e-7d62-4c4f-9b8e-2f6d5c1a3e7f"
PRODUCT_ID = "0123456789abcdef"


async def nowhere(host: str, port: int) -> list[str]:
    """No DNS in these tests: a name outside the local web has no address."""
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.fixture
def zmot(tmp_path, local_web):
    """`with zmot(**sections) as port:` zmot served as `zmot serve` serves it, with these settings."""

    def start(**sections):
        return serving_in_thread(make_settings(tmp_path, local_web, **sections), lookup=nowhere)

    return start


def error_code(response) -> str:
    return response.json()["error"]["code"]


def page_body(url: str, html: str | None = None, **extra) -> bytes:
    fields = {"url": url, **extra}
    if html is not None:
        fields["html"] = html
    return json.dumps(fields, ensure_ascii=False).encode()


# -- a web page cannot drive the server -----------------------------------------------------------------


def test_a_form_a_web_page_posts_fetches_nothing(zmot, local_web):
    # The weakest setup: pairing off on loopback. A page's <form enctype="text/plain"> sends JSON-looking
    # text with no preflight; before, the server took it and fetched the URL.
    local_web.add_page("csrf.test", "/p", product_page())
    form = page_body(local_web.url("csrf.test", "/p"))
    with zmot(server={"pairing": False}) as port:
        for path, body in (
            ("/v1/briefings", form),
            ("/v1/watch", page_body("http://csrf.test/p", product_id=PRODUCT_ID)),
        ):
            from_page = raw_request(
                port,
                "POST",
                path,
                body=body,
                headers=[("Origin", "https://evil.example"), ("Content-Type", "text/plain")],
            )
            assert (from_page.status, error_code(from_page)) == (403, "origin_not_allowed")
            assert "access-control-allow-origin" not in from_page.headers
            # A browser that sends no Origin with the form still meets the JSON rule.
            no_origin = raw_request(port, "POST", path, body=body, headers=[("Content-Type", "text/plain")])
            assert (no_origin.status, error_code(no_origin)) == (415, "unsupported_media_type")
        assert raw_request(port, "GET", "/v1/watch").json() == {"watches": []}
    assert local_web.sent_to("csrf.test") == []


@pytest.mark.parametrize("path", ["/v1/briefings", "/v1/watch"])
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zmot",
        None,
        "application/json; charset=x-unknown",
        "application/json; charset=utf-16",
        "application/jsonp",
    ],
)
def test_only_json_bodies_are_read(zmot, path, content_type):
    body = page_body("https://shop.test/p", product_id=PRODUCT_ID)
    headers = [AUTH] + ([("Content-Type", content_type)] if content_type is not None else [])
    with zmot(server={"tokens": [TOKEN]}) as port:
        response = raw_request(port, "POST", path, body=body, headers=headers)
        assert (response.status, error_code(response)) == (415, "unsupported_media_type")
        assert response.json()["error"]["message"]


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    """One answer on a kept-alive connection (its body has a Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        int(v) for n, _, v in (h.partition(":") for h in lines[1:]) if n.lower() == "content-length"
    )
    while len(body) < length:
        body += sock.recv(65536)
    return int(lines[0].split()[1]), body


@pytest.mark.parametrize(
    "body",
    [gzip.compress(b"\0" * (64 << 20), 9), b'{"url": "https://shop.test/p"} is not gzip at all'],
    ids=["gzip-bomb", "not-gzip"],
)
def test_a_compressed_body_is_refused_and_never_inflated(zmot, body):
    with zmot() as port, socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = (
            f"POST /v1/briefings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Encoding: gzip\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        status, answer = read_response(sock)
        assert (status, json.loads(answer)["error"]["code"]) == (415, "unsupported_media_type")
        # The same connection serves the next request: the body was skipped as bytes. A server that
        # inflated it would have choked on the bytes that are not gzip and dropped the connection.
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_response(sock)[0] == 200


REFUSED_ORIGINS = [
    "https://evil.example",
    "http://127.0.0.1:8750",
    "chrome-extension://abcdefghijklmnopabcdefghijklmnop",  # another extension
    "moz-extension://1234-5678",  # not a Firefox extension's origin
    "moz-extension://0B9A4C4E-7D62-4C4F-9B8E-2F6D5C1A3E7F",
    "safari-web-extension://0b9a4c4e-7d62-4c4f-9b8e-2f6d5c1a3e7f",
    "",
]


@pytest.mark.parametrize("origin", REFUSED_ORIGINS)
def test_other_origins_are_refused_whatever_the_method(zmot, origin):
    with zmot(server={"tokens": [TOKEN]}) as port:
        requests = [
            ("GET", "/healthz", [], b""),
            ("GET", "/v1/watch", [AUTH], b""),
            ("POST", "/v1/briefings", [AUTH, JSON], page_body("https://shop.test/p")),
            ("DELETE", f"/v1/watch/{PRODUCT_ID}", [AUTH], b""),
            ("OPTIONS", "/v1/briefings", [("Access-Control-Request-Method", "POST")], b""),
        ]
        for method, path, headers, body in requests:
            response = raw_request(port, method, path, headers=[*headers, ("Origin", origin)], body=body)
            assert (response.status, error_code(response)) == (403, "origin_not_allowed"), (method, path)
            assert "access-control-allow-origin" not in response.headers


def test_zmots_extension_and_configured_origins_are_answered_with_cors(zmot):
    with zmot(server={"tokens": [TOKEN], "cors_origins": ["https://dash.example"]}) as port:
        for origin in (CHROME_EXTENSION_ORIGIN, "https://dash.example"):
            preflight = raw_request(
                port,
                "OPTIONS",
                "/v1/briefings",
                headers=[
                    ("Origin", origin),
                    ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "authorization,content-type"),
                ],
            )
            assert preflight.status == 204
            assert preflight.headers["access-control-allow-origin"] == origin
            assert "Authorization" in preflight.headers["access-control-allow-headers"]
            listed = raw_request(port, "GET", "/v1/watch", headers=[("Origin", origin), AUTH])
            assert listed.status == 200 and listed.headers["access-control-allow-origin"] == origin
            # The token is still needed; the refusal is readable by the extension.
            refused = raw_request(port, "GET", "/v1/watch", headers=[("Origin", origin)])
            assert refused.status == 401 and refused.headers["access-control-allow-origin"] == origin


def test_a_firefox_extension_origin_is_let_in_by_the_token(zmot):
    with zmot(server={"tokens": [TOKEN]}) as port:
        preflight = raw_request(
            port,
            "OPTIONS",
            "/v1/briefings",
            headers=[("Origin", FIREFOX), ("Access-Control-Request-Method", "POST")],
        )
        assert preflight.status == 204 and preflight.headers["access-control-allow-origin"] == FIREFOX
        for path in ("/healthz", "/v1/watch"):
            without = raw_request(port, "GET", path, headers=[("Origin", FIREFOX)])
            # A missing pairing code, as for the Chromium extension: the popup then asks for it, which it
            # can only do if Firefox lets it read the 401 (it says nothing but "unauthorized").
            assert (without.status, error_code(without)) == (401, "unauthorized")
            assert without.headers["access-control-allow-origin"] == FIREFOX
            wrong = raw_request(
                port, "GET", path, headers=[("Origin", FIREFOX), ("Authorization", "Bearer nope")]
            )
            assert wrong.status == 401
            paired = raw_request(port, "GET", path, headers=[("Origin", FIREFOX), AUTH])
            assert paired.status == 200 and paired.headers["access-control-allow-origin"] == FIREFOX


def test_the_null_origin_needs_the_token_and_gets_no_preflight(zmot):
    # Firefox's extension pages may send `Origin: null`, and so does a sandboxed frame of any web page.
    with zmot(server={"tokens": [TOKEN]}) as port:
        preflight = raw_request(
            port,
            "OPTIONS",
            "/v1/briefings",
            headers=[("Origin", "null"), ("Access-Control-Request-Method", "POST")],
        )
        assert preflight.status == 403 and "access-control-allow-origin" not in preflight.headers
        without = raw_request(port, "GET", "/v1/watch", headers=[("Origin", "null")])
        assert without.status == 401 and "access-control-allow-origin" not in without.headers
        paired = raw_request(port, "GET", "/v1/watch", headers=[("Origin", "null"), AUTH])
        assert paired.status == 200 and paired.headers["access-control-allow-origin"] == "null"


def test_without_tokens_a_firefox_origin_cannot_show_one(zmot):
    with zmot(server={"pairing": False}) as port:
        response = raw_request(port, "GET", "/v1/watch", headers=[("Origin", FIREFOX)])
        assert response.status == 401  # no code exists that it could show
        assert raw_request(port, "GET", "/v1/watch").status == 200  # a local program without an Origin


# -- DNS rebinding ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost.evil.example:{port}",
        "10.0.0.8:{port}",
        "[2001:db8::1]:{port}",
        "0.0.0.0:{port}",
        "",
    ],
)
def test_a_host_header_naming_another_server_is_misdirected(zmot, host):
    with zmot(server={"pairing": False}) as port:
        for method, path, headers, body in (
            ("GET", "/healthz", [], b""),
            ("GET", "/v1/watch", [], b""),
            ("POST", "/v1/briefings", [JSON], page_body("https://shop.test/p")),
        ):
            response = raw_request(
                port, method, path, headers=[*headers, ("Host", host.format(port=port))], body=body
            )
            assert (response.status, error_code(response)) == (421, "misdirected_request"), path


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{port}",
        "localhost:{port}",
        "LocalHost.",
        "zmot.localhost:{port}",
        "127.0.0.2",
        "[::1]:{port}",
        "[0:0:0:0:0:0:0:1]",
        "zmot.lan:{port}",
        "192.0.2.10",
    ],
)
def test_loopback_names_and_configured_hosts_are_served(zmot, host):
    with zmot(server={"pairing": False, "hosts": ["zmot.lan", "192.0.2.10"]}) as port:
        response = raw_request(port, "GET", "/healthz", headers=[("Host", host.format(port=port))])
        assert response.status == 200


# -- tokens ----------------------------------------------------------------------------------------------


def protected_routes(settings) -> list[tuple[str, str]]:
    """Every (method, path) of the API that needs the token, with sample path parameters."""
    routes = []
    for route in create_app(settings).router.routes():
        path = route.resource.canonical.replace("{id}", "b1").replace("{product_id}", PRODUCT_ID)
        if path not in {"/healthz", "/openapi.json"}:
            routes.append((route.method, path))
    return routes


def test_an_authorization_header_that_is_not_ascii_is_a_401_everywhere(zmot, tmp_path, local_web):
    settings = make_settings(tmp_path, local_web, server={"tokens": [TOKEN]})
    routes = protected_routes(settings)
    assert len(routes) >= 8
    with zmot(server={"tokens": [TOKEN]}) as port:
        for scheme in (
            b"Bearer \xff\xfe",
            b"Bearer s3cret-pairing-cod\xc3\xa9",
            b"\xff\xfe",
            "Bearer é".encode(),
        ):
            for method, path in routes:
                body = page_body("https://shop.test/p", product_id=PRODUCT_ID) if method == "POST" else b""
                response = raw_request(
                    port, method, path, headers=[("Authorization", scheme), JSON], body=body
                )
                assert response.status == 401, (method, path, scheme)
                if method != "HEAD":
                    assert error_code(response) == "unauthorized"
            assert raw_request(port, "GET", "/healthz", headers=[("Authorization", scheme)]).status == 200


# -- limits before work ----------------------------------------------------------------------------------


def json_size(text: str) -> int:
    """Bytes `text` takes as a JSON string (JSON.stringify's escapes, UTF-8), its quotes left out."""
    return len(json.dumps(text, ensure_ascii=False).encode()) - 2


def page_escaping_to(size: int) -> str:
    """A product page, padded with the characters JSON escapes most, that takes `size` bytes once escaped:
    the largest page the extension sends is one of these, cut to MAX_HTML_BYTES."""
    prefix, suffix = product_page() + "<!--", "-->"
    n, rest = divmod(size - json_size(prefix) - json_size(suffix), 10)  # \u0001 \" \\: 10 bytes escaped
    html = prefix + '\x01"\\' * n + "x" * rest + suffix
    assert json_size(html) == size
    return html


def test_the_largest_page_the_extension_sends_is_taken(zmot, local_web):
    html = page_escaping_to(MAX_HTML_BYTES)
    body = page_body("https://shop.test/p/escaped", html, locale="it-IT")
    assert len(body) > MAX_HTML_BYTES and len(html.encode()) < MAX_HTML_BYTES  # escapes weigh
    with zmot(server={"tokens": [TOKEN]}) as port:
        response = raw_request(port, "POST", "/v1/briefings", headers=[AUTH, JSON], body=body)
        assert response.status in (200, 202), response.body[:300]
        assert response.json()["url"] == "https://shop.test/p/escaped"


def test_a_body_over_the_limit_is_refused_before_it_is_read(zmot):
    too_big = b'{"url": "https://shop.test/p", "html": "' + b"x" * MAX_BODY_BYTES + b'"}'
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(part), part)
        for part in [too_big[i : i + 65536] for i in range(0, len(too_big), 65536)]
    )
    with zmot(server={"tokens": [TOKEN]}) as port:
        # Told by its Content-Length: refused before a byte of it is read.
        announced = raw_request(port, "POST", "/v1/briefings", headers=[AUTH, JSON], body=too_big)
        assert (announced.status, error_code(announced)) == (413, "body_too_large")
        # Sent in chunks of unknown total: refused once past the limit.
        streamed = raw_request(
            port,
            "POST",
            "/v1/briefings",
            headers=[AUTH, JSON, ("Transfer-Encoding", "chunked")],
            body=chunked + b"0\r\n\r\n",
        )
        assert (streamed.status, error_code(streamed)) == (413, "body_too_large")


def closed_by_server(sock: socket.socket, drip: bytes, attempts: int) -> bool:
    """Send `drip` a byte at a time, 0.1 s apart, until the server closes the connection (True) or
    `attempts` bytes went unanswered (False)."""
    sock.settimeout(0.1)
    for _ in range(attempts):
        try:
            sock.sendall(drip)
            if sock.recv(1024) == b"":
                return True
        except TimeoutError:
            continue
        except (BrokenPipeError, ConnectionResetError):
            return True
    return False


def test_a_client_that_drips_its_request_head_is_cut_off(zmot):
    with zmot(server={"head_timeout_s": 0.5}) as port:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            # 100 bytes at 0.1 s apart: 10 s, far past the 0.5 s a head may take; only no timeout gets there.
            assert closed_by_server(sock, b"a", attempts=100)
        assert raw_request(port, "GET", "/healthz").status == 200  # others are served meanwhile


def test_a_client_that_drips_its_body_gets_a_408(zmot):
    with zmot(server={"body_timeout_s": 0.5, "pairing": False}) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            head = b"POST /v1/briefings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            sock.sendall(head + b"Content-Length: 1000\r\n\r\n" + b'{"url": "')
            status, body = read_response(sock)
        assert (status, json.loads(body)["error"]["code"]) == (408, "request_timeout")


def test_connections_over_the_cap_are_closed_at_once_and_logged_once(zmot, caplog):
    caplog.set_level(logging.INFO, logger="zmot.server")
    cap, clients = 20, 300
    with zmot(server={"max_connections": cap, "head_timeout_s": 120}) as port:
        socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(clients)]
        try:
            for sock in socks:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # a head left unfinished
            answered = 0
            for sock in socks:
                try:
                    sock.sendall(b"\r\n")
                    answered += sock.recv(1024).startswith(b"HTTP/1.1 200")
                except (BrokenPipeError, ConnectionResetError):
                    pass
            assert answered == cap
        finally:
            for sock in socks:
                sock.close()
        # The closed ones are counted out as the server sees them go: a bounded wait, no timing asserted.
        for _ in range(100):
            try:
                if raw_request(port, "GET", "/healthz", timeout_s=5).status == 200:
                    break
            except ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not take connections again once the others closed")
    messages = [r.getMessage() for r in caplog.records if r.name == "zmot.server"]
    assert sum("connection cap of 20 reached" in m for m in messages) == 1
    assert sum("under the cap again" in m for m in messages) == 1


# Run in a fresh Python: zmot's listener, left out of descriptors by a flood of clients, then closed while
# asyncio still holds its retry of accept(); the loop runs on past that retry. Prints what was logged.
_CLOSED_WHILE_FLOODED = """
import asyncio, logging, os, resource, socket, sys
from aiohttp import web
from server.serving import listening
from server.settings import ServerSettings

logging.basicConfig(level=logging.INFO, stream=sys.stdout)

async def main():
    clients = [socket.socket() for _ in range(200)]  # made now: the limit below is for the server
    for sock in clients:
        sock.setblocking(False)
    async with listening(web.Application(), ServerSettings(port=0)) as port:
        highest = max(int(fd) for fd in os.listdir("/proc/self/fd"))
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 20, hard))
        for sock in clients:
            sock.connect_ex(("127.0.0.1", port))
        await asyncio.sleep(0.5)  # accept() has failed, and asyncio retries it a second after
    await asyncio.sleep(1.5)  # the retry falls due after the listener has closed
    print("loop ended")

asyncio.run(main())
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to find the open descriptors")
def test_a_server_closed_while_it_cannot_accept_closes_quietly():
    result = subprocess.run(
        [sys.executable, "-c", _CLOSED_WHILE_FLOODED],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    logged = result.stdout + result.stderr
    assert result.returncode == 0 and "loop ended" in logged, logged
    assert logged.count("cannot accept connections ([Errno 24] Too many open files)") == 1, logged
    assert "Traceback" not in logged and "Invalid file descriptor" not in logged, logged


# Run in a fresh Python, it takes the lowest free descriptors up to 122 (descriptor numbers are handed out
# lowest first, so the 120 it holds are the ones below the limit whatever the test process has open), lowers
# its limit to 200 and becomes the program in argv.
_FEW_DESCRIPTORS = """
import os, resource, sys
while (fd := os.open(os.devnull, os.O_RDONLY)) < 123:
    os.set_inheritable(fd, True)
os.close(fd)
resource.setrlimit(resource.RLIMIT_NOFILE, (200, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
os.execv(sys.argv[1], sys.argv[1:])
"""


@pytest.mark.slow
def test_running_out_of_file_descriptors_is_one_log_line_not_a_storm(tmp_path):
    # `zmot serve` with few descriptors to spare: 200 at most, 123 of them taken before it starts. Its
    # cap (200 - 64) is above the 60 or so left once it runs, so a flood of clients makes accept() fail.
    # Before, asyncio logged each retry with a traceback: 300,000 lines in 20 s.
    port = free_port()
    config = tmp_path / "zmot.toml"
    config.write_text(
        f"[server]\nport = {port}\npairing = false\nhead_timeout_s = 1.0\n"
        f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n'
    )
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        command = [sys.executable, "-c", _FEW_DESCRIPTORS, require_program("zmot"), "serve", "--config"]
        process = subprocess.Popen([*command, str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_health(f"http://127.0.0.1:{port}", process, log_path)
        # All at once, each connect left to finish in the kernel: the server takes far more connections
        # within one head timeout than it has descriptors, however slow this machine is.
        clients = []
        for _ in range(300):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            clients.append(sock)
        for sock in clients:
            with contextlib.suppress(OSError):  # not connected yet: the kernel's queue is full
                sock.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
        time.sleep(2.5)  # the flood goes on past two head timeouts, while accept() keeps failing
        for sock in clients:
            sock.close()
        for _ in range(100):  # once the clients are gone, the server answers again: a bounded wait
            try:
                if raw_request(port, "GET", "/healthz", timeout_s=5).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the server did not recover:\n{log_path.read_text()[-3000:]}")
    finally:
        process.terminate()
        process.wait(timeout=15)
    text = log_path.read_text()
    assert "At most 136 connections at once" in text
    failures = [line for line in text.splitlines() if "cannot accept connections" in line]
    assert len(failures) == 1 and "Too many open files" in failures[0], text[-3000:]
    assert "connection cap of" not in text
    assert "Traceback" not in text and "out of system resource" not in text
