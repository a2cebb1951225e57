"""Reminders that need competencies and plans: POPs due and overdue (to HR), plan action
deadlines (to the coach) and trajectories without any activity (to the coach).

Trajectory inactivity lives here because assessments and observations count as
activity, and this is the app that knows both them and the trajectories.
"""

import datetime

from django.conf import settings
from django.db.models import DateField, OuterRef, Q, Subquery
from django.db.models.functions import Greatest, TruncDate
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bwise.reminders.registry import ReminderSpec, register_scanner
from competenties import plan_state
from competenties.models import Assessment, Done, Observation, PlanAction
from competenties.selectors import POP_DUE_WARNING_DAYS, PopState, one_year_before, pop_state, with_pop_status
from trajects.models import CoachingMoment, Intake, StarrNote, Trajectory, TrajectoryTransition, Worker
from trajects.scanners import hr_by_organisation, worker_url
from trajects.state import Status


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@register_scanner("pop_due")
def pops_due(today):
    """Every worker whose yearly POP falls due within the warning period or is overdue,
    for each HR officer. A due and an overdue reminder are separate occurrences of one
    due date; a worker who never had a POP is reminded once a year."""
    officers = hr_by_organisation()
    warn_from = one_year_before(today + datetime.timedelta(days=POP_DUE_WARNING_DAYS))
    workers = with_pop_status(Worker.objects.filter(organisation_id__in=officers.keys())).filter(
        Q(last_pop_agreed_on__isnull=True) | Q(last_pop_agreed_on__lte=warn_from)
    )
    for worker in workers.iterator():
        state, due = pop_state(worker.last_pop_agreed_on, today)
        if due is None:
            occurrence, title = f"never:{today.year}", _("%(worker)s has no agreed POP yet")
        elif state == PopState.OVERDUE:
            occurrence, title = due.isoformat(), _("The POP of %(worker)s is overdue since %(date)s")
        else:
            occurrence, title = due.isoformat(), _("The POP of %(worker)s falls due on %(date)s")
        for officer in officers[worker.organisation_id]:
            yield ReminderSpec(
                key=f"pop-{state}:worker:{worker.pk}:{occurrence}:user:{officer.pk}",
                recipient=officer,
                kind=f"pop_{state}",
                title=title % {"worker": worker.full_name, "date": _day(due) if due else ""},
                due_date=due or today,
                url=reverse("competenties:worker", kwargs={"worker_pk": worker.pk}),
                record=worker,
            )


@register_scanner("plan_action_deadline")
def plan_action_deadlines(today):
    """Actions of agreed or running plans that are not done, due within
    ``PLAN_ACTION_REMINDER_DAYS`` or overdue, for the worker's coach. A new deadline is a
    new occurrence."""
    horizon = today + datetime.timedelta(days=settings.PLAN_ACTION_REMINDER_DAYS)
    actions = (
        PlanAction.objects.filter(
            due_date__lte=horizon,
            plan__status__in=plan_state.RUNNING_STATUSES,
            plan__worker__coach__is_active=True,
        )
        .exclude(done=Done.DONE)
        .select_related("plan__worker__coach")
    )
    for action in actions.iterator():
        worker = action.plan.worker
        yield ReminderSpec(
            key=f"plan-action:{action.pk}:{action.due_date.isoformat()}:user:{worker.coach_id}",
            recipient=worker.coach,
            kind="plan_action_deadline",
            title=_("%(worker)s: “%(action)s” due on %(date)s")
            % {"worker": worker.full_name, "action": action.action[:80], "date": _day(action.due_date)},
            due_date=action.due_date,
            url=reverse("competenties:plan_detail", kwargs={"plan_pk": action.plan_id}),
            record=action,
        )


def _latest(queryset, field: str, *, is_date: bool):
    """The newest day of ``field`` in ``queryset`` as a subquery yielding a date."""
    if not is_date:
        queryset = queryset.annotate(day=TruncDate(field))
    return Subquery(
        queryset.order_by(f"-{field}").values(field if is_date else "day")[:1], output_field=DateField()
    )


def with_last_activity(trajectories):
    """Annotate ``last_activity``: the day of the newest transition, intake, STARR note,
    coaching moment, assessment or observation (the last three are the worker's), in the
    same query. GREATEST skips the sources that have nothing."""
    trajectory, worker = OuterRef("pk"), OuterRef("worker")
    return trajectories.annotate(
        last_activity=Greatest(
            TruncDate("started_at"),
            _latest(TrajectoryTransition.objects.filter(trajectory=trajectory), "at", is_date=False),
            _latest(Intake.objects.filter(trajectory=trajectory), "held_on", is_date=True),
            _latest(StarrNote.objects.filter(intake__trajectory=trajectory), "created_at", is_date=False),
            _latest(CoachingMoment.objects.filter(worker=worker), "held_on", is_date=True),
            _latest(Assessment.objects.filter(worker=worker), "date", is_date=True),
            _latest(Observation.objects.filter(worker=worker), "observed_at", is_date=False),
            output_field=DateField(),
        )
    )


@register_scanner("trajectory_inactive")
def inactive_trajectories(today):
    """Open trajectories without any activity for ``TRAJECTORY_INACTIVE_WEEKS``, for the
    coach. Any new activity starts a new period, so a later lull is a new occurrence."""
    weeks = datetime.timedelta(weeks=settings.TRAJECTORY_INACTIVE_WEEKS)
    trajectories = with_last_activity(
        Trajectory.objects.filter(status=Status.OPEN, worker__coach__is_active=True).select_related(
            "worker__coach"
        )
    ).filter(last_activity__lte=today - weeks)
    for trajectory in trajectories.iterator():
        worker = trajectory.worker
        yield ReminderSpec(
            key=f"trajectory-inactive:{trajectory.pk}:{trajectory.last_activity.isoformat()}:user:{worker.coach_id}",
            recipient=worker.coach,
            kind="trajectory_inactive",
            title=_("Nothing happened in the trajectory of %(worker)s since %(date)s")
            % {"worker": worker.full_name, "date": _day(trajectory.last_activity)},
            due_date=trajectory.last_activity + weeks,
            url=worker_url(worker.pk),
            record=trajectory,
        )
