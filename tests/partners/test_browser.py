"""A coach's road from a new partner to the first aftercare contact, in the browser."""

import datetime

import pytest

from bwise.accounts.models import Role
from competenties.models import JobProfileKind
from partners.models import Attendance, Evaluation, FollowUp, Hire, Stage
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    JobProfileFactory,
    JobProfileRequirementFactory,
)
from tests.factories_partners import PartnerFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.state import Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, form="main form"):
    page.locator(f"{form} [type=submit]").last.click()
    page.wait_for_load_state()


def _worker(coach, first_name, level, indicator):
    worker = WorkerFactory(
        organisation=coach.organisation, coach=coach, first_name=first_name, last_name="Test"
    )
    TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    assessment = AssessmentFactory(worker=worker, framework=indicator.competency.framework)
    IndicatorScoreFactory(assessment=assessment, indicator=indicator, level=level)
    return worker


def test_partner_vacancy_match_bvs_hire_and_first_follow_up(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    profile = JobProfileFactory(
        organisation=organisation, name="Magazijnier", kind=JobProfileKind.PARTNER_VACANCY
    )
    indicator = IndicatorFactory(competency__framework=profile.framework, competency__name="Stiptheid")
    JobProfileRequirementFactory(job_profile=profile, competency=indicator.competency, minimum_level=3)
    _worker(coach, "Amir", 1, indicator)  # first by name, but two levels short
    best = _worker(coach, "Sara", 4, indicator)
    today = datetime.date.today()
    login("coach")

    page.goto("/partners/new/")
    page.fill("input[name=name]", "Logistiek Noord NV")
    page.select_option("select[name=kind]", "nec_company")
    page.select_option("select[name=region]", organisation.region)
    page.fill("textarea[name=kind_of_work]", "Orderpicking")
    _submit(page)
    assert page.locator("h1").inner_text().startswith("Logistiek Noord NV")

    page.locator("a[href$='/vacancies/new/']").click()
    page.fill("input[name=title]", "Orderpicker")
    page.select_option("select[name=job_profile]", label="Magazijnier")
    page.select_option("select[name=route]", "bvs")
    _submit(page)
    rows = page.locator("#matches tbody tr")
    assert rows.count() == 2
    assert rows.first.inner_text().startswith("Sara Test")
    assert "Stiptheid: 1/3" in rows.nth(1).inner_text()

    rows.first.locator("a[href*='/stages/new/']").click()
    page.select_option("select[name=kind]", "bvs")
    page.fill("input[name=post]", "Orderpicking")
    page.fill("textarea[name=goal]", "Kennismaken met orderpicking")
    page.fill("input[name=mentor_name]", "Peter Janssens")
    page.fill("input[name=start_date]", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=end_date]", (today + datetime.timedelta(days=1)).isoformat())
    page.select_option("select[name=day_unit]", "full")
    page.fill("input[name=day_count]", "1")
    page.fill("input[name=agreement_signed_on]", (today - datetime.timedelta(days=5)).isoformat())
    page.fill("textarea[name=programme]", "Dag 1 rondleiding, dag 2-3 meelopen")
    _submit(page)
    stage = Stage.objects.get()
    assert stage.worker == best and stage.partner.name == "Logistiek Noord NV"
    assert stage.trajectory.phase == Phase.STAGE

    page.fill("#attendance-form input[name=day]", today.isoformat())
    page.select_option("#attendance-form select[name=status]", "present")
    _submit(page, "#attendance-form")
    assert Attendance.objects.get(stage=stage).entered_by == coach

    page.select_option("#evaluation-form select[name=kind]", "final")
    page.select_option("#evaluation-form select[name=method]", "on_site")
    page.fill("#evaluation-form input[name=held_on]", today.isoformat())
    page.fill("#evaluation-form textarea[name=critical_incidents]", "Vroeg aanwezig, vroeg zelf om uitleg")
    page.select_option(f"#evaluation-form select[name=level_{indicator.competency_id}]", "4")
    page.check("#evaluation-form input[name=contract_in_prospect]")
    _submit(page, "#evaluation-form")
    assert "Vroeg aanwezig" in page.locator("#evaluations").inner_text()
    assert Evaluation.objects.get(stage=stage).levels.get().level == 4

    page.locator(f"a[href='/partners/workers/{best.pk}/']").first.click()
    page.locator("a[href$='/hire/']").click()
    page.select_option("select[name=contract_type]", "permanent")
    page.fill("input[name=start_date]", today.isoformat())
    page.fill("input[name=wage_subsidy]", "Doelgroepvermindering")
    _submit(page)
    hire = Hire.objects.get()
    assert hire.employer == stage.partner
    hire.trajectory.refresh_from_db()
    assert hire.trajectory.phase == Phase.NAZORG
    assert page.locator("#follow-ups tbody tr").count() == 10

    page.locator("#follow-ups a[href*='/follow-ups/']").first.click()
    page.fill("textarea[name=notes]", "Eerste week goed verlopen")
    _submit(page)
    assert "Eerste week goed verlopen" in page.locator("#follow-ups").inner_text()
    assert FollowUp.objects.filter(done_on=today, done_by=coach).count() == 1


def test_the_stage_form_shows_the_chosen_kind_only(page, login, organisation):
    coach = UserFactory(username="coach", organisation=organisation, roles=[Role.COACH])
    worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Ines", last_name="Test")
    TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    host = PartnerFactory(organisation=organisation, name="Bakkerij Noord")
    login("coach")
    page.goto(f"/partners/workers/{worker.pk}/stages/new/")
    tbs_field, bvs_field = page.locator("[name=tbs_paid_by]"), page.locator("[name=day_count]")
    enclave_field, mentor_field = page.locator("[name=site_supervisor]"), page.locator("[name=mentor_name]")
    purposes = page.locator("#stage-kind-purposes li")
    page.select_option("select[name=kind]", "bvs")
    assert bvs_field.is_visible() and mentor_field.is_visible()
    assert not tbs_field.is_visible() and not enclave_field.is_visible()
    assert [purposes.nth(i).is_visible() for i in range(3)] == [False, True, False]
    page.select_option("select[name=kind]", "enclave")
    assert enclave_field.is_visible() and not mentor_field.is_visible() and not bvs_field.is_visible()

    # A BVS is planned before the agreement is signed; every rule it breaks shows at once.
    page.select_option("select[name=kind]", "bvs")
    page.select_option("select[name=partner]", str(host.pk))
    page.fill("textarea[name=goal]", "Bakken verkennen")
    monday = datetime.date(2026, 6, 8)
    page.fill("input[name=start_date]", monday.isoformat())
    page.fill("input[name=end_date]", (monday + datetime.timedelta(days=1)).isoformat())
    page.select_option("select[name=day_unit]", "full")
    page.fill("input[name=day_count]", "3")
    _submit(page)
    summary = page.locator("[data-error-summary] a[data-field]")
    assert set(summary.evaluate_all("links => links.map(a => a.dataset.field)")) == {
        "id_end_date",
        "id_mentor_name",
        "id_programme",
    }
    page.fill("input[name=mentor_name]", "Meter Mia")
    page.fill("textarea[name=programme]", "Dag 1 rondleiding")
    page.fill("input[name=end_date]", (monday + datetime.timedelta(days=2)).isoformat())
    _submit(page)
    stage = Stage.objects.get()
    assert (stage.kind, stage.agreement_signed_on, stage.tbs_paid_by) == ("bvs", None, "")
    assert str(stage.start_date.year) not in page.locator("#bvs-agreement").inner_text()
    # The draft prints at once; the signing date is recorded on the stage afterwards.
    page.locator("form:has(input[name=kind][value=bvs_agreement]) [type=submit]").click()
    page.wait_for_load_state()
    assert Stage.objects.get().agreement_signed_on is None
