"""Price alerts through Apprise: the message in the shopper's language, sent to the configured URLs.

`Alert` is what a watch hands over; `send_alert` sends it to the URLs for everyone and for the client's
token; `send_test` checks the URLs. Apprise is imported only when something is sent or checked."""

from __future__ import annotations

from server.notify.messages import RULES, Alert, alert_message, check_message
from server.notify.send import Delivery, deliver, send_alert, send_test
from server.notify.targets import bearer_token, every_url, token_id, urls_for

__all__ = [
    "RULES",
    "Alert",
    "Delivery",
    "alert_message",
    "bearer_token",
    "check_message",
    "deliver",
    "every_url",
    "send_alert",
    "send_test",
    "token_id",
    "urls_for",
]
