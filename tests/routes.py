"""The shape of the route access matrix: each domain lists its routes in tests/<domain>/routes.py.

An entry maps an endpoint to (method, URL built from the test world, statuses) with one status
per role in ROLES order. 302 for an anonymous visitor is the redirect to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import World

ROLES = ("anonymous", "school", "facilitator", "coordinator", "analyst", "admin")

Routes = dict[str, tuple[str, Callable[["World"], str], tuple[int, ...]]]
