"""The local web: one loopback server that plays every website the tests need (see DESIGN.md, README.md)."""

from tests.localweb.latency import BENCH_LATENCY
from tests.localweb.web import DEFAULT_ROOT, LocalWeb

__all__ = ["BENCH_LATENCY", "DEFAULT_ROOT", "LocalWeb"]
