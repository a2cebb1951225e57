"""A bulk print in chunks that every worker process renders, joined on disk into one file
that keeps title and language and has a bookmark per worker."""

import io
import zipfile
from datetime import timedelta

import pikepdf
import pytest
from django.utils import timezone

from bwise.documents import services
from bwise.documents.models import BulkDocumentJob, JobStatus
from tests.documents_helpers import pdf_text
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers(hr, settings):
    settings.DOCUMENT_BULK_CHUNK_SIZE = 2
    names = [
        ("Francine", "Put"),
        ("Ahmed", "Bakkali"),
        ("Zoë", "Çelik"),
        ("Jan", "Peeters"),
        ("Jan", "Peeters"),
    ]
    return [WorkerFactory(organisation=hr.organisation, first_name=a, last_name=b) for a, b in names]


def request(hr, workers, output_format) -> BulkDocumentJob:
    job = services.bulk_document_request(
        kind="worker_sheet", record_ids=[w.pk for w in workers], output_format=output_format, by=hr
    )
    # The coordinator claims the job and publishes its chunks (to the in-memory broker here).
    assert services.bulk_render(job_pk=job.pk) == job.pk
    job.refresh_from_db()
    return job


def test_the_chunks_are_rendered_apart_and_joined_with_a_bookmark_per_worker(hr, workers):
    job = request(hr, workers, "pdf")
    assert (job.status, job.chunk_count, job.done_count) == (JobStatus.RUNNING, 3, 0)
    started_at = job.started_at
    for index in (2, 0, 1):  # in any order, as two processes finish them
        assert services.bulk_render_chunk(job_pk=job.pk, attempt=job.attempts, index=index) == job.pk
        if index != 1:  # the join waits for every part
            assert services.bulk_join(job_pk=job.pk, attempt=job.attempts) is None
    job.refresh_from_db()
    assert (job.status, job.done_chunks) == (JobStatus.RUNNING, [0, 1, 2])
    # The last part sent the join, a task of its own, which another pool process takes.
    assert services.bulk_join(job_pk=job.pk, attempt=job.attempts) == job.pk
    job.refresh_from_db()
    assert (job.status, job.done_count, job.done_chunks) == (JobStatus.DONE, 5, [0, 1, 2])
    # The job's start stays when it started; the heartbeat is what moves.
    assert job.started_at == started_at and job.heartbeat_at > started_at
    with pikepdf.open(io.BytesIO(job.file.read())) as merged:
        assert str(merged.Root.Lang) == job.language
        assert str(merged.docinfo["/Title"]).endswith(("5 documents", "5 documenten"))
        assert str(merged.docinfo["/Author"]) == hr.organisation.name
        with merged.open_outline() as outline:
            titles = [item.title for item in outline.root]
            pages = [pikepdf.Page((item.destination or item.action.D)[0]).index for item in outline.root]
    assert titles == ["Francine Put", "Ahmed Bakkali", "Zoë Çelik", "Jan Peeters", "Jan Peeters"]
    assert pages == [0, 1, 2, 3, 4]
    # The parts are gone: only the joined file is kept.
    assert job.file.storage.listdir(f"documents/{job.organisation_id}/parts")[1] == []


def test_a_chunk_delivered_twice_counts_once_and_a_stale_attempt_does_nothing(hr, workers):
    job = request(hr, workers, "pdf")
    services.bulk_render_chunk(job_pk=job.pk, attempt=job.attempts, index=0)
    assert services.bulk_render_chunk(job_pk=job.pk, attempt=job.attempts, index=0) is None
    assert services.bulk_render_chunk(job_pk=job.pk, attempt=job.attempts - 1, index=1) is None
    job.refresh_from_db()
    assert (job.done_count, job.done_chunks, job.status) == (2, [0], JobStatus.RUNNING)


def test_a_zip_holds_a_file_per_worker_named_after_them(hr, workers):
    job = request(hr, workers, "zip")
    for index in range(job.chunk_count):
        services.bulk_render_chunk(job_pk=job.pk, attempt=job.attempts, index=index)
    services.bulk_join(job_pk=job.pk, attempt=job.attempts)
    job.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        names = archive.namelist()
        assert "Francine" in pdf_text(archive.read(names[0]))
    # What (in the job's language) and whom; two workers of the same name keep a file each.
    whom = ["Put-Francine.pdf", "Bakkali-Ahmed.pdf", "Celik-Zoe.pdf", "Peeters-Jan.pdf", "Peeters-Jan-2.pdf"]
    assert len(names) == len(whom)
    assert all(name.endswith(f"-{end}") for name, end in zip(names, whom, strict=True)), names


def test_the_purge_removes_the_parts_a_failed_job_left(hr, workers, settings):
    job = request(hr, workers, "pdf")
    services.bulk_render_chunk(job_pk=job.pk, attempt=job.attempts, index=0)
    old = timezone.now() - timedelta(days=settings.DOCUMENT_RETENTION_DAYS + 1)
    BulkDocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, created_at=old)
    storage = job.file.storage
    assert storage.listdir(f"documents/{job.organisation_id}/parts")[1]
    assert services.documents_purge() == 1
    assert storage.listdir(f"documents/{job.organisation_id}/parts")[1] == []
