"""Labelled real pages and how an extraction is scored against them, field by field.

The pages are `tests/fixtures/real_pages/<shop>/<page>.html` (`.html.gz` when over 1 MB), each with a
`<page>.json` label of what a shopper sees on it (`expect`, optionally `also_ok`; see the README there).
A field is counted the way public product-extraction benchmarks count it: a right value is a true positive,
a value where the label has none (null) a false positive, a missing value a false negative, and a wrong
value both a false positive and a false negative. Price is compared as a decimal, brand case-insensitively,
name by the label's `name_contains` being a substring, sku against the extracted sku or ASIN, rating within
0.05; `also_ok` values count as right; availability is not scored where the label says `unknown`, and on a
page that is not a product (`is_product` false) only `is_product` is scored.

`known_misses.json` lists today's misses ({"<page>": ["field", …]}); tests/scrapers/test_real_pages.py marks
exactly those cases strict xfail, so a field the extractor starts getting right fails until it leaves the
list. A field may only leave the list; it never enters it without a reason in the commit that adds it.
After a change to the extractor, refresh the list with `python -m tests.scrapers.real_pages --update-misses`
(it prints what left and what entered); without the flag the command only compares.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from scrapers.base import Page
from scrapers.registry import Registry, load_registry
from scrapers.types import ProductPage

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
KNOWN_MISSES = ROOT / "known_misses.json"
FIELDS: tuple[str, ...] = (
    "is_product",
    "name",
    "brand",
    "price",
    "currency",
    "availability",
    "sku",
    "gtin",
    "rating",
    "rating_count",
    "reviews_on_page",
)
# right: same value; absent: neither has one; the three others are misses.
Verdict = Literal["right", "absent", "wrong", "missed", "spurious"]
MISSES: tuple[str, ...] = ("wrong", "missed", "spurious")
_LABEL_KEY = {"name": "name_contains"}
_RATING_TOLERANCE = 0.05 + 1e-9


@dataclass(frozen=True)
class LabelledPage:
    """One saved page and what a shopper sees on it."""

    id: str  # "<shop>/<page>", e.g. "amazon/de-B08R3YHPK1"
    url: str
    html_path: Path
    expect: dict[str, Any] = field(hash=False)
    also_ok: dict[str, list[Any]] = field(default_factory=dict, hash=False)
    sha256: str = ""  # of the unpacked page, as the label records it

    def content(self) -> bytes:
        """The saved page's bytes, unpacked if gzipped."""
        raw = self.html_path.read_bytes()
        return gzip.decompress(raw) if self.html_path.suffix == ".gz" else raw

    def html(self) -> str:
        """The page as `zmot scrape` reads it: UTF-8 with bad bytes replaced."""
        return self.content().decode("utf-8", errors="replace")


def labelled_pages(root: Path = ROOT) -> list[LabelledPage]:
    """Every `<shop>/<page>.json` label under `root` with its page, in a stable order."""
    pages = []
    for label_path in sorted(root.glob("*/*.json")):
        data = json.loads(label_path.read_text(encoding="utf-8"))
        pages.append(
            LabelledPage(
                id=f"{label_path.parent.name}/{label_path.stem}",
                url=data["url"],
                html_path=label_path.parent / data["file"],
                expect=data["expect"],
                also_ok=data.get("also_ok", {}),
                sha256=data.get("sha256", ""),
            )
        )
    return pages


def extracted(page: ProductPage) -> dict[str, Any]:
    """The scored values of an extraction, None where it has none.

    The offer scored is the one a briefing shows as current (the first with a price), else the first;
    sku is every code that may match (the sku and the ASIN); no reviews counts as none.
    """
    priced = [o for o in page.offers if _decimal(o.price) is not None]
    offer = priced[0] if priced else (page.offers[0] if page.offers else None)
    availability = offer.availability if offer is not None else None
    return {
        "is_product": page.is_product,
        "name": page.product.name,
        "brand": page.product.brand,
        "price": offer.price if offer is not None else None,
        "currency": offer.currency if offer is not None else None,
        "availability": None if availability == "unknown" else availability,
        "sku": [code for code in (page.product.sku, page.product.asin) if code] or None,
        "gtin": page.product.gtin,
        "rating": page.rating.value,
        "rating_count": page.rating.count,
        "reviews_on_page": len(page.reviews) or None,
    }


def scored(field_name: str, expect: dict[str, Any]) -> bool:
    """Whether the label says anything about the field: negatives only say they are no product."""
    if not expect["is_product"]:
        return field_name == "is_product"
    return not (field_name == "availability" and expect.get("availability") == "unknown")


