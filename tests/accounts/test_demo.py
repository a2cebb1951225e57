"""The demo organisation (`seed_demo`, what `make run` shows): every phase, outcome, plan
status, partner and stage kind is there, the pages open on it, and seeding again changes
nothing.

One test seeds once and checks every app's part of the demo: seeding takes several seconds,
and the suite used to seed twelve times for these checks.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bwise.accounts.demo import seed_demo, seed_scale
from bwise.accounts.models import Role, User
from bwise.dashboard import figures
from bwise.dashboard.period import Period
from bwise.dashboard.tallies import Tallies
from bwise.readiness import selectors as readiness_selectors
from bwise.readiness.models import ActionItem
from bwise.reminders import services as reminder_services
from bwise.reminders.models import Reminder
from competenties.models import (
    Assessment,
    Framework,
    MeasurementRound,
    Observation,
    Plan,
    PlanKind,
    PlanStatus,
)
from competenties.selectors import agreement_over_time, competency_overview
from partners.models import FollowUp, Hire, Partner, PartnerEvent, PartnerKind, Stage, StageKind, Vacancy
from partners.selectors import uncontacted_partners
from partners.services import stage_save
from trajects.filters import LEFT
from trajects.models import (
    CoachingMoment,
    EmploymentEndReason,
    Summary,
    Trajectory,
    TrajectoryTransition,
    Worker,
)
from trajects.selectors import caseload_for
from trajects.state import Outcome, Phase, Status

pytestmark = pytest.mark.django_db

COUNTED = (
    User,
    Worker,
    Trajectory,
    TrajectoryTransition,
    CoachingMoment,
    Framework,
    Assessment,
    Observation,
    Plan,
    MeasurementRound,
    Partner,
    Vacancy,
    Stage,
    Hire,
    FollowUp,
    PartnerEvent,
    ActionItem,
)


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def _check_users(ctx):
    usernames = ["coach", "coach2", "hr", "directie", "beheerder", "begeleider"]
    assert User.objects.filter(username__in=usernames).count() == len(usernames)
    assert Worker.objects.count() >= 30


def _check_trajectories():
    current = Trajectory.objects.exclude(status=Status.CLOSED)
    assert set(current.values_list("phase", flat=True)) == set(Phase.values)
    assert current.filter(status=Status.PAUSED).exists()
    assert set(Trajectory.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert Worker.objects.filter(statuut="").count() == 0
    # Each phase takes as long as it takes: not one number of days for everyone.
    first_steps = set()
    for trajectory in Trajectory.objects.prefetch_related("transitions"):
        steps = sorted(trajectory.transitions.all(), key=lambda step: (step.at, step.pk))
        assert steps[0].name == "start"
        assert (steps[-1].to_phase, steps[-1].to_status) == (trajectory.phase, trajectory.status)
        if len(steps) > 1:
            first_steps.add((steps[1].at - steps[0].at).days)
    assert len(first_steps) > 3


def _check_workers_who_left_for_every_reason_are_out_of_the_caseload_and_today_s_figures(ctx):
    organisation = ctx.organisations[0]
    left = Worker.objects.filter(organisation=organisation).left_by(timezone.localdate())
    assert set(left.values_list("employment_end_reason", flat=True)) == set(EmploymentEndReason.values)
    # Who moved on to the regular economy ended here as their hire proposes.
    for extern in left.filter(employment_end_reason=EmploymentEndReason.EXTERN):
        assert extern.employment_end == extern.hires.get().start_date - datetime.timedelta(days=1)
        assert extern.employment_end_c4_reason

    hr = ctx.users["hr"]
    caseload = set(caseload_for(hr, {}).qs.values_list("pk", flat=True))
    left_filter = set(caseload_for(hr, {"employment": LEFT}).qs.values_list("pk", flat=True))
    assert left_filter == set(left.values_list("pk", flat=True))
    assert not caseload & left_filter

    employed = Worker.objects.filter(organisation=organisation).employed_on(timezone.localdate())
    tallies = Tallies(Summary.objects.filter(organisation=organisation))
    phase_statuut = figures.phase_statuut_tallied(tallies, Period.this_year())
    assert phase_statuut == figures.phase_statuut(
        Worker.objects.filter(organisation=organisation), Period.this_year()
    )
    assert sum(total for *_row, total in phase_statuut.rows) == employed.count() == len(caseload)


def _check_competencies():
    assert Framework.objects.count() == 6  # three templates in each of the two organisations
    for kind in PlanKind.values:
        assert set(Plan.objects.filter(kind=kind).values_list("status", flat=True)) == set(PlanStatus.values)
    self_assessments = Assessment.objects.filter(rater_role="self").select_related("worker", "framework")[:4]
    assert any(
        row.disagreement for a in self_assessments for row in competency_overview(a.worker, a.framework).rows
    )
    # Every worker with a coach has a closed and an open round; the director sees the agreement.
    assert set(MeasurementRound.objects.values_list("status", flat=True)) == {"open", "closed"}
    directie = User.objects.filter(roles__contains=[Role.DIRECTIE]).first()
    [sam] = [entry for entry in agreement_over_time(directie) if entry.framework.template_key == "sw-lde-sam"]
    assert sam.overall.pairs > 0 and sam.overall.kappa is not None


def _check_partners(organisation):
    partners = Partner.objects.filter(organisation=organisation)
    assert set(partners.values_list("kind", flat=True)) == set(PartnerKind.values)
    assert Vacancy.objects.filter(partner__organisation=organisation, status="open").exists()
    assert uncontacted_partners(organisation.pk)
    stages = list(Stage.objects.filter(worker__organisation=organisation))
    assert {s.kind for s in stages if s.in_progress()} == set(StageKind.values)
    assert {s.kind for s in stages if s.finished()} == set(StageKind.values)
    # Stages in different states: a BVS planned before its agreement is signed, an enclave
    # still waiting for its notices.
    assert any(s.kind == StageKind.BVS and s.agreement_signed_on is None for s in stages)
    assert any(s.kind == StageKind.ENCLAVE and s.works_council_informed_on is None for s in stages)
    nazorg = Trajectory.objects.filter(
        phase=Phase.NAZORG, status=Status.OPEN, worker__organisation=organisation
    )
    assert nazorg.exists() and all(hasattr(t, "hire") for t in nazorg)
    assert all(
        not t.hire.follow_ups.open().exists() for t in Trajectory.objects.filter(outcome=Outcome.EXTERN)
    )


def _check_readiness(ctx):
    scored = readiness_selectors.scored_assessments(ctx.users["directie"])
    assert len(scored) == 2 and scored[0].change > 0
    assert ActionItem.objects.filter(organisation=ctx.organisations[0]).count() == 3


def _check_stages_are_valid_by_the_rules_of_their_kind(organisation):
    for stage in Stage.objects.filter(worker__organisation=organisation):
        stage_save(stage=stage, by=stage.worker.coach, team=list(stage.team.all()))


def _check_reminders_reach_coach_and_hr(ctx, client):
    reminder_services.reminders_scan()
    for username, kinds in (
        ("coach", {"plan_action_deadline", "trajectory_inactive", "lde_limit"}),
        ("hr", {"pop_overdue"}),
    ):
        # From the database: the second seeding set a new password, which ends older sessions.
        user = User.objects.get(pk=ctx.users[username].pk)
        inbox = Reminder.objects.visible_to(user).in_inbox()
        assert kinds <= set(inbox.values_list("kind", flat=True)), username
        client.force_login(user)
        for reminder in inbox[:3]:
            assert client.get(reminder.url).status_code == 200, reminder.url


def _check_competency_pages_open_for_the_coach(ctx, client):
    coach = User.objects.get(pk=ctx.users["coach"].pk)
    client.force_login(coach)
    plan = Plan.objects.filter(worker__coach=coach, source_job_profile__isnull=True).first()
    urls = [
        reverse("competenties:worker", kwargs={"worker_pk": plan.worker.pk}),
        reverse("competenties:gap", kwargs={"worker_pk": plan.worker.pk}),
        reverse("competenties:observations", kwargs={"worker_pk": plan.worker.pk}),
        reverse("competenties:plan_detail", kwargs={"plan_pk": plan.pk}),
        reverse("competenties:pops_due"),
        reverse("competenties:framework_list"),
        reverse("competenties:jobprofile_list"),
        reverse("competenties:observation_quick"),
        reverse("competenties:round_list"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "progress-chart" in client.get(urls[0]).content.decode()


def _check_the_worker_signs_in_with_the_printed_card(ctx, client):
    from bwise.portal.demo import DEMO_CARD_CODE, DEMO_PIN

    [line] = [line for line in ctx.log if DEMO_CARD_CODE in line]
    assert f"PIN {DEMO_PIN}" in line
    client.logout()
    assert client.post(reverse("portal:sign_in"), {"code": DEMO_CARD_CODE}).url == reverse("portal:pin")
    assert client.post(reverse("portal:pin"), {"pin": DEMO_PIN}).url == reverse("portal:home")
    assert client.get(reverse("portal:plan")).status_code == 200


def test_the_demo_covers_every_app_its_pages_open_and_seeding_again_changes_nothing(client):
    ctx = seed_demo()
    _check_users(ctx)
    _check_workers_who_left_for_every_reason_are_out_of_the_caseload_and_today_s_figures(ctx)
    _check_trajectories()
    _check_competencies()
    _check_partners(ctx.organisations[0])
    _check_readiness(ctx)
    before = _counts()
    # The command `make run` calls, a second time.
    call_command("seed_demo", "--password", "x")
    assert _counts() == before
    _check_stages_are_valid_by_the_rules_of_their_kind(ctx.organisations[0])
    _check_reminders_reach_coach_and_hr(ctx, client)
    _check_competency_pages_open_for_the_coach(ctx, client)
    _check_the_worker_signs_in_with_the_printed_card(ctx, client)


def test_the_scale_organisation_has_history_partners_placements_and_assessments_once():
    organisation = seed_scale(workers=120, organisation_name="Schaal vzw")
    trajectories = Trajectory.objects.filter(worker__organisation=organisation)
    assert trajectories.count() == 120
    assert TrajectoryTransition.objects.filter(trajectory__worker__organisation=organisation).count() > 240
    assert Partner.objects.filter(organisation=organisation).count() >= 6
    assert Stage.objects.filter(
        trajectory__in=trajectories.filter(phase=Phase.STAGE, status=Status.OPEN)
    ).exists()
    in_nazorg = trajectories.filter(phase=Phase.NAZORG, status=Status.OPEN)
    assert Hire.objects.filter(trajectory__in=in_nazorg).count() == in_nazorg.count()
    assert Assessment.objects.filter(worker__organisation=organisation).count() == 240
    seed_scale(workers=120, organisation_name="Schaal vzw")
    assert trajectories.count() == 120
    assert Assessment.objects.filter(worker__organisation=organisation).count() == 240
