"""The composer's proposal forms share one set of choices, made once per request."""

from __future__ import annotations

from flask import Flask
from wtforms import SelectChoice

from mestring.groups.forms import ProposalForm, choices


def test_choices_made_already_are_used_as_they_are() -> None:
    made = choices([(3, "Vår 2027"), (2, "Høst 2026")])
    assert [(c.value, c.label) for c in made] == [("3", "Vår 2027"), ("2", "Høst 2026")]
    again = choices(made)
    assert again == made
    assert all(a is b for a, b in zip(again, made, strict=True))
    assert choices([SelectChoice("1", "One"), (2, "Two")])[1] == SelectChoice("2", "Two")


def test_proposal_forms_share_the_options_and_mark_their_own_selection(app: Flask) -> None:
    terms, templates = choices([(1, "Spring"), (2, "Autumn")]), choices([(5, "Standard")])
    venues = choices([(7, "Room & hall")])
    with app.test_request_context("/"):
        forms = [
            ProposalForm(
                terms=terms,
                templates=templates,
                venues=venues,
                waitlist=[(10, "Ada")],
                formdata=None,
                prefix=f"p{term}",
                data={"term_id": term},
            )
            for term in (1, 2)
        ]
        assert forms[0].term_id.choices[0] is forms[1].term_id.choices[0]
        assert '<option selected value="1">Spring</option>' in forms[0].term_id()
        assert '<option selected value="2">Autumn</option>' in forms[1].term_id()
        assert '<option value="1">Spring</option>' in forms[1].term_id()
        assert "Room &amp; hall" in forms[0].venue_id()
