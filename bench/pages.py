"""Benchmark of the pages at sector scale (not a test); ``make bench`` runs it.

    .venv/bin/python -m bwise.embedded .venv/bin/python bench/pages.py [--workers 30000] [--requests 20]

Seeds an organisation of --workers workers (``seed_scale``, skipped when it exists), then
requests each page in process through Django's test client, logged in as that
organisation's own staff: the director's dashboard, the caseload of one of its coaches
(about 40 workers), and a worker with about 200 history rows: its page (the coach) and its
history page (HR, who may read history).
After two warm-ups, --requests requests per page, each measured for wall time, this
process's CPU time (Python) and the CPU time of its PostgreSQL backend (from
/proc/<pid>/stat: PostgreSQL must run on this machine, else that column is empty).
Then every SELECT one request ran is run again alone; the slowest is the page's
heaviest query, and page / heaviest says how much of the page is not that query.
For the federation view, also the time to compute its figures afresh (the page reads a
copy kept for a few minutes, which Celery renews).
Then the reminder scan over the whole database: a first pass (with no reminders yet, in a
transaction rolled back after) and a pass that finds nothing new. Last, throughput: gunicorn
with 2 workers on loopback and --concurrency threads requesting the caseload, then the
dashboard, for --load-seconds each (``bench/load.py``; 0 skips it).
The load average at start and end says how busy the machine was.

--pages measures some of the pages only, --no-scan leaves out the scan: ``make
bench-federation`` measures the federation view alone on 300,000 workers in 300
organisations (``--workers 300000 --organisations 300``), in a database of its own.
"""

import argparse
import os
import re
import statistics
import time
from pathlib import Path

from common import setup_django
from load import Gunicorn, load

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bwise.accounts.models import Organisation, Role, User  # noqa: E402
from bwise.privacy.history import history_for  # noqa: E402
from trajects.demo import TEAMS  # noqa: E402
from trajects.models import Worker  # noqa: E402

ORGANISATION = "Schaalproef vzw"
PAGES = ("dashboard", "caseload", "worker", "history", "federation")
HISTORY_ROWS = 200
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CONTEXT_PREFIX = re.compile(r"^SELECT set_config\('pghistory\.context_id'.*?;\s*", re.DOTALL)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def backend_cpu(pid) -> float | None:
    """Seconds of CPU (user + system) the PostgreSQL backend ``pid`` has used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime and stime, fields 14 and 15


def seed(workers: int, organisations: int) -> Organisation:
    """The scale organisation(s), seeded through the management command when missing."""
    organisation = Organisation.objects.filter(name=ORGANISATION).first()
    if (
        organisation is None
        or Worker.objects.filter(organisation=organisation).count() < workers // organisations
        or Organisation.objects.filter(name__startswith=ORGANISATION).count() < organisations
    ):
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("seed_scale", workers=workers, organisation=ORGANISATION, organisations=organisations)
        print(f"seeded in {time.perf_counter() - started:.1f} s")
        organisation = Organisation.objects.get(name=ORGANISATION)
    return organisation


def staff(organisation, role, name) -> User:
    user, _ = User.objects.get_or_create(
        username=f"schaal{organisation.pk}-{name}",
        defaults={"organisation": organisation, "roles": [role], "first_name": name.title()},
    )
    return user


def platform_staff() -> User:
    """A superuser with an authenticator, as platform staff must have one to see the federation."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user, created = User.objects.get_or_create(
        username="schaal-platform", defaults={"is_superuser": True, "is_staff": True}
    )
    if created:
        TOTP.activate(user, generate_totp_secret())
    return user


def rich_worker(coach, reader) -> tuple[Worker, int]:
    """A worker of ``coach`` with about HISTORY_ROWS history rows as ``reader`` sees them
    (team changes, added once)."""
    worker = Worker.objects.filter(coach=coach).order_by("pk").first()
    shown = len(history_for(worker, reader=reader, limit=HISTORY_ROWS).entries)
    for n in range(HISTORY_ROWS - shown):
        Worker.objects.filter(pk=worker.pk).update(team=TEAMS[n % len(TEAMS)] + f" {n % 7}")
    return worker, len(history_for(worker, reader=reader, limit=HISTORY_ROWS).entries)


