"""Reminders that need competencies and plans: POPs due and overdue (to HR), plan action
deadlines (to the coach) and trajectories without any activity (to the coach).

Trajectory inactivity lives here because assessments and observations count as
activity, and this is the app that knows both them and the trajectories.
"""

import datetime

from django.conf import settings
from django.db.models import DateField, F, Max, Q, Value
from django.db.models.functions import Greatest, Left, TruncDate
from django.utils.translation import gettext_noop as _  # rendered in the reader's language when shown

from bwise.reminders.registry import Due, link, message, register_scanner, shifted, short_date, text
from competenties import plan_state
from competenties.models import Done, PlanAction, PlanKind
from competenties.selectors import POP_DUE_WARNING_DAYS, PopState
from trajects.models import Trajectory, Worker
from trajects.scanners import full_name, hr_officers, worker_url
from trajects.state import Status


@register_scanner("pop_due")
def pops_due(today):
    """Every worker whose yearly POP falls due within the warning period or is overdue,
    for each HR officer (``pop_state`` in SQL). A due and an overdue reminder are separate
    occurrences of one due date; a worker who never had a POP is reminded once a year."""
    # The newest agreement as a grouped maximum, not ``with_pop_status``'s subquery per worker:
    # over every organisation's workers the subquery ran once per worker and filter, about a
    # second on each scan even when nothing was new.
    workers = (
        Worker.objects.employed_on(today)
        .annotate(
            last_pop_agreed_on=Max(
                "plans__agreed_on",
                filter=Q(plans__kind=PlanKind.POP, plans__status__in=plan_state.AGREED_STATUSES),
            )
        )
        .annotate(pop_due_on=shifted(F("last_pop_agreed_on"), months=12))
    )
    url = link("competenties:worker", worker_pk=F("pk"))

    def due(state, records, occurrence, title, due_date):
        return Due(
            kind=f"pop_{state}",
            records=records,
            key=text(f"pop-{state}:worker:", F("pk"), ":", occurrence),
            title=message(title, worker=full_name(), date=short_date(due_date)),
            due_date=due_date,
            url=url,
            recipients=hr_officers(),
        )

    return [
        due(
            PopState.OVERDUE,
            workers.filter(last_pop_agreed_on__isnull=True),
            f"never:{today.year}",
            _("%(worker)s has no agreed POP yet"),
            Value(today, output_field=DateField()),
        ),
        due(
            PopState.OVERDUE,
            workers.filter(pop_due_on__lte=today),
            F("pop_due_on"),
            _("The POP of %(worker)s is overdue since %(date)s"),
            F("pop_due_on"),
        ),
        due(
            PopState.DUE,
            workers.filter(
                pop_due_on__gt=today, pop_due_on__lte=today + datetime.timedelta(days=POP_DUE_WARNING_DAYS)
            ),
            F("pop_due_on"),
            _("The POP of %(worker)s falls due on %(date)s"),
            F("pop_due_on"),
        ),
    ]


@register_scanner("plan_action_deadline")
def plan_action_deadlines(today):
    """Actions of agreed or running plans that are not done, due within
    ``PLAN_ACTION_REMINDER_DAYS`` or overdue, for the worker's coach. A new deadline is a
    new occurrence."""
    horizon = today + datetime.timedelta(days=settings.PLAN_ACTION_REMINDER_DAYS)
    actions = PlanAction.objects.filter(
        due_date__lte=horizon,
        plan__status__in=plan_state.RUNNING_STATUSES,
        plan__worker__coach__is_active=True,
        plan__worker__in=Worker.objects.employed_ids_on(today),
    ).exclude(done=Done.DONE)
    return [
        Due(
            kind="plan_action_deadline",
            records=actions,
            key=text("plan-action:", F("pk"), ":", F("due_date")),
            title=message(
                _("%(worker)s: “%(action)s” due on %(date)s"),
                worker=full_name("plan__worker__"),
                action=Left("action", 80),
                date=short_date(F("due_date")),
            ),
            due_date=F("due_date"),
            url=link("competenties:plan_detail", plan_pk=F("plan_id")),
            recipient=F("plan__worker__coach_id"),
        )
    ]


def with_last_activity(trajectories):
    """Annotate ``last_activity``: the day of the newest transition, intake, STARR note,
    coaching moment, assessment or observation (the last three are the worker's), from
    ``TrajectoryActivity``'s grouped maxima, joined once. GREATEST skips the sources that
    have nothing."""
    return trajectories.annotate(
        last_activity=Greatest(
            TruncDate("activity__started_at"),
            TruncDate("activity__transition_at"),
            F("activity__intake_on"),
            TruncDate("activity__note_at"),
            F("activity__coaching_on"),
            F("activity__assessment_on"),
            TruncDate("activity__observation_at"),
            output_field=DateField(),
        )
    )


@register_scanner("trajectory_inactive")
def inactive_trajectories(today):
    """Open trajectories without any activity for ``TRAJECTORY_INACTIVE_WEEKS``, for the
    coach. Any new activity starts a new period, so a later lull is a new occurrence."""
    weeks = settings.TRAJECTORY_INACTIVE_WEEKS
    trajectories = with_last_activity(
        Trajectory.objects.filter(
            status=Status.OPEN,
            worker__coach__is_active=True,
            worker__in=Worker.objects.employed_ids_on(today),
        )
    ).filter(last_activity__lte=today - datetime.timedelta(weeks=weeks))
    return [
        Due(
            kind="trajectory_inactive",
            records=trajectories,
            key=text("trajectory-inactive:", F("pk"), ":", F("last_activity")),
            title=message(
                _("Nothing happened in the trajectory of %(worker)s since %(date)s"),
                worker=full_name("worker__"),
                date=short_date(F("last_activity")),
            ),
            due_date=shifted(F("last_activity"), days=7 * weeks),
            url=worker_url("worker_id"),
            recipient=F("worker__coach_id"),
        )
    ]
