"""A coach shares a competency passport; an employer opens the link in a browser without an
account; the coach revokes it and the same link then refuses."""

import pytest

from bwise.accounts.models import Role
from tests.competenties.test_passport import closed_round_levels
from tests.factories import UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employer_opens_the_passport_until_the_coach_revokes_it(page, login, organisation, browser):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Lieve", last_name="Verstraete")
    shared, kept = closed_round_levels(worker, [("Samenwerken", 3), ("Stiptheid", 2)])

    login("coach")
    page.goto(f"/competencies/workers/{worker.pk}/passports/")
    page.fill("input[name=recipient]", "Colruyt magazijn")
    page.check(f"input[name=items][value='agreed_level:{shared.pk}']")
    page.fill("input[name=days]", "14")
    page.click("#passport-form button[type=submit]")
    link = page.locator("#passport-link").input_value()

    employer = browser.new_context(locale="nl-BE")
    try:
        anonymous = employer.new_page()
        anonymous.goto(link)
        text = anonymous.locator("main").inner_text()
        assert "Lieve Verstraete" in text and "Samenwerken" in text and "Stiptheid" not in text

        page.on("dialog", lambda dialog: dialog.accept())
        page.reload()
        assert "1 keer" in page.locator(".passport").first.inner_text()
        page.click(".passport form button[type=submit]")
        page.wait_for_selector(".passport .badge.text-bg-secondary")

        response = anonymous.goto(link)
        assert response.status == 410
        assert anonymous.locator("#passport-refused-reason").get_attribute("data-reason") == "revoked"
        assert "Samenwerken" not in anonymous.locator("main").inner_text()
    finally:
        employer.close()