def measure(client, url, requests, pid):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    get(), get()  # warm-ups: templates, translations, caches
    walls, pythons, postgres = [], [], []
    for _ in range(requests):
        before = backend_cpu(pid)
        cpu = time.process_time()
        started = time.perf_counter()
        get()
        walls.append((time.perf_counter() - started) * 1000)
        pythons.append((time.process_time() - cpu) * 1000)
        after = backend_cpu(pid)
        if before is not None and after is not None:
            postgres.append((after - before) * 1000)
    with CaptureQueriesContext(connection) as captured:
        get()
    return walls, pythons, postgres, [query["sql"] for query in captured.captured_queries]


def heaviest(queries) -> tuple[float, str]:
    """The slowest SELECT of a page, run alone (median of five), in a transaction rolled back."""
    slowest = (0.0, "")
    with transaction.atomic():
        with connection.cursor() as cursor:
            for sql in queries:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                samples = []
                for _ in range(5):
                    started = time.perf_counter()
                    cursor.execute(sql)  # no parameters: psycopg2 leaves any % alone
                    cursor.fetchall()
                    samples.append((time.perf_counter() - started) * 1000)
                slowest = max(slowest, (statistics.median(samples), sql))
        transaction.set_rollback(True)
    return slowest


def federation_compute_times(times: int = 5) -> list[float]:
    """Milliseconds to compute the federation's figures without the kept copy, as the
    Celery task does."""
    from bwise.dashboard.period import PeriodForm
    from bwise.dashboard.selectors import federation_figures

    found = []
    for _ in range(times):
        started = time.perf_counter()
        federation_figures(PeriodForm({}).period(), fresh=True)
        found.append((time.perf_counter() - started) * 1000)
    return found


