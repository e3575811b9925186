"""Bench: a re-POST of a page already briefed beside a floor, and fifty shoppers at once.

    python bench/load.py [--seconds 5] [--clients 50] [--page ../shared/data/pages/amazon-ae/B0D83GHDW2.html]

1. Cached re-POST: the same 2 MB page posted again and again (8 clients) to `zmot serve`, beside the floor: a
   minimal aiohttp app in its own process that reads the same body and decodes its JSON. Both run in this
   bench, one after the other and then again, so that the ratio holds on a noisy machine.
2. Fifty clients at once: each POSTs and follows the events to `done`, over and over, (a) all on the same page
   and (b) each on a page of its own (100 reviews, a new product every time: real work for every request).
   Printed: briefings done, the share complete, POST-to-done p50/p99, /healthz p99 probed meanwhile, and the
   server's memory (its process and its workers) before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pagegen import REVIEW_TEXTS, product_page  # noqa: E402
from tests.tools import free_port  # noqa: E402

TOKEN = "bench-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
DEFAULT_PAGE = ROOT.parent / "shared" / "data" / "pages" / "amazon-ae" / "B0D83GHDW2.html"

_FLOOR_APP = """
import json, sys
from aiohttp import web

async def briefings(request):
    data = json.loads(await request.read())
    return web.json_response({"url": data["url"], "bytes": len(data["html"])})

app = web.Application(client_max_size=64 * 1024 * 1024)
app.router.add_post("/v1/briefings", briefings)
app.router.add_get("/healthz", lambda request: web.json_response({"status": "ok"}))
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


@contextmanager
def process(command: list[str], port: int, log: Path) -> Iterator[tuple[str, int]]:
    """Run a server process until the block ends; yields (base URL, pid) once /healthz answers."""
    with log.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(_wait_healthy(base, proc, log))
            yield base, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _wait_healthy(base: str, proc: subprocess.Popen, log: Path) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(1200):
            try:
                async with session.get(f"{base}/healthz", headers=HEADERS) as r:
                    if r.status == 200 and (await r.json()).get("workers", "ready") == "ready":
                        return
            except aiohttp.ClientError:
                pass
            if proc.poll() is not None:
                break
            await asyncio.sleep(0.05)
    raise RuntimeError(f"the server did not start; its log is {log}")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the worker pool), in MB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


# -- 1. cached re-POST -----------------------------------------------------------------------------------


async def reposts_per_second(base: str, body: bytes, seconds: float, clients: int = 8) -> float:
    count = 0
    stop = time.perf_counter() + seconds
    headers = {**HEADERS, "Content-Type": "application/json"}

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal count
        while time.perf_counter() < stop:
            async with session.post(f"{base}/v1/briefings", data=body, headers=headers) as r:
                await r.read()
                if r.status != 200:
                    raise RuntimeError(f"expected 200 from {base}, got {r.status}")
            count += 1

    async with aiohttp.ClientSession() as session:
        began = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        return count / (time.perf_counter() - began)


async def brief_once(session: aiohttp.ClientSession, base: str, body: bytes) -> tuple[str, float]:
    """(final status, ms from POST to done) for one briefing, following its events."""
    started = time.perf_counter()
    headers = {**HEADERS, "Content-Type": "application/json"}
    async with session.post(f"{base}/v1/briefings", data=body, headers=headers) as r:
        answer = await r.json()
        if r.status >= 400:
            raise RuntimeError(f"POST answered {r.status}: {answer}")
    status = answer.get("status", "running")
    if r.status == 202:
        async with session.get(base + answer["events"], headers=HEADERS) as stream:
            event = None
            async for line in stream.content:
                if line.startswith(b"event: "):
                    event = line[7:].strip()
                elif event == b"done" and line.startswith(b"data: "):
                    status = json.loads(line[6:])["status"]
                    break
    return status, (time.perf_counter() - started) * 1000


# -- 2. fifty clients ------------------------------------------------------------------------------------


