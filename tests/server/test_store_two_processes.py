"""Two zmot processes on one SQLite file: every write of each is kept, and neither fails, even when the
other stops in the middle of its work."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.store import SQLiteStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# One zmot process's store traffic: a briefing, a price and a read per round, as `serve` does them.
WRITER = """
import asyncio, sys, time
from pathlib import Path
from server.store import PriceObservation, SQLiteStore

async def main(path, name, rounds, go):
    store = SQLiteStore(path)
    await store.open()
    Path(go).with_suffix("." + name).touch()  # opened; wait for the other, so that both write at once
    for _ in range(3000):
        if Path(go).exists():
            break
        await asyncio.sleep(0.01)
    i = 0
    while rounds == 0 or i < rounds:
        briefing = {"id": f"{name}-{i}", "status": "complete", "product": {"id": "0123456789abcdef"}}
        await store.put_briefing(briefing, page_key=f"{name}-page-{i % 5}", ttl_s=3600)
        seen = PriceObservation("0123456789abcdef", name, f"{i}.00", "EUR", time.time(), f"http://{name}.test/p")
        await store.add_prices([seen])
        assert (await store.fresh_briefing_for_page(f"{name}-page-{i % 5}"))["id"] == f"{name}-{i}"
        print(i, flush=True)
        i += 1
    await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
"""


def start_writer(path: Path, name: str, rounds: int, go: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(rounds), str(go)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_together(path: Path, *writers: tuple[str, int]) -> list[subprocess.Popen[str]]:
    """Start the writers and let them write once all have opened the store."""
    go = path.with_name("go")
    processes = [start_writer(path, name, rounds, go) for name, rounds in writers]
    deadline = time.monotonic() + 60  # generous: only a hung start would take this long
    while not all(go.with_suffix("." + name).exists() for name, _ in writers):
        assert time.monotonic() < deadline, "a writer never opened the store"
        assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
        time.sleep(0.01)
    go.touch()
    return processes


async def stored(path: Path, name: str) -> tuple[set[str], list[str]]:
    """The ids of the briefings and the prices that process `name` left in the file."""
    store = SQLiteStore(path)
    await store.open()
    try:
        async with store.db.execute("SELECT id FROM briefings WHERE id LIKE ?", (f"{name}-%",)) as cur:
            briefings = {row[0] for row in await cur.fetchall()}
        prices = [p.amount for p in await store.prices("0123456789abcdef") if p.seller == name]
    finally:
        await store.close()
    return briefings, prices


async def test_two_processes_writing_at_once_keep_every_write(tmp_path):
    path = tmp_path / "shared.sqlite3"
    rounds = 300
    processes = start_together(path, ("first", rounds), ("second", rounds))
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert out.split()[-1] == str(rounds - 1)
    for name in ("first", "second"):
        briefings, prices = await stored(path, name)
        assert briefings == {f"{name}-{i}" for i in range(rounds)}
        assert sorted(prices, key=float) == [f"{i}.00" for i in range(rounds)]


async def test_the_second_process_keeps_working_after_the_first_dies_mid_write(tmp_path):
    path = tmp_path / "shared.sqlite3"
    first, second = start_together(path, ("first", 0), ("second", 300))
    try:
        assert first.stdout is not None
        for _ in range(50):  # the first is well into its writes, then killed wherever it is
            assert first.stdout.readline(), first.stderr.read() if first.stderr else ""
        first.kill()
        first.wait(timeout=30)
        out, err = second.communicate(timeout=120)
    finally:
        for process in (first, second):
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait(timeout=30)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
    assert second.returncode == 0, err
    briefings, prices = await stored(path, "second")
    assert briefings == {f"second-{i}" for i in range(300)} and len(prices) == 300
    first_briefings, _ = await stored(path, "first")
    assert len(first_briefings) >= 50  # what the first had committed before it died is still there
