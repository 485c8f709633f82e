"""Kamtibmas: an election-night command game on arcade 3 and pymunk."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kamtibmas")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
