"""The append-only log of who read or changed what."""
