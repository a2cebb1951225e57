"""Reminders about workers that need only the foundation's data.

Trajectory, POP, stage and partner scanners join here (or in their own app's
`scanners.py`) as those records exist.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.accounts.models import Role, User
from bwise.reminders.registry import ReminderSpec, register_scanner
from trajects.models import Worker


@register_scanner("worker_without_coach")
def workers_without_coach(today):
    """Every worker without a transition coach, for each HR officer of the organisation.

    One occurrence per worker and officer: once done, it does not come back for the
    same worker unless the worker gets a coach and loses them again on another day.
    """
    hr_by_org: dict[int, list[User]] = {}
    for user in User.objects.with_role(Role.HR).filter(is_active=True):
        hr_by_org.setdefault(user.organisation_id, []).append(user)
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
                url=reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk}),
                record=worker,
            )
