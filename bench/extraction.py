"""Extraction quality per field, and time per page, on the labelled real pages and the golden pages.

`python -m bench.extraction [--pages DIR] [--runs N] [--misses]`. Every labelled page (default
`../shared/data/pages/`, else the copy in tests/fixtures/real_pages/) and every golden page under
tests/fixtures/pages/ (its golden JSON taken as the label) goes through the installed plugins exactly as
`zmot scrape` runs them. Per field: precision, recall and F1 counted as public product-extraction benchmarks
count them (rules in tests/scrapers/real_pages.py). Time per page is the fastest of N runs in CPU time (as
`timeit` takes it: a slower run is other work on the machine getting in the way, not the code), each on a
fresh Page, so the lxml parse is included, in the state of a server's CPU worker: every plugin imported and
used once, then what that made frozen out of the garbage collector's passes (server/sources/warmed.py does
the same before a worker takes a briefing). `--misses` adds every miss: page, field, expected, got.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import logging
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.base import Page  # noqa: E402
from scrapers.registry import Registry, load_registry  # noqa: E402
from scrapers.types import Offer, Product, ProductPage, Rating, Review  # noqa: E402
from tests.scrapers.golden import golden_cases  # noqa: E402
from tests.scrapers.real_pages import (  # noqa: E402
    FIELDS,
    MISSES,
    ROOT,
    Counts,
    LabelledPage,
    expected,
    extracted,
    judge,
    labelled_pages,
    scored,
)

_OTHER_KINDS = ("search", "mentions", "offers")  # a page plugin that failed to load has kind "?"
SHARED_PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"


@dataclasses.dataclass
class SetResult:
    """Per-field counts, per-page times and the misses of one set of pages."""

    name: str
    pages: int
    counts: dict[str, Counts]
    times_ms: list[tuple[str, float]]
    floor_ms: list[float]  # lxml's parse alone of the same pages, in the same runs: what no extractor beats
    misses: list[tuple[str, str, Any, Any]]
    errors: list[str]


def golden_labelled() -> list[LabelledPage]:
    """The golden pages, each labelled by its golden JSON read with the same rules as an extraction."""
    pages = []
    for case in golden_cases():
        if not case.json_path.exists():
            continue
        data = case.expected()
        page = _page_from_json(data)
        got = extracted(page)
        expect = {name: got[name] for name in FIELDS if name not in ("name", "sku", "availability")}
        codes = got["sku"] or []
        expect.update(
            name_contains=got["name"],
            sku=codes[0] if codes else None,
            availability=got["availability"] or ("unknown" if page.offers else None),
            reviews_on_page=len(page.reviews),
        )
        also_ok = {"sku": codes[1:]} if len(codes) > 1 else {}
        pages.append(LabelledPage(case.id, data["url"], case.html_path, expect, also_ok))
    return pages


def _page_from_json(data: dict[str, Any]) -> ProductPage:
    """A product page JSON back as a ProductPage (keys unknown to today's types are left out)."""

    def build(cls: type, values: dict[str, Any] | None) -> Any:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (values or {}).items() if k in names})

    return ProductPage(
        url=data["url"],
        plugin=data.get("plugin", ""),
        product=build(Product, data.get("product")),
        offers=[build(Offer, o) for o in data.get("offers", [])],
        rating=build(Rating, data.get("rating")),
        reviews=[build(Review, r) for r in data.get("reviews", [])],
    )


def run_set(name: str, pages: list[LabelledPage], registry: Registry, runs: int) -> SetResult:
    """Scrape every page `runs` times; score the last extraction, keep the fastest time."""
    result = SetResult(name, len(pages), {f: Counts() for f in FIELDS}, [], [], [], [])
    for page in pages:
        html = page.html()
        runs_done = [_timed_scrape(registry, page.url, html) for _ in range(runs)]
        product, _ = runs_done[-1]
        result.times_ms.append((page.id, min(ms for _, ms in runs_done)))
        result.floor_ms.append(min(_timed_parse(html) for _ in range(runs)))
        result.errors.extend(f"{page.id}: {error}" for error in product.errors)
        got = extracted(product)
        for field_name in FIELDS:
            if not scored(field_name, page.expect):
                continue
            verdict = judge(field_name, page.expect, page.also_ok, got)
            result.counts[field_name].add(verdict)
            if verdict in MISSES:
                want = expected(field_name, page.expect)
                result.misses.append((page.id, field_name, want, got[field_name]))
    return result


