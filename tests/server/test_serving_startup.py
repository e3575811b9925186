"""`zmot serve` starting: the event loop keeps answering while the app is imported and built."""

from __future__ import annotations

import threading

import pytest

import server.app
from server.serving import _app_runner
from tests.server.conftest import make_settings

pytestmark = pytest.mark.slow  # the app's setup starts the worker processes


async def test_the_app_is_built_off_the_event_loop_so_healthz_answers_meanwhile(tmp_path, monkeypatch):
    # Building the app finds the plugins' entry points, reading every installed package's metadata: on the
    # loop, that held /healthz ("starting") up for 60-120 ms at each start.
    built_on: list[threading.Thread] = []
    build = server.app.create_app

    def create_app(settings):
        built_on.append(threading.current_thread())
        return build(settings)

    monkeypatch.setattr(server.app, "create_app", create_app)
    runner = await _app_runner(make_settings(tmp_path))
    try:
        assert runner.server is not None  # set up, ready to be handed the connections
        assert built_on and built_on[0] is not threading.current_thread()
    finally:
        await runner.cleanup()
