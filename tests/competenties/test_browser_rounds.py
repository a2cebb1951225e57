"""On a tablet: a coach opens a round, the coach, a supervisor and the worker (entered by the
coach) rate, the coach settles a disagreement and closes the round, and the gap follows."""

import pytest

from bwise.accounts.models import Role
from competenties.models import AgreedLevel, RoundStatus
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
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_round_from_opening_to_the_agreed_gap_on_a_tablet(page, login, organisation):
    page.set_viewport_size({"width": 800, "height": 1280})
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    supervisor = UserFactory(username="begeleider", organisation=organisation, roles=[Role.BEGELEIDER])
    worker = WorkerFactory(
        organisation=organisation, coach=coach, supervisor=supervisor, last_name="Verstraete"
    )
    framework = FrameworkFactory(organisation=organisation, name="Werkattitude")
    teamwork = CompetencyFactory(framework=framework, name="Samenwerken", order=0)
    punctual = CompetencyFactory(framework=framework, name="Stiptheid", order=1)
    indicators = {
        c: [IndicatorFactory(competency=c), IndicatorFactory(competency=c)] for c in (teamwork, punctual)
    }
    profile = JobProfileFactory(organisation=organisation, framework=framework, name="Magazijnier")
    JobProfileRequirementFactory(job_profile=profile, competency=teamwork, minimum_level=3)

    login("coach")
    page.goto("/competencies/rounds/new/")
    page.fill("input[name=title]", "Voorjaar")
    page.select_option("select[name=framework]", str(framework.pk))
    page.check(f"input[name=workers][value='{worker.pk}']")
    page.check(f"input[name=supervisors][value='{supervisor.pk}']")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#round-status a.rate-link").count() == 2  # the coach's own and the worker's

    page.locator("#round-status a.rate-link").last.click()  # the self-assessment, with the worker
    _rate(page, indicators[teamwork] + indicators[punctual], 4)
    page.locator("#round-status a.rate-link").first.click()  # the coach's own
    _rate(page, indicators[teamwork], 2)
    assert page.locator("#round-status a.rate-link").count() == 0

    page.context.clear_cookies()
    login("begeleider")
    round_url = f"/competencies/rounds/{worker.round_participations.get().round_id}/"
    page.goto(round_url)
    page.locator("#round-status a.rate-link").click()
    _rate(page, indicators[teamwork], 4)

    page.context.clear_cookies()
    login("coach")
    page.goto(f"{round_url}workers/{worker.pk}/")
    row = page.locator("#consensus tr.disagreement")
    assert row.count() == 1 and "Samenwerken" in row.inner_text()
    row.locator("select").select_option("3")
    row.locator("input[type=text]").fill("Samen bekeken: helpt collega's sinds de tweede week.")
    page.click("#save-consensus")
    page.wait_for_load_state()
    page.goto(round_url)
    page.click("#close-round")
    page.wait_for_load_state()
    assert worker.round_participations.get().round.status == RoundStatus.CLOSED
    assert AgreedLevel.objects.get(competency=teamwork).level == 3

    page.goto(f"/competencies/workers/{worker.pk}/gap/?job_profile={profile.pk}")
    assert page.locator("#gap-table tr.table-danger").count() == 0
    assert "3" in page.locator("#gap-table tbody tr").first.inner_text()
    assert page.locator("#gap-table .provisional").count() == 0
