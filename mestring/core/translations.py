"""Flask-Babel looking up the request's message catalogue and locale once, not once per message
or per formatted date. The code translates with this module's ``gettext``, ``ngettext`` and
``lazy_gettext``: Flask-Babel's own look the catalogue up again for every message."""

from __future__ import annotations

from functools import cached_property, lru_cache
from types import SimpleNamespace
from typing import Any

from babel import Locale
from flask import Flask, g
from flask_babel import Babel, Domain, get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


def babel_context() -> SimpleNamespace | None:
    """Flask-Babel's slot for the current application context (where it keeps the locale and
    the catalogue), as its own ``_get_current_context`` finds it, with one lookup of ``g``
    instead of three: templates translate and format dozens of times a page."""
    try:
        app_globals = g._get_current_object()
    except RuntimeError:  # outside an application context
        return None
    try:
        context: SimpleNamespace = app_globals._flask_babel
    except AttributeError:
        context = app_globals._flask_babel = SimpleNamespace()
    return context


def current_locale() -> Locale | None:
    """``flask_babel.get_locale()``: the request's locale, None outside a request."""
    context = babel_context()
    if context is None:
        return None
    locale: Locale | None = getattr(context, "babel_locale", None)
    return locale if locale is not None else get_locale()


def catalogue() -> Any:
    """``flask_babel.get_translations()``: the request's message catalogue, found once."""
    context = babel_context()
    translations = getattr(context, "babel_translations", None)
    return translations if translations is not None else get_translations()


def gettext(message: str, **variables: Any) -> str:
    """``flask_babel.gettext`` from the request's catalogue (`catalogue`)."""
    text: str = catalogue().ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """``flask_babel.ngettext`` from the request's catalogue: ``num`` is among the values."""
    variables.setdefault("num", num)
    text: str = catalogue().ungettext(singular, plural, num)
    return text % variables


def lazy_gettext(message: str, **variables: Any) -> LazyString:
    """``flask_babel.lazy_gettext``: translated by `gettext` when it is read."""
    return LazyString(gettext, message, **variables)


class RequestCachedDomain(Domain):
    """Keeps the catalogue in the slot of the request's Babel context that Flask-Babel's own
    ``refresh()`` and ``force_locale()`` reset, so a change of language is still seen."""

    def get_translations(self) -> Any:
        context = babel_context()
        if context is None:
            return super().get_translations()
        translations = getattr(context, "babel_translations", None)
        if translations is None:
            translations = context.babel_translations = super().get_translations()
        return translations


class RequestCachedBabel(Babel):
    """Babel whose default domain is a ``RequestCachedDomain``, which templates also translate
    with directly (Flask-Babel's own callables look the domain up again for every message)."""

    @cached_property
    def domain_instance(self) -> Domain:
        return RequestCachedDomain(domain=self.domain)

    def init_app(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        super().init_app(app, *args, **kwargs)
        if not self._configure_jinja:
            return
        app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lambda s: self._translations().ugettext(s),
            ngettext=lambda s, p, n: self._translations().ungettext(s, p, n),
            newstyle=True,
            pgettext=lambda c, s: self._translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: self._translations().unpgettext(c, s, p, n),
        )
        app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = self._template_gettext

    def _translations(self) -> Any:
        return self.domain_instance.get_translations()

    @pass_eval_context
    def _template_gettext(self, eval_ctx: EvalContext, message: str, **variables: Any) -> str:
        """Jinja's new-style ``_()`` in one call rather than three (``_`` → ``gettext`` →
        the catalogue), a text without variables translated once per catalogue. It takes the
        evaluation context, not the template's: Jinja copies a template's whole context for
        each call of a function that takes it inside a block that sets variables."""
        autoescape = eval_ctx.autoescape
        if not variables:
            return _constant_text(self._translations(), message, autoescape)
        text = self._translations().ugettext(message)
        return (Markup(text) if autoescape else text) % variables  # noqa: S704 (our catalogue)


@lru_cache(maxsize=4096)
def _constant_text(translations: Any, message: str, autoescape: bool) -> str:
    """A template's text without variables, as Jinja's new style gives it: formatted with no
    values (so "%%" reads "%"), and markup-safe where the template escapes."""
    text = translations.ugettext(message)
    return (Markup(text) if autoescape else text) % {}  # noqa: S704 (our catalogue)
