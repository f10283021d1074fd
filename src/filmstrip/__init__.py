"""Filmstrip: self-hosted publishing for photo essays."""

__version__ = "0.1.0"
