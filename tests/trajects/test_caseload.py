import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bwise.accounts.models import Role
from bwise.core.forms import SELECT_LIMIT
from tests.factories import UserFactory, WorkerFactory
from tests.factories_trajects import CoachingMomentFactory, TrajectoryFactory, reach
from trajects.models import Trajectory, Worker
from trajects.state import PHASE_ORDER, Phase, Status

pytestmark = pytest.mark.django_db


def _fill(organisation, coach, count):
    workers = Worker.objects.bulk_create(
        [
            Worker(
                organisation=organisation,
                coach=coach,
                first_name=f"W{i}",
                last_name=f"L{i}",
                statuut="lde",
                statuut_start=datetime.date(2021, 1, 1),
                team="Groen",
            )
            for i in range(count)
        ]
    )
    trajectories = [Trajectory(worker=w, trigger="own_request") for w in workers]
    for i, trajectory in enumerate(trajectories):
        reach(trajectory, phase=PHASE_ORDER[i % 4])
    Trajectory.objects.bulk_create(trajectories)
    for worker in workers[:: max(1, count // 10)]:
        CoachingMomentFactory(worker=worker, next_steps_due=datetime.date(2020, 1, 1))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_caseload_query_count_does_not_grow_with_workers(client, coach, hr, organisation):
    _fill(organisation, coach, 10)
    client.force_login(hr)
    url = reverse("trajects:caseload") + "?page=1"
    small = _queries(client, url)
    _fill(organisation, coach, 190)
    client.force_login(coach)
    client.force_login(hr)
    large = _queries(client, url)
    assert Worker.objects.count() == 200
    assert small == large, (small, large)
    print("caseload queries:", small)


def test_caseload_shows_phase_days_next_due_and_lde_warning(client, coach):
    worker = WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        statuut="lde",
        statuut_start=timezone.localdate() - datetime.timedelta(days=365 * 5 - 30),
    )
    TrajectoryFactory(
        worker=worker, phase=Phase.STAGE, phase_since=timezone.now() - datetime.timedelta(days=12)
    )
    CoachingMomentFactory(
        worker=worker, next_steps="CV", next_steps_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(coach)
    page = client.get(reverse("trajects:caseload")).content.decode()
    assert "<td>stage</td>" in page
    assert ">12<" in page
    assert "(te laat)" in page
    assert "badge text-bg-warning" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"phase": "stage"}, {"Stage"}),
        ({"phase": "none"}, {"Zonder"}),
        ({"statuut": "maatwerk"}, {"Zonder"}),
        ({"team": "Keuken"}, {"Stage"}),
        ({"overdue": "true"}, {"Stage"}),
        ({"q": "zond"}, {"Zonder"}),
    ],
)
def test_caseload_filters(client, coach, params, expected):
    staged = WorkerFactory(
        organisation=coach.organisation, coach=coach, last_name="Stage", statuut="lde", team="Keuken"
    )
    TrajectoryFactory(worker=staged, phase=Phase.STAGE)
    TrajectoryFactory(worker=staged, phase=Phase.VOORTRAJECT, status=Status.CLOSED, outcome="stopgezet")
    CoachingMomentFactory(worker=staged, next_steps_due=datetime.date(2020, 5, 1))
    WorkerFactory(
        organisation=coach.organisation, coach=coach, last_name="Zonder", statuut="maatwerk", team="Groen"
    )
    client.force_login(coach)
    response = client.get(reverse("trajects:caseload"), params)
    names = {w.last_name for w in response.context["object_list"]}
    assert names == expected


def test_hr_and_directie_see_the_whole_organisation_and_begeleider_only_theirs(client, coach, make_user):
    WorkerFactory(organisation=coach.organisation, coach=coach)
    WorkerFactory(organisation=coach.organisation)
    for role, count in ((Role.HR, 2), (Role.DIRECTIE, 2), (Role.COACH, 0)):
        client.force_login(make_user(role))
        assert client.get(reverse("trajects:caseload")).context["paginator"].count == count


def _org_of(organisation, coaches: int, workers_each: int):
    """``coaches`` other coaches of the organisation, each with ``workers_each`` workers."""
    others = UserFactory.create_batch(coaches, organisation=organisation, roles=[Role.COACH])
    for other in others:
        _fill(organisation, other, workers_each)
    return others


def test_a_coachs_caseload_costs_the_same_queries_in_a_small_and_a_large_organisation(
    client, coach, organisation
):
    _fill(organisation, coach, 5)
    _org_of(organisation, 2, 5)
    client.force_login(coach)
    url = reverse("trajects:caseload")
    small = _queries(client, url)
    _org_of(organisation, 60, 2)
    large = _queries(client, url)
    assert small == large, (small, large)


def test_the_coach_filter_of_a_coach_lists_only_the_coaches_of_their_workers(client, coach, organisation):
    colleague = UserFactory(organisation=organisation, roles=[Role.COACH], last_name="Gedeeld")
    shared = WorkerFactory(organisation=organisation, coach=colleague)
    shared.shared_with.add(coach)
    WorkerFactory(organisation=organisation, coach=coach)
    unrelated = UserFactory(organisation=organisation, roles=[Role.COACH], last_name="Onbekend")
    WorkerFactory(organisation=organisation, coach=unrelated)
    client.force_login(coach)
    response = client.get(reverse("trajects:caseload"))
    choices = set(response.context["filter"].form.fields["coach"].queryset)
    assert choices == {coach, colleague}
    page = response.content.decode()
    assert f'<option value="{colleague.pk}">' in page
    assert "Onbekend" not in page
    # An unrelated colleague's id answers like a missing one: not a choice.
    assert client.get(reverse("trajects:caseload"), {"coach": unrelated.pk}).status_code == 400


def test_a_reader_of_many_coaches_gets_a_search_field_with_suggestions(
    client, hr, organisation, other_organisation
):
    others = _org_of(organisation, SELECT_LIMIT + 1, 1)
    target = others[0]
    target.last_name = "Zoekbaar"
    target.save()
    foreign = UserFactory(organisation=other_organisation, roles=[Role.COACH], last_name="Zoekbaar")
    WorkerFactory(organisation=other_organisation, coach=foreign)
    client.force_login(hr)
    page = client.get(reverse("trajects:caseload"), {"coach": target.pk}).content.decode()
    assert '<select name="coach"' not in page
    assert 'type="search" name="coach"' in page
    # Only the chosen coach travels with the page; the rest come from the suggestions.
    assert page.count("<option value=") < SELECT_LIMIT
    assert f'<option value="{target.pk}" selected>{target}</option>' in page
    suggestions = client.get(reverse("trajects:coach_choices"), {"coach": "zoekb"}).content.decode()
    assert suggestions == f'<option value="{target.pk}">{target}</option>'
    assert client.get(reverse("trajects:coach_choices")).content.decode().count("<option") == 20


def test_the_coach_suggestions_need_the_capability(client, beheerder):
    client.force_login(beheerder)
    assert client.get(reverse("trajects:coach_choices")).status_code == 403
