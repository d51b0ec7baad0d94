"""The fields of the composer's proposal forms, written once for all proposals: each proposal
has a form of a dozen fields, most of them alike in every proposal but for the form's prefix,
and writing a field (mestring.core.form_markup) was the largest part of the composer's page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from mestring.core.form_markup import SKIPPED_TYPES, field_markup


def proposal_form_rows(forms: Sequence[Any]) -> list[Markup]:
    """The rows of each form as ``forms.form_rows`` writes them: the first a ProposalForm,
    the others ProposalForms or ProposalDetailsForms, differing in their prefix (``p1-``,
    ``p2-``…), none of them submitted. A field a form lacks is the first form's.

    A field that a form lacks, or that has the same data and choices as in the first form and
    no errors in either, is the first form's markup of it with the prefix changed. In that
    markup a double quote only ever delimits an attribute (text is escaped), so ``"p1-``
    begins exactly the field's id, name and the references to them; a field whose data begins
    with the prefix is written anew."""
    if not forms:
        return []
    first = forms[0]
    # As text: Markup's own `replace` would escape the quotes it is given.
    written = {
        field.short_name: str(field_markup(field))
        for field in first
        if field.type not in SKIPPED_TYPES
    }
    result = [Markup("".join(f"\n{markup}" for markup in written.values()))]  # noqa: S704
    for form in forms[1:]:
        prefix = _prefix(next(iter(form)))
        rows = []
        for name, text in written.items():
            model = first[name]
            field = form._fields.get(name)
            if field is None or (
                _alike(field, model) and not str(field.data).startswith(_prefix(model))
            ):
                rows.append("\n" + text.replace('"' + _prefix(model), '"' + prefix))
            else:
                rows.append(f"\n{field_markup(field)}")
        result.append(Markup("".join(rows)))  # noqa: S704 (each row is markup)
    return result


def _prefix(field: Any) -> str:
    return str(field.name[: len(field.name) - len(field.short_name)])


def _alike(field: Any, model: Any) -> bool:
    """Whether the field's markup is the model's but for their forms' prefixes."""
    return bool(
        field.data == model.data
        and field.raw_data == model.raw_data
        and not field.errors
        and not model.errors
        and getattr(field, "choices", None) == getattr(model, "choices", None)
    )
