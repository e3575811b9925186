"""Fixtures shared by every test: the local web and fetch settings that reach it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from server.settings import FetchSettings
from tests.localweb import LocalWeb
from tests.redisd import RedisServer, redis_server

# No test asks the public metasearch that a fresh zmot uses by default: every `zmot` process a test starts
# inherits this. Should anything still reach the library, its proxy is a closed loopback port.
os.environ["ZMOT_SEARCH_DEFAULT"] = "none"
os.environ["DDGS_PROXY"] = "http://127.0.0.1:9"


@pytest.fixture(scope="session")
def local_web() -> Iterator[LocalWeb]:
    """The local web, running in its own thread for the whole session (usable from sync and async tests)."""
    web = LocalWeb()
    web.start_in_thread()
    yield web
    web.stop_thread()


@pytest.fixture
def fetch_settings(local_web: LocalWeb) -> FetchSettings:
    """Fetch settings that reach the local web through `resolve`, with timeouts short enough for tests."""
    return FetchSettings(
        connect_timeout_s=1.0,
        first_byte_timeout_s=1.0,
        total_timeout_s=2.0,
        per_host_interval_s=0.0,
        per_host_concurrency=4,
        cache_ttl_s=60,
        resolve=local_web.resolve_map(),
    )


@pytest.fixture(scope="session")
def redis_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real redis-server on a loopback port for the session (skipped without the binary, run in CI)."""
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_url(redis_daemon: RedisServer) -> str:
    """The session's redis-server, emptied before each test."""
    redis_daemon.flush()
    return redis_daemon.url
