from bwise.reminders.models import Reminder


def unread_count(user) -> int:
    if not user.is_authenticated or user.organisation_id is None:
        return 0
    return Reminder.objects.visible_to(user).unread().count()
