"""The host's mentor fills in attendance through the link, without an account; the coach sees it."""

import datetime

import pytest

from bwise.accounts.models import Role
from partners.models import Attendance
from tests.factories import UserFactory
from tests.factories_partners import StageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentor_link_from_coach_to_host_and_back(page, login, organisation, browser, live_server):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    today = datetime.date.today()
    stage = StageFactory(
        worker__organisation=organisation,
        worker__coach=coach,
        worker__first_name="Nora",
        worker__last_name="Achternaam",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=3),
    )
    login("coach")
    page.goto(f"/partners/stages/{stage.pk}/")
    page.locator(f"form[action='/partners/stages/{stage.pk}/mentor-link/'] button").click()
    page.wait_for_load_state()
    mentor_url = page.locator("#mentor-url").inner_text().strip()
    assert "/partners/mentor/" in mentor_url

    mentor = browser.new_context(locale="nl-BE").new_page()
    mentor.goto(mentor_url)
    assert "Nora" in mentor.locator("h1").inner_text()
    assert "Achternaam" not in mentor.content()
    mentor.fill("#attendance-form input[name=day]", today.isoformat())
    mentor.select_option("#attendance-form select[name=status]", "absent_reported")
    mentor.fill("#attendance-form input[name=absence_reason]", "Tandarts")
    mentor.locator("#attendance-form [type=submit]").click()
    mentor.wait_for_load_state()
    assert "Tandarts" in mentor.locator("#attendance").inner_text()
    assert Attendance.objects.get().entered_via_id == stage.mentor_link.pk

    page.reload()
    row = page.locator("#attendance tbody tr", has_text="Tandarts")
    assert row.count() == 1

    page.locator(f"form[action='/partners/stages/{stage.pk}/mentor-link/revoke/'] button").click()
    page.wait_for_load_state()
    assert mentor.goto(mentor_url).status == 404
    mentor.context.close()
