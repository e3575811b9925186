"""What POST /v1/corrections may carry, read into a `SiteCorrection`; and a correction as JSON."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

from yarl import URL

from scrapers.corrections import FIELDS, Correction, check_selector
from server.errors import BadRequest
from server.store.base import SiteCorrection

__all__ = ["correction_json", "for_page", "parse_correction", "site_of"]

MAX_URL_CHARS = 8192
MAX_VALUE_CHARS = 2000
# A selector names an element by its place, ids and classes, never by the text it shows (that changes
# from page to page, which is the whole point): lxml's text pseudo-class is refused.
_TEXT_BASED = re.compile(r":contains\s*\(", re.I)


def site_of(url: str) -> str | None:
    """The site a page belongs to: its lower-case host without a leading "www."; None if it has none."""
    try:
        host = (URL(url).host or "").rstrip(".").lower()
    except (ValueError, TypeError):
        return None
    return host.removeprefix("www.") or None


def parse_correction(body: dict[str, Any], *, owner: str, now: float) -> SiteCorrection:
    """Validate a POST /v1/corrections body; raises BadRequest with a code that says which part is wrong."""
    url, field, selector, value = body.get("url"), body.get("field"), body.get("selector"), body.get("value")
    site = _site(url)
    if not isinstance(field, str) or field not in FIELDS:
        raise BadRequest(f"'field' must be one of {', '.join(FIELDS)}", code="bad_field")
    if not isinstance(selector, str):
        raise BadRequest("'selector' is required: a CSS selector of the element", code="bad_selector")
    selector = selector.strip()
    problem = check_selector(selector)
    if problem is None and _TEXT_BASED.search(selector):
        problem = "the selector may not name the text it matches (:contains)"
    if problem is not None:
        raise BadRequest(f"'selector': {problem}", code="bad_selector")
    if value is not None and not isinstance(value, str):
        raise BadRequest("'value' must be a string: what the page showed there", code="bad_request")
    if value is not None and len(value) > MAX_VALUE_CHARS:
        raise BadRequest(f"'value' is over {MAX_VALUE_CHARS} characters", code="bad_request")
    return SiteCorrection(uuid.uuid4().hex, owner, site, field, selector, value, now)


def _site(url: Any) -> str:
    if not isinstance(url, str) or not url.strip():
        raise BadRequest("'url' is required: the page the element was picked on", code="bad_url")
    url = url.strip()
    shown = url if len(url) <= 200 else f"{url[:200]}…"
    if len(url) > MAX_URL_CHARS or any(
        ch.isspace() or unicodedata.category(ch) in {"Cc", "Cs"} for ch in url
    ):
        raise BadRequest(f"{shown!r} is not the address of a page", code="bad_url")
    try:
        scheme = URL(url).scheme
    except (ValueError, TypeError):
        scheme = ""
    site = site_of(url)
    if scheme not in {"http", "https"} or site is None:
        raise BadRequest(f"{shown!r} is not an http(s) address of a page", code="bad_url")
    return site


def correction_json(correction: SiteCorrection) -> dict[str, Any]:
    """The API's Correction (the owner stays out: it is the caller)."""
    created = datetime.fromtimestamp(correction.created_at, UTC).isoformat(timespec="seconds")
    return {
        "id": correction.id,
        "site": correction.site,
        "field": correction.field,
        "selector": correction.selector,
        "value": correction.value,
        "created_at": created.replace("+00:00", "Z"),
    }


def for_page(corrections: list[SiteCorrection]) -> list[Correction]:
    """The corrections as the page scrapers take them (plain data for a worker process)."""
    return [Correction(c.id, c.field, c.selector, c.value) for c in corrections]
