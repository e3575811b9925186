"""The watch API's bodies: the shopper's rules checked field by field (a 400 names the field), and a watch
or alert as JSON (the contract in README's "Watching a product")."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from server.errors import BadRequest
from server.notify import RULES
from server.store.base import Watch, WatchAlert

__all__ = ["alert_json", "parse_rules", "watch_json"]

_MAX_NAME = 300
_LOCALE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}$")
_MAX_PRICE = Decimal("1e12")


def _target_price(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        value = "?"
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        price = Decimal("NaN")
    if not price.is_finite() or not 0 < price < _MAX_PRICE:
        raise BadRequest(
            "'target_price' must be a price above 0, as a decimal string like \"99.00\" or a number",
            code="invalid_target_price",
        )
    return str(price)


def _notify_on(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(rule, str) and rule in RULES for rule in value):
        raise BadRequest(
            f"'notify_on' must be a list of rules among {', '.join(RULES)}", code="invalid_notify_on"
        )
    return tuple(dict.fromkeys(value))


def parse_rules(body: dict[str, Any], watch: Watch) -> Watch:
    """`watch` with the rules that `body` gives (a key left out keeps its value; PATCH may set
    target_price to null). Raises BadRequest naming the field at fault."""
    changes: dict[str, Any] = {}
    if "name" in body:
        name = body["name"]
        if name is not None and (not isinstance(name, str) or len(name) > _MAX_NAME):
            raise BadRequest(
                f"'name' must be a string of at most {_MAX_NAME} characters", code="invalid_name"
            )
        changes["name"] = (name or "").strip()
    if "target_price" in body:
        changes["target_price"] = _target_price(body["target_price"])
    if "notify_on" in body:
        changes["notify_on"] = _notify_on(body["notify_on"])
    if "locale" in body:
        locale = body["locale"]
        if locale is not None and (not isinstance(locale, str) or not _LOCALE.match(locale)):
            raise BadRequest("'locale' must be a language tag such as 'it' or 'fr-FR'", code="invalid_locale")
        changes["locale"] = locale
    updated = dataclasses.replace(watch, **changes)
    if "below" in updated.notify_on and updated.target_price is None:
        raise BadRequest("the rule 'below' needs a 'target_price'", code="target_price_required")
    return updated


def watch_json(watch: Watch) -> dict[str, Any]:
    """A watch as the API shows it to its owner."""
    last_price = None
    if watch.last_price is not None:
        last_price = {
            "amount": watch.last_price,
            "currency": watch.currency,
            "seller": watch.last_seller,
            "at": watch.last_seen,
        }
    return {
        "product_id": watch.product_id,
        "url": watch.url,
        "name": watch.name,
        "target_price": watch.target_price,
        "currency": watch.currency,
        "notify_on": list(watch.notify_on),
        "locale": watch.locale,
        "last_price": last_price,
        "availability": watch.availability,
        "status": watch.status,
        "last_error": watch.last_error,
        "last_checked": watch.last_checked,
        "next_check": watch.next_check,
        "interval_s": watch.interval_s,
        "created_at": watch.created_at,
        "failures": watch.failures,
    }


def alert_json(alert: WatchAlert) -> dict[str, Any]:
    """An alert as GET /v1/alerts shows it (its owner is the asker, so not repeated)."""
    shown = dataclasses.asdict(alert)
    shown.pop("owner")
    return shown
