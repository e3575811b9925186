"""Added latency for the local web: how far away each pretend website is."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["BENCH_LATENCY", "Latency"]

Latency = Mapping[str, float]
"""Host name → seconds added before each of its answers (robots.txt included)."""

# The bench's profile: every search, blog, forum, news, video and shop host 80–250 ms away, fixed (no jitter)
# so that two bench runs measure the same critical path. Hosts left out (faults.test, …) answer at once.
BENCH_LATENCY: Latency = {
    # search providers
    "search.test": 0.20,
    "search-hangs.test": 0.20,
    "search-fails.test": 0.20,
    "hn.algolia.test": 0.15,
    "reddit.test": 0.22,
    # pages that mention the products
    "audioblog.test": 0.12,
    "dealsdaily.test": 0.09,
    "headfi-forum.test": 0.18,
    "technews.test": 0.10,
    "videos.test": 0.14,
    "caffeblog.test": 0.16,
    "offertecaffe.test": 0.11,
    "slowreviews.test": 0.25,
    "brokenreviews.test": 0.08,
    # shops
    "shop-us.test": 0.10,
    "shop-it.test": 0.13,
    "shop-b.test": 0.08,
    "shop-c.test": 0.17,
    "shop-d.test": 0.21,
    "shop-e.test": 0.12,
    "negozio-b.test": 0.19,
}
