"""The gridpolicy version (part of every policy digest and compiled-cache key)."""

__version__ = "0.1.0"
