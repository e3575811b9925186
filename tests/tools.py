"""Finding the programs a test needs: skip with a reason locally, fail in CI (CI=true) where they must run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["free_port", "require_program", "serving", "toml_table"]


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
def serving(command: list[str], config: str, home: Path, *, cwd: Path | None = None) -> Iterator[str]:
    """Run `command serve --config …` (zmot, or python -m server) on a free loopback port with `config`
    (TOML without [server]) until the block ends; yields the base URL. Its output goes to home/serve.log,
    never to a pipe nobody reads, which would block the server once full."""
    port = free_port()
    path = home / "zmot.toml"
    path.write_text(f"[server]\nport = {port}\n{config}")
    log_path = home / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "serve", "--config", str(path)], stdout=log, stderr=subprocess.STDOUT, cwd=cwd
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for_health(base, process, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for_health(base: str, process: subprocess.Popen, log_path: Path, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"zmot serve did not start:\n{log_path.read_text()}") from None
            time.sleep(0.05)


def toml_table(mapping: dict[str, str]) -> str:
    """A TOML inline table of strings: {"a.test" = "127.0.0.1:8080", …}."""
    return "{ " + ", ".join(f'"{key}" = "{value}"' for key, value in mapping.items()) + " }"
