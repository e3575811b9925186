"""Extraction time per golden page: parse + every plugin that runs on it, median of several runs.

`python -m bench.scrapers [--runs N]`. Budget (DESIGN.md): 50 ms median for a typical page, 200 ms for the
largest. Each run builds a fresh Page, so the lxml parse is measured every time.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.base import Page  # noqa: E402
from tests.scrapers.golden import golden_cases, golden_registry  # noqa: E402

TYPICAL_BUDGET_MS = 50.0
LARGEST_BUDGET_MS = 200.0


def measure(runs: int) -> list[tuple[str, int, float]]:
    """(case id, page bytes, median ms) for every golden page."""
    registry = golden_registry()
    rows = []
    for case in golden_cases():
        if not case.json_path.exists():
            continue
        url, html = case.expected()["url"], case.html()
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            registry.scrape(Page(url=url, html=html))
            timings.append((time.perf_counter() - started) * 1000)
        rows.append((case.id, len(html.encode("utf-8")), statistics.median(timings)))
    return rows


def main(argv: list[str]) -> int:
    """Print the table and the verdict against the budget; exit 1 when over budget."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # broken-JSON-LD cases warn on every run
    rows = measure(args.runs)
    for case_id, size, ms in rows:
        print(f"{case_id:<45} {size / 1024:>8.0f} KB {ms:>8.1f} ms")
    typical = statistics.median(ms for _, _, ms in rows)
    largest = max(rows, key=lambda row: row[1])
    real = [ms for case_id, _, ms in rows if case_id.startswith("amazon/ae-")]
    if real:
        print(f"median over the {len(real)} real amazon.ae pages: {statistics.median(real):.1f} ms")
    print(f"\nmedian over {len(rows)} pages: {typical:.1f} ms (budget {TYPICAL_BUDGET_MS:.0f})")
    print(
        f"largest page {largest[0]} ({largest[1] / 1024:.0f} KB): {largest[2]:.1f} ms "
        f"(budget {LARGEST_BUDGET_MS:.0f})"
    )
    return 0 if typical <= TYPICAL_BUDGET_MS and largest[2] <= LARGEST_BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
