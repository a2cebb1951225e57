import pytest

from bwise.accounts.models import Role
from tests.factories import UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_sees_caseload_in_dutch_and_switches_to_english(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    WorkerFactory(organisation=organisation, coach=coach, first_name="Lieve", last_name="Verstraete")
    WorkerFactory(organisation=organisation, first_name="Niet", last_name="Mijnwerker")

    login("coach")

    assert page.locator("h1").inner_text() == "Caseload"
    assert page.get_by_text("Lieve Verstraete").is_visible()
    assert page.get_by_text("Mijnwerker").count() == 0
    assert page.locator("html").get_attribute("lang") == "nl-be"
    # Language and logout sit in the user menu.
    page.locator("#usermenu").click()
    assert page.get_by_role("button", name="Afmelden").is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#usermenu").click()
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.get_by_text("Lieve Verstraete").is_visible()
