"""The menu marks the item a page belongs to."""

from __future__ import annotations

import pytest

from mestring.templating import active_url

URLS = ["/", "/referrals/", "/groups/", "/calendar/week", "/outcomes/measurements", "/outcomes/"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/"),
        ("/referrals/12/edit", "/referrals/"),
        ("/groups/5/plan", "/groups/"),
        ("/groups/composer", "/groups/"),
        ("/outcomes/measurements", "/outcomes/measurements"),
        ("/outcomes/export.csv", "/outcomes/"),
        ("/calendar/month", "/calendar/week"),
        ("/account", None),
    ],
)
def test_the_page_lights_its_own_menu_item(path: str, expected: str | None) -> None:
    assert active_url(path, URLS) == expected
