"""A self-hoster keeps their watches and price history: `zmot export` to a file, `zmot import` into another
store (any backend), as often as they like without counting a price twice."""

from __future__ import annotations

import asyncio
import csv
import json
import subprocess
from pathlib import Path

import pytest

from server.cli import main
from server.store import PriceObservation, SQLiteStore, Store, Watch
from tests.tools import require_program

KETTLE, LAMP, RADIO = "0123456789abcdef", "fedcba9876543210", "00112233aabbccdd"
DAY = 86400.0
T0 = 1_760_000_000.123456  # a time no decimal writes exactly: it must come back to the last bit

WATCHES = [
    Watch(KETTLE, "https://shop-a.test/p/kettle", 21600.0, created_at=T0, next_check=T0 + 21600),
    Watch(KETTLE, "https://shop-b.test/kettle", 21600.0, created_at=T0, next_check=T0 + 21600, failures=2),
    Watch(LAMP, "https://shop-a.test/p/lamp", 3600.0, T0, T0 + 3600, last_checked=T0, last_error="HTTP 503"),
]
PRICES = [
    *(
        PriceObservation(KETTLE, "Kitchen Corner", f"{39.90 - d:.2f}", "EUR", T0 + d * DAY, WATCHES[0].url)
        for d in range(5)
    ),
    *(
        PriceObservation(KETTLE, "Casa & Co", f"{41.50 + d:.2f}", "EUR", T0 + d * DAY + 0.5, WATCHES[1].url)
        for d in range(3)
    ),
    PriceObservation(KETTLE, 'Brava "official", store', "44.00", "EUR", T0, None),  # CSV must quote it
    PriceObservation(LAMP, "Lumo", "19.99", "USD", T0, WATCHES[2].url),
    PriceObservation(RADIO, "Radio Shack", "89.00", "GBP", T0, "https://radio.test/r"),  # priced, not watched
]


async def seed(store: Store) -> None:
    await store.open()
    for watch in WATCHES:
        await store.add_watch(watch)
    await store.add_prices(PRICES)
    await store.close()


async def contents(store: Store) -> tuple[list[Watch], dict[str, list[PriceObservation]]]:
    await store.open()
    try:
        prices = {pid: await store.prices(pid) for pid in (KETTLE, LAMP, RADIO)}
        return await store.watches(), prices
    finally:
        await store.close()


def config(tmp_path: Path, name: str, store_table: str | None = None) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(store_table or f'[store]\npath = "{tmp_path / name}.sqlite3"\n')
    return path


def zmot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_program("zmot"), *args], capture_output=True, text=True, timeout=120)


def in_order(items) -> list:
    """Watches or observations in one order, whatever order a store lists them in."""
    return sorted(items, key=lambda x: (x.product_id, x.url or "", getattr(x, "observed_at", 0), repr(x)))


def observations(prices: dict[str, list[PriceObservation]]) -> int:
    return sum(len(found) for found in prices.values())


@pytest.mark.slow  # runs the zmot command
def test_an_export_imported_into_a_new_store_twice_holds_every_observation_once(tmp_path):
    asyncio.run(seed(SQLiteStore(tmp_path / "old.sqlite3")))
    exported = tmp_path / "zmot-export.json"
    done = zmot(
        "export", "--config", str(config(tmp_path, "old")), "--format", "json", "--output", str(exported)
    )
    assert done.returncode == 0, done.stderr
    assert "exported 3 watches and 11 price observations" in done.stderr

    new = config(tmp_path, "new")
    first = zmot("import", str(exported), "--config", str(new))
    assert first.returncode == 0, first.stderr
    assert "added 11 price observations (0 were there already) and 3 watches" in first.stderr
    again = zmot("import", str(exported), "--config", str(new))
    assert "added 0 price observations (11 were there already) and 0 watches (3 were" in again.stderr

    watches, prices = asyncio.run(contents(SQLiteStore(tmp_path / "new.sqlite3")))
    assert observations(prices) == len(PRICES)
    assert in_order(o for found in prices.values() for o in found) == in_order(PRICES)
    assert in_order(watches) == in_order(WATCHES)  # checks, failures and errors included


