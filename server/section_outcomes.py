"""How a part of a briefing ends without data: skipped with a reason, or failed the way the web fails."""

from __future__ import annotations

from typing import Any

from scrapers.search._json import SearchFailed
from server.errors import ZmotError

__all__ = ["EXPECTED_FAILURES", "NO_MENTIONS", "Skipped", "SourceFailed"]

NO_MENTIONS = {"items": [], "sentiment": None}


class SourceFailed(Exception):
    """A plugin's part failed the expected way (a refusal, an unreadable site); its outcome says why."""


# Failures that are the web's, not zmot's: one line each, the traceback is of no use.
EXPECTED_FAILURES = (ZmotError, SearchFailed, SourceFailed, OSError)


class Skipped(Exception):
    """A part that has nothing to do, with the data it publishes and the reason why."""

    def __init__(self, reason: str, data: Any = None) -> None:
        super().__init__(reason)
        self.data = data
