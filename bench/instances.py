"""Bench: one zmot server as one or two instances on one Redis, beside the lone SQLite instance.

    python bench/instances.py [--seconds 5] [--rounds 20] [--page FILE --url URL]  (a 2 MB Amazon page)

1. Cached briefings per second: the same page posted again and again (8 clients) once its briefing is
   stored, to (a) one instance on SQLite, (b) one instance on Redis, (c) two instances on Redis with the
   requests dealt to them in turn, as a load balancer without sticky sessions would. Every instance and
   the clients share this machine's cores.
2. From POST on instance A to the first event read on instance B (a new page each time, followed at once
   on B), beside the same measure with both on A.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import DEFAULT_PAGE, HEADERS, TOKEN, _body, brief_once, process  # noqa: E402
from tests.pagegen import product_page  # noqa: E402
from tests.redisd import RedisServer  # noqa: E402
from tests.tools import free_port  # noqa: E402

CLIENTS = 8
JSON = {**HEADERS, "Content-Type": "application/json"}


async def cached_per_second(bases: list[str], body: bytes, seconds: float) -> float:
    """Cached answers per second with the requests dealt to `bases` in turn."""
    turn = itertools.cycle(bases)
    count = 0
    stop = time.perf_counter() + seconds

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal count
        while time.perf_counter() < stop:
            async with session.post(f"{next(turn)}/v1/briefings", data=body, headers=JSON) as r:
                await r.read()
                if r.status != 200:
                    raise RuntimeError(f"expected a cached briefing (200), got {r.status}")
            count += 1

    async with aiohttp.ClientSession() as session:
        began = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(CLIENTS)))
        return count / (time.perf_counter() - began)


async def warm(bases: list[str], body: bytes) -> None:
    """Brief the page once, then post it once to each instance (each reads the page once, then knows
    the same bytes by their hash)."""
    async with aiohttp.ClientSession() as session:
        await brief_once(session, bases[0], body)
        for base in bases:
            async with session.post(f"{base}/v1/briefings", data=body, headers=JSON) as r:
                await r.read()


async def first_event_ms(post_to: str, follow_on: str, rounds: int) -> list[float]:
    """Milliseconds from a POST on `post_to` to the first event read on `follow_on`, a new page each."""
    times = []
    async with aiohttp.ClientSession() as session:
        for i in range(rounds):
            html = product_page(name=f"Relay Kettle {follow_on[-5:]} {i}", gtin=f"{6000000000000 + i}")
            body = _body(f"https://shop.example/relay/{follow_on[-5:]}/{i}", html)
            began = time.perf_counter()
            async with session.post(f"{post_to}/v1/briefings", data=body, headers=JSON) as r:
                answer = await r.json()
            async with session.get(follow_on + answer["events"], headers=HEADERS) as stream:
                async for line in stream.content:
                    if line.startswith(b"event: "):
                        times.append((time.perf_counter() - began) * 1000)
                        break
    return times


def config(home: Path, port: int, store: str) -> Path:
    path = home / f"zmot-{port}.toml"
    path.write_text(f'[server]\nport = {port}\ntokens = ["{TOKEN}"]\n{store}[search]\ndefault = "none"\n')
    return path


def serve(stack: ExitStack, home: Path, store: str) -> str:
    port = free_port()
    command = [sys.executable, "-m", "server", "serve", "--config", str(config(home, port, store))]
    log = home / f"serve-{port}.log"
    try:
        base, _ = stack.enter_context(process(command, port, log))
    except RuntimeError:
        print(log.read_text()[-3000:])
        raise
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--page", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--url", default="https://www.amazon.ae/dp/B0D83GHDW2", help="the page's address")
    args = parser.parse_args()
    body = _body(args.url, args.page.read_text(encoding="utf-8", errors="replace"))
    print(f"cached briefings/s, a {len(body) / 1e6:.1f} MB page, {CLIENTS} clients, {args.seconds:g} s:")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        home = Path(tmp)
        sqlite = f'[store]\npath = "{home / "bench.sqlite3"}"\n'
        lone = serve(stack, home, sqlite)
        asyncio.run(warm([lone], body))
        rates = {"sqlite, one instance": asyncio.run(cached_per_second([lone], body, args.seconds))}
        stack.close()

        redis = RedisServer(home / "redis")
        redis.start()
        stack.callback(redis.stop)
        shared = f'[store]\nbackend = "redis"\nredis_url = "{redis.url}"\n'
        a, b = serve(stack, home, shared), serve(stack, home, shared)
        asyncio.run(warm([a, b], body))
        rates["redis, one instance"] = asyncio.run(cached_per_second([a], body, args.seconds))
        rates["redis, two instances"] = asyncio.run(cached_per_second([a, b], body, args.seconds))
        for label, rate in rates.items():
            print(f"  {label:<22} {rate:7.1f} /s")

        print(f"POST to the first SSE event, {args.rounds} new pages, median (p90):")
        for label, (post_to, follow_on) in {"on A, read on A": (a, a), "on A, read on B": (a, b)}.items():
            times = asyncio.run(first_event_ms(post_to, follow_on, args.rounds))
            p90 = sorted(times)[int(0.9 * (len(times) - 1))]
            print(f"  {label}  {statistics.median(times):6.1f} ms ({p90:.1f} ms)")


if __name__ == "__main__":
    main()
