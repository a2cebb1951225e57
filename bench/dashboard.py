"""Benchmark of the director's dashboard at sector scale (not a test).

    .venv/bin/python -m bwise.embedded .venv/bin/python bench/dashboard.py [--workers 30000] [--requests 30]

Seeds an organisation of --workers workers with their trajectory history (through
``seed_scale``, skipped when they exist), then reports the median and 95th
percentile response time of the dashboard page (Django test client, logged in as a
director) and, in the same run, of the raw SQL of its heaviest aggregate (the time
per phase, with its window function and percentiles), so the page's overhead over
the database reads as a ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bwise.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bwise.accounts.demo import seed_scale  # noqa: E402
from bwise.accounts.models import Role, User  # noqa: E402
from bwise.dashboard.figures import phase_durations_sql  # noqa: E402
from bwise.dashboard.period import Period  # noqa: E402
from trajects.models import Worker  # noqa: E402

ORGANISATION = "Schaalproef vzw"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(func, repeats):
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Pages render without a collectstatic manifest, as in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    started = time.perf_counter()
    organisation = seed_scale(workers=args.workers, organisation_name=ORGANISATION)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as seed_scale does: plans need statistics of the bulk load
    count = Worker.objects.filter(organisation=organisation).count()
    print(
        f"organisation: {organisation} with {count} workers "
        f"(seed/check {time.perf_counter() - started:.1f} s)"
    )

    director, _ = User.objects.get_or_create(
        username="schaal-directie", defaults={"organisation": organisation, "roles": [Role.DIRECTIE]}
    )
    client = Client()
    client.force_login(director)
    url = reverse("dashboard:dashboard")

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page()  # warm-up: templates, translations
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        page()
    page_median, page_p95 = timed(page, args.requests)

    sql, params = phase_durations_sql(Worker.objects.filter(organisation=organisation), Period.this_year())

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    raw()
    sql_median, sql_p95 = timed(raw, args.requests)

    print(f"dashboard page: {len(queries)} queries per request, {args.requests} requests")
    print(f"  page  median {page_median:8.1f} ms   p95 {page_p95:8.1f} ms")
    print(
        f"  SQL   median {sql_median:8.1f} ms   p95 {sql_p95:8.1f} ms"
        "   (time per phase, the heaviest aggregate)"
    )
    print(f"  page / SQL (median): {page_median / sql_median:.1f}")


if __name__ == "__main__":
    main()
