"""Asking for a document in the browser's flow: status fragment, retry, download, bulk."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from bwise.accounts.models import Role
from bwise.documents import registry, tasks
from bwise.documents.models import BulkDocumentJob, DocumentJob, JobStatus
from tests.documents_helpers import pdf_page_count, pdf_text, run_bulk
from tests.factories import PlatformStaffFactory, UserFactory, WorkerFactory
from tests.factories_documents import BulkDocumentJobFactory, DocumentJobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Bram", last_name="Smet")


def request_document(client, worker, **headers):
    return client.post(reverse("documents:request"), {"kind": "worker_sheet", "record": worker.pk}, **headers)


def test_requesting_shows_a_polling_fragment_that_becomes_a_download_link(client, coach, worker):
    client.force_login(coach)
    response = request_document(client, worker, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = DocumentJob.objects.get()
    status_url = reverse("documents:job_status", kwargs={"documentjob_pk": job.pk})
    html = response.content.decode()
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 1s"' in html

    tasks.render_document.apply(args=(job.pk,))
    html = client.get(status_url).content.decode()
    download_url = reverse("documents:job_download", kwargs={"documentjob_pk": job.pk})
    assert download_url in html
    assert "hx-trigger" not in html  # polling stops once the document is ready

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    # What and whom, whatever the words of the job's language are.
    assert re.fullmatch(r'attachment; filename="[A-Za-z-]+-Smet-Bram\.pdf"', download["Content-Disposition"])
    assert "Bram Smet" in pdf_text(b"".join(download.streaming_content))


def test_without_htmx_the_request_leads_to_the_job_page(client, coach, worker):
    client.force_login(coach)
    response = request_document(client, worker)
    job = DocumentJob.objects.get()
    assert response.url == reverse("documents:job_detail", kwargs={"documentjob_pk": job.pk})
    page = client.get(response.url).content.decode()
    assert "Bram Smet" in page
    assert 'hx-trigger="every 1s"' in page


def test_a_failure_shows_a_message_and_a_retry_button_that_works(client, coach, worker):
    job = DocumentJobFactory(worker=worker, status=JobStatus.FAILED, error="OSError: boom")
    client.force_login(coach)
    html = client.get(reverse("documents:job_status", kwargs={"documentjob_pk": job.pk})).content.decode()
    retry_url = reverse("documents:job_retry", kwargs={"documentjob_pk": job.pk})
    assert "Het document kon niet gemaakt worden" in html and retry_url in html
    assert "OSError" not in html  # technical details stay in the database
    response = client.post(retry_url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_a_bad_request_is_a_400_not_a_500(client, coach):
    client.force_login(coach)
    assert client.post(reverse("documents:request"), {"kind": "nope", "record": "x"}).status_code == 400


def test_a_record_outside_ones_scope_cannot_be_requested(client, make_user, worker):
    client.force_login(make_user(Role.COACH))
    assert request_document(client, worker).status_code == 404
    assert not DocumentJob.objects.exists()


@pytest.fixture
def done_job(worker):
    job = DocumentJobFactory(worker=worker)
    tasks.render_document.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def download_status(client, user, job):
    client.force_login(user)
    return client.get(reverse("documents:job_download", kwargs={"documentjob_pk": job.pk})).status_code


def test_guessing_download_urls_gives_nobody_else_the_file(client, done_job, make_user, other_organisation):
    outsiders = [
        make_user(Role.COACH),
        make_user(Role.HR),  # reads the worker, but did not ask for this document
        make_user(Role.BEGELEIDER),
        make_user(Role.DIRECTIE),
        UserFactory(organisation=other_organisation, roles=[Role.HR]),
        PlatformStaffFactory(),
    ]
    for user in outsiders:
        assert download_status(client, user, done_job) in (403, 404), user.roles
    assert download_status(client, done_job.requested_by, done_job) == 200


def test_the_requester_loses_the_file_with_the_record(client, done_job, worker, make_user):
    requester = done_job.requested_by
    worker.coach = make_user(Role.COACH)
    worker.save()
    assert download_status(client, requester, done_job) == 404


def test_anonymous_users_are_sent_to_log_in(client, done_job):
    response = client.get(reverse("documents:job_download", kwargs={"documentjob_pk": done_job.pk}))
    assert response.status_code == 302 and "login" in response.url


def test_no_file_is_reachable_under_a_public_url(done_job, client):
    client.force_login(done_job.requested_by)
    assert client.get(done_job.file.url).status_code == 404
    assert client.get(f"/media/{done_job.file.name}").status_code == 404
    assert client.get(f"/static/{done_job.file.name}").status_code == 404


@pytest.mark.parametrize(
    ("output_format", "expected_type"), [("pdf", "application/pdf"), ("zip", "application/zip")]
)
def test_bulk_print_of_every_visible_worker_with_progress(client, hr, output_format, expected_type):
    workers = [WorkerFactory(organisation=hr.organisation, last_name=f"Bulk{n}") for n in range(3)]
    WorkerFactory(last_name="ForeignWorker")  # another organisation: never printed
    client.force_login(hr)
    response = client.post(
        reverse("documents:bulk_request"), {"kind": "worker_sheet", "output_format": output_format}
    )
    job = BulkDocumentJob.objects.get()
    assert sorted(job.record_ids) == sorted(w.pk for w in workers)
    status_url = reverse("documents:bulk_status", kwargs={"bulkdocumentjob_pk": job.pk})
    assert response.url == reverse("documents:bulk_detail", kwargs={"bulkdocumentjob_pk": job.pk})
    assert "0 / 3" in client.get(status_url).content.decode()

    run_bulk(job.pk)
    html = client.get(status_url).content.decode()
    assert "3 / 3" in html and "hx-trigger" not in html
    download = client.get(reverse("documents:bulk_download", kwargs={"bulkdocumentjob_pk": job.pk}))
    assert download["Content-Type"] == expected_type
    data = b"".join(download.streaming_content)
    if output_format == "pdf":
        assert pdf_page_count(data) == 3
        assert all(f"Bulk{n}" in pdf_text(data) for n in range(3))
    else:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert len(names) == 3 and all(name.endswith(".pdf") for name in names)


def test_bulk_print_refuses_records_outside_ones_scope(client, coach, worker):
    foreign = WorkerFactory()
    client.force_login(coach)
    client.post(
        reverse("documents:bulk_request"),
        {"kind": "worker_sheet", "output_format": "pdf", "records": [worker.pk, foreign.pk]},
    )
    assert not BulkDocumentJob.objects.exists()


def test_the_documents_page_lists_ones_jobs(client, coach, done_job):
    client.force_login(coach)
    html = client.get(reverse("documents:job_list")).content.decode()
    assert reverse("documents:job_download", kwargs={"documentjob_pk": done_job.pk}) in html


def test_bulk_print_with_nonsense_ids_is_refused_without_a_500(client, hr):
    client.force_login(hr)
    response = client.post(
        reverse("documents:bulk_request"), {"kind": "worker_sheet", "output_format": "pdf", "records": ["x"]}
    )
    assert response.status_code == 302
    assert not BulkDocumentJob.objects.exists()


def test_a_refused_htmx_request_answers_with_a_message_in_place(client, coach, worker, monkeypatch):
    from bwise.core.errors import DomainError

    def refuse(**kwargs):
        raise DomainError("Not now.")

    monkeypatch.setattr("bwise.documents.services.document_request", refuse)
    client.force_login(coach)
    response = request_document(client, worker, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().strip().startswith('<div class="alert alert-danger')


def test_the_documents_page_names_what_and_whom_of_every_job(client, coach, worker, make_user):
    client.force_login(coach)
    empty = client.get(reverse("documents:job_list"))
    assert empty.context["jobs"] == [] and empty.context["bulk_jobs"] == []
    nothing_yet = "Je hebt nog niets afgedrukt."
    assert nothing_yet in empty.content.decode()

    bulk = BulkDocumentJobFactory(worker=worker, record_ids=[worker.pk, WorkerFactory().pk])
    only_bulk = client.get(reverse("documents:job_list")).content.decode()
    assert nothing_yet not in only_bulk
    DocumentJobFactory(worker=worker)
    moved = WorkerFactory(organisation=coach.organisation, coach=make_user(Role.COACH), last_name="Elders")
    DocumentJobFactory(worker=moved, requested_by=coach)
    page = client.get(reverse("documents:job_list"))
    about = [text for _job, text in page.context["jobs"]]
    kind = registry.get_kind("worker_sheet")
    assert kind.title(worker) in about and "Bram Smet" in kind.title(worker)
    # A worker no longer in the coach's caseload is not named on the list.
    assert "Elders" not in page.content.decode()
    [(_job, bulk_about)] = page.context["bulk_jobs"]
    assert bulk_about.startswith(f"{bulk.kind_label} · 2 document")
    assert nothing_yet not in page.content.decode()
