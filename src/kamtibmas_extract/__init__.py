"""kamtibmas-extract: structured, validated facts from Indonesian police press releases."""

__version__ = "0.1.0"
