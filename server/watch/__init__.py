"""Watches that reach the shopper: the rules (`rules`), one check of a watch from the server or from a
briefing (`checks`), pages the server cannot read (`blocked`), the alerts kept and sent (`alerts`), whose
watch a request is about (`owner`) and the API's bodies (`requests`)."""

from server.watch.alerts import drain, owner_urls
from server.watch.checks import briefing_check, page_checked
from server.watch.owner import owner_of

__all__ = ["briefing_check", "drain", "owner_of", "owner_urls", "page_checked"]
