"""End to end with a real Celery worker process on the machine's Redis, and with the broker down."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.urls import reverse

from bwise.celery import app
from bwise.documents import services
from bwise.documents.models import DocumentJob, JobStatus
from tests.documents_helpers import CLOSED_BROKER, REDIS_BROKER, broker, pdf_page_count, pdf_text
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def _database_url(db) -> str:
    credentials = f"{db['USER']}:{quote(db['PASSWORD'] or '', safe='')}"
    # The embedded server listens on a Unix socket only: pass its directory as a "host" option.
    socket_dir = db.get("OPTIONS", {}).get("host") or (db["HOST"] if db["HOST"].startswith("/") else "")
    if socket_dir:
        return f"postgres://{credentials}@/{db['NAME']}?host={socket_dir}"
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(settings, tmp_path):
    """Start `celery worker` processes on the test database and queues of their own (the
    print and the bulk queue, in ``settings``); a worker serves both unless told ``queues``."""
    if not _redis_available():
        pytest.fail(f"these tests need Redis at {REDIS_BROKER}")
    db = connection.settings_dict
    suffix = uuid.uuid4().hex[:8]
    print_queue, bulk_queue = f"test-print-{suffix}", f"test-bulk-{suffix}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(db),
        "CELERY_BROKER_URL": REDIS_BROKER,
        "PRIVATE_STORAGE_ROOT": settings.STORAGES["default"]["OPTIONS"]["location"],
        "LOG_LEVEL": "WARNING",
        "DOCUMENTS_PRINT_QUEUE": print_queue,
        "DOCUMENTS_BULK_QUEUE": bulk_queue,
    }
    processes = []
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 - closed below

    def start(queues=(print_queue, bulk_queue)):
        command = [sys.executable, "-m", "celery", "-A", "bwise", "worker", "--pool=solo"]
        command += ["-Q", ",".join(queues), "--without-heartbeat", "--without-gossip", "--without-mingle"]
        # Read when started: a test may shorten the lease first.
        lease = {"DOCUMENT_LEASE_SECONDS": str(settings.DOCUMENT_LEASE_SECONDS)}
        process = subprocess.Popen(
            command, cwd=ROOT, env={**env, **lease}, stdout=log, stderr=subprocess.STDOUT
        )
        processes.append(process)
        return process

    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = settings.DOCUMENTS_BULK_QUEUE = bulk_queue
    settings.DOCUMENTS_PRINT_QUEUE = print_queue
    try:
        with broker(REDIS_BROKER):
            yield start
    finally:
        app.conf.task_default_queue = previous_queue
        for process in processes:
            process.kill()
            process.wait(timeout=10)
        log.seek(0)
        print(log.read())
        log.close()
        redis.Redis.from_url(REDIS_BROKER).delete(print_queue, bulk_queue)


@pytest.fixture
def worker_process(start_worker):
    return start_worker()


def wait_for(job, timeout=60) -> DocumentJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_active:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout}s")


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Noor", last_name="Verbeke")


def test_a_real_worker_renders_a_requested_document(client, coach, worker, worker_process):
    client.force_login(coach)
    client.post(reverse("documents:request"), {"kind": "worker_sheet", "record": worker.pk})
    job = wait_for(DocumentJob.objects.get())
    assert job.status == JobStatus.DONE, job.error
    assert job.dispatched_at is not None
    download = client.get(reverse("documents:job_download", kwargs={"documentjob_pk": job.pk}))
    assert "Noor Verbeke" in pdf_text(b"".join(download.streaming_content))


PAGES = [
    "trajects:caseload",
    "documents:job_list",
    "reminders:inbox",
    "reminders:preferences",
    "home",
]


def test_with_the_broker_down_pages_answer_requests_are_delayed_and_sent_later(
    client, coach, worker, settings, worker_process
):
    client.force_login(coach)
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    with broker(CLOSED_BROKER):
        started = time.monotonic()
        response = client.post(
            reverse("documents:request"),
            {"kind": "worker_sheet", "record": worker.pk},
            HTTP_HX_REQUEST="true",
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 200
        assert elapsed < 3, f"the request waited {elapsed:.1f}s for the broker"
        assert "Het maken loopt vertraging op" in response.content.decode()
        job = DocumentJob.objects.get()
        for name in PAGES:
            assert client.get(reverse(name), follow=True).status_code == 200, name
        for url in (
            reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk}),
            reverse("documents:job_detail", kwargs={"documentjob_pk": job.pk}),
            reverse("documents:job_status", kwargs={"documentjob_pk": job.pk}),
        ):
            assert client.get(url).status_code == 200, url
        health = client.get(reverse("health"))
        assert health.status_code == 200 and health.json()["broker"] == "unavailable"
        assert services.dispatch_pending() == 0
    job.refresh_from_db()
    assert (job.status, job.dispatched_at) == (JobStatus.QUEUED, None)

    # The broker is back: the beat's sweep sends what waited, and the worker makes it.
    assert services.dispatch_pending() == 1
    job = wait_for(job)
    assert job.status == JobStatus.DONE, job.error


def test_a_worker_killed_mid_job_is_taken_over_and_gives_one_document(hr, settings, start_worker):
    settings.DOCUMENT_LEASE_SECONDS = 3
    workers = WorkerFactory.create_batch(30, organisation=hr.organisation)
    first = start_worker()
    job = services.bulk_document_request(
        kind="worker_sheet", record_ids=[w.pk for w in workers], output_format="pdf", by=hr
    )
    deadline = time.monotonic() + 60
    while job.done_count < 3:
        assert time.monotonic() < deadline, "the first worker never started"
        time.sleep(0.05)
        job.refresh_from_db()
    first.kill()  # SIGKILL mid-job: no cleanup, the message stays unacknowledged
    first.wait()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.done_count < 30

    start_worker()
    # The new worker may finish the chunks still queued first; once the job has not been
    # heard of for the lease, the sweep (the beat runs it every minute; here every half
    # second) finds it orphaned and sends it again.
    deadline = time.monotonic() + 120
    sent = 0
    while job.is_active:
        assert time.monotonic() < deadline, f"job {job.pk} still {job.status} ({sent} sent again)"
        sent += services.dispatch_pending()
        time.sleep(0.5)
        job.refresh_from_db()
    assert sent >= 1 and job.attempts >= 2
    assert (job.status, job.done_count) == (JobStatus.DONE, 30)
    assert pdf_page_count(job.file.read()) == 30
    assert len(job.file.storage.listdir(f"documents/{job.organisation_id}")[1]) == 1


def test_with_the_broker_down_every_page_answers(client, settings, organisation):
    from django.urls import get_resolver

    from tests.access.test_urls import OUR_MODULES, _kwargs_of, _url, _walk
    from tests.universe import build_universe

    universe = build_universe(organisation)
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    client.force_login(universe.coach)
    checked = 0
    with broker(CLOSED_BROKER):
        for route, pattern, namespace in _walk(get_resolver()):
            module = getattr(pattern.callback, "__module__", "") or ""
            kwargs = _kwargs_of(route)
            if not module.startswith(OUR_MODULES) or "format" in kwargs or not pattern.name:
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            started = time.monotonic()
            status = client.get(_url(name, kwargs, universe)).status_code
            assert status < 500, f"{name} answered {status} with the broker down"
            assert time.monotonic() - started < 3, f"{name} waited for the broker"
            checked += 1
    assert checked > 20
