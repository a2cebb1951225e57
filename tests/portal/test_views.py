"""The worker's pages in the test client: sign-in, the shared-tablet session, what the pages
show and refuse, the coach's card page and the timeline."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from bwise.portal import session as worker_session
from bwise.portal.models import PlanProgress, SignInCard
from bwise.roles import Role
from competenties.models import RaterRole
from competenties.plan_state import PlanStatus
from tests import factories_competenties as fc
from tests.factories import UserFactory, WorkerFactory
from tests.factories_partners import FollowUpFactory, HireFactory, StageFactory
from tests.factories_portal import PIN, make_card, sign_in_worker
from tests.factories_trajects import CoachingMomentFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
PLAN = reverse("portal:plan")


@pytest.fixture
def world(coach):
    """A worker with a running plan, an open round and appointments; a second worker of the
    same coach with their own plan."""
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Anouk")
    plan = fc.PlanFactory(worker=worker, status=PlanStatus.IN_PROGRESS)
    action = fc.PlanActionFactory(plan=plan, action="Leren werken met de heftruck", remarks="COACHREMARK")
    other = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Bram")
    other_action = fc.PlanActionFactory(
        plan=fc.PlanFactory(worker=other, status=PlanStatus.IN_PROGRESS), action="OTHERWORKERACTION"
    )
    indicator = fc.IndicatorFactory(
        competency__framework__organisation=coach.organisation, description="Vraagt hulp als het nodig is"
    )
    today = timezone.localdate()
    measurement_round = fc.MeasurementRoundFactory(
        organisation=coach.organisation,
        framework=indicator.competency.framework,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=7),
    )
    fc.RoundParticipantFactory(round=measurement_round, worker=worker)
    fc.RoundRaterFactory(round=measurement_round, role=RaterRole.SELF)
    CoachingMomentFactory(
        worker=worker,
        held_on=today,
        notes="COACHNOTE vertrouwelijk",
        next_steps="CV afwerken",
        next_steps_due=today + datetime.timedelta(days=3),
    )
    return {
        "coach": coach,
        "worker": worker,
        "action": action,
        "other": other,
        "other_action": other_action,
        "round": measurement_round,
        "indicator": indicator,
    }


def test_signing_in_with_the_code_and_the_pin_opens_the_workers_home(client, world):
    card, code = make_card(world["worker"], pin=None)
    response = client.post(reverse("portal:sign_in"), {"code": code})
    assert response.url == reverse("portal:pin")
    assert 'name="repeat"' in client.get(reverse("portal:pin")).content.decode()
    response = client.post(reverse("portal:pin"), {"pin": "1357", "repeat": "1357"})
    assert response.url == HOME
    page = client.get(HOME)
    assert page.status_code == 200 and "Anouk" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_a_wrong_code_or_a_revoked_card_does_not_sign_in(client, world, coach):
    response = client.post(reverse("portal:sign_in"), {"code": "guess"})
    assert response.status_code == 200 and worker_session.PENDING_KEY not in client.session
    card, code = make_card(world["worker"])
    card.revoked_at = timezone.now()
    card.save()
    response = client.post(reverse("portal:sign_in"), {"code": code})
    assert response.status_code == 200 and worker_session.PENDING_KEY not in client.session
    assert client.get(HOME).url == reverse("portal:sign_in")


def test_revoking_a_card_ends_the_session_opened_with_it(client, world, coach):
    card = sign_in_worker(client, world["worker"])
    assert client.get(HOME).status_code == 200
    card.revoked_at = timezone.now()
    card.save()
    assert client.get(HOME).url == reverse("portal:sign_in")
    assert worker_session.CARD_KEY not in client.session


def test_pin_lockout_through_the_page(client, world):
    card, code = make_card(world["worker"])
    client.post(reverse("portal:sign_in"), {"code": code})
    for _ in range(5):
        client.post(reverse("portal:pin"), {"pin": "0000"})
    card.refresh_from_db()
    assert card.locked
    # The card is locked: even the right PIN opens nothing.
    client.post(reverse("portal:sign_in"), {"code": code})
    client.post(reverse("portal:pin"), {"pin": PIN})
    assert client.get(HOME).url == reverse("portal:sign_in")


def test_the_session_ends_after_the_idle_minutes(client, world, settings):
    settings.WORKER_SESSION_IDLE_MINUTES = 5
    sign_in_worker(client, world["worker"])
    assert client.get(HOME).status_code == 200
    session = client.session
    session[worker_session.SEEN_KEY] = time.time() - 5 * 60 - 1
    session.save()
    response = client.get(HOME)
    assert response.url == reverse("portal:sign_in") + "?ended=1"
    assert "no-store" in response["Cache-Control"]
    assert client.get(HOME).url == reverse("portal:sign_in")


def test_stoppen_ends_the_session_and_clears_site_data(client, world):
    sign_in_worker(client, world["worker"])
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response["Cache-Control"]
    assert "Anouk" not in response.content.decode()
    assert client.get(PLAN).url == reverse("portal:sign_in")


def test_staff_are_never_the_worker(client, world):
    sign_in_worker(client, world["worker"])
    client.force_login(world["coach"])
    assert client.get(HOME).status_code == 403
    # The worker's keys did not survive the staff login.
    assert worker_session.CARD_KEY not in client.session
    client.logout()
    assert client.get(HOME).url == reverse("portal:sign_in")


def test_a_worker_session_opens_no_staff_page(client, world):
    sign_in_worker(client, world["worker"])
    for url in (
        reverse("trajects:worker_detail", kwargs={"worker_pk": world["worker"].pk}),
        reverse("cards:card", kwargs={"worker_pk": world["worker"].pk}),
        reverse("trajects:caseload"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_my_plan_shows_the_workers_words_and_no_coach_remarks(client, world):
    sign_in_worker(client, world["worker"])
    html = client.get(PLAN).content.decode()
    assert "Leren werken met de heftruck" in html
    assert "COACHREMARK" not in html and "OTHERWORKERACTION" not in html


def test_ticking_the_plan_reaches_the_coachs_timeline(client, world):
    sign_in_worker(client, world["worker"])
    url = reverse("portal:plan_progress", kwargs={"planaction_pk": world["action"].pk})
    assert client.post(url, {"done": "+", "comment": "Gelukt op dinsdag"}).status_code == 302
    world["action"].refresh_from_db()
    assert world["action"].done == "+"
    client.force_login(world["coach"])
    html = client.get(
        reverse("trajects:worker_detail", kwargs={"worker_pk": world["worker"].pk})
    ).content.decode()
    assert "Gelukt op dinsdag" in html


def test_another_workers_ids_are_refused(client, world):
    sign_in_worker(client, world["worker"])
    other_action = reverse("portal:plan_progress", kwargs={"planaction_pk": world["other_action"].pk})
    assert client.post(other_action, {"done": "+"}).status_code == 404
    assert not PlanProgress.objects.unscoped(reason="test").exists()
    foreign_round = fc.MeasurementRoundFactory(organisation=world["worker"].organisation)
    fc.RoundParticipantFactory(round=foreign_round, worker=world["other"])
    fc.RoundRaterFactory(round=foreign_round, role=RaterRole.SELF)
    url = reverse("portal:self_assessment", kwargs={"measurementround_pk": foreign_round.pk})
    assert client.get(url).status_code == 404


def test_the_self_assessment_asks_one_behaviour_per_screen_and_sends_once(client, world):
    sign_in_worker(client, world["worker"])
    url = reverse("portal:self_assessment", kwargs={"measurementround_pk": world["round"].pk})
    html = client.get(url).content.decode()
    assert "Vraagt hulp als het nodig is" in html
    response = client.post(f"{url}?step=0", {"indicator": world["indicator"].pk, "level": "3"})
    assert response.url == f"{url}?step=1"
    assert client.post(url, {"send": "1"}).url == reverse("portal:self_assessments")
    score = world["worker"].assessments.get().scores.get()
    assert score.level == 3
    assert "Vraagt hulp" not in client.get(reverse("portal:self_assessments")).content.decode()


def test_the_self_assessment_asks_every_competency_of_the_round_as_the_coachs_form_does(client, world):
    """A round against a job profile measures the frameworks the profile draws on too
    (``round_competencies``): the worker rates the same behaviours as the coach."""
    organisation = world["worker"].organisation
    drawn = fc.IndicatorFactory(
        competency__framework__organisation=organisation, description="Werkt veilig met een tablet"
    )
    profile = fc.JobProfileFactory(organisation=organisation, framework=world["round"].framework)
    fc.JobProfileRequirementFactory(job_profile=profile, competency=drawn.competency)
    measurement_round = world["round"]
    measurement_round.job_profile = profile
    measurement_round.save()
    sign_in_worker(client, world["worker"])
    url = reverse("portal:self_assessment", kwargs={"measurementround_pk": measurement_round.pk})
    assert "Vraag 1 van 2" in client.get(url).content.decode()
    assert "Werkt veilig met een tablet" in client.get(f"{url}?step=1").content.decode()
    client.post(f"{url}?step=0", {"indicator": world["indicator"].pk, "level": "3"})
    client.post(f"{url}?step=1", {"indicator": drawn.pk, "level": "2"})
    assert client.post(url, {"send": "1"}).url == reverse("portal:self_assessments")
    scores = world["worker"].assessments.get().scores.values_list("indicator_id", "level")
    assert sorted(scores) == sorted([(world["indicator"].pk, 3), (drawn.pk, 2)])


def test_my_appointments_and_the_calendar_feed_show_no_coaching_notes(client, world):
    worker = world["worker"]
    today = timezone.localdate()
    stage = StageFactory(worker=worker, start_date=today, end_date=today + datetime.timedelta(days=2))
    hire = HireFactory(worker=worker, trajectory=stage.trajectory)
    FollowUpFactory(hire=hire, due_on=today + datetime.timedelta(days=20), notes="FOLLOWUPNOTE")
    sign_in_worker(client, worker)
    html = client.get(reverse("portal:appointments")).content.decode()
    assert "CV afwerken" in html
    assert "COACHNOTE" not in html and "FOLLOWUPNOTE" not in html
    client.post(reverse("portal:feed_link"))
    html = client.get(reverse("portal:appointments")).content.decode()
    feed = html.split('href="http://testserver/me/calendar/')[1].split('"')[0]
    body = client.get(f"/me/calendar/{feed}").content.decode()
    assert "BEGIN:VCALENDAR" in body and "CV afwerken" in body and body.count("BEGIN:VEVENT") == 4
    assert "COACHNOTE" not in body
    # A new link replaces the old one; a revoked card's feed stops.
    card = SignInCard.objects.unscoped(reason="test").get(worker=worker)
    card.revoked_at = timezone.now()
    card.save()
    assert client.get(f"/me/calendar/{feed}").status_code == 404


def test_the_coach_issues_unlocks_and_revokes_the_card(client, world, organisation):
    coach, worker = world["coach"], world["worker"]
    client.force_login(coach)
    url = reverse("cards:card", kwargs={"worker_pk": worker.pk})
    response = client.post(url, {"action": "issue"})
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" in html and "no-store" in response["Cache-Control"]
    card = SignInCard.objects.unscoped(reason="test").get(worker=worker)
    card.locked_at = timezone.now()
    card.save()
    assert "text-danger" in client.get(url).content.decode()
    client.post(url, {"action": "unlock", "card": card.pk})
    card.refresh_from_db()
    assert not card.locked
    client.post(url, {"action": "revoke", "card": card.pk})
    card.refresh_from_db()
    assert card.revoked_at is not None
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    worker.supervisor = supervisor
    worker.save()
    client.force_login(supervisor)
    assert client.post(url, {"action": "issue"}).status_code == 403
