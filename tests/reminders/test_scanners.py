"""The real scanners on hand-made data: who is reminded of what, and when."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bwise.accounts.models import Role
from bwise.reminders import services
from bwise.reminders.models import Reminder
from competenties.models import PlanStatus
from competenties.scanners import inactive_trajectories
from competenties.selectors import one_year_before
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import AssessmentFactory, ObservationFactory, PlanActionFactory, PlanFactory
from tests.factories_trajects import CoachingMomentFactory, IntakeFactory, StarrNoteFactory, TrajectoryFactory
from trajects.models import Statuut
from trajects.state import Status

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 15)
DAY = datetime.timedelta(days=1)


def scan(kind, today=TODAY):
    return services.reminders_scan(today=today, kinds={kind})[kind]


def reminders(kind):
    return Reminder.objects.filter(kind__startswith=kind)


# --- POP due and overdue ---------------------------------------------------------------


def pop(worker, agreed_on, status=PlanStatus.AGREED):
    return PlanFactory(worker=worker, year=agreed_on.year, status=status, agreed_on=agreed_on)


def test_pop_due_and_overdue_reach_every_hr_officer_of_the_organisation(organisation, other_organisation):
    officers = [UserFactory(organisation=organisation, roles=[Role.HR]) for _ in range(2)]
    UserFactory(organisation=other_organisation, roles=[Role.HR])
    UserFactory(organisation=organisation, roles=[Role.HR], is_active=False)
    year_ago = one_year_before(TODAY)
    overdue_today = WorkerFactory(organisation=organisation, last_name="DueToday")
    pop(overdue_today, year_ago)  # due today: overdue
    due_tomorrow = WorkerFactory(organisation=organisation, last_name="DueTomorrow")
    pop(due_tomorrow, year_ago + DAY)
    due_in_30 = WorkerFactory(organisation=organisation, last_name="DueIn30")
    pop(due_in_30, year_ago + 30 * DAY)
    pop(WorkerFactory(organisation=organisation, last_name="DueIn31"), year_ago + 31 * DAY)
    never = WorkerFactory(organisation=organisation, last_name="Never")
    pop(never, year_ago - 300 * DAY, status=PlanStatus.DRAFT)  # a draft is not an agreed POP

    assert scan("pop_due") == 4 * 2
    assert scan("pop_due") == 0
    got = {(r.record_id, r.kind) for r in reminders("pop_")}
    assert got == {
        (overdue_today.pk, "pop_overdue"),
        (due_tomorrow.pk, "pop_due"),
        (due_in_30.pk, "pop_due"),
        (never.pk, "pop_overdue"),
    }
    assert set(reminders("pop_").values_list("recipient_id", flat=True)) == {o.pk for o in officers}
    reminder = reminders("pop_").get(record_id=due_tomorrow.pk, recipient=officers[0])
    assert reminder.due_date == TODAY + DAY
    assert reminder.url == f"/competencies/workers/{due_tomorrow.pk}/"
    assert "DueTomorrow" in reminder.text


def test_a_due_pop_that_passes_its_date_gets_an_overdue_reminder_once(hr):
    worker = WorkerFactory(organisation=hr.organisation)
    pop(worker, one_year_before(TODAY) + 5 * DAY)
    assert scan("pop_due") == 1
    assert scan("pop_due", today=TODAY + 5 * DAY) == 1
    assert scan("pop_due", today=TODAY + 6 * DAY) == 0
    assert sorted(reminders("pop_").values_list("kind", flat=True)) == ["pop_due", "pop_overdue"]
    pop(worker, TODAY + 6 * DAY)  # renewed: nothing more
    assert scan("pop_due", today=TODAY + 20 * DAY) == 0


# --- LDE five-year limit ------------------------------------------------------------------


def lde_worker(coach, limit, **kwargs):
    return WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        statuut=Statuut.LDE,
        statuut_start=limit - relativedelta(years=5),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (TODAY + relativedelta(months=12), "12m"),
        (TODAY + relativedelta(months=12) + DAY, None),
        (TODAY + relativedelta(months=6), "6m"),
        (TODAY + relativedelta(months=6) + DAY, "12m"),
        (TODAY + relativedelta(months=3), "3m"),
        (TODAY + DAY, "3m"),
        (TODAY, None),  # the limit has passed: the worker page shows it
    ],
)
def test_lde_limit_reminds_the_coach_at_the_nearest_threshold(coach, limit, expected):
    worker = lde_worker(coach, limit)
    WorkerFactory(organisation=coach.organisation, coach=coach, statuut=Statuut.MAATWERK, statuut_start=limit)
    scan("lde_limit")
    keys = list(reminders("lde_limit").values_list("key", flat=True))
    if expected is None:
        assert keys == []
    else:
        assert keys == [f"lde:worker:{worker.pk}:{limit.isoformat()}:{expected}:user:{coach.pk}"]
        reminder = reminders("lde_limit").get()
        assert (reminder.recipient, reminder.record_id) == (coach, worker.pk)
        assert reminder.url == f"/workers/{worker.pk}/"


def test_lde_limit_gives_one_reminder_at_12_6_and_3_months(coach):
    limit = TODAY + relativedelta(months=12)
    lde_worker(coach, limit)
    for months_later in range(0, 12):
        for _ in range(2):
            scan("lde_limit", today=TODAY + relativedelta(months=months_later))
    assert sorted(k.split(":")[4] for k in reminders("lde_limit").values_list("key", flat=True)) == [
        "12m",
        "3m",
        "6m",
    ]


def test_lde_thresholds_are_a_setting(coach, settings):
    settings.LDE_REMINDER_MONTHS = [2]
    worker = lde_worker(coach, TODAY + relativedelta(months=2))
    lde_worker(coach, TODAY + relativedelta(months=6))
    scan("lde_limit")
    assert list(reminders("lde_limit").values_list("record_id", "key")) == [
        (
            worker.pk,
            f"lde:worker:{worker.pk}:{(TODAY + relativedelta(months=2)).isoformat()}:2m:user:{coach.pk}",
        )
    ]


# --- POP action deadlines ------------------------------------------------------------------


def test_plan_action_deadlines_remind_the_coach(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, last_name="Actiestra")
    plan = PlanFactory(worker=worker, status=PlanStatus.IN_PROGRESS)
    in_a_week = PlanActionFactory(plan=plan, action="Forklift course", due_date=TODAY + 7 * DAY)
    overdue = PlanActionFactory(plan=plan, due_date=TODAY - 30 * DAY)
    PlanActionFactory(plan=plan, due_date=TODAY + 8 * DAY)
    PlanActionFactory(plan=plan, due_date=TODAY, done="+")
    PlanActionFactory(plan=plan, due_date=None)
    for status in (PlanStatus.DRAFT, PlanStatus.EVALUATED):
        PlanActionFactory(
            plan=PlanFactory(worker=worker, year=None, kind="pdp", status=status), due_date=TODAY
        )

    assert scan("plan_action_deadline") == 2
    assert scan("plan_action_deadline") == 0
    assert set(reminders("plan_action").values_list("record_id", "recipient_id")) == {
        (in_a_week.pk, coach.pk),
        (overdue.pk, coach.pk),
    }
    reminder = reminders("plan_action").get(record_id=in_a_week.pk)
    assert "Forklift course" in reminder.text and "Actiestra" in reminder.text
    assert reminder.url == f"/competencies/plans/{plan.pk}/"

    in_a_week.due_date = TODAY + 3 * DAY  # moved: a new deadline, a new reminder
    in_a_week.save()
    assert scan("plan_action_deadline") == 1


# --- Trajectories without activity -----------------------------------------------------


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def old_trajectory(coach, **kwargs):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    return TrajectoryFactory(worker=worker, started_at=at(TODAY - 20 * 7 * DAY), **kwargs)


def test_a_trajectory_without_activity_for_n_weeks_reminds_the_coach(coach, settings):
    settings.TRAJECTORY_INACTIVE_WEEKS = 6
    quiet = old_trajectory(coach)
    CoachingMomentFactory(worker=quiet.worker, held_on=TODAY - 6 * 7 * DAY)
    just_active = old_trajectory(coach)
    CoachingMomentFactory(worker=just_active.worker, held_on=TODAY - 6 * 7 * DAY + DAY)
    never_touched = old_trajectory(coach)
    old_trajectory(coach, status=Status.PAUSED)
    old_trajectory(coach, status=Status.CLOSED)
    # Each kind of activity keeps a trajectory alive.
    recent = TODAY - 7 * DAY
    IntakeFactory(trajectory=old_trajectory(coach), held_on=recent)
    StarrNoteFactory(
        intake=IntakeFactory(trajectory=old_trajectory(coach), held_on=TODAY - 300 * DAY),
        created_at=at(recent),
    )
    AssessmentFactory(worker=old_trajectory(coach).worker, date=recent)
    ObservationFactory(worker=old_trajectory(coach).worker, observed_at=at(recent))
    from trajects import state
    from trajects.models import TrajectoryTransition

    paused_and_resumed = old_trajectory(coach)
    for step in ("pause", "resume"):
        row = state.apply(paused_and_resumed, state.TRANSITIONS[step], at=at(recent))
        TrajectoryTransition.objects.create(trajectory=paused_and_resumed, **row)
    paused_and_resumed.save()

    assert scan("trajectory_inactive") == 2
    assert scan("trajectory_inactive") == 0
    got = {r.record_id: r for r in reminders("trajectory_inactive")}
    assert set(got) == {quiet.pk, never_touched.pk}
    assert got[quiet.pk].recipient == coach
    assert got[quiet.pk].due_date == TODAY
    assert got[never_touched.pk].url == f"/workers/{never_touched.worker_id}/"

    CoachingMomentFactory(worker=quiet.worker, held_on=TODAY)  # activity resets the period
    scan("trajectory_inactive", today=TODAY + 6 * 7 * DAY - DAY)
    assert reminders("trajectory_inactive").filter(record_id=quiet.pk).count() == 1
    scan("trajectory_inactive", today=TODAY + 6 * 7 * DAY)
    assert reminders("trajectory_inactive").filter(record_id=quiet.pk).count() == 2


def test_the_last_activity_is_read_in_one_query_whatever_the_number_of_trajectories(coach):
    def queries_with(count):
        for _ in range(count):
            CoachingMomentFactory(worker=old_trajectory(coach).worker, held_on=TODAY - 100 * DAY)
        (due,) = inactive_trajectories(TODAY)
        with CaptureQueriesContext(connection) as context:
            found = list(due.rows())
        return len(context), len(found)

    small, large = queries_with(2), queries_with(10)
    assert small == (1, 2) and large == (1, 12)


# --- The whole scan -----------------------------------------------------------------------


def test_the_full_scan_run_twice_gives_the_same_reminders(coach, hr):
    worker = lde_worker(coach, TODAY + relativedelta(months=5))
    plan = PlanFactory(worker=worker, status=PlanStatus.AGREED, agreed_on=one_year_before(TODAY))
    PlanActionFactory(plan=plan, due_date=TODAY)
    TrajectoryFactory(worker=worker, started_at=at(TODAY - 100 * DAY))
    first = services.reminders_scan(today=TODAY)
    assert all(count >= 0 for count in first.values()), first
    assert {kind for kind, count in first.items() if count} >= {
        "pop_due",
        "lde_limit",
        "plan_action_deadline",
        "trajectory_inactive",
    }
    keys = set(Reminder.objects.values_list("key", flat=True))
    assert all(count == 0 for count in services.reminders_scan(today=TODAY).values())
    assert set(Reminder.objects.values_list("key", flat=True)) == keys


# --- Agreed next steps of a coaching moment ----------------------------------------------


def test_next_steps_past_their_date_reach_the_coach_once_and_a_later_moment_supersedes_them(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, last_name="Peeters")
    CoachingMomentFactory(
        worker=worker, held_on=TODAY - 10 * DAY, next_steps="Cv afwerken", next_steps_due=TODAY - DAY
    )
    CoachingMomentFactory(worker=WorkerFactory(organisation=coach.organisation, coach=coach), next_steps="")
    assert scan("coaching_next_steps_overdue", today=TODAY - DAY) == 0  # due today: not late yet
    assert scan("coaching_next_steps_overdue") == 1
    assert scan("coaching_next_steps_overdue") == 0
    reminder = reminders("coaching_next_steps").get()
    assert reminder.recipient == coach and reminder.due_date == TODAY - DAY
    assert "Peeters" in reminder.text and "Cv afwerken" in reminder.text
    assert reminder.url == f"/workers/{worker.pk}/"

    CoachingMomentFactory(
        worker=worker, held_on=TODAY - 2 * DAY, next_steps="Bellen", next_steps_due=TODAY + DAY
    )
    Reminder.objects.all().delete()
    assert scan("coaching_next_steps_overdue") == 0  # the later agreement holds
