"""Redis stopped during a browser session: pages answer, a form saves, a document request
reports a delay, and once Redis is back the document is made and offered without a reload."""

import time

import pytest

from bwise.documents import services
from bwise.documents.models import DocumentJob, JobStatus
from tests.documents.test_celery import start_worker, wait_for, worker_process  # noqa: F401 - fixtures
from tests.documents_helpers import CLOSED_BROKER, broker
from tests.factories import WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_broker_stops_and_comes_back_during_a_session(page, login, coach, settings, worker_process):  # noqa: F811
    worker = WorkerFactory(
        organisation=coach.organisation, coach=coach, first_name="Noor", last_name="Verbeke"
    )
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    with broker(CLOSED_BROKER):
        login(coach.username)
        started = time.monotonic()
        page.goto("/workers/")
        assert page.get_by_role("link", name="Noor Verbeke").is_visible()
        page.get_by_role("link", name="Noor Verbeke").click()
        page.wait_for_load_state()
        assert time.monotonic() - started < 6  # two pages, each well under the 3 s budget

        # A form saves while the broker is down.
        page.get_by_role("link", name="Bewerken").first.click()
        page.fill("input[name=team]", "Groendienst Oost")
        page.locator("main form [type=submit]").last.click()
        page.wait_for_load_state()
        worker.refresh_from_db()
        assert worker.team == "Groendienst Oost"

        # A document request answers at once and says that generation is delayed.
        page.goto(f"/workers/{worker.pk}/")
        page.get_by_role("button", name="Overzichtsfiche afdrukken").click()
        page.get_by_text("Het maken loopt vertraging op").wait_for(timeout=3_000)
        job = DocumentJob.objects.get(requested_by=coach)
        assert (job.status, job.dispatched_at) == (JobStatus.QUEUED, None)

    # The broker is back: the beat's sweep sends what waited; the open page shows the link.
    settings.CELERY_BROKER_URL = "redis://restored"  # only read by the health page
    assert services.dispatch_pending() == 1
    assert wait_for(job).status == JobStatus.DONE
    page.get_by_role("link", name="Downloaden").wait_for(timeout=15_000)