def expected(field_name: str, expect: dict[str, Any]) -> Any:
    """The label's value for a field (None where the page shows none; no reviews is none)."""
    value = expect.get(_LABEL_KEY.get(field_name, field_name))
    return None if field_name == "reviews_on_page" and value == 0 else value


def judge(
    field_name: str, expect: dict[str, Any], also_ok: dict[str, list[Any]], got: dict[str, Any]
) -> Verdict:
    """How the extracted value of one field compares with the label (call only where `scored`)."""
    if field_name == "is_product":
        return _judge_flag(bool(expect["is_product"]), bool(got["is_product"]))
    key = _LABEL_KEY.get(field_name, field_name)
    wants = [w for w in (expected(field_name, expect), *also_ok.get(key, ())) if w is not None]
    have = got[field_name]
    haves = [] if have is None else list(have) if isinstance(have, list) else [have]
    if not wants:
        return "spurious" if haves else "absent"
    if not haves:
        return "missed"
    return "right" if any(same(field_name, w, h) for w in wants for h in haves) else "wrong"


def _judge_flag(want: bool, have: bool) -> Verdict:
    if want:
        return "right" if have else "missed"
    return "spurious" if have else "absent"


def same(field_name: str, want: Any, have: Any) -> bool:
    """Whether an extracted value equals a labelled one, by the field's rule."""
    if field_name == "price":
        a, b = _decimal(want), _decimal(have)
        return a is not None and a == b
    if field_name == "rating":
        return abs(float(want) - float(have)) <= _RATING_TOLERANCE
    if field_name == "name":
        return _text(want) in _text(have)
    if field_name in ("brand", "sku", "currency"):
        return _text(want) == _text(have)
    if field_name == "gtin":
        return _digits(want) == _digits(have)
    if field_name in ("rating_count", "reviews_on_page"):
        return int(want) == int(have)
    return want == have


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if value is not None else None
    except InvalidOperation:
        return None


def _text(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def _digits(value: Any) -> str:
    # A GTIN-13 and the same code padded to GTIN-14 are one code.
    return re.sub(r"\D", "", str(value)).lstrip("0") or "0"


@dataclass
class Counts:
    """True and false positives and false negatives of one field over a set of pages."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, verdict: Verdict) -> None:
        self.tp += verdict == "right"
        self.fp += verdict in ("wrong", "spurious")
        self.fn += verdict in ("wrong", "missed")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float(self.fp == 0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def scrape(page: LabelledPage, registry: Registry) -> ProductPage:
    """The page through the installed plugins, exactly as `zmot scrape` runs them."""
    return registry.scrape(Page(url=page.url, html=page.html()))


def page_misses(page: LabelledPage, got: dict[str, Any]) -> list[str]:
    """The scored fields of a page that the extraction gets wrong, in FIELDS order."""
    return [
        name
        for name in FIELDS
        if scored(name, page.expect) and judge(name, page.expect, page.also_ok, got) in MISSES
    ]


def fresh_misses(pages: Iterable[LabelledPage], registry: Registry) -> dict[str, list[str]]:
    """Today's misses of every page, as known_misses.json holds them."""
    found = {page.id: page_misses(page, extracted(scrape(page, registry))) for page in pages}
    return {page_id: fields for page_id, fields in found.items() if fields}


def load_known_misses(path: Path = KNOWN_MISSES) -> dict[str, list[str]]:
    """The recorded misses; none when the file does not exist yet."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _pairs(misses: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {(page_id, name) for page_id, fields in misses.items() for name in fields}


def main(argv: list[str]) -> int:
    """Compare today's misses with known_misses.json; rewrite it with --update-misses."""
    parser = argparse.ArgumentParser(
        description="Compare or refresh tests/fixtures/real_pages/known_misses.json"
    )
    parser.add_argument("--update-misses", action="store_true", help="rewrite the list from a fresh run")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # pages with broken markup warn on every run
    fresh, known = fresh_misses(labelled_pages(), load_registry()), load_known_misses()
    left, entered = sorted(_pairs(known) - _pairs(fresh)), sorted(_pairs(fresh) - _pairs(known))
    for page_id, name in left:
        print(f"left the list (now right):  {page_id} {name}")
    for page_id, name in entered:
        print(f"entered the list (now wrong): {page_id} {name}   <- give the reason in the commit")
    print(f"{len(_pairs(fresh))} known misses on {len(fresh)} pages")
    if args.update_misses:
        KNOWN_MISSES.write_text(json.dumps(fresh, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {KNOWN_MISSES}")
        return 0
    return 1 if left or entered else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