def scan_times() -> tuple[float, list[float], int]:
    """Seconds of a first reminder scan and of two scans after it that find nothing new, and
    how many reminders the first made; rolled back."""
    from bwise.reminders.models import Reminder
    from bwise.reminders.services import reminders_scan

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Reminder._meta.db_table}")  # noqa: S608 - the model's table
        started = time.perf_counter()
        made = sum(reminders_scan().values())
        first = time.perf_counter() - started
        noops = []
        # Twice: the first pass after the inserts also reads them for the first time (their
        # visibility not yet noted), as an hourly scan over committed reminders does not.
        for _ in range(2):
            started = time.perf_counter()
            again = sum(reminders_scan().values())
            noops.append(time.perf_counter() - started)
            assert again == 0, again
        transaction.set_rollback(True)
    return first, noops, made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=30_000)
    parser.add_argument("--organisations", type=int, default=1, help="the workers split over this many")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--show-sql", action="store_true", help="print each page's heaviest query")
    parser.add_argument("--load-seconds", type=float, default=30, help="throughput run per page; 0 skips it")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--pages", default=",".join(PAGES), help=f"which of {', '.join(PAGES)} to measure, comma-separated"
    )
    parser.add_argument(
        "--scan", action=argparse.BooleanOptionalAction, default=True, help="time the reminder scan"
    )
    args = parser.parse_args()
    chosen = args.pages.split(",")
    if unknown := set(chosen) - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    load_start = os.getloadavg()

    organisation = seed(args.workers, args.organisations)
    director = staff(organisation, Role.DIRECTIE, "directie")
    coach = (
        User.objects.filter(
            organisation=organisation, roles__contains=[Role.COACH], username__contains="-coach-"
        )
        .order_by("pk")
        .first()
    )
    caseload = Worker.objects.filter(coach=coach).count()
    hr = staff(organisation, Role.HR, "hr")  # the history page is HR's and the administrator's
    worker, history_rows = rich_worker(coach, hr)
    total = Worker.objects.filter(organisation=organisation).count()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    pages = {
        "dashboard": (f"dashboard (director, {total} workers)", director, reverse("dashboard:dashboard")),
        "caseload": (f"caseload (coach, {caseload} workers)", coach, reverse("trajects:caseload")),
        "worker": (
            "worker page (coach)",
            coach,
            reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk}),
        ),
        "history": (
            f"worker history (HR, {history_rows} rows)",
            hr,
            reverse("trajects:worker_history", kwargs={"worker_pk": worker.pk}),
        ),
        "federation": (
            f"federation (platform staff, {Worker.objects.count()} workers in "
            f"{Organisation.objects.count()} organisations)",
            platform_staff(),
            reverse("dashboard:federation"),
        ),
    }
    rows = []
    for name, user, url in (pages[key] for key in chosen):
        client = Client()
        client.force_login(user)
        walls, pythons, postgres, queries = measure(client, url, args.requests, pid)
        heavy_ms, heavy_sql = heaviest(queries)
        median = statistics.median(walls)
        rows.append(
            (
                name,
                f"{median:.0f}",
                f"{percentile(walls, 0.95):.0f}",
                f"{statistics.median(pythons):.0f}",
                f"{statistics.median(postgres):.0f}" if postgres else "n/a",
                str(len(queries)),
                f"{heavy_ms:.1f}",
                f"{median / heavy_ms:.1f}" if heavy_ms else "n/a",
            )
        )
        if args.show_sql:  # without the history context pghistory's middleware puts first
            print(f"-- heaviest query of {name}:\n{CONTEXT_PREFIX.sub('', heavy_sql)}\n")

    federation_fresh = federation_compute_times() if "federation" in chosen else None
    scan = scan_times() if args.scan else None
    throughput = []
    if args.load_seconds:
        with Gunicorn(workers=2) as server:
            for name, user, url in (pages[key] for key in ("caseload", "dashboard") if key in chosen):
                client = Client()
                client.force_login(user)
                cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
                load(server.base + url, cookies, seconds=3, concurrency=args.concurrency)  # warm-up
                result = load(
                    server.base + url, cookies, seconds=args.load_seconds, concurrency=args.concurrency
                )
                throughput.append((name, result))

    load_end = os.getloadavg()
    print(f"\n{total} workers in {organisation}; {args.requests} requests per page after 2 warm-ups")
    print(f"load average (1, 5, 15 min) at start {fmt_load(load_start)}, at end {fmt_load(load_end)}")
    print(f"on {os.cpu_count()} cores: a load above that means the figures include waiting for a core\n")
    header = (
        "page",
        "median ms",
        "p95 ms",
        "Python CPU ms",
        "PostgreSQL CPU ms",
        "queries",
        "heaviest query ms",
        "page / heaviest",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if federation_fresh is not None:
        print(
            f"\nfederation figures computed afresh (the page reads a copy that Celery renews every "
            f"few minutes): median {statistics.median(federation_fresh):.0f} ms, "
            f"max {max(federation_fresh):.0f} ms over {len(federation_fresh)}"
        )
    if scan is not None:
        scan_first, scan_noops, scan_made = scan
        print(f"\nreminder scan over {Worker.objects.count()} workers: first pass {scan_first:.1f} s ")
        print(
            f"({scan_made} reminders); passes that find nothing new: {scan_noops[0]:.2f} s right after "
            f"it, {scan_noops[1]:.2f} s the pass after that"
        )
    if throughput:
        print(
            f"\nthroughput: gunicorn 2 workers, {args.concurrency} threads on loopback, "
            f"{args.load_seconds:.0f} s each\n"
        )
        print("| page | requests/s | median ms | p95 ms | failures |")
        print("|---|---:|---:|---:|---:|")
        for name, r in throughput:
            median = f"{r['median']:.0f}" if r["median"] is not None else "n/a"
            p95 = f"{r['p95']:.0f}" if r["p95"] is not None else "n/a"
            print(f"| {name} | {r['per_second']:.1f} | {median} | {p95} | {r['failures']} |")


def fmt_load(load) -> str:
    return ", ".join(f"{value:.2f}" for value in load)


if __name__ == "__main__":
    main()
