"""Flask-Babel looking up the request's message catalogue once, not once per message."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from flask_babel import Babel, Domain, _get_current_context


class RequestCachedDomain(Domain):
    """Keeps the catalogue in the slot of the request's Babel context that Flask-Babel's own
    ``refresh()`` and ``force_locale()`` reset, so a change of language is still seen."""

    def get_translations(self) -> Any:
        ctx = _get_current_context()
        if ctx is None:
            return super().get_translations()
        translations = getattr(ctx, "babel_translations", None)
        if translations is None:
            translations = ctx.babel_translations = super().get_translations()
        return translations


class RequestCachedBabel(Babel):
    """Babel whose default domain is a ``RequestCachedDomain``."""

    @cached_property
    def domain_instance(self) -> Domain:
        return RequestCachedDomain(domain=self.domain)
