"""The coach records a stage's attendance on site without network, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from bwise.accounts.models import Role
from partners.models import Attendance
from tests.competenties.test_browser_offline import KEPT
from tests.factories import UserFactory
from tests.factories_partners import StageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attendance_written_offline_is_recorded_when_back_online(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    stage = StageFactory(worker__organisation=organisation, worker__coach=coach)
    login("coach")
    page.goto(f"/partners/stages/{stage.pk}/attendance/quick/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(KEPT)
    page.context.set_offline(True)
    page.fill("input[name=day]", stage.start_date.isoformat())
    page.select_option("select[name=status]", "absent_reported")
    page.fill("input[name=absence_reason]", "Trein afgeschaft")
    page.click("form.quick-attendance button[type=submit]")
    expect(page.locator("[data-waiting]")).to_have_text(re.compile(r"^1 "))
    page.reload()
    expect(page.locator("[data-waiting]")).to_have_text(re.compile(r"^1 "))
    page.context.set_offline(False)
    expect(page.locator("[data-waiting]")).to_be_hidden()
    record = Attendance.objects.get(stage=stage)
    assert (record.day, record.status, record.absence_reason) == (
        stage.start_date,
        "absent_reported",
        "Trein afgeschaft",
    )
