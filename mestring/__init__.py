"""Mestring: runs the Mestrende barn group programme of an Oslo district."""

from mestring.app import create_app

__all__ = ["create_app"]
