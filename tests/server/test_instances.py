"""End to end: two `zmot serve` processes on one Redis (store.backend = "redis") behind no sticky load
balancer are one server. A briefing's events read from either, a page posted to both briefed once, a
watch checked once, and an instance killed mid-briefing leaves the other serving it again."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from scrapers.types import Product
from server.coordination.followed import STOPPED
from server.products import product_id
from server.store import RedisStore, Watch
from tests.pagegen import product_page
from tests.server.test_serve_e2e import sse_events
from tests.tools import free_port, require_program, toml_table, wait_for_health

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "localweb"
HEADPHONES = ("http://shop-us.test/products/noise-cancelling-headphones", "noise-cancelling-headphones")
ESPRESSO = ("http://shop-it.test/prodotto/macchina-caffe-espresso", "macchina-caffe-espresso")
SONY = ("http://shop-us.test/products/sony-wh-1000xm5", "sony-wh-1000xm5")


@dataclass
class Instance:
    base: str
    process: subprocess.Popen


def config(redis_url: str, local_web) -> str:
    return (
        f'[store]\nbackend = "redis"\nredis_url = "{redis_url}"\n'
        f"[fetch]\nresolve = {toml_table(local_web.resolve_map())}\nper_host_interval_s = 0.0\n"
        '[search]\nprovider = "searxng"\nurl = "http://search.test/search"\n'
        "[briefing]\ndeadline_s = 8.0\n"
    )


@contextlib.contextmanager
def instances(count: int, settings: str, home: Path) -> Iterator[list[Instance]]:
    """`count` `zmot serve` processes started at once on free ports with the same settings; each in its own
    process group, so that a test may kill one with its workers, and all are gone at the end."""
    zmot = require_program("zmot")
    started: list[tuple[Instance, Path]] = []
    try:
        for n in range(count):
            folder = home / f"instance-{n}"
            folder.mkdir()
            port = free_port()
            (folder / "zmot.toml").write_text(f"[server]\nport = {port}\npairing = false\n{settings}")
            log = (folder / "serve.log").open("w")
            process = subprocess.Popen(
                [zmot, "serve", "--config", str(folder / "zmot.toml")],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            started.append((Instance(f"http://127.0.0.1:{port}", process), folder / "serve.log"))
        for instance, log_path in started:
            wait_for_health(instance.base, instance.process, log_path)
        yield [instance for instance, _ in started]
    finally:
        for instance, _ in started:
            stop(instance.process, signal.SIGTERM)


def stop(process: subprocess.Popen, how: signal.Signals) -> None:
    """Signal the instance's process group (the server and its workers) and wait for the server."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, how)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # workers left behind by a server killed with -9


