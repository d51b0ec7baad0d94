"""Small numbers are suppressed so that no figure points to a few identifiable children."""

from __future__ import annotations

MIN_PUPILS = 5


def is_suppressed(pupils: int) -> bool:
    """A figure describing 1–4 pupils is withheld (none at all reveals no one)."""
    return 0 < pupils < MIN_PUPILS
