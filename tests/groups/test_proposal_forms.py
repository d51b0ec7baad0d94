"""The composer's proposal forms, written together, are what `forms.form_rows` writes of each."""

from __future__ import annotations

from typing import Any

from flask import Flask

from mestring.core.form_markup import field_markup, form_rows_markup
from mestring.groups import proposal_forms as proposal_forms_module
from mestring.groups.forms import ProposalDetailsForm, ProposalForm, choices
from mestring.groups.proposal_forms import proposal_form_rows

HOSTILE = '"><script>alert(1)</script>&'


def proposal_forms(data: list[dict[str, Any]], **shared: Any) -> list[ProposalForm]:
    terms = choices([(1, "Spring"), (2, f"p2-{HOSTILE}")])
    templates = choices([(5, 'Standard "p1-"')])
    venues = choices([(7, "Room & hall"), (8, '"p1-venue')])
    return [
        ProposalForm(
            terms=terms,
            templates=templates,
            venues=venues,
            waitlist=[(10 + number, f"Ada {number}"), (20, HOSTILE)],
            formdata=None,
            prefix=f"p{number}",
            data={"term_id": 1, "template_id": 5, **shared, **fields},
        )
        for number, fields in enumerate(data, start=1)
    ]


def test_forms_written_together_are_the_forms_rows(app: Flask) -> None:
    with app.test_request_context("/"):
        forms = proposal_forms(
            [
                {"name": "8–10 år, gruppe 1", "age_min": 8, "age_max": 10, "referrals": [11]},
                {"name": HOSTILE, "age_min": 8, "age_max": 10, "referrals": [12, 20]},
                # Other choices and data than the first form's: written anew.
                {"name": "p1-", "term_id": 2, "age_min": 11, "age_max": 13, "capacity": 6},
                {"name": "", "video_link": "p4-https://", "new_venue_name": "p1-x"},
            ]
        )
        forms[3].venue_id.choices = forms[3].venue_id.choices[:2]
        assert proposal_form_rows(forms) == [form_rows_markup(form) for form in forms]
    assert proposal_form_rows([]) == []


def test_data_with_the_first_forms_prefix_is_written_anew(app: Flask) -> None:
    with app.test_request_context("/"):
        forms = proposal_forms([{}, {}], new_venue_name="p1-room", video_link='"p1-')
        written = proposal_form_rows(forms)
        assert written == [form_rows_markup(form) for form in forms]
    assert 'value="p1-room"' in written[1]
    assert 'id="p2-new_venue_name"' in written[1]


def test_fields_alike_are_written_once(app: Flask, monkeypatch: Any) -> None:
    written: list[str] = []

    def counted(field: Any, *args: Any) -> Any:
        written.append(field.name)
        return field_markup(field, *args)

    monkeypatch.setattr(proposal_forms_module, "field_markup", counted)
    with app.test_request_context("/"):
        forms = proposal_forms(
            [{"name": "Gruppe 1", "referrals": [11]}, {"name": "Gruppe 2", "referrals": [12]}]
        )
        assert proposal_form_rows(forms) == [form_rows_markup(form) for form in forms]
    assert [name for name in written if name.startswith("p2-")] == ["p2-name", "p2-referrals"]


def test_details_forms_are_written_as_whole_forms(app: Flask) -> None:
    data = [
        {"name": "Gruppe 1", "referrals": [11]},
        {"name": HOSTILE, "age_min": 11, "age_max": 13, "referrals": [12, 20]},
        {"name": "p1-", "referrals": []},
    ]
    with app.test_request_context("/"):
        whole = proposal_forms(data)
        details = [
            ProposalDetailsForm(
                waitlist=[(10 + number, f"Ada {number}"), (20, HOSTILE)],
                formdata=None,
                prefix=f"p{number}",
                data={"term_id": 1, "template_id": 5, **fields},
            )
            for number, fields in enumerate(data, start=1)
        ]
        written = proposal_form_rows([whole[0], *details[1:]])
        assert written == [form_rows_markup(form) for form in whole]
        assert [form.hidden_tag() for form in details] == [form.hidden_tag() for form in whole]
