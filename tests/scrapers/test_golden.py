"""Every saved page scrapes to the JSON stored next to it (see tests/scrapers/golden.py)."""

from __future__ import annotations

import pytest

from scrapers.registry import Registry
from tests.scrapers.golden import GoldenCase, golden_cases, golden_registry, scrape


@pytest.fixture(scope="module")
def registry() -> Registry:
    return golden_registry()


@pytest.mark.parametrize("case", golden_cases(), ids=lambda case: case.id)
def test_saved_page_scrapes_to_its_golden_json(case: GoldenCase, registry: Registry) -> None:
    if not case.json_path.exists():
        hint = f"python -m tests.scrapers.regenerate {case.id}"
        pytest.fail(f'write {case.json_path.name} as {{"url": "…"}}, then run: {hint}')
    assert scrape(case, registry) == case.expected()
