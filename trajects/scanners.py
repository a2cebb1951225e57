"""Reminders about workers: a worker without a coach (to HR), the LDE limit (to the coach).

POP, plan-action and trajectory-inactivity scanners need competencies as well and live
in `competenties/scanners.py`.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bwise.accounts.models import Role, User
from bwise.reminders.registry import ReminderSpec, register_scanner
from trajects.models import Statuut, Worker


def hr_by_organisation() -> dict[int, list[User]]:
    """Active HR officers per organisation: the recipients of organisation-wide reminders."""
    officers: dict[int, list[User]] = {}
    for user in User.objects.with_role(Role.HR).filter(is_active=True, organisation__isnull=False):
        officers.setdefault(user.organisation_id, []).append(user)
    return officers


def worker_url(worker_pk: int) -> str:
    return reverse("trajects:worker_detail", kwargs={"worker_pk": worker_pk})


@register_scanner("worker_without_coach")
def workers_without_coach(today):
    """Every worker without a transition coach, for each HR officer of the organisation.

    One occurrence per worker and officer: once done, it does not come back for the
    same worker unless the worker gets a coach and loses them again on another day.
    """
    hr_by_org = hr_by_organisation()
    workers = Worker.objects.filter(coach__isnull=True, organisation_id__in=hr_by_org.keys())
    for worker in workers.iterator():
        since = timezone.localdate(worker.updated_at)
        for officer in hr_by_org[worker.organisation_id]:
            yield ReminderSpec(
                key=f"worker-without-coach:worker:{worker.pk}:{since.isoformat()}:user:{officer.pk}",
                recipient=officer,
                kind="worker_without_coach",
                title=_("%(worker)s has no transition coach") % {"worker": worker.full_name},
                due_date=max(today, since),
                url=worker_url(worker.pk),
                record=worker,
            )


@register_scanner("lde_limit")
def lde_limits(today):
    """LDE workers nearing their five-year limit, for their coach, at each of
    ``LDE_REMINDER_MONTHS`` before it. Only the nearest threshold passed is reminded: a
    worker imported three months before the limit gets one reminder, not three."""
    months = sorted(settings.LDE_REMINDER_MONTHS)
    years = relativedelta(years=settings.LDE_LIMIT_YEARS)
    workers = Worker.objects.filter(
        statuut=Statuut.LDE,
        # The limit lies after today and at most the largest threshold ahead (a day of
        # slack for 29 February; the exact test is below).
        statuut_start__gte=today - years - relativedelta(days=1),
        statuut_start__lte=today + relativedelta(months=months[-1]) - years + relativedelta(days=1),
        coach__is_active=True,
    ).select_related("coach")
    for worker in workers.iterator():
        limit = worker.lde_limit_date
        reached = [m for m in months if limit - relativedelta(months=m) <= today < limit]
        if not reached:
            continue
        nearest = reached[0]
        yield ReminderSpec(
            key=f"lde:worker:{worker.pk}:{limit.isoformat()}:{nearest}m:user:{worker.coach_id}",
            recipient=worker.coach,
            kind="lde_limit",
            title=_("%(worker)s must move on by %(date)s (LDE limit, %(months)s months)")
            % {
                "worker": worker.full_name,
                "date": date_format(limit, "SHORT_DATE_FORMAT"),
                "months": nearest,
            },
            due_date=limit - relativedelta(months=nearest),
            url=worker_url(worker.pk),
            record=worker,
        )
