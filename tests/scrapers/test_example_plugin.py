"""The example plugin under examples/ is found through its entry point, like any installed package."""

from __future__ import annotations

import importlib
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from scrapers.base import Page
from scrapers.registry import ENTRY_POINT_GROUP, load_registry

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zmot-example-plugin"


@pytest.fixture
def installed_example(tmp_path, monkeypatch):
    """The example as pip would install it: its package and a dist-info with the pyproject's entry points."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    shutil.copytree(EXAMPLE / "zmot_example_plugin", tmp_path / "zmot_example_plugin")
    dist_info = tmp_path / f"zmot_example_plugin-{project['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8"
    )
    points = project["entry-points"][ENTRY_POINT_GROUP]
    lines = [f"[{ENTRY_POINT_GROUP}]", *(f"{name} = {value}" for name, value in points.items())]
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield
    sys.modules.pop("zmot_example_plugin", None)


def test_the_example_plugin_is_discovered_and_wins_on_its_shop(installed_example):
    registry = load_registry()
    info = next(i for i in registry.infos if i.name == "example-shop")
    assert (info.kind, info.matches, info.source, info.error) == (
        "page",
        "shop.example-plugin.test",
        "zmot_example_plugin:ExampleShopScraper",
        None,
    )
    html = (
        '<html lang="it"><h1 class="product-name">Moka 6 tazze</h1>'
        '<p class="product-price">29,90 €</p></html>'
    )
    page = registry.scrape(Page("https://shop.example-plugin.test/moka", html))
    assert (page.plugin, page.product.name) == ("example-shop", "Moka 6 tazze")
    assert (page.offers[0].price, page.offers[0].currency) == ("29.90", "EUR")


def test_a_disabled_plugin_is_not_loaded(installed_example):
    assert "example-shop" not in {i.name for i in load_registry(disabled=["example-shop"]).infos}
