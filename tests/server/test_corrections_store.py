"""Both store backends keep a shopper's corrections the same way: one per (owner, site, field), the newest
replacing the old, each owner's apart from the others', and gone when deleted."""

import pytest

from server.store import RedisStore, SQLiteStore
from server.store.base import SiteCorrection
from server.store.copy import copy_store


@pytest.fixture(params=["sqlite", "redis"])
async def store(request, tmp_path):
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path / "data" / "zmot.sqlite3")
    else:
        store = RedisStore(request.getfixturevalue("redis_url"))
    await store.open()
    yield store
    await store.close()


def correction(cid: str, *, owner: str = "", site: str = "shop.test", field: str = "price", at: float = 1.0):
    return SiteCorrection(cid, owner, site, field, f"#{cid} .price", "€ 19,90", 1_700_000_000.0 + at)


async def test_a_correction_is_kept_and_listed_newest_first(store):
    await store.put_correction(correction("a", field="price", at=1))
    await store.put_correction(correction("b", field="reviews", at=2))
    await store.put_correction(correction("c", site="other.test", at=3))
    assert [c.id for c in await store.corrections("")] == ["c", "b", "a"]
    assert [c.id for c in await store.corrections("", "shop.test")] == ["b", "a"]
    assert (await store.corrections("", "shop.test"))[1] == correction("a", field="price", at=1)


async def test_picking_the_same_field_again_replaces_the_old_correction(store):
    await store.put_correction(correction("old", at=1))
    await store.put_correction(correction("new", at=2))
    assert [c.id for c in await store.corrections("", "shop.test")] == ["new"]
    assert not await store.delete_correction("", "old")  # gone with the replacement
    assert await store.delete_correction("", "new")
    assert await store.corrections("") == []


async def test_each_owner_sees_and_deletes_only_their_own(store):
    await store.put_correction(correction("mine", owner="alice"))
    await store.put_correction(correction("theirs", owner="bob"))
    assert [c.id for c in await store.corrections("alice")] == ["mine"]
    assert await store.corrections("") == []
    assert not await store.delete_correction("alice", "theirs")
    assert [c.id for c in await store.corrections("bob", "shop.test")] == ["theirs"]
    assert await store.delete_correction("bob", "theirs")
    assert not await store.delete_correction("bob", "theirs")


async def test_a_replaced_correction_cannot_take_its_successor_with_it(store):
    await store.put_correction(correction("first", at=1))
    await store.put_correction(correction("second", at=2))
    await store.put_correction(correction("first-again", field="list_price", at=3))
    assert not await store.delete_correction("", "first")
    assert {c.id for c in await store.corrections("", "shop.test")} == {"second", "first-again"}


async def test_a_file_from_before_corrections_gains_their_table_when_opened(tmp_path):
    path = tmp_path / "old.sqlite3"
    async with SQLiteStore(path) as old:
        await old.db.execute("DROP INDEX corrections_by_owner")
        await old.db.execute("DROP TABLE corrections")
    async with SQLiteStore(path) as store:
        await store.put_correction(correction("kept"))
        assert [c.id for c in await store.corrections("", "shop.test")] == ["kept"]


async def test_store_copy_moves_every_owners_corrections_between_backends(tmp_path, redis_url):
    async with SQLiteStore(tmp_path / "from.sqlite3") as source, RedisStore(redis_url) as target:
        await source.put_correction(correction("a", owner="alice"))
        await source.put_correction(correction("b", field="reviews"))
        counts = await copy_store(source, target, now=1_700_000_000.0)
        assert counts.corrections == 2
        assert [c.id for c in await target.corrections("alice")] == ["a"]
        assert [c.id for c in await target.corrections("", "shop.test")] == ["b"]
