"""Bench: a briefing beyond the page on the local web with 80–250 ms of latency per host.

Prints the time to the first section, the time to `done`, and the critical path (the longest chain of
requests that depend on each other: search → robots.txt of a result's host → the result page), with
their ratio. Starts the local web in this process and `python -m server serve` beside it:
    python bench/beyond.py [--runs 5] [--with-broken]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapers.types import Product  # noqa: E402
from server.sources.queries import mention_query, offer_queries  # noqa: E402
from tests.localweb import BENCH_LATENCY, LocalWeb  # noqa: E402
from tests.tools import serving, toml_table  # noqa: E402

PAGE_URL = "http://shop-us.test/products/noise-cancelling-headphones"
PAGE = ROOT / "tests/fixtures/localweb/shop-us.test/products/noise-cancelling-headphones.html"
HEADPHONES = Product(
    name="Sonara QuietPro 700 Wireless Noise Cancelling Headphones, Midnight Black",
    brand="Sonara",
    gtin="842075613316",
    mpn="QP700-BLK",
)
BROKEN = {"slowreviews.test", "brokenreviews.test"}


async def critical_path(web: LocalWeb) -> float:
    """Seconds of the longest dependent chain: a search, then a result host's robots.txt, then its page."""
    search = BENCH_LATENCY["search.test"]
    longest = 0.0
    async with aiohttp.ClientSession() as session:
        for query in [mention_query(HEADPHONES, "en"), *offer_queries(HEADPHONES)]:
            url = f"http://127.0.0.1:{web.port}/search?{urlencode({'q': query, 'format': 'json'})}"
            async with session.get(url, headers={"Host": "search.test"}) as response:
                results = (await response.json())["results"]
            for result in results:
                host = urlsplit(result["url"]).hostname
                if host != "shop-us.test":
                    longest = max(longest, search + 2 * BENCH_LATENCY.get(host, 0.0))
    return longest


async def one_briefing(session: aiohttp.ClientSession, base: str, html: str) -> tuple[float, float, float]:
    """(ms to the POST's answer, ms to the first section event, ms to `done`)."""
    started = time.perf_counter()
    async with session.post(f"{base}/v1/briefings", json={"url": PAGE_URL, "html": html}) as response:
        accepted = await response.json()
    answered = (time.perf_counter() - started) * 1000
    first = None
    async with session.get(base + accepted["events"]) as stream:
        async for line in stream.content:
            if line.startswith(b"event: section") and first is None:
                first = (time.perf_counter() - started) * 1000
            if line.startswith(b"event: done"):
                break
    return answered, first, (time.perf_counter() - started) * 1000


async def measure(base: str, runs: int, path_s: float) -> None:
    html = PAGE.read_text()
    async with aiohttp.ClientSession() as session:
        await one_briefing(session, base, html)  # warm up
        rows = [await one_briefing(session, base, html) for _ in range(runs)]
    answered, first, done = (statistics.median(column) for column in zip(*rows, strict=True))
    print(f"  POST answered (product known)  median {answered:7.1f} ms")
    print(f"  first section event            median {first:7.1f} ms")
    each = ", ".join(f"{r[2]:.0f}" for r in rows)
    print(f"  done                           median {done:7.1f} ms   (runs: {each})")
    print(f"  critical path                         {path_s * 1000:7.1f} ms")
    print(f"  done / critical path                  {done / (path_s * 1000):7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--with-broken", action="store_true", help="keep the hanging and failing blogs")
    args = parser.parse_args()
    web = LocalWeb(latency=BENCH_LATENCY)
    if not args.with_broken:
        web.unlisted_hosts |= BROKEN
    web.start_in_thread()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = (
                f'[store]\npath = "{Path(tmp) / "bench.sqlite3"}"\n'
                f"[fetch]\nresolve = {toml_table(web.resolve_map())}\ncache_ttl_s = 0\n"
                "[briefing]\nttl_s = 0\n"
                '[search]\nprovider = "searxng"\nurl = "http://search.test/search"\n'
            )
            with serving([sys.executable, "-m", "server"], config, Path(tmp), cwd=ROOT) as base:
                path_s = asyncio.run(critical_path(web))
                which = "with the hanging and failing blogs" if args.with_broken else "happy path"
                print(f"briefing beyond the page, 80-250 ms per local-web host ({which}), {args.runs} runs:")
                asyncio.run(measure(base, args.runs, path_s))
    finally:
        web.stop_thread()


if __name__ == "__main__":
    main()
