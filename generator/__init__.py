"""marketnews: an automated crypto market-news desk that proves every number it prints."""

__version__ = "0.1.0"
