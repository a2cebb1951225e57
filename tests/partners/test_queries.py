"""Jobmatching reads in a fixed number of queries, however many workers or vacancies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.selectors import matches_for_vacancy, matches_for_worker
from tests.factories import WorkerFactory
from tests.factories_competenties import (
    AssessmentFactory,
    IndicatorScoreFactory,
    JobProfileRequirementFactory,
)
from tests.factories_partners import VacancyFactory
from tests.factories_trajects import TrajectoryFactory

pytestmark = pytest.mark.django_db


def _workers(coach, vacancy, n):
    requirement = vacancy.job_profile.requirements.first()
    for _ in range(n):
        worker = WorkerFactory(organisation=coach.organisation, coach=coach)
        TrajectoryFactory(worker=worker, phase="jobmatching")
        assessment = AssessmentFactory(worker=worker, framework=vacancy.job_profile.framework)
        IndicatorScoreFactory(assessment=assessment, indicator__competency=requirement.competency)


def _count(func):
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


def test_matches_for_a_vacancy_do_not_grow_with_workers(coach):
    vacancy = VacancyFactory(partner__organisation=coach.organisation)
    JobProfileRequirementFactory(
        job_profile=vacancy.job_profile, competency__framework=vacancy.job_profile.framework
    )
    _workers(coach, vacancy, 2)
    small = _count(lambda: matches_for_vacancy(vacancy, coach))
    _workers(coach, vacancy, 8)
    assert _count(lambda: matches_for_vacancy(vacancy, coach)) == small
    assert len(matches_for_vacancy(vacancy, coach)) == 10


def test_matches_for_a_worker_do_not_grow_with_vacancies(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    VacancyFactory.create_batch(2, partner__organisation=coach.organisation)
    small = _count(lambda: matches_for_worker(worker, coach))
    VacancyFactory.create_batch(6, partner__organisation=coach.organisation)
    assert _count(lambda: matches_for_worker(worker, coach)) == small


def test_a_worker_is_not_offered_what_the_statute_excludes(client, coach):
    """Matching lists leave out the vacancies whose route the statute excludes, and the
    stage form does not offer those kinds."""
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, statuut="artikel_60")
    TrajectoryFactory(worker=worker, phase="jobmatching")
    bvs = VacancyFactory(partner__organisation=coach.organisation, route="bvs")
    direct = VacancyFactory(partner__organisation=coach.organisation, route="direct")
    assert [vacancy for vacancy, _match in matches_for_worker(worker, coach)] == [direct]
    assert matches_for_vacancy(bvs, coach) == []
    assert [w for w, _match in matches_for_vacancy(direct, coach)] == [worker]

    client.force_login(coach)
    form = client.get(reverse("partners:stage_create", kwargs={"worker_pk": worker.pk})).context["form"]
    assert [value for value, _label in form.fields["kind"].choices if value] == ["enclave"]
    worker.statuut = "lde"
    worker.save()
    form = client.get(reverse("partners:stage_create", kwargs={"worker_pk": worker.pk})).context["form"]
    assert [value for value, _label in form.fields["kind"].choices if value] == ["tbs", "bvs", "enclave"]


def test_the_matching_list_says_not_measured_instead_of_a_distance(client, coach):
    vacancy = VacancyFactory(partner__organisation=coach.organisation)
    JobProfileRequirementFactory(
        job_profile=vacancy.job_profile, competency__framework=vacancy.job_profile.framework
    )
    _workers(coach, vacancy, 1)
    unmeasured = WorkerFactory(organisation=coach.organisation, coach=coach)
    TrajectoryFactory(worker=unmeasured, phase="jobmatching")
    client.force_login(coach)
    page = client.get(reverse("partners:vacancy_detail", kwargs={"vacancy_pk": vacancy.pk}))
    rows = page.context["matches"]
    assert [match.measured for _worker, match, _shortfalls in rows] == [True, False]
    assert rows[-1][0] == unmeasured
    html = page.content.decode()
    row = html[html.index(unmeasured.full_name) :]
    row = row[: row.index("</tr>")]
    assert 'class="text-body-secondary"' in row and f"<td>{rows[-1][1].distance}</td>" not in row
