"""Reminders about workers: a worker without a coach (to HR), the LDE limit, an LDE worker
still without a trajectory and the agreed next steps of a coaching moment gone past their
date (to the coach).

No reminder concerns a worker who has left: every scanner reads the workers through
``Worker.objects.employed_on(today)`` (or ``employed_ids_on`` for records of a worker).

POP, plan-action and trajectory-inactivity scanners need competencies as well and live
in `competenties/scanners.py`.
"""

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Greatest, Left, TruncDate
from django.utils.translation import gettext_noop as _  # rendered in the reader's language when shown

from bwise.accounts.models import Role, User
from bwise.reminders.registry import Due, link, message, register_scanner, shifted, short_date, text
from trajects.models import CoachingMoment, Statuut, Trajectory, Worker


def hr_officers():
    """Active HR officers: the recipients of organisation-wide reminders."""
    return User.objects.with_role(Role.HR).filter(is_active=True, organisation__isnull=False)


def full_name(worker: str = ""):
    """The worker's full name in SQL; ``worker`` is the path to the worker ("plan__worker__")."""
    return text(F(f"{worker}first_name"), " ", F(f"{worker}last_name"))


def worker_url(worker_pk="pk"):
    return link("trajects:worker_detail", worker_pk=F(worker_pk))


@register_scanner("worker_without_coach")
def workers_without_coach(today):
    """Every worker without a transition coach, for each HR officer of the organisation.

    One occurrence per worker and officer: once done, it does not come back for the
    same worker unless the worker gets a coach and loses them again on another day.
    """
    workers = (
        Worker.objects.employed_on(today).filter(coach__isnull=True).annotate(since=TruncDate("updated_at"))
    )
    return [
        Due(
            kind="worker_without_coach",
            records=workers,
            key=text("worker-without-coach:worker:", F("pk"), ":", F("since")),
            title=message(_("%(worker)s has no transition coach"), worker=full_name()),
            due_date=Greatest(Value(today), F("since")),
            url=worker_url(),
            recipients=hr_officers(),
        )
    ]


@register_scanner("lde_limit")
def lde_limits(today):
    """LDE workers nearing their five-year limit, for their coach, at each of
    ``LDE_REMINDER_MONTHS`` before it. Only the nearest threshold passed is reminded: a
    worker imported three months before the limit gets one reminder, not three."""
    months = sorted(settings.LDE_REMINDER_MONTHS)
    workers = (
        Worker.objects.employed_on(today)
        .filter(statuut=Statuut.LDE, coach__is_active=True)
        .annotate(limit=shifted(F("statuut_start"), months=12 * settings.LDE_LIMIT_YEARS))
    )
    dues = []
    for nearer, threshold in zip([None, *months], months, strict=False):
        reached = workers.annotate(reminded_on=shifted(F("limit"), months=-threshold)).filter(
            limit__gt=today, reminded_on__lte=today
        )
        if nearer is not None:
            # The nearer threshold is not reached yet, else that one is reminded.
            reached = reached.annotate(nearer_on=shifted(F("limit"), months=-nearer)).filter(
                nearer_on__gt=today
            )
        dues.append(
            Due(
                kind="lde_limit",
                records=reached,
                key=text("lde:worker:", F("pk"), ":", F("limit"), f":{threshold}m"),
                title=message(
                    _("%(worker)s must move on by %(date)s (LDE limit, %(months)s months)"),
                    worker=full_name(),
                    date=short_date(F("limit")),
                    months=Value(str(threshold)),
                ),
                due_date=F("reminded_on"),
                url=worker_url(),
                recipient=F("coach_id"),
            )
        )
    return dues


@register_scanner("coaching_next_steps_overdue")
def coaching_next_steps_overdue(today):
    """The next steps agreed in a worker's latest coaching moment, once their date has
    passed, for the worker's coach: what the caseload shows as late. A later moment
    supersedes the agreement (as in the caseload), and a new date is a new occurrence."""
    latest = CoachingMoment.objects.filter(worker=OuterRef("worker")).order_by("-held_on", "-pk")
    moments = (
        CoachingMoment.objects.filter(
            next_steps_due__lt=today,
            worker__coach__is_active=True,
            worker__in=Worker.objects.employed_ids_on(today),
        )
        .exclude(next_steps="")
        .filter(pk=Subquery(latest.values("pk")[:1]))
    )
    return [
        Due(
            kind="coaching_next_steps_overdue",
            records=moments,
            key=text("coaching-next-steps:", F("pk"), ":", F("next_steps_due")),
            title=message(
                _("%(worker)s: the next steps “%(steps)s” were due on %(date)s"),
                worker=full_name("worker__"),
                steps=Left("next_steps", 60),
                date=short_date(F("next_steps_due")),
            ),
            due_date=F("next_steps_due"),
            url=worker_url("worker_id"),
            recipient=F("worker__coach_id"),
        )
    ]


@register_scanner("lde_without_trajectory")
def lde_workers_without_trajectory(today):
    """LDE workers without a trajectory (open or paused) a number of months after their LDE
    start that each organisation sets (``lde_trajectory_reminder_months``), for the coach:
    an LDE worker works towards the regular economy from the first day. Once per LDE period."""
    workers = (
        Worker.objects.employed_on(today)
        .filter(statuut=Statuut.LDE, statuut_start__isnull=False, coach__is_active=True)
        .exclude(Exists(Trajectory.objects.current().filter(worker=OuterRef("pk"))))
        .annotate(
            reminded_on=shifted(F("statuut_start"), months=F("organisation__lde_trajectory_reminder_months"))
        )
        .filter(reminded_on__lte=today)
    )
    return [
        Due(
            kind="lde_without_trajectory",
            records=workers,
            key=text("lde-no-trajectory:worker:", F("pk"), ":", F("statuut_start")),
            title=message(
                _("%(worker)s has the LDE statuut since %(date)s and no trajectory yet"),
                worker=full_name(),
                date=short_date(F("statuut_start")),
            ),
            due_date=F("reminded_on"),
            url=worker_url(),
            recipient=F("coach_id"),
        )
    ]