def post(base: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.load(response)


def page_body(page: tuple[str, str]) -> dict:
    url, name = page
    folder = "products" if "shop-us" in url else "prodotto"
    host = url.split("/")[2]
    return {"url": url, "html": (FIXTURES / host / folder / f"{name}.html").read_text(encoding="utf-8")}


def events(base: str, briefing_id: str) -> list[tuple[str, dict]]:
    with urllib.request.urlopen(f"{base}/v1/briefings/{briefing_id}/events", timeout=60) as stream:
        return sse_events(stream)


WATCHED_GTIN = "8001234599991"


async def in_store(redis_url: str, action):
    """What `action(store)` gives on the group's Redis store, opened for it alone."""
    store = RedisStore(redis_url)
    await store.open()
    try:
        return await action(store)
    finally:
        await store.close()


@pytest.fixture(scope="module")
def pair(redis_daemon, local_web, tmp_path_factory) -> Iterator[list[Instance]]:
    """Two instances started together on an empty Redis holding one watch that is due at once."""
    redis_daemon.flush()
    local_web.add_page("watch-instances.test", "/p/kettle", product_page(name="Kettle", gtin=WATCHED_GTIN))
    url = local_web.url("watch-instances.test", "/p/kettle")
    now = time.time()
    watch = Watch(product_id(Product(gtin=WATCHED_GTIN), url), url, 3600.0, created_at=now, next_check=now)
    asyncio.run(in_store(redis_daemon.url, lambda store: store.add_watch(watch)))
    with instances(2, config(redis_daemon.url, local_web), tmp_path_factory.mktemp("pair")) as started:
        yield started


def test_a_due_watch_is_checked_by_one_of_two_instances_starting_together(pair, redis_daemon, local_web):
    url = local_web.url("watch-instances.test", "/p/kettle")
    pid = product_id(Product(gtin=WATCHED_GTIN), url)
    for _ in range(120):  # both check what is due as they start; the check needs their workers
        if asyncio.run(in_store(redis_daemon.url, lambda store: store.prices(pid))):
            break
        time.sleep(0.25)
    time.sleep(1.0)  # let a second check, if one were under way, arrive
    checked = asyncio.run(in_store(redis_daemon.url, lambda store: store.watches()))
    assert [w.failures for w in checked] == [0] and checked[0].last_checked is not None
    assert len(local_web.sent_to("watch-instances.test", "/p/kettle")) == 1


def test_a_briefing_posted_to_one_instance_streams_the_same_events_from_the_other(pair):
    a, b = pair
    status, started = post(a.base, "/v1/briefings", page_body(HEADPHONES))
    assert status == 202
    with ThreadPoolExecutor(2) as pool:
        on_b = pool.submit(events, b.base, started["id"])
        on_a = pool.submit(events, a.base, started["id"])
        from_b, from_a = on_b.result(), on_a.result()
    assert from_b == from_a
    assert from_b[-1][0] == "done" and from_b[-1][1]["product"]["gtin"] == "842075613316"
    assert {e[1]["section"] for e in from_b if e[0] == "section"} >= {"product", "price", "mentions"}


def test_a_page_posted_to_both_instances_at_once_is_briefed_once(pair, local_web):
    review = "/recensioni/ardenza-sorrento-pro"
    before = len(local_web.sent_to("caffeblog.test", review))
    local_web.set_latency("caffeblog.test", 1.0)  # a duplicate run would be fetching it at the same time
    try:
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda i: post(i.base, "/v1/briefings", page_body(ESPRESSO)), pair))
        ids = {body["id"] for _, body in answers}
        assert len(ids) == 1
        done = events(pair[1].base, ids.pop())[-1][1]
    finally:
        local_web.set_latency("caffeblog.test", 0)
    assert any(m["url"].startswith("http://caffeblog.test") for m in done["mentions"]["items"])
    assert len(local_web.sent_to("caffeblog.test", review)) - before == 1


def test_an_instance_killed_mid_briefing_leaves_the_other_to_brief_the_page_again(pair, local_web):
    a, b = pair  # the last test of the pair: it kills the first
    local_web.set_latency("audioblog.test", 4.0)  # the Sony review keeps the run going for a while
    try:
        _, dying = post(a.base, "/v1/briefings", page_body(SONY))
        with ThreadPoolExecutor(1) as pool:
            following = pool.submit(events, b.base, dying["id"])
            time.sleep(0.5)  # the page is scraped and the searches are out
            stop(a.process, signal.SIGKILL)
            ending = following.result()[-1][1]
        assert ending["status"] == "partial" and ending["sources"][-1]["error"] == STOPPED
        assert ending["product"]["gtin"] == "4548736132610"  # what had arrived before the kill

        again = dying
        for _ in range(60):  # the dead run's claim lasts until its lease runs out (seconds)
            _, again = post(b.base, "/v1/briefings", page_body(SONY))
            if again["id"] != dying["id"]:
                break
            time.sleep(0.5)
        assert again["id"] != dying["id"]
        assert events(b.base, again["id"])[-1][1]["product"]["gtin"] == "4548736132610"
    finally:
        local_web.set_latency("audioblog.test", 0)
