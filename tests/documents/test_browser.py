import pytest

from bwise.accounts.models import Role
from bwise.documents import tasks
from bwise.documents.models import DocumentJob
from bwise.reminders.models import Reminder
from tests.documents_helpers import pdf_text
from tests.factories import UserFactory, WorkerFactory
from tests.factories_documents import ReminderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_printing_shows_progress_then_a_download_link_without_reloading(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Lieve", last_name="Verstraete")
    login("coach")
    page.goto(f"/workers/{worker.pk}/")
    page.get_by_role("button", name="Overzichtsfiche afdrukken").click()
    status = page.locator(".document-job-status")
    status.wait_for()
    assert "Downloaden" not in status.inner_text()
    url_before = page.url

    # The worker (here: the test) makes the document; the polling fragment picks it up.
    tasks.render_document.apply(args=(DocumentJob.objects.get().pk,))
    link = page.get_by_role("link", name="Downloaden")
    link.wait_for(timeout=10_000)
    assert page.url == url_before
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as handle:
        assert "Lieve Verstraete" in pdf_text(handle.read())


def test_the_menu_shows_unread_reminders_and_the_inbox_handles_them(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    ReminderFactory(recipient=coach, title="Stage evaluation due", url="/workers/")
    ReminderFactory(recipient=coach, title="Attendance list due", url="/workers/")
    login("coach")
    badge = page.locator("nav .badge")
    assert badge.inner_text() == "2"
    page.get_by_role("link", name="Herinneringen").click()
    page.get_by_text("Stage evaluation due").wait_for()
    page.get_by_role("row", name="Stage evaluation due").get_by_role("button", name="Afgewerkt").click()
    page.wait_for_load_state()
    assert page.get_by_text("Stage evaluation due").count() == 0
    page.get_by_role("row", name="Attendance list due").get_by_role(
        "button", name="7 dagen uitstellen"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text("Attendance list due").count() == 0
    assert page.locator("nav .badge").count() == 0
    assert Reminder.objects.filter(status="open", snoozed_until__isnull=False).count() == 1
