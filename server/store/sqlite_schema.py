"""The SQLite store's tables, and the migration of a file made by an older zmot to them."""

from __future__ import annotations

import aiosqlite

__all__ = ["is_current", "migrate"]

_WATCHES = """CREATE TABLE IF NOT EXISTS watches (
    product_id TEXT NOT NULL,
    url TEXT NOT NULL,
    interval_s REAL NOT NULL,
    created_at REAL NOT NULL,
    next_check REAL NOT NULL,
    last_checked REAL,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    owner TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    target_price TEXT,
    notify_on TEXT NOT NULL DEFAULT '["drop", "back_in_stock"]',
    locale TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    currency TEXT,
    last_price TEXT,
    last_seller TEXT,
    last_seen REAL,
    availability TEXT,
    candidate_price TEXT,
    candidate_availability TEXT,
    candidate_since REAL,
    candidate_checks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner, product_id, url)
)"""

_ALERTS = """CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    product_id TEXT NOT NULL,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    rule TEXT NOT NULL,
    old_price TEXT,
    new_price TEXT,
    currency TEXT,
    seller TEXT,
    at REAL NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL
)"""

_CORRECTIONS = """CREATE TABLE IF NOT EXISTS corrections (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    site TEXT NOT NULL,
    field TEXT NOT NULL,
    selector TEXT NOT NULL,
    value TEXT,
    created_at REAL NOT NULL,
    UNIQUE (owner, site, field)
)"""

_TABLES = (
    """CREATE TABLE IF NOT EXISTS briefings (
        id TEXT PRIMARY KEY,
        product_id TEXT,
        status TEXT NOT NULL,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        body TEXT NOT NULL,
        page_key TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS fetch_cache (
        key TEXT PRIMARY KEY,
        expires_at REAL NOT NULL,
        url TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS prices (
        product_id TEXT NOT NULL,
        seller TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency TEXT NOT NULL,
        observed_at REAL NOT NULL,
        url TEXT
    )""",
    _WATCHES,
    _ALERTS,
    _CORRECTIONS,
)

# After the tables are migrated: an index may name a column that an old file gains only then.
_INDEXES = {
    "briefings_by_product": "briefings (product_id, created_at)",
    "briefings_by_page": "briefings (page_key, created_at)",
    "briefings_by_expiry": "briefings (expires_at)",
    "fetch_cache_by_expiry": "fetch_cache (expires_at)",
    "prices_by_product": "prices (product_id, observed_at)",
    "watches_by_next_check": "watches (next_check)",
    "alerts_by_owner": "alerts (owner, at)",
    "corrections_by_owner": "corrections (owner, created_at)",
}
_TABLE_NAMES = {"briefings", "fetch_cache", "prices", "watches", "alerts", "corrections"}
_WATCH_KEY = ["owner", "product_id", "url"]
# The last column a version added: a file that has it has them all.
_NEWEST_WATCH_COLUMN = "candidate_checks"


async def is_current(db: aiosqlite.Connection) -> bool:
    """Whether the file already has this version's tables: then opening it writes nothing, and needs no
    write lock that another process may hold."""
    async with db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')") as cursor:
        names = {row[0] for row in await cursor.fetchall()}
    if not (_TABLE_NAMES | set(_INDEXES)) <= names:
        return False
    watch_columns = await _columns(db, "watches")
    return "page_key" in await _columns(db, "briefings") and _is_current_watches(watch_columns)


async def migrate(db: aiosqlite.Connection) -> None:
    """Bring the file's tables to this version's; run inside one write transaction, so that two
    processes opening the same old file migrate it once."""
    for statement in _TABLES:
        await _run(db, statement)
    if "page_key" not in await _columns(db, "briefings"):
        # Old briefings keep no page key: readable by id, never served for a page again.
        await _run(db, "ALTER TABLE briefings ADD COLUMN page_key TEXT")
    watch_columns = await _columns(db, "watches")
    if not _is_current_watches(watch_columns):
        await _rebuild_watches(db, list(watch_columns))
    for name, target in _INDEXES.items():
        await _run(db, f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def _is_current_watches(columns: dict[str, int]) -> bool:
    key = [name for name, place in sorted(columns.items(), key=lambda c: c[1]) if place]
    return key == _WATCH_KEY and _NEWEST_WATCH_COLUMN in columns


async def _rebuild_watches(db: aiosqlite.Connection, old_columns: list[str]) -> None:
    """An older file keyed watches by product alone, then by (product, page); SQLite cannot change a key in
    place, so the table is made anew under the (owner, product, page) key and its rows are copied over:
    they become the pairing code's (owner ""), with the default rules."""
    await _run(db, "ALTER TABLE watches RENAME TO watches_before_migration")
    await _run(db, _WATCHES)
    new_columns = await _columns(db, "watches")
    kept = ", ".join(c for c in old_columns if c in new_columns)
    await _run(db, f"INSERT OR IGNORE INTO watches ({kept}) SELECT {kept} FROM watches_before_migration")
    await _run(db, "DROP TABLE watches_before_migration")
    if "status" not in old_columns:  # a watch checked without error before is in order
        await _run(
            db, "UPDATE watches SET status = 'ok' WHERE last_checked IS NOT NULL AND last_error IS NULL"
        )


async def _columns(db: aiosqlite.Connection, table: str) -> dict[str, int]:
    """The table's column names, each with its place in the primary key (0 when not part of it)."""
    async with db.execute(f"PRAGMA table_info({table})") as cursor:
        return {row[1]: row[5] for row in await cursor.fetchall()}


async def _run(db: aiosqlite.Connection, sql: str) -> None:
    async with db.execute(sql):
        pass
