"""Helpers for tests: finding the programs a test needs (skip with a reason locally, fail in CI (CI=true)
where they must run), running zmot's server (or any asyncio server, in a thread), and HTTP requests written
byte for byte."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

_T = TypeVar("_T")

__all__ = [
    "RawResponse",
    "free_port",
    "raw_request",
    "require_program",
    "running_in_thread",
    "serving",
    "serving_in_thread",
    "toml_table",
    "wait_for_health",
]


def require_program(name: str) -> str:
    """The path of `name` (beside this Python first); skip without it, or fail when running in CI."""
    beside = Path(sys.executable).with_name(name)
    path = str(beside) if beside.exists() else shutil.which(name)
    if path:
        return path
    reason = f"{name} is not installed (pip install '.[test]' or apt-get install {name})"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(
    command: list[str],
    config: str,
    home: Path,
    *,
    cwd: Path | None = None,
    token: str | None = None,
    pairing: bool = False,
) -> Iterator[str]:
    """Run `command serve --config …` (zmot, or python -m server) on a free loopback port with `config`
    (TOML whose first lines, before any table, land in [server]) until the block ends; yields the base URL.
    With `token` the server requires `Authorization: Bearer <token>`; with `pairing` it makes its pairing
    code as `zmot serve` does for a shopper; else pairing is off and the server is open to local programs
    (a `tokens = […]` line in `config` still wins). Its output goes to home/serve.log, never to a pipe
    nobody reads, which would block the server once full."""
    port = free_port()
    path = home / "zmot.toml"
    access = "" if pairing else "pairing = false\n"
    if token is not None:
        access = f"tokens = [{json.dumps(token)}]\n"
    path.write_text(f"[server]\nport = {port}\n{access}{config}")
    log_path = home / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "serve", "--config", str(path)], stdout=log, stderr=subprocess.STDOUT, cwd=cwd
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_health(base, process, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for_health(base: str, process: subprocess.Popen, log_path: Path, timeout_s: float = 60) -> None:
    """Wait until `process` answers /healthz at `base` with its workers ready (so that a test's first
    briefing is not spent waiting for them); fail with its log if it exits or never does."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200 and json.load(response).get("workers", "ready") == "ready":
                    return
                raise OSError("the workers are starting")
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"zmot serve did not start:\n{log_path.read_text()}") from None
            time.sleep(0.05)


@contextmanager
def serving_in_thread(settings: Any, **app_options: Any) -> Iterator[int]:
    """zmot's app served the way `zmot serve` serves it (server.serving.listening: its connection cap and
    timeouts), on a free loopback port, by its own event loop in a thread; yields the port. Blocking
    clients in the test can talk to it; `app_options` go to create_app (e.g. `lookup`)."""
    from server.app import create_app
    from server.serving import listening

    def opening() -> AbstractAsyncContextManager[int]:
        return listening(create_app(settings, **app_options), settings.server, port=0)

    with running_in_thread(opening, "zmot's server") as port:
        yield port


@contextmanager
def running_in_thread(opening: Callable[[], AbstractAsyncContextManager[_T]], what: str) -> Iterator[_T]:
    """What the async context manager `opening()` gives, entered by an event loop of its own in a thread
    and left when the block ends: for a test that blocks (raw sockets, sync Playwright) yet needs a server
    that runs on asyncio. `what` names it if it does not start."""
    ready = threading.Event()
    started: dict[str, Any] = {}

    async def main() -> None:
        stop = asyncio.Event()
        async with opening() as value:
            started.update(value=value, loop=asyncio.get_running_loop(), stop=stop)
            ready.set()
            await stop.wait()

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # reported to the starting thread below
            started["error"] = exc
        finally:
            ready.set()

    thread = threading.Thread(target=run, name=what, daemon=True)
    thread.start()
    if not ready.wait(60) or "value" not in started:
        raise RuntimeError(f"{what} did not start: {started.get('error')!r}")
    try:
        yield started["value"]
    finally:
        started["loop"].call_soon_threadsafe(started["stop"].set)
        thread.join(30)


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def raw_request(
    port: int,
    method: str,
    path: str,
    *,
    headers: Sequence[tuple[str, str | bytes]] = (),
    body: bytes = b"",
    timeout_s: float = 30,
) -> RawResponse:
    """One HTTP/1.1 request to 127.0.0.1:port written byte for byte, so that it may carry what a client
    library would refuse or re-encode (bytes that are not ASCII, any Content-Type or Host). Host and
    Content-Length are added unless given; the connection closes after the answer."""
    names = {name.lower() for name, _ in headers}
    lines = [f"{method} {path} HTTP/1.1".encode()]
    if "host" not in names:
        lines.append(f"Host: 127.0.0.1:{port}".encode())
    if "content-length" not in names and "transfer-encoding" not in names and (body or method == "POST"):
        lines.append(f"Content-Length: {len(body)}".encode())
    lines.append(b"Connection: close")
    lines += [name.encode() + b": " + (v if isinstance(v, bytes) else v.encode()) for name, v in headers]
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
        # The server may answer before taking the whole body: its answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                received += chunk
    if not received:
        raise ConnectionError(f"no answer to {method} {path}")
    head, _, content = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    assert parsed.get("transfer-encoding") != "chunked", "raw_request reads plain bodies only"
    return RawResponse(int(status_line.split()[1]), parsed, content)


def toml_table(mapping: dict[str, str]) -> str:
    """A TOML inline table of strings: {"a.test" = "127.0.0.1:8080", …}."""
    return "{ " + ", ".join(f'"{key}" = "{value}"' for key, value in mapping.items()) + " }"
