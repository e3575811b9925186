"""Prometheus metrics for /metrics: requests, briefings, and what the fetcher did."""

from __future__ import annotations

from collections import Counter as _Tally
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _FetchCollector:
    """Reads the fetcher's outcome tally at scrape time, so the fetcher needs no metrics code."""

    def __init__(self, tally: Callable[[], _Tally[str]]) -> None:
        self._tally = tally

    def collect(self):
        family = CounterMetricFamily("zmot_fetches", "Outgoing requests by outcome", labels=["outcome"])
        for outcome, count in sorted(self._tally().items()):
            family.add_metric([outcome], count)
        yield family


class Metrics:
    """One registry per app, so tests and several apps in one process do not share counts."""

    def __init__(self, fetch_tally: Callable[[], _Tally[str]]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "zmot_http_requests",
            "HTTP requests served",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.briefings = Counter(
            "zmot_briefings", "Briefings answered, by how they ended", ["status"], registry=self.registry
        )
        self.briefing_seconds = Histogram(
            "zmot_briefing_seconds",
            "Time from request to a finished briefing",
            buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10),
            registry=self.registry,
        )
        self.registry.register(_FetchCollector(fetch_tally))

    def render(self) -> bytes:
        return generate_latest(self.registry)
