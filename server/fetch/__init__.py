"""The guarded fetcher: every outgoing request of zmot goes through `Fetcher.fetch`.

`check_url` and `is_blocked_ip` are the guard's decisions on their own (no network), for code that
wants to refuse a URL early, such as the HTTP API validating a briefing request.
"""

from server.fetch.fetcher import Fetcher, default_user_agent
from server.fetch.guard import check_url, is_blocked_ip
from server.fetch.resolver import Lookup, system_lookup

__all__ = ["Fetcher", "Lookup", "check_url", "default_user_agent", "is_blocked_ip", "system_lookup"]
