"""Finding the programs a test needs: skip with a reason locally, fail in CI (CI=true) where they must run."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

__all__ = ["free_port", "require_program"]


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