async def crowd(base: str, bodies, seconds: float, clients: int) -> dict:
    statuses: list[str] = []
    times: list[float] = []
    health: list[float] = []
    stop = time.perf_counter() + seconds

    async def client(session: aiohttp.ClientSession, n: int) -> None:
        i = 0
        while time.perf_counter() < stop:
            status, ms = await brief_once(session, base, bodies(n, i))
            statuses.append(status)
            times.append(ms)
            i += 1

    async def probe(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < stop:
            began = time.perf_counter()
            async with session.get(f"{base}/healthz") as r:
                await r.read()
            health.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.02)

    connector = aiohttp.TCPConnector(limit=clients + 10)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(probe(session), *(client(session, n) for n in range(clients)))
    return {
        "done": len(statuses),
        "complete": statuses.count("complete") / max(1, len(statuses)),
        "p50": _pct(times, 50),
        "p99": _pct(times, 99),
        "health_p99": _pct(health, 99),
        "health_n": len(health),
    }


def _pct(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _body(url: str, html: str) -> bytes:
    return json.dumps({"url": url, "html": html}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--page", type=Path, default=DEFAULT_PAGE)
    args = parser.parse_args()
    page = args.page.read_text(encoding="utf-8", errors="replace")
    big = _body("https://www.amazon.ae/dp/B0D83GHDW2", page)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        config = home / "zmot.toml"
        port, floor_port = free_port(), free_port()
        config.write_text(
            f'[server]\nport = {port}\ntokens = ["{TOKEN}"]\n[store]\npath = "{home / "bench.sqlite3"}"\n'
            '[search]\ndefault = "none"\n'
        )
        zmot_cmd = [sys.executable, "-m", "server", "serve", "--config", str(config)]
        floor_cmd = [sys.executable, "-c", _FLOOR_APP, str(floor_port)]
        with (
            process(zmot_cmd, port, home / "serve.log") as (base, pid),
            process(floor_cmd, floor_port, home / "floor.log") as (floor, _),
        ):
            print(f"cached re-POST of a {len(big) / 1e6:.1f} MB page, 8 clients, {args.seconds:g} s each:")

            async def first() -> None:
                async with aiohttp.ClientSession() as session:
                    status, ms = await brief_once(session, base, big)
                print(f"  first POST to done: {ms:.0f} ms ({status})")

            asyncio.run(first())
            rates = {"floor": [], "zmot": []}
            for _ in range(2):
                rates["floor"].append(asyncio.run(reposts_per_second(floor, big, args.seconds)))
                rates["zmot"].append(asyncio.run(reposts_per_second(base, big, args.seconds)))
            floor_rps, zmot_rps = (statistics.mean(rates[k]) for k in ("floor", "zmot"))
            print(f"  floor (read + decode the JSON body) {floor_rps:7.1f} requests/s")
            ratio = zmot_rps / floor_rps
            print(
                f"  zmot (answered from the store)      {zmot_rps:7.1f} requests/s   {ratio:.2f}x the floor"
            )

            small = [REVIEW_TEXTS[i % len(REVIEW_TEXTS)] for i in range(100)]
            one_page = _body("https://shop.example/p/one", product_page(name="Crowd Kettle", reviews=small))
            cases = {
                "(a) the same page": lambda n, i: one_page,
                "(b) a page each": lambda n, i: _body(
                    f"https://shop.example/p/{n}-{i}",
                    product_page(
                        name=f"Crowd Kettle {n} {i}", gtin=f"{7000000000000 + n * 1000 + i}", reviews=small
                    ),
                ),
            }
            for label, bodies in cases.items():
                before = rss_mb(pid)
                result = asyncio.run(crowd(base, bodies, args.seconds * 2, args.clients))
                after = rss_mb(pid)
                print(
                    f"{args.clients} clients, {args.seconds * 2:g} s, {label}: {result['done']} briefings, "
                    f"{result['complete']:.0%} complete, POST->done p50 {result['p50']:.0f} ms "
                    f"p99 {result['p99']:.0f} ms; /healthz p99 {result['health_p99']:.1f} ms "
                    f"({result['health_n']} probes); RSS {before:.0f} -> {after:.0f} MB"
                )
        if os.environ.get("BENCH_LOG"):
            print((home / "serve.log").read_text()[-4000:])


if __name__ == "__main__":
    main()
