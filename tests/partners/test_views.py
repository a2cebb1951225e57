"""Pages: who sees which partners and placements, refusals shown as messages, the mentor's page."""

import datetime

import pytest
from django.urls import reverse

from bwise.accounts.models import Role
from competenties.models import JobProfileKind
from partners.models import Attendance, Stage
from partners.services import mentor_link_create, mentor_link_revoke
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import JobProfileFactory, JobProfileRequirementFactory
from tests.factories_partners import ApplicationFactory, PartnerFactory, StageFactory, VacancyFactory
from tests.factories_trajects import TrajectoryFactory


def test_partners_are_shared_within_one_organisation_only(client, coach, other_organisation):
    own = PartnerFactory(organisation=coach.organisation, name="Eigen Partner")
    colleague_partner = PartnerFactory(organisation=coach.organisation, name="Van Collega")
    PartnerFactory(organisation=other_organisation, name="Vreemde Partner")
    client.force_login(coach)
    body = client.get(reverse("partners:partner_list")).content.decode()
    assert "Eigen Partner" in body and "Van Collega" in body
    assert "Vreemde Partner" not in body
    other = PartnerFactory(organisation=other_organisation)
    assert client.get(reverse("partners:partner_detail", kwargs={"partner_pk": other.pk})).status_code == 404
    assert (
        client.get(
            reverse("partners:partner_detail", kwargs={"partner_pk": colleague_partner.pk})
        ).status_code
        == 200
    )
    assert own


def test_coaches_see_only_their_caseloads_stages_and_applications(client, coach, make_user):
    colleague = make_user(Role.COACH)
    mine = StageFactory(worker__organisation=coach.organisation, worker__coach=coach)
    theirs = StageFactory(worker__organisation=coach.organisation, worker__coach=colleague)
    their_application = ApplicationFactory(worker=theirs.worker, partner=theirs.partner)
    client.force_login(coach)
    assert client.get(reverse("partners:stage_detail", kwargs={"stage_pk": mine.pk})).status_code == 200
    assert client.get(reverse("partners:stage_detail", kwargs={"stage_pk": theirs.pk})).status_code == 404
    url = reverse("partners:application_edit", kwargs={"application_pk": their_application.pk})
    assert client.get(url).status_code == 404
    placements = reverse("partners:worker_placements", kwargs={"worker_pk": theirs.worker_id})
    assert client.get(placements).status_code == 404


def test_begeleider_cannot_plan_a_stage(client, coach, make_user):
    begeleider = make_user(Role.BEGELEIDER)
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, supervisor=begeleider)
    client.force_login(begeleider)
    assert client.get(reverse("partners:stage_create", kwargs={"worker_pk": worker.pk})).status_code == 403


def test_a_stage_kind_the_statute_excludes_is_refused(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, statuut="artikel_60")
    TrajectoryFactory(worker=worker, phase="jobmatching")
    host = PartnerFactory(organisation=coach.organisation)
    client.force_login(coach)
    response = client.post(
        reverse("partners:stage_create", kwargs={"worker_pk": worker.pk}),
        {
            "kind": "bvs",
            "partner": host.pk,
            "goal": "Verkennen",
            "mentor_name": "Mia",
            "start_date": "2026-04-06",
            "day_unit": "full",
            "day_count": "3",
            "agreement_signed_on": "2026-04-01",
            "programme": "x",
        },
    )
    assert response.status_code == 200
    # Not offered, so not a choice (the service refuses it too: tests/partners/test_stages.py).
    assert list(response.context["form"].errors) == ["kind"]
    assert not Stage.objects.exists()


