"""Benchmark of document rendering (not a test).

    DATABASE_URL=... .venv/bin/python bench/documents.py [--renders 30] [--bulk 500]

Reports the median render time of one document (the worker summary sheet until the
POP and dossier kinds are registered; pass --kind to pick another), the throughput of
a bulk print of --bulk records into one merged PDF in one worker process, and the
peak memory (max RSS) of this process, which does what a worker does. Everything it
creates is rolled back; files go to a temporary directory.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bwise.settings")
os.environ["PRIVATE_STORAGE_ROOT"] = tempfile.mkdtemp(prefix="bwise-bench-")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from bwise.accounts.models import Organisation, Role, User  # noqa: E402
from bwise.documents import registry, services  # noqa: E402
from bwise.documents.models import BulkDocumentJob  # noqa: E402
from bwise.documents.rendering import render_pdf  # noqa: E402
from trajects.models import Worker  # noqa: E402


class Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_data(count: int):
    organisation = Organisation.objects.create(
        name=f"Bench {time.time()}", wise_type="productive", region="limburg"
    )
    hr = User.objects.create_user(
        username=f"bench-hr-{time.time()}",
        organisation=organisation,
        roles=[Role.HR],
        email="hr@bench.invalid",
    )
    coach = User.objects.create_user(
        username=f"bench-coach-{time.time()}",
        organisation=organisation,
        roles=[Role.COACH],
        first_name="Bench",
    )
    Worker.objects.bulk_create(
        Worker(organisation=organisation, first_name=f"Worker{n}", last_name="Bench", coach=coach)
        for n in range(count)
    )
    return organisation, hr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", default="worker_sheet")
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=500)
    args = parser.parse_args()
    kind = registry.get_kind(args.kind)
    try:
        with transaction.atomic():
            organisation, hr = make_data(max(args.bulk, 1))
            record = kind.visible_records(hr).first()
            render_pdf(kind, record, organisation=organisation, language="nl-be")  # warm-up: fonts, templates
            timings = []
            for _ in range(args.renders):
                started = time.perf_counter()
                render_pdf(kind, record, organisation=organisation, language="nl-be")
                timings.append(time.perf_counter() - started)
            print(f"{kind.key}: median render {statistics.median(timings) * 1000:.0f} ms over {args.renders}")

            ids = list(kind.visible_records(hr).values_list("pk", flat=True)[: args.bulk])
            job = BulkDocumentJob.objects.create(
                organisation=organisation,
                requested_by=hr,
                kind=kind.key,
                record_model=kind.model,
                record_ids=ids,
                output_format="pdf",
                language="nl-be",
            )
            started = time.perf_counter()
            services.bulk_render(job_pk=job.pk)
            elapsed = time.perf_counter() - started
            job.refresh_from_db()
            print(
                f"bulk of {len(ids)} into one PDF with 1 worker process: {elapsed:.1f} s, "
                f"{len(ids) / elapsed:.1f} documents/s, file {job.file.size / 1e6:.1f} MB"
            )
            print(f"peak memory (max RSS) of the worker process: {peak_rss_mb():.0f} MB")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
