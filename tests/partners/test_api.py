import datetime

import pytest
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from partners.models import FollowUp
from tests.factories import WorkerFactory
from tests.factories_partners import (
    ApplicationFactory,
    HireFactory,
    PartnerContactFactory,
    PartnerFactory,
    StageFactory,
    VacancyFactory,
    VisitChecklistFactory,
)
from tests.factories_trajects import TrajectoryFactory
from trajects.services import employment_end_record
from trajects.state import Outcome, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_partners_listed_within_the_organisation_only(api, coach, other_organisation):
    own = PartnerFactory(organisation=coach.organisation)
    PartnerFactory(organisation=other_organisation)
    api.force_authenticate(coach)
    assert _ids(api.get("/api/v1/partners/")) == {own.pk}


def test_stages_and_applications_of_the_caseload_only(api, coach, make_user):
    colleague = make_user(Role.COACH)
    mine = StageFactory(worker__organisation=coach.organisation, worker__coach=coach)
    theirs = StageFactory(worker__organisation=coach.organisation, worker__coach=colleague)
    my_application = ApplicationFactory(worker=mine.worker, partner=mine.partner)
    ApplicationFactory(worker=theirs.worker, partner=theirs.partner)
    api.force_authenticate(coach)
    assert _ids(api.get("/api/v1/stages/")) == {mine.pk}
    assert _ids(api.get("/api/v1/applications/")) == {my_application.pk}
    assert api.get(f"/api/v1/stages/{theirs.pk}/").status_code == 404


