"""Site plugins: one module per shop, each a PageScraper that refines the generic schema.org result."""
