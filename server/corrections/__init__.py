"""The shopper's corrections over HTTP: validating what the extension posts, and the /v1/corrections
handlers. Applying them to a page is scrapers.corrections'; keeping them, the store's."""

from server.corrections.briefing import (
    corrections_digest,
    corrections_of_page,
    corrections_report,
    history_since_correction,
    with_corrections,
)
from server.corrections.requests import correction_json, for_page, parse_correction, site_of

__all__ = [
    "correction_json",
    "corrections_digest",
    "corrections_of_page",
    "corrections_report",
    "for_page",
    "history_since_correction",
    "parse_correction",
    "site_of",
    "with_corrections",
]
