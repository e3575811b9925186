"""Beyond the page: what blogs and forums say, and what other sellers ask, found through search."""
