"""A fired rule becomes one alert: kept for its owner's GET /v1/alerts and sent through Apprise to the
owner's URLs, in the background, so that a slow notification service never holds up a check. Apprise's
own timeout (`notify.timeout_s`) bounds a sending; a failed one is logged once and not tried again."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING

from server.notify import Alert, alert_message, deliver, token_id
from server.store.base import Store, Watch, WatchAlert

if TYPE_CHECKING:
    from server.settings import NotifySettings, Settings
    from server.watch.rules import Change

__all__ = ["drain", "fire", "owner_urls"]

log = logging.getLogger("zmot.watch")

_sending: set[asyncio.Task] = set()  # kept referenced until done: the loop holds tasks only weakly


def owner_urls(notify: NotifySettings, owner: str) -> list[str]:
    """Everyone's URLs, then those `notify.tokens` gives the owner (keyed by its token or the token's id)."""
    own = [u for key, t in notify.tokens.items() if owner and owner in (key, token_id(key)) for u in t.urls]
    return list(dict.fromkeys([*notify.urls, *own]))


def _alert(watch: Watch, rule: str, change: Change, now: float) -> WatchAlert:
    message = Alert(
        product=watch.name or watch.url,
        url=watch.url,
        rule=rule,  # type: ignore[arg-type]  # one of RULES, from fired_rule
        new_price=change.new_price,
        old_price=change.old_price
        if rule != "back_in_stock" or change.old_price != change.new_price
        else None,
        currency=watch.currency,
        seller=watch.last_seller,
        threshold=watch.target_price if rule == "below" else None,
        locale=watch.locale or "en",
    )
    title, body = alert_message(message)
    return WatchAlert(
        id=uuid.uuid4().hex,
        owner=watch.owner,
        product_id=watch.product_id,
        url=watch.url,
        name=watch.name,
        rule=rule,
        old_price=message.old_price,
        new_price=message.new_price,
        currency=message.currency,
        seller=message.seller,
        at=now,
        title=title,
        body=body,
    )


async def fire(
    store: Store, settings: Settings, watch: Watch, rule: str, change: Change, now: float
) -> WatchAlert:
    """Keep the alert, and start sending it; returns it."""
    alert = _alert(watch, rule, change, now)
    await store.add_alert(alert, keep_s=settings.watch.alerts_keep_s)
    urls = owner_urls(settings.notify, watch.owner)
    if urls:
        task = asyncio.create_task(_send(settings.notify, urls, alert), name=f"alert-{alert.id}")
        _sending.add(task)
        task.add_done_callback(_sending.discard)
    return alert


async def _send(notify: NotifySettings, urls: list[str], alert: WatchAlert) -> None:
    try:
        deliveries = await deliver(urls, alert.title, alert.body, timeout_s=notify.timeout_s)
    except Exception:  # a bug in sending costs this alert's message, never the watcher
        log.exception("sending the %s alert for %s failed", alert.rule, alert.url)
        return
    for delivery in deliveries:
        if not delivery.ok:
            log.warning(
                "alert for %s to %s: %s (%s)", alert.url, delivery.url, delivery.status, delivery.error
            )


async def drain() -> None:
    """Wait for the alerts being sent (at shutdown, and in tests)."""
    while _sending:
        await asyncio.gather(*list(_sending), return_exceptions=True)
