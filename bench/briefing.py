"""Bench: time from POST to `done` for a page with 100 reviews, and cached briefings per second.

Starts `python -m server serve` on a free loopback port with a temporary store, then measures as a client:
    python bench/briefing.py [--runs 20] [--seconds 5] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pagegen import REVIEW_TEXTS, product_page  # noqa: E402
from tests.tools import serving  # noqa: E402


def hundred_review_page(n: int) -> str:
    reviews = [REVIEW_TEXTS[i % len(REVIEW_TEXTS)] for i in range(100)]
    return product_page(name=f"Bench Kettle {n}", gtin=f"{8000000000000 + n}", reviews=reviews)


async def post_to_done(session: aiohttp.ClientSession, base: str, html: str) -> tuple[float, float, str]:
    """(ms to the 202, ms to `done`, final status) for one briefing."""
    started = time.perf_counter()
    async with session.post(
        f"{base}/v1/briefings", json={"url": "https://shop.example/p", "html": html}
    ) as r:
        accepted = await r.json()
    first = (time.perf_counter() - started) * 1000
    status = accepted["status"]
    if r.status == 202:
        async with session.get(base + accepted["events"]) as stream:
            async for line in stream.content:
                if line.startswith(b"event: done"):
                    break
        status = "done"
    return first, (time.perf_counter() - started) * 1000, status


async def cached_rps(base: str, html: str, seconds: float, concurrency: int) -> tuple[int, float]:
    count = 0
    stop = time.perf_counter() + seconds

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal count
        while time.perf_counter() < stop:
            async with session.post(
                f"{base}/v1/briefings", json={"url": "https://shop.example/p", "html": html}
            ) as r:
                await r.read()
                assert r.status == 200, r.status
            count += 1

    async with aiohttp.ClientSession() as session:
        await post_to_done(session, base, html)  # make it cached
        began = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        return count, time.perf_counter() - began


async def measure(base: str, runs: int, seconds: float, concurrency: int) -> None:
    async with aiohttp.ClientSession() as session:
        await post_to_done(session, base, hundred_review_page(0))  # warm up imports and the store
        firsts, dones = [], []
        for n in range(1, runs + 1):
            first, done, _ = await post_to_done(session, base, hundred_review_page(n))
            firsts.append(first)
            dones.append(done)
    size = len(hundred_review_page(1).encode()) / 1024
    print(f"page with 100 reviews ({size:.0f} KB), {runs} runs, each a new product:")
    for label, times in (("POST -> 202 (product known)", firsts), ("POST -> done", dones)):
        print(f"  {label:<28} median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms")
    count, elapsed = await cached_rps(base, hundred_review_page(10_000), seconds, concurrency)
    print(f"cached briefing (same product again), {concurrency} concurrent clients for {elapsed:.1f} s:")
    print(f"  {count / elapsed:7.1f} requests/s  ({count} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = f'[store]\npath = "{Path(tmp) / "bench.sqlite3"}"\n[search]\ndefault = "none"\n'
        with serving([sys.executable, "-m", "server"], config, Path(tmp), cwd=ROOT) as base:
            asyncio.run(measure(base, args.runs, args.seconds, args.concurrency))


if __name__ == "__main__":
    main()
