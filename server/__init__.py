"""zmot's server: config, CLI, HTTP API, briefing pipeline, guarded fetcher, store, analysis."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zmot")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"

__all__ = ["__version__"]
