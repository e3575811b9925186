"""`zmot notify test`: send the test message to every configured URL and say which got it."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

__all__ = ["add_notify_command"]


def add_notify_command(commands: Any) -> None:
    """Add `notify` and its actions to the `zmot` command's subparsers."""
    notify = commands.add_parser("notify", help="price alerts through Apprise")
    actions = notify.add_subparsers(dest="action", required=True)
    test = actions.add_parser("test", help="send a test message to every configured notification URL")
    test.add_argument("--config", help="TOML config file (default: $ZMOT_CONFIG, else ./zmot.toml)")
    test.add_argument("--locale", default="en", help="the language of the message: en, it, fr")
    test.set_defaults(run=_test)


def _test(args: argparse.Namespace) -> int:
    """0 when every URL got the message, 1 when one did not."""
    from server.notify.send import send_test
    from server.notify.targets import every_url
    from server.settings import load_settings

    # Each URL's outcome is printed below: Apprise's own log lines would say it twice.
    apprise_log = logging.getLogger("apprise")
    apprise_log.propagate = False
    apprise_log.addHandler(logging.NullHandler())
    notify = load_settings(args.config).notify
    pairs = every_url(notify)
    urls = list(dict.fromkeys(url for _, url in pairs))
    sent_to = asyncio.run(send_test(notify, urls, locale=args.locale))  # NotConfigured without URLs
    deliveries = dict(zip(urls, sent_to, strict=True))
    for who, url in pairs:
        done = deliveries[url]
        line = f"{'sent' if done.ok else done.status.upper():<8}{done.url}  ({who})"
        print(line if done.ok else f"{line}: {done.error}", flush=True)
    sent = sum(d.ok for d in deliveries.values())
    print(f"{sent} of {len(deliveries)} sent", file=sys.stderr)
    return 0 if sent == len(deliveries) else 1
