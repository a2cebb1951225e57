"""The dashboard as a document kind whose record is the organisation."""

import pytest
from django.utils import timezone

from bwise.documents import registry, services
from bwise.documents.models import DocumentJob
from bwise.documents.rendering import render_html, render_pdf
from tests.factories import OrganisationFactory, WorkerFactory
from tests.factories_dashboard import trajectory_with_history

pytestmark = pytest.mark.django_db


def test_only_own_organisation_and_only_with_the_dashboard_permission(directie, hr, coach, organisation):
    kind = registry.get_kind("dashboard")
    other = OrganisationFactory()
    assert list(kind.visible_records(directie)) == [organisation]
    assert list(kind.visible_records(hr)) == [organisation]
    assert not kind.can_read(directie, other.pk)
    assert list(kind.visible_records(coach)) == []


def test_pdf_holds_the_figures_without_links(hr, organisation):
    year = timezone.localdate().year
    for _ in range(3):
        trajectory_with_history(WorkerFactory(organisation=organisation), started=f"{year}-01-05")
    trajectory_with_history(WorkerFactory(), started=f"{year}-01-05")  # another organisation
    kind = registry.get_kind("dashboard")
    html = render_html(kind, organisation, organisation=organisation, language="en")
    movements = html[html.index("Trajectories in the period") :]
    assert "<td>3</td>" in movements.split("</table>")[0]
    assert "/dashboard/workers" not in html
    assert render_pdf(kind, organisation, organisation=organisation, language="en").startswith(b"%PDF")


def test_hr_can_request_it_through_the_documents_service(hr, organisation):
    job = services.document_request(kind="dashboard", record=organisation, by=hr)
    assert job.record_id == organisation.pk


def test_the_director_prints_the_dashboard_but_no_worker_documents(client, directie, organisation):
    client.force_login(directie)
    response = client.post("/documents/request/", {"kind": "dashboard", "record": organisation.pk})
    assert response.status_code == 302
    job = DocumentJob.objects.get(requested_by=directie)
    assert job.kind == "dashboard"
    assert client.get(f"/documents/{job.pk}/").status_code == 200
    worker = WorkerFactory(organisation=organisation)
    refused = client.post("/documents/request/", {"kind": "dossier", "record": worker.pk})
    assert refused.status_code == 404
    assert DocumentJob.objects.filter(requested_by=directie).count() == 1
