"""The local web: one loopback server that plays every website the tests need (see DESIGN.md)."""

from tests.localweb.web import DEFAULT_ROOT, LocalWeb

__all__ = ["DEFAULT_ROOT", "LocalWeb"]
