"""The pages' query counts do not grow with the organisation (issue 16).

Not timed (``make bench`` times them): the same pages, the federation view too, are counted
on the scale data of ``seed_scale`` (its COPY path) at 100 and at 5,000 workers, the
worker's history grown with them: about 3 and 125 coaches, so that both sides of the coach
filter's switch to a search field (past ``SELECT_LIMIT`` coaches) are counted. A page whose
count grew would be marked xfail(strict=True) naming the issue, so that its fix turns into a
failure asking for the mark to go; none grows today. One test for the five pages: seeding
twice is most of its time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bwise.accounts.demo import seed_scale
from bwise.accounts.models import Role, User
from bwise.core.forms import SELECT_LIMIT
from tests.factories import PlatformStaffFactory
from trajects.models import Worker

pytestmark = pytest.mark.django_db

ORGANISATION = "Schaal vzw"
SMALL, LARGE = 100, 5_000


def _seed(workers):
    """The scale data, with the planner statistics a database has once autovacuum has seen
    the new rows (``seed_scale`` the command ends with them too): without them PostgreSQL
    takes the bulk-loaded tables for empty, and the caseload's coach choices took 5 s at
    5,000 workers by a nested loop over every worker for every coach."""
    organisation = seed_scale(workers=workers, organisation_name=ORGANISATION)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return organisation


def _count(client, url) -> int:
    client.get(url)  # the first request of a session may fill caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _pages(organisation):
    coach = (
        User.objects.filter(organisation=organisation, roles__contains=[Role.COACH]).order_by("pk").first()
    )
    director, _ = User.objects.get_or_create(
        username="schaal-directie-test", defaults={"organisation": organisation, "roles": [Role.DIRECTIE]}
    )
    hr, _ = User.objects.get_or_create(
        username="schaal-hr-test", defaults={"organisation": organisation, "roles": [Role.HR]}
    )
    worker = Worker.objects.filter(coach=coach).order_by("pk").first()
    staff = User.objects.filter(username="schaal-platform-test").first() or PlatformStaffFactory(
        username="schaal-platform-test"
    )
    return (
        {
            "dashboard": (director, reverse("dashboard:dashboard")),
            "caseload": (coach, reverse("trajects:caseload")),
            "worker": (coach, reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})),
            "history": (hr, reverse("trajects:worker_history", kwargs={"worker_pk": worker.pk})),
            # Over every organisation, from the summaries that seed_scale computes.
            "federation": (staff, reverse("dashboard:federation")),
        },
        coach,
        worker,
    )


def test_query_counts_do_not_grow_with_the_organisation(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    organisation = _seed(SMALL)
    pages, coach, worker = _pages(organisation)
    small = {}
    for page, (user, url) in pages.items():
        client.force_login(user)
        small[page] = _count(client, url)
    caseload_before = Worker.objects.filter(coach=coach).count()

    _seed(LARGE)
    for n in range(30):  # thirty more history rows for the worker
        Worker.objects.filter(pk=worker.pk).update(team=f"Team {n}")
    assert Worker.objects.filter(coach=coach).count() > caseload_before
    assert User.objects.filter(organisation=organisation, roles__contains=[Role.COACH]).count() > SELECT_LIMIT
    large = {}
    for page, (user, url) in pages.items():
        client.force_login(user)
        large[page] = _count(client, url)
    # Past SELECT_LIMIT coaches the dashboard's coach filter is a search field whose options
    # are no longer read: one query less, the only difference allowed.
    assert large == {**small, "dashboard": small["dashboard"] - 1}, (
        f"queries at {SMALL} workers {small}, at {LARGE} {large}"
    )
