"""The installed zmot's compiled review analysis (hatch_build.py: mypyc, in a wheel built by `pip install .`)
gives what the Python source gives, review for review.

The test process reads the source tree; a second Python, started outside it, imports the installed package.
Locally an editable install has nothing compiled and the test skips; CI installs with `pip install .` and
must run it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any

import pytest

from server.analysis import vader
from tests.pagegen import REVIEW_TEXTS

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data" / "sentiment"
FIXTURES = ROOT / "tests" / "fixtures" / "sentiment"
_EXTENSIONS = tuple(EXTENSION_SUFFIXES)

# Each page's review summary, and each review's language and sentence scores: run here on the source tree,
# and by a second Python on the installed package.
_ANALYSE = r"""
from scrapers.types import Product, ProductPage, Rating, Review
from server.analysis.reviews import review_summary
from server.analysis.sentiment import SUPPORTED_LANGUAGES, detect_language, review_sentiment


def analyse(pages):
    out = []
    for page in pages:
        reviews = [Review(rating=s, text=text, verified=k % 3 > 0) for k, (s, text) in enumerate(page)]
        product = ProductPage(
            url="https://shop.test/p", plugin="test", product=Product(name="Kettle"),
            rating=Rating(value=4.1, count=len(reviews)), reviews=reviews,
        )
        scored = []
        for _, text in page:
            lang = detect_language(text)
            scored.append([lang, review_sentiment(None, text, lang) if lang in SUPPORTED_LANGUAGES else None])
        out.append([review_summary(product, max_reviews=len(reviews)), scored])
    return out
"""
_INSTALLED = (
    _ANALYSE
    + r"""
import json, sys
from importlib import import_module

asked = json.load(sys.stdin)
files = {name: import_module(name).__file__ for name in asked["modules"]}
print(json.dumps({"files": files, "out": analyse(asked["pages"])}))
"""
)


def _compiled_modules() -> list[str]:
    """The modules hatch_build.py compiles, read from it (hatchling is no test dependency)."""
    tree = ast.parse((ROOT / "hatch_build.py").read_text(encoding="utf-8"))
    listed = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "COMPILED"
    )
    return [path.removesuffix(".py").replace("/", ".") for path in ast.literal_eval(listed)]


def _stars(rating: str) -> int:
    """A mean rating on -4..+4 as stars."""
    return max(1, min(5, round(3 + float(rating) / 2)))


def _rated(path: Path) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t", 2) for line in lines if line and not line.startswith("#")]
    return [(_stars(rating), text) for _, rating, text in rows]


def _pages() -> list[list[tuple[int, str]]]:
    """Real English review sentences (the VADER paper's Amazon set) where ../shared is there, the Italian and
    French sentences of the sentiment tests, and the local web's reviews."""
    pages = []
    if (SHARED / "amazon_reviews_dev.tsv").exists():
        english = _rated(SHARED / "amazon_reviews_dev.tsv")
        pages += [english[k : k + 400] for k in range(0, len(english), 400)]
    pages += [_rated(FIXTURES / f"{name}.tsv") for name in ("it", "fr")]
    pages.append([(stars, text) for stars, text in REVIEW_TEXTS])
    return pages


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_installed_compiled_analysis_gives_what_the_source_gives(tmp_path: Path) -> None:
    assert vader.__file__.endswith(".py"), "this process must read the source tree"
    modules = _compiled_modules()
    pages = _pages()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(  # outside the source tree: the installed package
        [sys.executable, "-c", _INSTALLED],
        input=json.dumps({"modules": modules, "pages": pages}),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    installed = json.loads(done.stdout)
    plain = sorted(name for name, file in installed["files"].items() if not file.endswith(_EXTENSIONS))
    if plain:
        reason = f"the installed zmot has these analysis modules as Python, not compiled: {', '.join(plain)}"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI must run this test (pip install . compiles them): {reason}")
        pytest.skip(f"{reason} (an editable install; `pip install .` compiles them)")
    here: dict[str, Any] = {}
    exec(_ANALYSE, here)  # the same code, on the source tree
    expected = json.loads(json.dumps(here["analyse"](pages)))  # tuples as lists, as the other side's JSON
    assert len(installed["out"]) == len(expected)
    for page, (got, want) in enumerate(zip(installed["out"], expected, strict=True)):
        # as JSON text: 1 and 1.0 are equal in Python, not in a briefing
        assert _text(got[0]) == _text(want[0]), f"page {page}: review summary differs"
        for k, (got_review, want_review) in enumerate(zip(got[1], want[1], strict=True)):
            assert _text(got_review) == _text(want_review), f"page {page}, review {k}: {pages[page][k][1]!r}"
    assert any(want[0]["pros"] or want[0]["cons"] for want in expected)  # pros and cons were on the path
