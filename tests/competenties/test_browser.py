"""A coach goes from the worker's self-assessment and their own to the comparison, the gap
against a job profile and an agreed POP, in the browser."""

import datetime

import pytest

from bwise.accounts.models import Role
from competenties.models import Plan, PlanStatus
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import (
    CompetencyFactory,
    FrameworkFactory,
    IndicatorFactory,
    JobProfileFactory,
    JobProfileRequirementFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(page, indicators, level):
    for indicator in indicators:
        page.click(f"label[for=id_level_{indicator.pk}_{level}]")


def test_coach_from_self_assessment_to_agreed_pop(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Lieve", last_name="Verstraete")
    framework = FrameworkFactory(organisation=organisation, name="Werkattitude")
    teamwork = CompetencyFactory(framework=framework, name="Samenwerken")
    punctual = CompetencyFactory(framework=framework, name="Stiptheid")
    indicators = [IndicatorFactory(competency=c) for c in (teamwork, teamwork, punctual, punctual)]
    profile = JobProfileFactory(organisation=organisation, framework=framework, name="Magazijnier")
    JobProfileRequirementFactory(job_profile=profile, competency=teamwork, minimum_level=3)
    JobProfileRequirementFactory(job_profile=profile, competency=punctual, minimum_level=2)

    login("coach")
    page.goto(f"/competencies/workers/{worker.pk}/")
    page.click("a[href$='?method=self_assessment']")
    page.select_option("select[name=rater_role]", "self")
    _rate(page, indicators, 4)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Verstraete" in page.locator("h1").inner_text()

    page.goto(f"/competencies/workers/{worker.pk}/")
    page.locator("main a.btn-primary").first.click()
    page.select_option("select[name=rater_role]", "coach")
    _rate(page, indicators[:2], 2)  # teamwork: the coach sees 2 where the worker says 4
    _rate(page, indicators[2:], 3)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"/competencies/workers/{worker.pk}/")
    disagreement = page.locator("#comparison tr.disagreement")
    assert disagreement.count() == 1
    assert "Samenwerken" in disagreement.inner_text()

    page.click("form[action$='/gap/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("svg.gap-chart").is_visible()
    assert page.locator("#gap-table tr.table-danger").count() == 1
    assert "Samenwerken" in page.locator("#gap-table tr.table-danger").inner_text()

    page.select_option("select[name=kind]", "pop")
    page.fill("input[name=year]", str(datetime.date.today().year))
    page.click("form[action$='/plan/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#plan-actions tbody tr").count() == 1
    assert "Samenwerken" in page.locator("#plan-actions").inner_text()

    Plan.objects.get(worker=worker).actions.update(who_helps="Coach", due_date=datetime.date.today())
    page.select_option("select[name=to_status]", "agreed")
    page.click("form[action$='/status/'] button[type=submit]")
    page.wait_for_load_state()
    plan = Plan.objects.get(worker=worker)
    assert plan.status == PlanStatus.AGREED
    assert plan.agreed_on == datetime.date.today()
