"""Pages the server cannot read but the shopper can: a refusal (401/403), a bot check (captcha,
challenge page) or a redirect to a sign-in page. The watch then says "blocked", and the shopper should
open the page: a briefing from their browser is a check that works."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers.base import FetchResponse

__all__ = ["blocked_reason", "looks_like_bot_check"]

# Words that bot-check and challenge pages carry and product pages do not (Amazon, Cloudflare, DataDome,
# PerimeterX, reCAPTCHA, hCaptcha, Akamai), in lower case.
_BOT_CHECK = re.compile(
    r"captcha|validatecaptcha|cf-chl|challenge-platform|are you a robot|robot check|unusual traffic"
    r"|verify you are human|px-captcha|datadome|access denied|just a moment\.\.\."
)
_SIGN_IN = re.compile(
    r"(^|/)(login|log-in|signin|sign-in|sign_in|ap/signin|account/login|accedi|connexion)(/|$|\.)"
)
_REFUSED = {401: "the site asks for a login (HTTP 401)", 403: "the site refused zmot (HTTP 403)"}


def looks_like_bot_check(html: str) -> bool:
    """Whether a page that is no product page is a bot check or challenge (its first 64 KB decide)."""
    return _BOT_CHECK.search(html[:65536].lower()) is not None


def blocked_reason(url: str, response: FetchResponse) -> str | None:
    """Why the server cannot read the watched page at `url` from this response, or None if it can try."""
    if response.status in _REFUSED:
        return _REFUSED[response.status]
    if response.status in (429, 503) and looks_like_bot_check(response.text):
        return f"the site showed a bot check (HTTP {response.status})"
    final, asked = urlsplit(response.url), urlsplit(url)
    if (final.path, final.netloc) != (asked.path, asked.netloc) and _SIGN_IN.search(final.path.lower()):
        return "the site sent zmot to its sign-in page"
    return None
