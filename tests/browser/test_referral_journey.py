"""Journey 1: a school refers a pupil with consent; the coordinator asks, the school answers,
the coordinator accepts. Every page on the way is checked with axe."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.text import nb

PUPIL = "Tiril Testesen"


def fill_referral(page: Page) -> None:
    page.get_by_label("Fornavn").fill("Tiril")
    page.get_by_label("Etternavn").fill("Testesen")
    page.get_by_label("Fødselsdato").fill("2016-04-12")
    page.get_by_label("Trinn").fill("5")
    page.locator("#guardians-0-name").fill("Siri Testesen")
    page.locator("#guardians-0-phone").fill("+47 900 11 222")
    page.get_by_label("Fravær på 10 % eller mer").check()
    page.get_by_label("Beskriv bekymringen").fill("Mye fravær etter høstferien, vondt i magen.")
    page.get_by_label("Skoledager i perioden").fill("60")
    page.get_by_label(nb("Whole days absent, documented (L)")).fill("5")
    page.get_by_label(nb("Whole days absent, undocumented (U)")).fill("3")
    page.get_by_label("Undervisningstimer i perioden").fill("300")


def open_referral(page: Page) -> None:
    page.goto("/referrals/?status=")
    page.get_by_role("link", name=PUPIL).first.click()


def test_a_referral_goes_from_school_to_waitlist(new_page: Any) -> None:
    school = new_page()
    sign_in(school, "skole.bestum@demo.no")
    assert_accessible(school)

    school.get_by_role("link", name="Ny henvisning").first.click()
    assert_accessible(school)
    school.get_by_role("button", name="Lagre").click()  # empty form: errors, nothing saved
    expect(school.locator(".mestring-error-summary")).to_be_visible()
    assert_accessible(school)

    fill_referral(school)
    school.get_by_role("button", name="Lagre").click()
    expect(school.get_by_text("Henvisningen er lagret som utkast.")).to_be_visible()
    assert_accessible(school)

    school.get_by_text("Registrer samtykke", exact=True).first.click()
    school.get_by_label("Dato").fill("2026-11-16")
    school.get_by_label("Signert skjema").check()
    school.get_by_role("button", name="Registrer samtykke").click()
    expect(school.get_by_text("Samtykket er registrert.")).to_be_visible()
    school.get_by_role("button", name="Send inn til bydelen").click()
    expect(school.locator(".mestring-status[data-status=submitted]").first).to_be_visible()

    coordinator = new_page()
    sign_in(coordinator, "koordinator@demo.no")
    expect(coordinator.get_by_role("link", name=PUPIL)).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name=PUPIL).click()
    assert_accessible(coordinator)
    coordinator.get_by_label("Spørsmål").fill("Hvor mange timer fravær har hun i november?")
    coordinator.get_by_role("button", name="Be skolen om mer informasjon").click()
    expect(coordinator.locator(".mestring-status[data-status=needs_info]").first).to_be_visible()

    open_referral(school)
    question = school.get_by_role("status").get_by_text("Hvor mange timer fravær har hun")
    expect(question).to_be_visible()  # the question stands out above the page
    school.get_by_label("Ditt svar").fill("Åtte timer i november.")
    school.get_by_role("button", name="Send inn til bydelen").click()
    expect(school.locator(".mestring-status[data-status=submitted]").first).to_be_visible()

    coordinator.reload()
    coordinator.get_by_role("button", name="Godta (venteliste)").click()
    expect(coordinator.locator(".mestring-status[data-status=accepted]").first).to_be_visible()
    history = coordinator.get_by_role("list", name="Historikk")
    expect(history.get_by_text("Åtte timer i november.")).to_be_visible()
