"""Readiness actions that fall due reach their owner's inbox."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from bwise.readiness.models import ActionItem, ActionStatus
from bwise.reminders.registry import ReminderSpec, register_scanner

# An action shows up this many days before its deadline.
WARNING_DAYS = 14


@register_scanner("readiness_action_due")
def readiness_actions_due(today):
    """One occurrence per action, deadline and owner: moving the deadline raises a new one."""
    due = ActionItem.objects.exclude(status=ActionStatus.DONE).filter(
        deadline__lte=today + datetime.timedelta(days=WARNING_DAYS), owner__is_active=True
    )
    for item in due.select_related("owner").iterator():
        # The owner reaches their own action through ActionItem's scope.
        yield ReminderSpec(
            key=f"readiness-action:{item.pk}:{item.deadline.isoformat()}:user:{item.owner_id}",
            recipient=item.owner,
            kind="readiness_action_due",
            title=_("Readiness action due: %(title)s") % {"title": item.title},
            due_date=item.deadline,
            url=reverse("readiness:action_detail", kwargs={"actionitem_pk": item.pk}),
            record=item,
        )
