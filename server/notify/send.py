"""Sending through Apprise without stalling the server: its async API runs each service's network call in
Apprise's own thread pool, `timeout` bounds the call, and an outer deadline bounds the rest. One Apprise
object per URL, so that each URL's outcome is its own: a dead target is a failed Delivery, never an
exception. What is shown of a URL goes through Apprise's privacy mode, which masks its secrets."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from server.errors import ZmotError
from server.notify.messages import Alert, alert_message, check_message
from server.notify.targets import urls_for

if TYPE_CHECKING:
    import apprise

    from server.settings import NotifySettings

__all__ = ["Delivery", "NotConfigured", "deliver", "load_service", "masked", "send_alert", "send_test"]

_GRACE_S = 1.0  # beyond the timeout given to Apprise, for its own bookkeeping


class NotConfigured(ZmotError):
    """There is nowhere to send to: no notification URL is configured (for this client)."""

    code = "notify_not_configured"
    http_status = 409
    exit_code = 2


@dataclass(frozen=True)
class Delivery:
    """What became of one message to one URL (shown with its secrets masked)."""

    url: str
    status: Literal["sent", "failed", "timeout"]
    error: str | None = None
    elapsed_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "sent"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def _asset(timeout_s: float | None = None) -> apprise.AppriseAsset:
    """zmot's name on what Apprise sends; nothing kept on disk between calls."""
    import apprise

    return apprise.AppriseAsset(
        app_id="zmot",
        app_desc="zmot price alerts",
        storage_mode="memory",
        service_timeout=timeout_s,
    )


def load_service(url: str) -> apprise.NotifyBase | None:
    """The Apprise service for one URL, or None if Apprise cannot send to it."""
    import apprise

    return apprise.Apprise.instantiate(url, asset=_asset())


def masked(url: str) -> str:
    """The URL as it may be shown: Apprise's privacy form (passwords, tokens, keys masked), no query."""
    service = load_service(url)
    return service.url(privacy=True).partition("?")[0] if service is not None else _shown(url)


def _shown(url: str) -> str:
    """An unusable URL without what may be its secret: the scheme and host part only."""
    scheme, sep, rest = url.partition("://")
    host = rest.split("/")[0].rpartition("@")[2]
    return f"{scheme}{sep}{host}/…" if sep else f"{url[:6]}…"


async def deliver(urls: list[str], title: str, body: str, *, timeout_s: float) -> list[Delivery]:
    """Send one message to every URL at once; one Delivery per URL, in their order."""
    return list(await asyncio.gather(*(_deliver_one(url, title, body, timeout_s) for url in urls)))


async def _deliver_one(url: str, title: str, body: str, timeout_s: float) -> Delivery:
    import apprise  # imported already when the settings were read and their URLs checked: no wait here

    started = time.monotonic()
    shown = masked(url)

    def outcome(status: Literal["sent", "failed", "timeout"], error: str | None = None) -> Delivery:
        return Delivery(shown, status, error, round((time.monotonic() - started) * 1000))

    notifier = apprise.Apprise(asset=_asset(timeout_s))
    if not notifier.add(url):
        return outcome("failed", "not an Apprise URL")
    try:
        async with asyncio.timeout(timeout_s + _GRACE_S):
            result = await notifier.async_notify(
                body=body, title=title, body_format=apprise.NotifyFormat.TEXT, timeout=timeout_s
            )
    except TimeoutError:
        return outcome("timeout", f"no answer within {timeout_s:g} s")
    except Exception as exc:  # a service plugin's own bug costs only its own URL
        return outcome("failed", f"{type(exc).__name__}: {exc}")
    if result.status == apprise.AppriseResultStatus.SUCCESS:
        return outcome("sent")
    if result.status == apprise.AppriseResultStatus.TIMEOUT:
        return outcome("timeout", f"no answer within {timeout_s:g} s")
    said = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR", "CRITICAL")]
    return outcome("failed", said[0] if said else f"{result.status.name.lower()}")


async def send_alert(notify: NotifySettings, alert: Alert, *, token: str | None = None) -> list[Delivery]:
    """Send an alert to everyone's URLs and those of the client with `token`; [] when there are none."""
    urls = urls_for(notify, token)
    if not urls:
        return []
    title, body = alert_message(alert)
    return await deliver(urls, title, body, timeout_s=notify.timeout_s)


async def send_test(notify: NotifySettings, urls: list[str], *, locale: str | None = None) -> list[Delivery]:
    """Send the test message to `urls`; NotConfigured when there are none."""
    if not urls:
        raise NotConfigured(
            'no notification URL is configured: add [notify] urls = ["ntfy://…"] (any Apprise URL) '
            "to the config file, or ZMOT_NOTIFY_URLS"
        )
    title, body = check_message(locale)
    return await deliver(urls, title, body, timeout_s=notify.timeout_s)
