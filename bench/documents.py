"""Benchmark of document rendering (not a test).

    .venv/bin/python -m bwise.embedded .venv/bin/python bench/documents.py [--renders 30] [--bulk 500]

Reports the median render time of a POP and of a full dossier of a worker with a rich
history (tests.factories_documents.rich_history, with --actions plan actions and
--moments coaching moments), the throughput of a bulk print of --bulk POPs into one
merged PDF in one worker process, and the peak memory (max RSS) of this process, which
does what a worker does. Everything it creates is rolled back; files go to a temporary
directory.
"""

import argparse
import datetime
import os
import resource
import statistics
import tempfile
import time

from common import setup_django

os.environ["PRIVATE_STORAGE_ROOT"] = tempfile.mkdtemp(prefix="bwise-bench-")
setup_django()

from django.db import transaction  # noqa: E402

from bwise.accounts.models import Organisation, Role, User  # noqa: E402
from bwise.documents import registry, services  # noqa: E402
from bwise.documents.models import BulkDocumentJob  # noqa: E402
from bwise.documents.rendering import render_pdf  # noqa: E402
from competenties.models import Plan, PlanAction, PlanStatus  # noqa: E402
from tests.factories_documents import rich_history  # noqa: E402
from trajects.models import Worker  # noqa: E402


class Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_data(count: int):
    """An organisation with ``count`` workers, each with an agreed POP of six actions."""
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
    workers = Worker.objects.bulk_create(
        Worker(organisation=organisation, first_name=f"Worker{n}", last_name="Bench", coach=coach)
        for n in range(count)
    )
    agreed = datetime.date(2026, 3, 1)
    plans = Plan.objects.bulk_create(
        Plan(worker=w, kind="pop", year=2026, status=PlanStatus.AGREED, agreed_on=agreed, reflection="Bench")
        for w in workers
    )
    PlanAction.objects.bulk_create(
        PlanAction(plan=plan, order=n, action=f"Action {n}", who_helps="Coach", due_date=agreed)
        for plan in plans
        for n in range(6)
    )
    return organisation, hr, coach


def median_ms(kind, record, *, organisation, reader, renders: int) -> float:
    render_pdf(kind, record, organisation=organisation, language="nl-be", reader=reader)  # warm-up
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        render_pdf(kind, record, organisation=organisation, language="nl-be", reader=reader)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=500)
    parser.add_argument("--actions", type=int, default=15)
    parser.add_argument("--moments", type=int, default=25)
    args = parser.parse_args()
    pop_kind, dossier_kind = registry.get_kind("plan"), registry.get_kind("dossier")
    try:
        with transaction.atomic():
            organisation, hr, coach = make_data(max(args.bulk, 1))
            rich = Worker.objects.create(
                organisation=organisation, first_name="Rich", last_name="History", coach=coach
            )
            _trajectory, plan = rich_history(rich, actions=args.actions, moments=args.moments)
            pop_ms = median_ms(pop_kind, plan, organisation=organisation, reader=coach, renders=args.renders)
            print(f"POP ({args.actions} actions): median render {pop_ms:.0f} ms over {args.renders}")
            dossier_ms = median_ms(
                dossier_kind, rich, organisation=organisation, reader=coach, renders=args.renders
            )
            print(
                f"full dossier (2 intakes, {args.moments} coaching moments, 2 assessments, "
                f"{args.actions}-action POP): median render {dossier_ms:.0f} ms over {args.renders}"
            )

            ids = list(
                Plan.objects.filter(worker__organisation=organisation, worker__last_name="Bench")
                .order_by("pk")
                .values_list("pk", flat=True)[: args.bulk]
            )
            job = BulkDocumentJob.objects.create(
                organisation=organisation,
                requested_by=hr,
                kind=pop_kind.key,
                record_model=pop_kind.model,
                record_ids=ids,
                output_format="pdf",
                language="nl-be",
            )
            started = time.perf_counter()
            services.bulk_render(job_pk=job.pk)
            elapsed = time.perf_counter() - started
            job.refresh_from_db()
            print(
                f"bulk of {len(ids)} POPs into one PDF with 1 worker process: {elapsed:.1f} s, "
                f"{len(ids) / elapsed:.1f} documents/s, file {job.file.size / 1e6:.1f} MB ({job.status})"
            )
            print(f"peak memory (max RSS) of the worker process: {peak_rss_mb():.0f} MB")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
