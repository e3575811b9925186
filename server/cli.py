"""The `zmot` command: serve, token, brief, scrape, sentiment, plugins, notify, export, import, store. Errors
map to exit codes here only."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from server import __version__
from server.errors import BadRequest, ConfigError, ZmotError
from server.notify.command import add_notify_command
from server.settings import PAIRING_FILE, Settings, load_settings, pairing_code, serving_settings
from server.transfer.command import add_transfer_commands

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `zmot` console script."""
    args = _parser().parse_args(argv)
    _configure_logging(args.command, verbose=getattr(args, "verbose", False))
    try:
        return args.run(args) or 0
    except ZmotError as exc:
        print(f"zmot: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


class _OneLineFormatter(logging.Formatter):
    """Log records without their tracebacks: what failed is said in one line, the rest is for --verbose."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def _configure_logging(command: str, *, verbose: bool) -> None:
    """`serve` logs what it does; `brief` keeps the terminal to the briefing, whose sources list says what
    failed (errors in one line, tracebacks only with --verbose); other commands show warnings."""
    text = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    if verbose:
        logging.basicConfig(level=logging.DEBUG, format=text)
        return
    level = {"serve": logging.INFO, "brief": logging.ERROR}.get(command, logging.WARNING)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(text) if command == "serve" else _OneLineFormatter(text))
    # Like basicConfig everywhere: a program that configured logging already (or a test run) keeps its own.
    logging.basicConfig(level=level, handlers=[handler])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zmot", description="Shopping briefings for product pages.")
    parser.add_argument("--version", action="version", version=f"zmot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--config", help="TOML config file (default: $ZMOT_CONFIG, else ./zmot.toml)")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default 8750)")
    serve.set_defaults(run=_serve)

    token = sub.add_parser("token", help="the pairing code the extension needs (made if there is none)")
    token.add_argument("--config", help="TOML config file (default: $ZMOT_CONFIG, else ./zmot.toml)")
    token.set_defaults(run=_token)

    brief = sub.add_parser("brief", help="the whole briefing for a product page, in this process")
    brief.add_argument("url")
    brief.add_argument("--html", help="a saved copy of the page (else the page is fetched)")
    brief.add_argument("--config")
    brief.add_argument("--json", action="store_true", help="print the briefing JSON")
    brief.add_argument("--verbose", action="store_true", help="log what happens, with tracebacks")
    brief.set_defaults(run=_brief)

    scrape = sub.add_parser("scrape", help="what the page scrapers extract from a saved page (offline)")
    scrape.add_argument("url")
    scrape.add_argument("--html", required=True, help="the saved page")
    scrape.add_argument("--json", action="store_true", help="print the product page JSON")
    scrape.add_argument(
        "--explain",
        action="store_true",
        help="print each field's candidates, their scores and why the winner won",
    )
    scrape.set_defaults(run=_scrape)

    sentiment = sub.add_parser("sentiment", help="sentiment of each line of standard input, as JSON lines")
    sentiment.add_argument("--lang", default="auto", help="auto, en, it, fr, … (default auto)")
    sentiment.set_defaults(run=_sentiment)

    plugins = sub.add_parser("plugins", help="the installed plugins")
    plugins.add_argument("--config")
    plugins.set_defaults(run=_plugins)

    add_notify_command(sub)  # zmot notify test
    add_transfer_commands(sub)  # zmot export, zmot import

    store = sub.add_parser("store", help="the store's data: copy it between SQLite and Redis")
    store_commands = store.add_subparsers(dest="store_command", required=True)
    copy = store_commands.add_parser("copy", help="copy briefings, prices and watches into an empty store")
    copy.add_argument("--from", dest="source", required=True, help="sqlite:PATH or redis://HOST:PORT/DB")
    copy.add_argument("--to", dest="target", required=True, help="sqlite:PATH or redis://HOST:PORT/DB")
    copy.add_argument("--prefix", default="zmot:", help="the Redis side's key prefix (default zmot:)")
    copy.set_defaults(run=_store_copy)
    return parser


def _read_html(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise BadRequest(f"cannot read {path}: {exc.strerror}") from None


def _serve(args: argparse.Namespace) -> None:
    from server.serving import connection_limit, serve

    overrides: dict[str, dict[str, Any]] = {"server": {}}
    if args.host:
        overrides["server"]["host"] = args.host
    if args.port:
        overrides["server"]["port"] = args.port
    settings = load_settings(args.config, overrides=overrides)
    settings.check_serving()
    settings, code = serving_settings(settings)
    limit = connection_limit(settings.server.max_connections)

    def ready(port: int) -> None:
        where = f"http://{settings.server.host}:{port}"
        print(f"zmot {__version__} serving on {where} (store: {_store_shown(settings.store)})", flush=True)
        if code is not None:
            print(f"Pair the extension: open its options and enter the code {code}", flush=True)
            print("(`zmot token` shows the code again)", flush=True)
        elif not settings.server.tokens:
            print("Pairing is off: any program on this machine may use the server", flush=True)
        if settings.server.host in {"0.0.0.0", "::"} and not settings.server.hosts:
            print(
                "It answers requests to loopback names only: add the names clients use to server.hosts",
                flush=True,
            )
        if limit < settings.server.max_connections:
            print(f"At most {limit} connections at once (the limit on open files)", flush=True)
        print(f"search: {_search_summary(settings)}", flush=True)
        print(f"review analysis: {analysis_build()}", flush=True)

    serve(settings, ready=ready)


def analysis_build() -> str:
    """Whether this install's review analysis is compiled (`pip install .` where a C compiler is, see
    hatch_build.py) or Python, which takes 1.25-1.4 times the CPU per review: worth knowing when briefings
    feel slow."""
    spec = importlib.util.find_spec("server.analysis.vader")  # found, not imported: the workers import it
    if spec is not None and spec.origin is not None and not spec.origin.endswith(".py"):
        return "compiled"
    return "Python (`pip install .` on a machine with a C compiler compiles it)"


def _search_summary(settings: Settings) -> str:
    """What briefings search with, and how to change it: the shopper should know what leaves the machine."""
    if not settings.privacy.beyond:
        return "none ([privacy] beyond = false keeps briefings to the page they are asked for)"
    search = settings.search
    names = search.chosen()
    if not names:
        return 'none ([search] says "none": briefings find no mentions or other shops\' offers)'
    if search.is_default:
        return (
            f"{names[0]} (keyless metasearch; set search.provider to change, "
            "or [privacy] beyond = false to keep briefings to the page)"
        )
    where = [f"{name} at {search.url_for(name)}" if search.url_for(name) else name for name in names]
    return " + ".join(where)


def _token(args: argparse.Namespace) -> None:
    settings = load_settings(args.config)
    if settings.server.tokens:
        raise ConfigError("server.tokens is set: the extension takes one of those tokens, not a pairing code")
    if not settings.server.pairing:
        raise ConfigError("server.pairing is false: the server needs no code")
    code = pairing_code(settings)
    print(code)
    where = settings.store.sqlite_path().parent / PAIRING_FILE
    print(f"Enter it in the extension's options (it is kept in {where})", file=sys.stderr)


def _brief(args: argparse.Namespace) -> None:
    from server.render import render_briefing

    settings = load_settings(args.config)
    html = _read_html(args.html) if args.html else None
    progress = None if args.json else _progress
    briefing = asyncio.run(_run_briefing(settings, args.url, html, progress))
    if args.json:
        print(json.dumps(briefing, indent=2, ensure_ascii=False))
    else:
        print(render_briefing(briefing))


def _progress(event: str, data: dict[str, Any], elapsed_ms: int) -> None:
    if event == "section" and data["section"] != "sources":
        print(f"  … {data['section']:<9} {elapsed_ms:>5} ms", file=sys.stderr, flush=True)


async def _run_briefing(
    settings: Settings, url: str, html: str | None, progress: Callable[[str, dict, int], None] | None
) -> dict[str, Any]:
    from scrapers.registry import load_registry
    from server.api import parse_briefing_request
    from server.app import operator_urls
    from server.fetch import Fetcher
    from server.pipeline import Pipeline
    from server.store import open_store
    from server.workers import CpuPool

    request = parse_briefing_request({"url": url, "html": html}, settings)
    store = open_store(settings.store)
    await store.open()
    try:
        # The workers load the language model before the clock of the briefing starts.
        fetcher = Fetcher(settings.fetch, store=store, allowed_origins=operator_urls(settings))
        async with fetcher, CpuPool() as cpu:
            pipeline = Pipeline(settings, load_registry(settings.plugins.disabled), fetcher, store, cpu=cpu)
            run, cached = await pipeline.start(request)
            if cached is not None:
                return cached
            assert run is not None
            async for event, data in run.follow():
                if progress is not None:
                    progress(event, data, run.elapsed_ms())
            await run.task  # the briefing is stored after `done` is published
            return run.briefing
    finally:
        await store.close()


def _scrape(args: argparse.Namespace) -> None:
    from scrapers.base import Page
    from scrapers.registry import load_registry
    from server.render import render_explanation, render_product_page

    page = load_registry().scrape(Page(url=args.url, html=_read_html(args.html)))
    if args.json:
        print(json.dumps(page.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_product_page(page))
    if args.explain:
        print(render_explanation(page))


def _sentiment(args: argparse.Namespace) -> None:
    from server.analysis.sentiment import score

    for line in sys.stdin:
        text = line.rstrip("\n")
        if not text.strip():
            continue
        result = score(text, args.lang)
        out = {"text": text, "compound": result.compound, "label": result.label, "lang": result.lang}
        print(json.dumps(out, ensure_ascii=False), flush=True)


def _store_shown(store: Any) -> str:
    """Where the store is, as the startup line says it: the SQLite file, or the Redis URL without password."""
    if store.backend == "redis":
        from server.store.redis_store import where

        return where(store.redis_url)
    return str(store.sqlite_path())


def _store_copy(args: argparse.Namespace) -> None:
    from server.store.copy import run_copy

    run_copy(args.source, args.target, prefix=args.prefix)


def _plugins(args: argparse.Namespace) -> None:
    from scrapers.registry import load_registry

    settings = load_settings(args.config)
    registry = load_registry(settings.plugins.disabled)
    rows = [(i.name, i.kind, i.matches, i.error or i.source) for i in registry.infos]
    widths = [max(len(r[c]) for r in rows + [("name", "kind", "matches", "")]) for c in range(3)]
    print(f"{'name':<{widths[0]}}  {'kind':<{widths[1]}}  {'matches':<{widths[2]}}  source")
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")
    for name in settings.plugins.disabled:
        print(f"{name} (disabled in [plugins])")
