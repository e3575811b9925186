"""`zmot export` and `zmot import`: the watches and price history of the configured store, to a file and
back (server.transfer has the formats)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["add_transfer_commands"]

T = TypeVar("T")


def add_transfer_commands(commands: Any) -> None:
    """Add `export` and `import` to the `zmot` command's subparsers."""
    export = commands.add_parser("export", help="write the watches and every price observation to a file")
    export.add_argument("--config", help="TOML config file (default: $ZMOT_CONFIG, else ./zmot.toml)")
    export.add_argument(
        "--format",
        choices=["json", "csv"],
        default="json",
        help="json: watches and prices (default); csv: one row per price observation, no watches",
    )
    export.add_argument("--output", "-o", help="the file to write (default: standard output)")
    export.set_defaults(run=_export)

    load = commands.add_parser("import", help="add the watches and prices of an exported file to the store")
    load.add_argument("file", help="a file `zmot export` wrote (JSON or CSV)")
    load.add_argument("--config", help="TOML config file (default: $ZMOT_CONFIG, else ./zmot.toml)")
    load.set_defaults(run=_import)


async def _with_store(config: str | None, work: Callable[[Any], Awaitable[T]]) -> T:
    from server.settings import load_settings
    from server.store import open_store

    store = open_store(load_settings(config).store)
    await store.open()
    try:
        return await work(store)
    finally:
        await store.close()


def _export(args: argparse.Namespace) -> None:
    from server.transfer import export_data, to_csv, to_json

    watches, prices = asyncio.run(_with_store(args.config, export_data))
    text = to_json(watches, prices) if args.format == "json" else to_csv(prices)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    kept = f"{len(watches)} watches and " if args.format == "json" else ""
    print(f"exported {kept}{len(prices)} price observations", file=sys.stderr)


def _import(args: argparse.Namespace) -> None:
    from server.transfer import import_data, parse_file

    watches, prices = parse_file(Path(args.file))  # the whole file is checked before the store is opened
    counts = asyncio.run(_with_store(args.config, lambda store: import_data(store, watches, prices)))
    print(
        f"added {counts.prices_added} price observations ({counts.prices_known} were there already) and "
        f"{counts.watches_added} watches ({counts.watches_known} were there already)",
        file=sys.stderr,
    )
