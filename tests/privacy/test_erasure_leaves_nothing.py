"""Erasure leaves nothing: after a worker was imported, searched, exported and printed by name
and then erased, neither a dump of the database nor the private storage holds the name.

Also: the access log keeps codes and filter keys, never what a user typed, and import
uploads are private (0600), purged when stale and discarded by erasure."""

import os
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from bwise.audit.models import AccessAction, AccessLog
from bwise.audit.services import log_access
from bwise.core import backup
from bwise.documents import tasks as document_tasks
from bwise.documents.models import DocumentJob
from trajects import importing
from trajects.models import Worker

pytestmark = pytest.mark.django_db

FIRST, LAST, EXTERNAL = "Xanthippe", "Quorvandel", "QRV-9931"
MARKERS = (FIRST, LAST, EXTERNAL)
CSV = f"personeelsnummer;voornaam;achternaam;statuut;startdatum\n{EXTERNAL};{FIRST};{LAST};LDE;01/09/2022\n"


def _upload(client):
    file = SimpleUploadedFile("lijst.csv", CSV.encode())
    assert client.post(reverse("trajects:worker_import"), {"file": file}).status_code == 302


def _dump() -> str:
    # The test database on whatever server DATABASE_URL names (a TCP one in CI, the embedded
    # one's Unix socket under `make test`), with the pg_dump that matches it.
    result = subprocess.run(
        [backup.client_binary("pg_dump")],
        env=backup.libpq_env(connection.settings_dict["NAME"]),
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8", errors="replace")


def _private_files() -> list[Path]:
    roots = {Path(settings.PRIVATE_STORAGE_ROOT), Path(settings.STORAGES["default"]["OPTIONS"]["location"])}
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def _found(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker.casefold() in text.casefold()]


@pytest.mark.django_db(transaction=True)
def test_after_erasure_the_name_is_nowhere(client, hr):
    client.force_login(hr)
    _upload(client)
    assert client.get(reverse("trajects:worker_import_preview")).status_code == 200
    assert client.post(reverse("trajects:worker_import_preview")).status_code == 302
    worker = Worker.objects.get(external_id=EXTERNAL)

    caseload = reverse("trajects:caseload")
    assert LAST in client.get(caseload, {"q": LAST}).content.decode()
    export = client.get(caseload, {"q": LAST, "format": "csv"})
    assert export.status_code == 200 and LAST in export.content.decode()
    assert client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})).status_code == 200
    client.post(reverse("documents:request"), {"kind": "worker_sheet", "record": worker.pk})
    job = DocumentJob.objects.get()
    document_tasks.render_document.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.file and Path(job.file.path).exists()
    _upload(client)  # a second upload, never confirmed
    assert _found(_dump()) and any(_found(path.read_bytes().decode("latin-1")) for path in _private_files())

    response = client.post(
        reverse("privacy:erasure", kwargs={"worker_pk": worker.pk}),
        {"action": "erase", "reason": "Verzoek van de werknemer", "confirm": LAST},
    )
    assert response.status_code == 302
    assert not Worker.objects.filter(pk=worker.pk).exists()

    assert _found(_dump()) == []
    leaks = {str(path): _found(path.read_bytes().decode("latin-1")) for path in _private_files()}
    assert {path: found for path, found in leaks.items() if found} == {}
    assert not Path(job.file.path).exists()
    # The export's row says which export and which filters were used, not the search term.
    row = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert row.detail == {"export": "caseload", "format": "csv", "filters": ["q"]}


def test_the_access_log_refuses_free_text(coach, organisation):
    with pytest.raises(ValueError, match="codes"):
        log_access(user=coach, action=AccessAction.EXPORT, record=("x", "1"), detail={"q": "Ann Peeters"})
    with pytest.raises(ValueError, match="codes"):
        log_access(user=coach, action=AccessAction.EXPORT, record=("x", "1"), detail={"query": "q=Ann&x=1"})
    row = log_access(
        user=coach, action=AccessAction.EXPORT, record=("x", "1"), filters={"q": "Ann Peeters", "team": ""}
    )
    row.refresh_from_db()
    assert row.detail == {"filters": ["q"]}


def test_uploads_are_private_and_named_by_organisation(hr):
    token = importing.save_upload(SimpleUploadedFile("lijst.csv", CSV.encode()), by=hr)
    path = importing.upload_path(token)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert token.startswith(f"{hr.organisation_id}-")


def test_stale_uploads_are_purged_and_fresh_ones_kept(hr):
    stale = importing.upload_path(importing.save_upload(SimpleUploadedFile("a.csv", CSV.encode()), by=hr))
    fresh = importing.upload_path(importing.save_upload(SimpleUploadedFile("b.csv", CSV.encode()), by=hr))
    day_ago = (datetime.now(tz=UTC) - timedelta(hours=25)).timestamp()
    os.utime(stale, (day_ago, day_ago))
    assert importing.purge_stale_uploads() == 1
    assert not stale.exists() and fresh.exists()


def test_the_purge_is_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "trajects.tasks.purge_import_uploads" in tasks


def test_a_reason_that_names_the_worker_is_refused(hr, organisation):
    from bwise.core.errors import DomainError
    from bwise.privacy import services
    from tests.factories import WorkerFactory

    worker = WorkerFactory(organisation=organisation, first_name=FIRST, last_name=LAST)
    with pytest.raises(DomainError) as refused:
        services.worker_erase(worker=worker, reason=f"Request of {FIRST.lower()} on 3 May", by=hr)
    assert refused.value.field == "reason"
    assert Worker.objects.filter(pk=worker.pk).exists()
    assert services.worker_erase(worker=worker, reason="Request of 3 May", by=hr).action == "erase"
