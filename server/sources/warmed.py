"""Importing this module readies a process for a briefing's CPU work (several seconds, once per process).

It loads the language model, the lexicons and the word dictionaries, imports every installed plugin (a
scrape sends the registry, whose plugins a new worker would otherwise import on the shopper's time), and
reads one small article, which sets up what the page reader builds on first use. The CPU pool's fork server
imports it before it forks any worker, so that each worker, the first ones and every one that replaces a
worker stopped at a deadline, starts ready instead of spending the shopper's CPU on it again.
"""

from __future__ import annotations

import gc
import logging

import extruct.w3cmicrodata  # noqa: F401  (the microdata reader, which scrapers import on first use)

from scrapers.registry import load_registry
from server.analysis.aspects import warm_up as warm_aspects
from server.analysis.sentiment import warm_up
from server.sources.identity import warm_up as warm_identity
from server.sources.pages import read_article

_SAMPLE = """<html lang="en"><head><title>Kettle review</title></head><body><article><h1>Kettle review</h1>
<p>The kettle boils a full litre in three minutes and the handle stays cool.</p>
<p>The lid is a little stiff when it is new, but it is quiet and easy to clean.</p></article></body></html>"""

try:
    warm_up()
    warm_aspects()  # the lemma dictionaries and stopword lists pros and cons read
    load_registry()
    # The dictionaries that tell ordinary words from model names, for the shoppers' languages; another
    # language's (1-2 s) loads in a worker on its first product.
    warm_identity(("en", "it", "fr"))
    read_article("https://warming-up.invalid/kettle-review", _SAMPLE)
except Exception:  # an importer that cannot get ready still works: it gets ready on first use instead
    logging.getLogger("zmot.workers").exception("could not get ready for briefings' CPU work")
# What warming made lives as long as the process: kept out of the garbage collector's full passes, which
# otherwise walk it again during every briefing (60-110 ms per 1,000 reviews, against 6-8 ms frozen).
gc.freeze()