def test_vacancy_page_ranks_workers_in_job_matching(client, coach):
    vacancy = VacancyFactory(partner__organisation=coach.organisation)
    requirement = JobProfileRequirementFactory(
        job_profile=vacancy.job_profile, competency__framework=vacancy.job_profile.framework, minimum_level=2
    )
    for name in ("Zoë", "Anna"):
        worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name=name, last_name="T")
        TrajectoryFactory(worker=worker, phase="jobmatching")
    outside = WorkerFactory(
        organisation=coach.organisation, coach=coach, first_name="Voor", last_name="Traject"
    )
    TrajectoryFactory(worker=outside)
    client.force_login(coach)
    body = client.get(reverse("partners:vacancy_detail", kwargs={"vacancy_pk": vacancy.pk})).content.decode()
    assert body.index("Anna T") < body.index("Zoë T")
    assert "Voor Traject" not in body
    assert requirement.competency.name in body


@pytest.fixture
def mentored(coach):
    today = datetime.date.today()
    stage = StageFactory(
        worker__organisation=coach.organisation,
        worker__coach=coach,
        worker__first_name="Fatima",
        worker__last_name="Geheimnaam",
        start_date=today - datetime.timedelta(days=2),
        end_date=today + datetime.timedelta(days=2),
    )
    return stage, mentor_link_create(stage=stage, by=coach)


def test_mentor_page_shows_first_name_only_and_attributes_entries(client, coach, mentored):
    stage, token = mentored
    url = reverse("partners:mentor", kwargs={"token": token})
    body = client.get(url).content.decode()
    assert "Fatima" in body and "Geheimnaam" not in body
    # Today, not the stage's first day: the stage page shows the current month, and the
    # first day falls in the previous month on the first two days of a month.
    response = client.post(
        url, {"form": "attendance", "day": datetime.date.today().isoformat(), "status": "present"}
    )
    assert response.status_code == 302
    record = Attendance.objects.get()
    assert record.entered_via == stage.mentor_link and record.entered_by is None
    client.force_login(coach)
    coach_view = client.get(reverse("partners:stage_detail", kwargs={"stage_pk": stage.pk})).content.decode()
    assert "de link van de peter/meter" in coach_view


def test_mentor_page_refuses_bad_input_without_500(client, mentored):
    stage, token = mentored
    url = reverse("partners:mentor", kwargs={"token": token})
    day = (stage.end_date + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"form": "attendance", "day": day, "status": "present"})
    assert response.status_code == 200
    assert "buiten de stage" in response.content.decode()
    assert client.post(url, {"form": "evaluation", "kind": "nonsense"}).status_code == 200


def test_revoked_link_is_refused(client, coach, mentored):
    stage, token = mentored
    mentor_link_revoke(stage=stage, by=coach)
    assert client.get(reverse("partners:mentor", kwargs={"token": token})).status_code == 404


def test_foreign_coach_cannot_make_a_link(client, mentored, other_organisation):
    stage, _token = mentored
    outsider = UserFactory(organisation=other_organisation, roles=[Role.COACH])
    client.force_login(outsider)
    assert (
        client.post(reverse("partners:mentor_link_create", kwargs={"stage_pk": stage.pk})).status_code == 404
    )


def test_the_vacancy_form_offers_the_partner_vacancy_profiles_and_a_link_to_make_one(
    client, coach, make_user
):
    partner = PartnerFactory(organisation=coach.organisation)
    fitting = JobProfileFactory(organisation=coach.organisation, kind=JobProfileKind.PARTNER_VACANCY)
    JobProfileFactory(organisation=coach.organisation, kind=JobProfileKind.INTERNAL)
    JobProfileFactory(kind=JobProfileKind.PARTNER_VACANCY)  # another organisation's
    url = reverse("partners:vacancy_create", kwargs={"partner_pk": partner.pk})
    client.force_login(coach)
    response = client.get(url)
    assert list(response.context["form"].fields["job_profile"].queryset) == [fitting]
    new = f"{reverse('competenties:jobprofile_create')}?kind=partner_vacancy"
    assert f'href="{new}"' in response.content.decode()
    assert client.get(new).context["form"]["kind"].value() == JobProfileKind.PARTNER_VACANCY

    # Who cannot make job profiles is not sent to make one.
    client.force_login(make_user(Role.BEHEERDER))
    assert 'href="/competencies/job-profiles/new/' not in client.get(url).content.decode()