def test_a_refused_bvs_answers_400_with_the_rule(api, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    host = PartnerFactory(organisation=coach.organisation)
    api.force_authenticate(coach)
    payload = {
        "worker": worker.pk,
        "partner": host.pk,
        "kind": "bvs",
        "goal": "Verkennen",
        "mentor_name": "Mia",
        "start_date": "2026-04-06",
        "end_date": "2026-04-13",
        "day_unit": "half",
        "day_count": 11,
        "agreement_signed_on": "2026-04-01",
        "programme": "x",
    }
    response = api.post("/api/v1/stages/", payload, format="json")
    assert response.status_code == 400
    assert "2 tot 10 halve dagen" in str(response.json())
    payload["day_count"] = 10
    assert api.post("/api/v1/stages/", payload, format="json").status_code == 201


def test_vacancy_matches_and_hire_to_closing_through_the_api(api, coach, settings):
    settings.NAZORG_FOLLOW_UP_OFFSETS = ["1w"]
    vacancy = VacancyFactory(partner__organisation=coach.organisation)
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    trajectory = TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    api.force_authenticate(coach)
    matches = api.get(f"/api/v1/vacancies/{vacancy.pk}/matches/").json()["results"]
    assert [m["worker"] for m in matches] == [worker.pk]
    ranked = api.get(f"/api/v1/vacancies/for-worker/?worker={worker.pk}").json()["results"]
    assert [row["vacancy"] for row in ranked] == [vacancy.pk]
    assert api.get("/api/v1/vacancies/for-worker/?worker=x").status_code == 400
    assert api.get(f"/api/v1/vacancies/for-worker/?worker={WorkerFactory().pk}").status_code == 404
    start = datetime.date.today() - datetime.timedelta(days=10)
    response = api.post(
        "/api/v1/hires/",
        {
            "worker": worker.pk,
            "employer": vacancy.partner_id,
            "vacancy": vacancy.pk,
            "contract_type": "permanent",
            "start_date": start.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    for follow_up in FollowUp.objects.all():
        logged = api.post(
            f"/api/v1/follow-ups/{follow_up.pk}/log/",
            {"done_on": start.isoformat(), "notes": "Ok"},
            format="json",
        )
        assert logged.status_code == 200
    trajectory.refresh_from_db()
    # The last contact leaves the closing to the coach.
    assert trajectory.outcome == ""
    closed = api.post(
        f"/api/v1/trajectories/{trajectory.pk}/transition/",
        {"transition": "close", "outcome": Outcome.EXTERN},
        format="json",
    )
    assert closed.status_code == 200
    trajectory.refresh_from_db()
    assert trajectory.outcome == Outcome.EXTERN


def test_beheerder_reads_partners_but_not_placements(api, beheerder):
    api.force_authenticate(beheerder)
    assert api.get("/api/v1/partners/").status_code == 200
    assert api.get("/api/v1/stages/").status_code == 403


def test_the_mentor_link_is_made_shown_once_and_revoked_through_the_api(api, coach, client):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    stage = StageFactory(worker=worker, end_date=datetime.date.today() + datetime.timedelta(days=5))
    api.force_authenticate(coach)
    url = f"/api/v1/stages/{stage.pk}/mentor-link/"
    assert api.get(url).status_code == 404
    made = api.post(url)
    assert made.status_code == 201 and made.json()["usable"] is True
    assert client.get(made.json()["url"]).status_code == 200, "the mentor's page opens without an account"
    assert "url" not in api.get(url).json(), "the token is shown once"
    assert api.post(f"{url}revoke/").status_code == 204
    assert api.get(url).json()["usable"] is False
    assert client.get(made.json()["url"]).status_code == 404
    open_ended = StageFactory(worker=worker, trajectory=stage.trajectory, end_date=None)
    refused = api.post(f"/api/v1/stages/{open_ended.pk}/mentor-link/")
    assert (refused.status_code, refused.json()["code"]) == (400, "end_date_required")


def test_the_aftercare_schedule_and_the_activa_card_through_the_api(api, coach, other_organisation):
    hire = HireFactory(worker__organisation=coach.organisation, worker__coach=coach, contract_type="temp")
    api.force_authenticate(coach)
    body = api.get(f"/api/v1/hires/{hire.pk}/").json()
    assert len(body["warnings"]) == 1
    added = api.post(
        f"/api/v1/hires/{hire.pk}/follow-ups/", {"with_whom": "worker", "due_on": "2026-06-01"}, format="json"
    )
    assert added.status_code == 201
    pk = added.json()["id"]
    moved = api.post(f"/api/v1/follow-ups/{pk}/reschedule/", {"due_on": "2026-06-08"}, format="json")
    assert moved.json()["due_on"] == "2026-06-08"
    skipped = api.post(f"/api/v1/follow-ups/{pk}/skip/", {"reason": "Niet nodig"}, format="json")
    assert skipped.json()["skip_reason"] == "Niet nodig"
    refused = api.post(
        f"/api/v1/hires/{hire.pk}/activa/", {"applied_on": "2026-05-02", "accompanied": True}, format="json"
    )
    assert refused.status_code == 400
    employment_end_record(
        worker=hire.worker, on=datetime.date(2026, 4, 30), reason="extern_doorgestroomd", by=coach
    )
    done = api.post(
        f"/api/v1/hires/{hire.pk}/activa/", {"applied_on": "2026-05-02", "accompanied": True}, format="json"
    )
    assert (done.json()["activa_applied_on"], done.json()["activa_accompanied"]) == ("2026-05-02", True)
    other = HireFactory(worker__organisation=other_organisation)
    assert (
        api.post(
            f"/api/v1/hires/{other.pk}/follow-ups/",
            {"with_whom": "worker", "due_on": "2026-06-01"},
            format="json",
        ).status_code
        == 404
    )


def test_an_event_with_participants_of_every_kind_through_the_api(api, coach, make_user, begeleider):
    colleague = make_user(Role.COACH)
    mine = WorkerFactory(organisation=coach.organisation, coach=coach)
    theirs = WorkerFactory(organisation=coach.organisation, coach=colleague)
    contact = PartnerContactFactory(partner__organisation=coach.organisation)
    api.force_authenticate(colleague)
    payload = {
        "kind": "duobaan",
        "duobaan_direction": "sec_in_nec",
        "title": "Duobaan magazijn",
        "held_on": "2026-05-04",
        "workers": [theirs.pk],
        "staff": [begeleider.pk],
        "contacts": [contact.pk],
    }
    created = api.post("/api/v1/partner-events/", payload, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/partner-events/{created.json()['id']}/"
    api.force_authenticate(coach)
    # The coach adds their own worker; the colleague's stays, unseen.
    assert api.patch(url, {"workers": [mine.pk]}, format="json").status_code == 200
    read = api.get(url).json()
    assert (read["workers"], read["staff"], read["contacts"]) == ([mine.pk], [begeleider.pk], [contact.pk])
    api.force_authenticate(colleague)
    assert api.get(url).json()["workers"] == [theirs.pk]
    payload["workers"] = [WorkerFactory().pk]
    assert api.post("/api/v1/partner-events/", payload, format="json").status_code == 400


def test_a_visit_records_who_visited_whom_through_the_api(api, coach):
    contact = PartnerContactFactory(partner__organisation=coach.organisation)
    api.force_authenticate(coach)
    payload = {
        "partner": contact.partner_id,
        "planned_on": "2026-05-04",
        "direction": "from_partner",
        "visitors": [coach.pk],
        "partner_contacts": [contact.pk],
    }
    created = api.post("/api/v1/visits/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["visitors"], created.json()["partner_contacts"]) == ([coach.pk], [contact.pk])
    payload["partner_contacts"] = [PartnerContactFactory(partner__organisation=coach.organisation).pk]
    refused = api.post("/api/v1/visits/", payload, format="json")
    assert refused.status_code == 400 and "other_partner" in str(refused.json())


def test_the_visit_checklist_through_the_api(api, coach, other_organisation):
    own = VisitChecklistFactory(organisation=coach.organisation)
    VisitChecklistFactory(organisation=other_organisation)
    api.force_authenticate(coach)
    assert _ids(api.get("/api/v1/visit-checklists/")) == {own.pk}
    url = f"/api/v1/visit-checklists/{own.pk}/"
    assert api.patch(url, {"items": "Eén\nTwee"}, format="json").json()["items"] == "Eén\nTwee"
    assert api.patch(url, {"items": " "}, format="json").status_code == 400
