"""Jobmatching reads in a fixed number of queries, however many workers or vacancies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
