"""Two browsers editing the same worker at once (``bwise.core.versioning``)."""

import pytest

from bwise.accounts.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.versioning_helpers import stale_message
from trajects.models import Worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "secret-password-1")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _save(page):
    page.locator("main form input[type=submit]").click()
    page.wait_for_load_state()


def test_a_coach_and_hr_edit_the_same_worker_in_two_browsers(browser, live_server, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    UserFactory(username="hr", organisation=organisation, roles=[Role.HR])
    worker = WorkerFactory(organisation=organisation, coach=coach, phone="0470 11 22 33", team="Hout")
    url = f"/workers/{worker.pk}/edit/"
    hr_context, hr_page = _signed_in(browser, live_server, "hr")
    coach_context, coach_page = _signed_in(browser, live_server, "coach")
    try:
        hr_page.goto(url)
        coach_page.goto(url)
        hr_page.fill("input[name=phone]", "0499 12 34 56")
        coach_page.fill("input[name=team]", "Metaal")

        _save(hr_page)
        assert "/edit/" not in hr_page.url
        _save(coach_page)
        assert "/edit/" in coach_page.url, "the stale save comes back to the form"
        alert = coach_page.locator("main .alert").first.inner_text()
        assert stale_message() in alert and "0499 12 34 56" in alert
        assert coach_page.input_value("input[name=team]") == "Metaal", "what the coach typed stays"
        assert coach_page.input_value("input[name=phone]") == "0499 12 34 56", "HR's change is taken over"
        worker.refresh_from_db()
        assert (worker.phone, worker.team) == ("0499 12 34 56", "Hout")

        _save(coach_page)
        assert "/edit/" not in coach_page.url
        stored = Worker.objects.get(pk=worker.pk)
        assert (stored.phone, stored.team) == ("0499 12 34 56", "Metaal")
    finally:
        hr_context.close()
        coach_context.close()