@pytest.mark.slow  # runs the zmot command
def test_a_csv_export_is_one_row_per_observation_and_imports_back(tmp_path):
    asyncio.run(seed(SQLiteStore(tmp_path / "old.sqlite3")))
    done = zmot("export", "--config", str(config(tmp_path, "old")), "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert len(rows) == len(PRICES)
    assert {r["seller"] for r in rows} >= {'Brava "official", store', "Kitchen Corner"}
    assert rows[0]["observed_at_utc"].endswith("Z")
    (tmp_path / "prices.csv").write_text(done.stdout)

    new = config(tmp_path, "new")
    for expected in ("added 11 price observations (0 were", "added 0 price observations (11 were"):
        imported = zmot("import", str(tmp_path / "prices.csv"), "--config", str(new))
        assert imported.returncode == 0 and expected in imported.stderr, imported.stderr
    watches, prices = asyncio.run(contents(SQLiteStore(tmp_path / "new.sqlite3")))
    assert observations(prices) == len(PRICES) and watches == []  # CSV carries prices only


def test_an_sqlite_export_imports_into_redis(tmp_path, redis_url, capsys):
    asyncio.run(seed(SQLiteStore(tmp_path / "old.sqlite3")))
    exported = tmp_path / "export.json"
    assert main(["export", "--config", str(config(tmp_path, "old")), "--output", str(exported)]) == 0
    redis = config(tmp_path, "redis", f'[store]\nbackend = "redis"\nredis_url = "{redis_url}"\n')
    for _ in range(2):
        assert main(["import", str(exported), "--config", str(redis)]) == 0
    from server.store import RedisStore

    watches, prices = asyncio.run(contents(RedisStore(redis_url, prefix="zmot:")))
    assert observations(prices) == len(PRICES) and len(watches) == len(WATCHES)
    # And back out of Redis: the same observations.
    again = tmp_path / "again.json"
    assert main(["export", "--config", str(redis), "--output", str(again)]) == 0
    assert len(json.loads(again.read_text())["prices"]) == len(PRICES)


def test_an_observation_twice_in_a_file_is_stored_once(tmp_path, capsys):
    twice = {"format": "zmot-export", "version": 1, "watches": [], "prices": [_json(PRICES[0])] * 2}
    (tmp_path / "twice.json").write_text(json.dumps(twice))
    assert main(["import", str(tmp_path / "twice.json"), "--config", str(config(tmp_path, "new"))]) == 0
    assert "added 1 price observations (1 were there already)" in capsys.readouterr().err


def _json(o: PriceObservation) -> dict:
    return {f: getattr(o, f) for f in ("product_id", "seller", "amount", "currency", "observed_at", "url")}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"watches": []}', "is not a zmot export"),
        ('{"format": "zmot-export", "version": 9}', "version 9"),
        ("not,a,price\n1,2,3\n", "no column"),
        (
            json.dumps(
                {"format": "zmot-export", "version": 1, "prices": [{**_json(PRICES[0]), "currency": "€"}]}
            ),
            "prices[0]: currency",
        ),
        (
            json.dumps(
                {"format": "zmot-export", "version": 1, "prices": [{**_json(PRICES[0]), "amount": "NaN"}]}
            ),
            "not a decimal number",
        ),
        ("product_id,seller,amount,currency,observed_at,url\nKETTLE,s,1.00,EUR,1,\n", "line 2: product_id"),
        (
            '{"format": "zmot-export", "version": 1, "watches": [{"product_id": "0123456789abcdef", '
            '"url": "javascript:alert(1)"}]}',
            "watches[0]: url",
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_and_nothing_is_stored(tmp_path, capsys, content, says):
    (tmp_path / "bad").write_text(content)
    assert main(["import", str(tmp_path / "bad"), "--config", str(config(tmp_path, "new"))]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "new.sqlite3").exists()  # refused before the store was opened


def test_a_watch_moves_with_its_client_rules_and_confirmed_price(tmp_path):
    from server.transfer import parse_file, to_json

    watch = Watch(
        "0123456789abcdef",
        "https://shop.example/p/lume-2",
        86400.0,
        1.0,
        2.0,
        owner="3b1f0c9a27d4",
        name="Lume 2",
        target_price="99.00",
        notify_on=("below", "back_in_stock"),
        locale="it",
        status="ok",
        currency="EUR",
        last_price="104.90",
        availability="in_stock",
        last_seen=3.5,
        candidate_price="99.90",
        candidate_since=4.0,
        candidate_checks=1,
    )
    exported = tmp_path / "watches.json"
    exported.write_text(to_json([watch], []))
    (back,), _ = parse_file(exported)
    assert back == watch
