"""`zmot export` and `zmot import`: the watches and every price observation, as a file a self-hoster can
keep, read or move to another server, whatever store either side uses.

Only the Store protocol is used (watches, prices, add_watch, add_prices), so every backend can do it. JSON
holds both watches and observations; CSV holds the observations only, one row per observation (a watch is
not a row of prices: export JSON to keep the watches). Importing a file twice adds nothing the second time:
each product's stored observations are read first and only the ones not there yet are added."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import time
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from server.errors import BadRequest
from server.store import PriceObservation, Store, Watch

__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "ImportCounts",
    "export_data",
    "import_data",
    "parse_file",
    "to_csv",
    "to_json",
]

FORMAT = "zmot-export"
VERSION = 1
CSV_COLUMNS = ["product_id", "seller", "amount", "currency", "observed_at", "observed_at_utc", "url"]
_PRODUCT_ID = re.compile(r"[0-9a-f]{16}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_BATCH = 1000


@dataclass
class ImportCounts:
    """What an import added, and what was there already (a second import of a file adds nothing)."""

    prices_added: int = 0
    prices_known: int = 0
    watches_added: int = 0
    watches_known: int = 0


async def export_data(store: Store) -> tuple[list[Watch], list[PriceObservation]]:
    """Every watch, and every price observation of the products the store can name: the watched ones,
    and all priced ones when the store can list them (`priced_products`, which SQLite and Redis have)."""
    watches = await store.watches()
    products = dict.fromkeys(w.product_id for w in watches)
    priced = getattr(store, "priced_products", None)
    if priced is not None:
        products.update(dict.fromkeys(await priced()))
    prices = [o for product_id in products for o in await store.prices(product_id)]
    return watches, prices


def to_json(watches: list[Watch], prices: list[PriceObservation], *, now: float | None = None) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now if now is not None else time.time(),
        "watches": [asdict(w) for w in watches],
        "prices": [asdict(o) for o in prices],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def to_csv(prices: list[PriceObservation]) -> str:
    """One row per observation; `observed_at` is the exact unix time (what import reads), and
    `observed_at_utc` the same instant for people and spreadsheets."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for o in prices:
        utc = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(o.observed_at))
        writer.writerow({**asdict(o), "observed_at": repr(o.observed_at), "observed_at_utc": utc})
    return out.getvalue()