def _timed_scrape(registry: Registry, url: str, html: str) -> tuple[ProductPage, float]:
    """One scrape on a fresh Page (so the parse is timed), in CPU time (a shared machine's other work does
    not count); a crash is scored as nothing extracted."""
    started = time.process_time()
    try:
        product = registry.scrape(Page(url=url, html=html))
    except Exception as exc:  # reported with the set, never hidden
        product = ProductPage(url=url, plugin="none", errors=[f"{type(exc).__name__}: {exc}"])
    return product, (time.process_time() - started) * 1000


def _timed_parse(html: str) -> float:
    """The floor: a plain `lxml.html.document_fromstring` of the page and nothing else (the tree freed
    again). `Page.tree` parses the same tree a little faster (UTF-8 bytes, no Python class lookup), so the
    ratio to this floor holds the parse too, and stays comparable from one version of zmot to the next."""
    started = time.process_time()
    lxml.html.document_fromstring(html)
    return (time.process_time() - started) * 1000


def _warm_up(registry: Registry, pages: list[LabelledPage]) -> None:
    """Every page scraped once, so that each plugin's first-use imports and caches are made, then frozen out
    of the garbage collector's full passes: the state of a server's CPU worker when a briefing reaches it."""
    for page in pages:
        _timed_scrape(registry, page.url, page.html())
    gc.freeze()


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def print_set(result: SetResult, show_misses: bool) -> None:
    """The per-field table, the time per page and, if asked, the misses."""
    print(f"\n{result.name}: {result.pages} pages")
    print(f"{'field':<16}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    for field_name, c in result.counts.items():
        print(f"{field_name:<16}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>7.3f}")
    total = Counts(*(sum(getattr(c, k) for c in result.counts.values()) for k in ("tp", "fp", "fn")))
    print(
        f"{'all fields':<16}{total.tp:>5}{total.fp:>5}{total.fn:>5}"
        f"{total.precision:>11.3f}{total.recall:>8.3f}{total.f1:>7.3f}"
    )
    times = [ms for _, ms in result.times_ms]
    slowest = max(result.times_ms, key=lambda row: row[1])
    floor = result.floor_ms
    largest = max(range(len(floor)), key=floor.__getitem__)
    print(
        f"time per page (parse included): median {statistics.median(times):.1f} ms, "
        f"p90 {_p90(times):.1f} ms, max {slowest[1]:.1f} ms ({slowest[0]})"
    )
    print(
        f"floor, lxml parse alone:        median {statistics.median(floor):.1f} ms, "
        f"p90 {_p90(floor):.1f} ms, max {floor[largest]:.1f} ms ({result.times_ms[largest][0]})"
    )
    ratios = [t / f for t, f in zip(times, floor, strict=True)]
    print(
        f"time / floor: median {statistics.median(ratios):.1f}x, p90 {_p90(ratios):.1f}x, "
        f"on the page slowest to parse {times[largest] / floor[largest]:.1f}x (the noise of a busy machine "
        "cancels out of the ratio)"
    )
    for error in result.errors:
        print(f"  error: {error}")
    if show_misses and result.misses:
        width = max(len(page_id) for page_id, *_ in result.misses)
        print(f"\n{'page':<{width}}  {'field':<16}{'expected':<40} got")
        for page_id, field_name, want, got in result.misses:
            print(f"{page_id:<{width}}  {field_name:<16}{_short(want):<40} {_short(got)}")


def _short(value: Any, limit: int = 38) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main(argv: list[str]) -> int:
    """Print the tables of both sets; exit 1 when a page plugin failed to load (the figures would lie)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default = SHARED_PAGES if SHARED_PAGES.is_dir() else ROOT
    parser.add_argument("--pages", type=Path, default=default, help=f"labelled pages (default {default})")
    parser.add_argument("--runs", type=int, default=5, help="runs per page for the time (the fastest)")
    parser.add_argument("--misses", action="store_true", help="list every miss: page, field, expected, got")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # pages with broken markup warn on every run
    registry = load_registry()
    broken = [
        f"{info.name}: {info.error}"
        for info in registry.infos
        if info.error and info.kind not in _OTHER_KINDS
    ]
    for line in broken:
        print(f"plugin failed to load, its pages are scored without it: {line}")
    sets = [
        (f"labelled real pages ({args.pages})", labelled_pages(args.pages)),
        ("golden pages (tests/fixtures/pages)", golden_labelled()),
    ]
    _warm_up(registry, [page for _, pages in sets for page in pages])
    for name, pages in sets:
        print_set(run_set(name, pages, registry, max(1, args.runs)), args.misses)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
