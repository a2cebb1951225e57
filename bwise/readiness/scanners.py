"""Readiness actions that fall due reach their owner's inbox."""

import datetime

from django.db.models import F
from django.utils.translation import gettext_noop as _  # rendered in the reader's language when shown

from bwise.readiness.models import ActionItem, ActionStatus
from bwise.reminders.registry import Due, link, message, register_scanner, text

# An action shows up this many days before its deadline.
WARNING_DAYS = 14


@register_scanner("readiness_action_due")
def readiness_actions_due(today):
    """One occurrence per action, deadline and owner: moving the deadline raises a new one."""
    due = ActionItem.objects.exclude(status=ActionStatus.DONE).filter(
        deadline__lte=today + datetime.timedelta(days=WARNING_DAYS), owner__is_active=True
    )
    # The owner reaches their own action through ActionItem's scope.
    return [
        Due(
            kind="readiness_action_due",
            records=due,
            key=text("readiness-action:", F("pk"), ":", F("deadline")),
            title=message(_("Readiness action due: %(title)s"), title=F("title")),
            due_date=F("deadline"),
            url=link("readiness:action_detail", actionitem_pk=F("pk")),
            recipient=F("owner_id"),
        )
    ]
