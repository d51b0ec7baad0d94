"""The consent withdrawal form: a confirmed POST with nothing to fill in."""

from __future__ import annotations

from mestring.core.forms import BaseForm


class WithdrawConsentForm(BaseForm):
    """Only the CSRF token: the page asks for confirmation before the form is sent."""
