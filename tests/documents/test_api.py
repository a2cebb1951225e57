"""Requesting a document through the API and following its status."""

import pytest
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from bwise.documents.models import DocumentJob
from tests.factories import WorkerFactory
from tests.factories_documents import DoneDocumentJobFactory

pytestmark = pytest.mark.django_db


def test_a_document_is_requested_and_followed_until_it_can_be_downloaded(coach, make_user, tasks_on_commit):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    api = APIClient()
    api.force_authenticate(coach)
    created = api.post("/api/v1/document-jobs/", {"kind": "worker_sheet", "record": worker.pk})
    assert created.status_code == 201, created.json()
    assert (created.json()["status"], created.json()["download_url"]) == ("queued", None)
    job = DocumentJob.objects.get(pk=created.json()["id"])
    assert (job.requested_by, job.record_id) == (coach, worker.pk)

    done = DoneDocumentJobFactory(worker=worker)
    shown = api.get(f"/api/v1/document-jobs/{done.pk}/").json()
    assert shown["download_url"] == f"/documents/{done.pk}/download/"

    outsider_record = WorkerFactory()
    refused = api.post("/api/v1/document-jobs/", {"kind": "worker_sheet", "record": outsider_record.pk})
    assert (refused.status_code, refused.json()["field"]) == (400, "record")
    assert api.post("/api/v1/document-jobs/", {"kind": "nope", "record": worker.pk}).status_code == 400
    colleague = make_user(Role.COACH)
    api.force_authenticate(colleague)
    assert api.get(f"/api/v1/document-jobs/{done.pk}/").status_code == 404
