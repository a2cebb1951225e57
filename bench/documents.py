"""Benchmark of document rendering (not a test).

    .venv/bin/python -m bwise.embedded .venv/bin/python bench/documents.py [--renders 20] [--bulk 500]

Prints, as a table:

- the median render time of a POP with --actions actions (and of a full dossier), and the
  same HTML through bare WeasyPrint (our fetcher for the stylesheet, PDF/UA as in the
  product, a fresh font configuration as WeasyPrint makes by default, and once more sharing
  one as the app does): the app's overhead is the ratio;
- a bulk print of --bulk POPs into one merged PDF by real Celery workers, as deployed: a
  worker with two pool processes for bulk chunks and one with one process for single
  documents (queues of their own on the --broker Redis): the bulk time, the peak memory
  (RSS) of any worker process and of the bulk worker with its pool, sampled every 0.2 s;
  RSS counts the pages a pool process shares with its parent in each, so the worker's whole
  memory is also given as the sum of PSS (each shared page divided among its sharers);
- the time from request to ready of single POPs asked for while the bulk job runs;
- the load average before and after, since the machine may be shared.

The data is committed (the workers read it) in an organisation of its own; its workers,
plans and jobs are removed at the end; files go to a temporary directory.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
from common import setup_django

os.environ["PRIVATE_STORAGE_ROOT"] = tempfile.mkdtemp(prefix="bwise-bench-")
setup_django()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from bwise.accounts.models import Organisation, Role, User  # noqa: E402
from bwise.celery import app  # noqa: E402
from bwise.core.pdf import BASE_URL, PDF_VARIANT, StaticOnlyFetcher, font_config  # noqa: E402
from bwise.documents import registry, services  # noqa: E402
from bwise.documents.models import BulkDocumentJob, DocumentJob, JobStatus  # noqa: E402
from bwise.documents.rendering import render_html, render_pdf  # noqa: E402
from competenties.models import Plan, PlanAction, PlanStatus  # noqa: E402
from competenties.selectors import one_year_before  # noqa: E402
from tests.factories_documents import rich_history  # noqa: E402
from trajects.models import Worker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def make_data(count: int):
    """An organisation with ``count`` workers, each with an agreed POP of six actions due
    this month (HR's monthly bulk print), and one worker with a rich history."""
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
    agreed = one_year_before(timezone.localdate())
    plans = Plan.objects.bulk_create(
        Plan(worker=w, kind="pop", year=agreed.year, status=PlanStatus.AGREED, agreed_on=agreed)
        for w in workers
    )
    PlanAction.objects.bulk_create(
        PlanAction(plan=plan, order=n, action=f"Action {n}", who_helps="Coach", due_date=agreed)
        for plan in plans
        for n in range(6)
    )
    rich = Worker.objects.create(
        organisation=organisation, first_name="Rich", last_name="History", coach=coach
    )
    return organisation, hr, coach, rich, [plan.pk for plan in plans]


def medians_ms(calls: dict, renders: int) -> dict:
    """The median of each call, taken in turns: on a shared machine a change of load then
    touches all alike, and their ratio stays true."""
    for call in calls.values():
        call()  # warm-up: templates, fonts and stylesheet loaded once per process
    timings = {name: [] for name in calls}
    for _ in range(renders):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


def bare_weasyprint(html: str, fonts=None) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(timeout=5)).write_pdf(
        pdf_variant=PDF_VARIANT, font_config=fonts
    )


class MemorySampler(threading.Thread):
    """Peak RSS of each worker process (parents and pool children) while the bulk job runs."""

    def __init__(self, roots: dict[str, psutil.Process]):
        super().__init__(daemon=True)
        self.roots = roots
        self.peak_process = 0
        # (the worker's main process, its pool's processes) per worker
        self.peak_roles = {name: [0, 0] for name in roots}
        self.peak_tree = dict.fromkeys(roots, 0)
        self.peak_tree_pss = dict.fromkeys(roots, 0)
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            for name, root in self.roots.items():
                try:
                    processes = [root, *root.children(recursive=True)]
                    sizes = [process.memory_info().rss for process in processes]
                    shares = [process.memory_full_info().pss for process in processes]
                except psutil.Error:
                    continue
                self.peak_tree_pss[name] = max(self.peak_tree_pss[name], sum(shares))
                self.peak_process = max(self.peak_process, *sizes)
                self.peak_tree[name] = max(self.peak_tree[name], sum(sizes))
                roles = self.peak_roles[name]
                roles[0] = max(roles[0], sizes[0])
                roles[1] = max(roles[1], *sizes[1:], 0)
            time.sleep(0.2)


