"""API fixtures: a real zmot app on a loopback port, its store in a temporary directory."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from server.app import create_app
from server.settings import Settings, load_settings
from server.workers import CpuPool


def make_settings(tmp_path, local_web=None, **sections: dict[str, Any]) -> Settings:
    """Settings for a test: store under tmp_path, the local web reachable through fetch.resolve."""
    overrides: dict[str, dict[str, Any]] = {
        "store": {"path": str(tmp_path / "zmot.sqlite3")},
        "fetch": {"total_timeout_s": 2.0, "first_byte_timeout_s": 1.5, "per_host_interval_s": 0.0},
        "search": {"default": "none"},  # never the public metasearch; a test's own search= still wins
    }
    if local_web is not None:
        overrides["fetch"]["resolve"] = local_web.resolve_map()
    for name, values in sections.items():
        overrides.setdefault(name, {}).update(values)
    return load_settings(env={}, overrides=overrides)


async def workers_ready(client: TestClient) -> None:
    """Wait until the app's worker processes are ready, as a shopper's first briefing would."""
    for _ in range(1200):
        if (await (await client.get("/healthz")).json())["workers"] == "ready":
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the worker processes did not start within a minute")


@pytest.fixture
async def cpu() -> AsyncIterator[CpuPool]:
    """A started pool of two worker processes for the CPU work of a test's briefings or watches."""
    async with CpuPool(2) as pool:
        yield pool


@pytest.fixture
def api_client(tmp_path, local_web) -> Callable[..., Any]:
    """`async with api_client(**sections) as client:` a running app with these settings overrides."""

    class _Running:
        def __init__(self, **sections: dict[str, Any]) -> None:
            self.settings = make_settings(tmp_path, local_web, **sections)

        async def __aenter__(self) -> TestClient:
            self.client = TestClient(TestServer(create_app(self.settings), host="127.0.0.1"))
            await self.client.start_server()
            await workers_ready(self.client)
            return self.client

        async def __aexit__(self, *exc: object) -> None:
            await self.client.close()

    return _Running


@pytest.fixture
async def client(api_client) -> AsyncIterator[TestClient]:
    async with api_client() as running:
        yield running


async def read_events(response: ClientResponse) -> list[tuple[str, Any]]:
    """Parse a Server-Sent Events body into (event, data) pairs until `done`."""
    events: list[tuple[str, Any]] = []
    event, data = "message", []
    async for raw in response.content:
        line = raw.decode().rstrip("\n")
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif not line and data:
            events.append((event, json.loads("\n".join(data))))
            if event == "done":
                break
            event, data = "message", []
    return events