def parse_file(path: Path) -> tuple[list[Watch], list[PriceObservation]]:
    """The watches and observations of an exported file (JSON or CSV, told apart by its first character),
    every value checked; BadRequest says which entry is wrong."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRequest(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if text.lstrip().startswith("{"):
        return _parse_json(text, path)
    return [], _parse_csv(text, path)


def _parse_json(text: str, path: Path) -> tuple[list[Watch], list[PriceObservation]]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise BadRequest(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadRequest(f'{path} is not a zmot export (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise BadRequest(f"{path} is a version {document.get('version')!r} export; this zmot reads {VERSION}")
    watches = [_watch(entry, f"{path}: watches[{i}]") for i, entry in enumerate(_list(document, "watches"))]
    prices = [
        _observation(entry, f"{path}: prices[{i}]") for i, entry in enumerate(_list(document, "prices"))
    ]
    return watches, prices


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise BadRequest(f"{key!r} must be a list")
    return value


def _parse_csv(text: str, path: Path) -> list[PriceObservation]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"product_id", "seller", "amount", "currency", "observed_at"} - set(reader.fieldnames or [])
    if missing:
        raise BadRequest(f"{path} is neither a zmot JSON export nor its CSV: no column {sorted(missing)}")
    return [_observation(row, f"{path}: line {reader.line_num}") for row in reader]


def _observation(entry: Any, where: str) -> PriceObservation:
    if not isinstance(entry, dict):
        raise BadRequest(f"{where}: an observation is an object")
    product_id = _text(entry, "product_id", where)
    if not _PRODUCT_ID.fullmatch(product_id):
        raise BadRequest(f"{where}: product_id must be 16 hex digits")
    amount = _text(entry, "amount", where)
    try:
        if not Decimal(amount).is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise BadRequest(f"{where}: amount {amount[:40]!r} is not a decimal number") from None
    currency = _text(entry, "currency", where)
    if not _CURRENCY.fullmatch(currency):
        raise BadRequest(f"{where}: currency {currency[:20]!r} is not an ISO 4217 code")
    url = entry.get("url") or None
    if url is not None and not isinstance(url, str):
        raise BadRequest(f"{where}: url must be a string")
    seller = entry.get("seller")
    if not isinstance(seller, str):
        raise BadRequest(f"{where}: seller must be a string")
    return PriceObservation(product_id, seller, amount, currency, _time(entry, "observed_at", where), url)


def _watch(entry: Any, where: str) -> Watch:
    if not isinstance(entry, dict):
        raise BadRequest(f"{where}: a watch is an object")
    product_id, url = _text(entry, "product_id", where), _text(entry, "url", where)
    if not _PRODUCT_ID.fullmatch(product_id):
        raise BadRequest(f"{where}: product_id must be 16 hex digits")
    if not url.startswith(("http://", "https://")):
        raise BadRequest(f"{where}: url must be an http(s) address")
    values: dict[str, Any] = {"product_id": product_id, "url": url}
    for name in ("interval_s", "created_at", "next_check"):
        values[name] = _time(entry, name, where)
    for name in ("last_checked",):
        values[name] = None if entry.get(name) is None else _time(entry, name, where)
    error, failures = entry.get("last_error"), entry.get("failures", 0)
    values["last_error"] = error if isinstance(error, str) else None
    values["failures"] = failures if isinstance(failures, int) and failures >= 0 else 0
    # The client it belongs to, its rules and what the checks found: kept when they have the right shape,
    # else the defaults of a new watch (a file from an older zmot has none of them).
    for field in fields(Watch):
        if field.name in values or field.name not in entry:
            continue
        value = entry[field.name]
        if field.name == "notify_on":
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                values["notify_on"] = tuple(value)
        elif _fits(value, field.type):
            values[field.name] = value
    return Watch(**values)


def _fits(value: Any, annotation: str) -> bool:
    """Whether an exported value may stand for a field annotated so ("str | None", "float", "int"…)."""
    kinds = {kind.strip() for kind in str(annotation).split("|")}
    if value is None:
        return "None" in kinds
    if isinstance(value, bool):
        return "bool" in kinds
    if isinstance(value, str):
        return "str" in kinds
    if isinstance(value, int):
        return bool(kinds & {"int", "float"})
    return isinstance(value, float) and "float" in kinds


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{where}: {key} is missing")
    return value.strip()


def _time(entry: dict[str, Any], key: str, where: str) -> float:
    value = entry.get(key)
    try:
        number = (
            float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else None
        )
    except ValueError:
        number = None
    if number is None or not math.isfinite(number) or number < 0:
        raise BadRequest(f"{where}: {key} must be a number of seconds")
    return number


def _key(o: PriceObservation) -> tuple[str, str, str, float, str | None]:
    """What makes an observation the same one again: the same price, seen at the same instant, on the
    same page, from the same seller. The amount is compared as a number ("39.9" is "39.90")."""
    return (o.seller, str(Decimal(o.amount).normalize()), o.currency, o.observed_at, o.url)


async def import_data(store: Store, watches: list[Watch], prices: list[PriceObservation]) -> ImportCounts:
    """Add the watches and the observations the store does not hold yet."""
    counts = ImportCounts()
    for watch in watches:
        _, added = await store.add_watch(watch)
        counts.watches_added += added
        counts.watches_known += not added
    by_product: dict[str, list[PriceObservation]] = {}
    for o in prices:
        by_product.setdefault(o.product_id, []).append(o)
    for product_id, observations in by_product.items():
        seen = {_key(o) for o in await store.prices(product_id)}
        new = []
        for o in observations:
            key = _key(o)
            if key in seen:
                counts.prices_known += 1
                continue
            seen.add(key)  # twice in the file is once in the store
            new.append(o)
        for start in range(0, len(new), _BATCH):
            await store.add_prices(new[start : start + _BATCH])
        counts.prices_added += len(new)
    return counts
