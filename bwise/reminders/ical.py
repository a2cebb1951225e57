"""An iCalendar (RFC 5545) feed of a user's open reminders: all-day events.

Built with the ``icalendar`` library, which escapes every text value (a bare carriage
return included) and folds long lines: a reminder's title comes from what users typed
and must never end its event or start another.
"""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event


def calendar(reminders, *, name: str, base_url: str, host: str) -> str:
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    feed = Calendar()
    feed.add("prodid", "-//B-WISE Doorstroom//Reminders//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", str(name))
    for reminder in reminders:
        event = Event()
        event.add("uid", f"reminder-{reminder.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", reminder.due_date)
        event.add("dtend", reminder.due_date + datetime.timedelta(days=1))
        event.add("summary", reminder.text)
        if reminder.url:
            event.add("url", f"{base_url}{reminder.url}")
        feed.add_component(event)
    return feed.to_ical().decode("utf-8")