def start_workers(broker: str, bulk_queue: str, print_queue: str, log) -> dict[str, subprocess.Popen]:
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "DOCUMENTS_BULK_QUEUE": bulk_queue,
        "DOCUMENTS_PRINT_QUEUE": print_queue,
        # Static files from the finders, as in tests: the bench needs no collectstatic.
        "TESTING": "1",
        "LOG_LEVEL": "WARNING",
    }
    common = [sys.executable, "-m", "celery", "-A", "bwise", "worker", "--loglevel=WARNING"]
    common += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    commands = {
        "bulk": [*common, "--concurrency=2", "-Q", bulk_queue, f"--hostname=bench-bulk-{bulk_queue}@%h"],
        "print": [*common, "--concurrency=1", "-Q", print_queue, f"--hostname=bench-print-{print_queue}@%h"],
    }
    return {
        name: subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        for name, command in commands.items()
    }


def wait_for(model, pk: int, timeout: float, poll: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        job = model.objects.get(pk=pk)
        if job.status in (JobStatus.DONE, JobStatus.FAILED) or time.monotonic() > deadline:
            return job
        time.sleep(poll)


def single_print(plan, coach) -> tuple[float, str]:
    started = time.perf_counter()
    job = services.document_request(kind="plan", record=plan, by=coach)
    job = wait_for(DocumentJob, job.pk, timeout=60, poll=0.05)
    return time.perf_counter() - started, job.status


def bulk_with_workers(args, hr, coach, plan, ids) -> dict:
    suffix = uuid.uuid4().hex[:8]
    bulk_queue, print_queue = f"bench-bulk-{suffix}", f"bench-print-{suffix}"
    settings.DOCUMENTS_BULK_QUEUE, settings.DOCUMENTS_PRINT_QUEUE = bulk_queue, print_queue
    # The workers' broker for this process too. Celery lets the environment's CELERY_BROKER_URL
    # win over app.conf (with the embedded defaults, the filesystem broker: the single print
    # never reached the print worker), and the options of that broker do not apply to this one.
    os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = args.broker
    app.conf.broker_transport_options = {}
    log = open(Path(settings.PRIVATE_STORAGE_ROOT) / "workers.log", "w+")  # noqa: SIM115 - closed below
    workers = start_workers(args.broker, bulk_queue, print_queue, log)
    try:
        # The first single print also waits for the workers to be up.
        warm_up, status = single_print(plan, coach)
        if status != JobStatus.DONE:
            raise SystemExit(f"the print worker did not answer ({status}); see {log.name}")
        sampler = MemorySampler({name: psutil.Process(process.pid) for name, process in workers.items()})
        sampler.start()
        started = time.perf_counter()
        job = services.bulk_document_request(kind="plan", record_ids=ids, output_format="pdf", by=hr)
        singles = []
        while True:
            job.refresh_from_db()
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                break
            if time.perf_counter() - started > args.timeout:
                raise SystemExit(f"the bulk job did not finish within {args.timeout} s; see {log.name}")
            if time.perf_counter() - started > 3 * (len(singles) + 1) and job.done_count < job.total:
                singles.append(single_print(plan, coach)[0])
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        with job.file.open("rb") as handle:
            pages = len(PdfReader(handle).pages) if job.status == JobStatus.DONE else 0
        return {
            "bulk_seconds": elapsed,
            "status": job.status,
            "pages": pages,
            "file_mb": job.file.size / 1e6 if job.file else 0,
            "peak_process_mb": sampler.peak_process / 2**20,
            "peak_bulk_worker_mb": sampler.peak_tree["bulk"] / 2**20,
            "peak_print_worker_mb": sampler.peak_tree["print"] / 2**20,
            "peak_pss_mb": {name: size / 2**20 for name, size in sampler.peak_tree_pss.items()},
            "peak_roles_mb": {
                name: [size / 2**20 for size in sizes] for name, sizes in sampler.peak_roles.items()
            },
            "singles": singles,
            "warm_up": warm_up,
        }
    finally:
        for process in workers.values():
            process.terminate()
        for process in workers.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--bulk", type=int, default=500)
    parser.add_argument("--actions", type=int, default=15)
    parser.add_argument("--moments", type=int, default=25)
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    load_before = os.getloadavg()
    organisation, hr, coach, rich, ids = make_data(args.bulk)
    try:
        _trajectory, plan = rich_history(rich, actions=args.actions, moments=args.moments)
        pop_kind, dossier_kind = registry.get_kind("plan"), registry.get_kind("dossier")
        pop_html = render_html(pop_kind, plan, organisation=organisation, language="nl-be", reader=coach)
        medians = medians_ms(
            {
                "app": lambda: render_pdf(
                    pop_kind, plan, organisation=organisation, language="nl-be", reader=coach
                ),
                "bare": lambda: bare_weasyprint(pop_html),
                "bare_shared": lambda: bare_weasyprint(pop_html, font_config()),
            },
            args.renders,
        )
        pop_app, pop_bare, pop_bare_shared = medians["app"], medians["bare"], medians["bare_shared"]
        dossier = medians_ms(
            {
                "dossier": lambda: render_pdf(
                    dossier_kind, rich, organisation=organisation, language="nl-be", reader=coach
                )
            },
            max(args.renders // 2, 3),
        )["dossier"]
        rows = [
            (f"POP ({args.actions} actions), app, median of {args.renders}", f"{pop_app:.0f} ms", "≤ 400 ms"),
            ("same HTML, bare WeasyPrint, median", f"{pop_bare:.0f} ms", ""),
            ("app / bare", f"{pop_app / pop_bare:.2f}", "≤ 1.2"),
            ("same HTML, bare WeasyPrint sharing one font configuration", f"{pop_bare_shared:.0f} ms", ""),
            ("app / bare sharing fonts", f"{pop_app / pop_bare_shared:.2f}", ""),
            (f"full dossier ({args.moments} coaching moments), median", f"{dossier:.0f} ms", ""),
        ]
        if args.bulk:
            result = bulk_with_workers(args, hr, coach, plan, ids)
            singles = result["singles"]
            rows += [
                (
                    f"bulk of {args.bulk} POPs, 2 pool processes, one merged PDF",
                    f"{result['bulk_seconds']:.1f} s ({result['status']}, {result['pages']} pages, "
                    f"{result['file_mb']:.1f} MB)",
                    "≤ 180 s",
                ),
                ("peak RSS of any worker process", f"{result['peak_process_mb']:.0f} MB", "< 300 MB"),
                (
                    "peak RSS, bulk worker's main process / a pool process",
                    "{:.0f} / {:.0f} MB".format(*result["peak_roles_mb"]["bulk"]),
                    "",
                ),
                (
                    "peak RSS, print worker's main process / its pool process",
                    "{:.0f} / {:.0f} MB".format(*result["peak_roles_mb"]["print"]),
                    "",
                ),
                ("peak RSS, bulk worker and its pool", f"{result['peak_bulk_worker_mb']:.0f} MB", ""),
                ("peak RSS, print worker and its pool", f"{result['peak_print_worker_mb']:.0f} MB", ""),
                (
                    "peak PSS sum, bulk worker and its pool / print worker and its pool",
                    "{bulk:.0f} / {print:.0f} MB".format(**result["peak_pss_mb"]),
                    "",
                ),
                (
                    f"single POP during the bulk job, request to ready ({len(singles)} asked)",
                    f"max {max(singles):.2f} s, median {statistics.median(singles):.2f} s"
                    if singles
                    else "none",
                    "≤ 5 s",
                ),
            ]
        load_after = os.getloadavg()
        rows.append(("load average (1, 5, 15 min) before", ", ".join(f"{x:.2f}" for x in load_before), ""))
        rows.append(("load average (1, 5, 15 min) after", ", ".join(f"{x:.2f}" for x in load_after), ""))
        width = max(len(row[0]) for row in rows)
        value_width = max(len(row[1]) for row in rows)
        print(f"{'documents':<{width}}  {'measured':<{value_width}}  budget")
        for name, value, budget in rows:
            print(f"{name:<{width}}  {value:<{value_width}}  {budget}")
    finally:
        remove(organisation)


def remove(organisation) -> None:
    """What the bench made, in the order the protecting foreign keys allow. The organisation
    and its two users stay, deactivated: the append-only access log names them."""
    from competenties.models import Framework, JobProfile

    for model in (DocumentJob, BulkDocumentJob, Worker, JobProfile, Framework):
        model.objects.filter(organisation=organisation).delete()
    User.objects.filter(organisation=organisation).update(is_active=False)


if __name__ == "__main__":
    main()
