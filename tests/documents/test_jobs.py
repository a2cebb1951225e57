"""The job life cycle: request, claim, render once, retry, fail, outbox."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog
from bwise.core.errors import DomainError
from bwise.documents import services, tasks
from bwise.documents.models import DocumentJob, JobStatus
from tests.documents_helpers import CLOSED_BROKER, broker, pdf_text
from tests.factories import UserFactory, WorkerFactory
from tests.factories_documents import DocumentJobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Ilse", last_name="Maes")


def test_a_request_queues_a_job_logs_the_print_and_sends_it_after_commit(
    worker, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.document_request(kind="worker_sheet", record=worker, by=coach)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.organisation, job.record_id) == (JobStatus.QUEUED, coach.organisation, worker.pk)
    assert job.dispatched_at is not None
    assert AccessLog.objects.filter(user=coach, action="print", record_id=str(worker.pk)).exists()


def test_nothing_is_sent_before_the_transaction_commits(worker, coach, django_capture_on_commit_callbacks):
    with mock.patch("bwise.documents.services.publish") as publish:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.document_request(kind="worker_sheet", record=worker, by=coach)
        assert not publish.called
        callbacks[0]()
    assert publish.called


def test_asking_twice_while_under_way_joins_the_same_job(worker, coach):
    first = services.document_request(kind="worker_sheet", record=worker, by=coach, language="en")
    second = services.document_request(kind="worker_sheet", record=worker, by=coach, language="en")
    assert first.pk == second.pk
    assert DocumentJob.objects.count() == 1


@pytest.mark.parametrize("who", ["other_coach", "supervisor", "foreign_hr", "directie"])
def test_nobody_prints_a_record_they_cannot_read(worker, make_user, other_organisation, who):
    user = {
        "other_coach": lambda: make_user(Role.COACH),
        "supervisor": lambda: make_user(Role.BEGELEIDER),
        "foreign_hr": lambda: UserFactory(organisation=other_organisation, roles=[Role.HR]),
        "directie": lambda: make_user(Role.DIRECTIE),  # reads workers but may not print
    }[who]()
    with pytest.raises(DomainError):
        services.document_request(kind="worker_sheet", record=worker, by=user)
    assert not DocumentJob.objects.exists()


def test_an_unknown_kind_is_refused(worker, coach):
    with pytest.raises(DomainError):
        services.document_request(kind="no_such_document", record=worker, by=coach)


def test_the_task_renders_the_document_into_private_storage(worker, coach, settings, tmp_path):
    job = DocumentJobFactory(worker=worker)
    assert tasks.render_document.apply(args=(job.pk,)).get() == job.pk
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.finished_at
    assert job.file.path.startswith(str(tmp_path / "private"))
    assert "Ilse Maes" in pdf_text(job.file.read())


def test_a_second_delivery_renders_nothing_twice(worker):
    job = DocumentJobFactory(worker=worker)
    with mock.patch("bwise.documents.services.render_pdf", wraps=services.render_pdf) as render:
        tasks.render_document.apply(args=(job.pk,))
        tasks.render_document.apply(args=(job.pk,))
    assert render.call_count == 1
    job.refresh_from_db()
    assert job.attempts == 1
    assert len(list((job.file.storage.listdir(f"documents/{job.organisation_id}"))[1])) == 1


def test_a_job_left_running_by_a_crashed_worker_is_taken_over_once_after_its_lease(worker):
    job = DocumentJobFactory(worker=worker)
    services.claim(DocumentJob, job.pk)  # the worker that crashed right after claiming
    tasks.render_document.apply(args=(job.pk,))  # redelivered at once: the lease still holds
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=11))
    tasks.render_document.apply(args=(job.pk,))
    tasks.render_document.apply(args=(job.pk,))
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert len(job.file.storage.listdir(f"documents/{job.organisation_id}")[1]) == 1


def test_a_late_writer_that_lost_its_lease_cannot_overwrite_the_outcome(worker):
    job = DocumentJobFactory(worker=worker)
    stale = services.claim(DocumentJob, job.pk)
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=11))
    services.document_render(job_pk=job.pk)
    assert services._finish(stale, status=JobStatus.FAILED) is False
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_failing_render_is_retried_then_marked_failed(worker):
    job = DocumentJobFactory(worker=worker)
    with mock.patch("bwise.documents.services.render_pdf", side_effect=OSError("pango crashed")):
        with pytest.raises(OSError):
            services.document_render(job_pk=job.pk, final=False)
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED  # back in the queue for Celery's retry
        with pytest.raises(OSError):
            services.document_render(job_pk=job.pk, final=True)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert "pango crashed" in job.error


def test_the_task_retries_with_backoff_and_gives_up_after_its_last_attempt(worker, settings):
    job = DocumentJobFactory(worker=worker)
    with mock.patch("bwise.documents.services.render_pdf", side_effect=OSError("boom")):
        result = tasks.render_document.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == tasks.render_document.max_retries + 1
    assert result.successful()


def test_a_failed_job_can_be_retried(worker, coach):
    job = DocumentJobFactory(worker=worker, status=JobStatus.FAILED, error="x")
    services.document_retry(job=job, by=coach)
    tasks.render_document.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.error == ""


def test_only_a_failed_job_is_retried(worker, coach):
    with pytest.raises(DomainError):
        services.document_retry(job=DocumentJobFactory(worker=worker), by=coach)


def test_a_record_no_longer_readable_by_the_requester_is_not_rendered(worker, make_user):
    job = DocumentJobFactory(worker=worker)
    worker.coach = make_user(Role.COACH)
    worker.save()
    services.document_render(job_pk=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file


def test_with_the_broker_down_the_job_waits_in_the_outbox_until_the_sweep(
    worker, coach, django_capture_on_commit_callbacks
):
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        job = services.document_request(kind="worker_sheet", record=worker, by=coach)
        assert services.dispatch_pending() == 0
    job.refresh_from_db()
    assert job.dispatched_at is None
    assert list(DocumentJob.objects.undispatched()) == [job]
    assert services.dispatch_pending() == 1  # the in-memory broker of the tests is up
    job.refresh_from_db()
    assert job.dispatched_at is not None
    assert services.dispatch_pending() == 0


def test_the_sweep_resends_stale_and_crashed_jobs_only(worker):
    now = timezone.now()
    fresh = DocumentJobFactory(worker=worker, dispatched_at=now)
    lost = DocumentJobFactory(worker=WorkerFactory(), dispatched_at=now - timedelta(hours=1))
    crashed = DocumentJobFactory(
        worker=WorkerFactory(), status=JobStatus.RUNNING, heartbeat_at=now - timedelta(hours=1)
    )
    DocumentJobFactory(worker=WorkerFactory(), status=JobStatus.DONE, dispatched_at=None)
    with mock.patch("bwise.documents.tasks.render_document.apply_async") as send:
        assert services.dispatch_pending() == 2
    assert sorted(call.args[0][0] for call in send.call_args_list) == sorted([lost.pk, crashed.pk])
    assert fresh.pk not in [call.args[0][0] for call in send.call_args_list]
    # Single documents go to the queue their own worker serves, never behind bulk prints.
    assert {call.kwargs["queue"] for call in send.call_args_list} == {"print"}


def test_old_documents_are_purged_with_their_files(worker, settings):
    settings.DOCUMENT_RETENTION_DAYS = 30
    old = DocumentJobFactory(worker=worker)
    tasks.render_document.apply(args=(old.pk,))
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    DocumentJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = DocumentJobFactory(worker=WorkerFactory(), status=JobStatus.DONE)
    waiting = DocumentJobFactory(worker=WorkerFactory())
    DocumentJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert tasks.purge_documents.apply().get() == 1
    assert not storage.exists(name)
    assert set(DocumentJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


@pytest.mark.parametrize("language", ["en", "nl-be"])
def test_the_document_is_made_in_the_readers_language(worker, coach, language):
    from django.utils import translation

    from bwise.documents import registry
    from bwise.documents.rendering import render_html

    with translation.override(language):
        job = services.document_request(kind="worker_sheet", record=worker, by=coach)
    assert job.language == language
    with translation.override("en" if language != "en" else "nl-be"):
        html = render_html(
            registry.get_kind("worker_sheet"), worker, organisation=job.organisation, language=job.language
        )
    assert f'<html lang="{language}">' in html


def test_retrying_while_the_same_document_is_under_way_is_refused(worker, coach):
    failed = DocumentJobFactory(worker=worker, status=JobStatus.FAILED)
    DocumentJobFactory(worker=worker)  # asked again in the meantime
    with pytest.raises(DomainError):
        services.document_retry(job=failed, by=coach)
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED
