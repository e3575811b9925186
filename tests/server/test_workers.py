"""CPU work runs in worker processes that a deadline or a cancellation really stops.

The functions the workers run are module-level here, so that a worker can import them by name.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import time
from pathlib import Path

import pytest

from scrapers.base import Page, PageScraper
from scrapers.registry import Registry, load_registry
from server.workers import CpuPool
from tests.pagegen import product_page

pytestmark = pytest.mark.slow  # every test here starts worker processes

# Long enough that only a worker that was not stopped could still be running when a test looks.
_FOREVER_S = 120.0


def sleep_after_writing_pid(pid_file: str) -> None:
    """Say which process does the work, then work (sleep) for longer than any test lasts."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(_FOREVER_S)


def own_pid() -> int:
    return os.getpid()


class PriceUnreadable(ValueError):
    """An error a plugin might raise; it pickles like any exception with one message."""


class NeedsTwoArguments(Exception):
    """An exception that pickles but cannot be rebuilt (its __init__ wants two arguments)."""

    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")


def raise_(kind: str) -> None:
    if kind == "value":
        raise PriceUnreadable("the price '12,3O €' is not a number")
    if kind == "two-args":
        raise NeedsTwoArguments("price", "not a number")
    if kind == "exit":
        raise SystemExit(3)


class HangingScraper(PageScraper):
    """A site plugin stuck in its own loop: only terminating its process stops it."""

    name = "hanging"
    fallback = True

    def extract(self, page, base=None):
        time.sleep(_FOREVER_S)
        raise AssertionError("a hung plugin's result must not be waited for")


def registry_of(*plugins: PageScraper) -> Registry:
    registry = Registry()
    for plugin in plugins:
        registry.add(plugin)
    return registry


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def until_gone(pid: int) -> bool:
    """True once the process has ended. Generous (10 s): a terminated worker ends in milliseconds, one
    left running never does."""
    for _ in range(200):
        if gone(pid):
            return True
        await asyncio.sleep(0.05)
    return False


def pid_in(pid_file: Path) -> int | None:
    text = pid_file.read_text() if pid_file.exists() else ""
    return int(text) if text else None


async def pid_written(pid_file: Path) -> int:
    for _ in range(200):
        if (pid := pid_in(pid_file)) is not None:
            return pid
        await asyncio.sleep(0.05)
    raise AssertionError("the worker never started the call")


async def test_a_hung_call_is_terminated_at_its_timeout_and_the_pool_answers_the_next(tmp_path):
    pid_file = tmp_path / "pid"
    async with CpuPool(2) as pool:
        with pytest.raises(TimeoutError, match="did not finish within 0.50 s"):
            await pool.run(sleep_after_writing_pid, str(pid_file), timeout=0.5)
        pid = pid_in(pid_file)
        assert pid is not None and await until_gone(pid)
        assert await pool.run(own_pid, timeout=10) != pid


async def test_cancelling_the_waiting_briefing_stops_the_work(tmp_path):
    pid_file = tmp_path / "pid"
    async with CpuPool(2) as pool:
        call = asyncio.create_task(pool.run(sleep_after_writing_pid, str(pid_file)))
        pid = await pid_written(pid_file)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert await until_gone(pid)
        assert await pool.run(own_pid, timeout=10) != pid


async def test_a_call_waiting_for_a_free_worker_keeps_its_own_deadline_and_costs_no_worker(tmp_path):
    pid_file = tmp_path / "pid"
    async with CpuPool(1) as pool:
        busy = asyncio.create_task(pool.run(sleep_after_writing_pid, str(pid_file)))
        pid = await pid_written(pid_file)
        with pytest.raises(TimeoutError):
            await pool.run(own_pid, timeout=0.3)
        assert not gone(pid) and not busy.done()  # the queued call gave up alone
        busy.cancel()
        await asyncio.gather(busy, return_exceptions=True)
        assert await until_gone(pid)


async def test_a_call_with_no_time_left_is_not_started(tmp_path):
    pid_file = tmp_path / "pid"
    async with CpuPool(1) as pool:
        with pytest.raises(TimeoutError):
            await pool.run(sleep_after_writing_pid, str(pid_file), timeout=0)
        assert not pid_file.exists()


async def test_exceptions_come_back_as_themselves_or_as_their_text():
    async with CpuPool(1) as pool:
        with pytest.raises(PriceUnreadable, match="is not a number"):
            await pool.run(raise_, "value")
        with pytest.raises(RuntimeError, match="NeedsTwoArguments: price: not a number"):
            await pool.run(raise_, "two-args")
        with pytest.raises(RuntimeError, match="SystemExit"):
            await pool.run(raise_, "exit")
        assert await pool.run(own_pid) > 0  # none of them cost the pool its worker


async def test_a_registry_scrape_runs_in_a_worker_and_a_hung_plugin_is_killed_at_the_deadline(tmp_path):
    shop_page = Page(url="https://shop.example/p/1", html=product_page(name="Brava Steel Kettle 1.7 L"))
    generic, hanging = load_registry(), registry_of(HangingScraper())
    # The registry travels with every scrape: it must cost little next to the page itself.
    assert len(pickle.dumps(generic)) < 20_000
    async with CpuPool(2) as pool:
        page = await pool.run(generic.scrape, shop_page, timeout=10)
        assert page.product.name == "Brava Steel Kettle 1.7 L" and len(page.reviews) == 10
        with pytest.raises(TimeoutError):
            await pool.run(hanging.scrape, shop_page, timeout=0.5)
        page = await pool.run(generic.scrape, shop_page, timeout=10)
        assert page.offers[0].price == "39.90"


async def test_the_pool_works_after_an_idle_worker_is_killed_from_outside():
    async with CpuPool(2) as pool:
        victim = await pool.run(own_pid)
        os.kill(victim, signal.SIGKILL)
        assert await until_gone(victim)
        answers = await asyncio.gather(*(pool.run(own_pid, timeout=20) for _ in range(4)))
        assert victim not in answers


async def test_closing_the_pool_stops_a_running_call_and_its_caller_hears_of_it(tmp_path):
    pid_file = tmp_path / "pid"
    pool = CpuPool(1)
    await pool.start()
    call = asyncio.create_task(pool.run(sleep_after_writing_pid, str(pid_file)))
    pid = await pid_written(pid_file)
    await pool.close()
    with pytest.raises(RuntimeError, match="closed"):
        await call
    assert await until_gone(pid)
    await pool.close()  # a second close is harmless
    with pytest.raises(RuntimeError, match="closed"):
        await pool.run(own_pid)


async def test_a_pool_starts_on_its_first_call_when_nobody_started_it():
    pool = CpuPool(1)
    try:
        assert await pool.run(own_pid, timeout=20) != os.getpid()
    finally:
        await pool.close()
