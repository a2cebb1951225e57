"""An iCalendar (RFC 5545) feed of all-day events: a user's open reminders, a worker's
appointments (``bwise.portal``).

Built with the ``icalendar`` library, which escapes every text value (a bare carriage
return included) and folds long lines: a title comes from what users typed and must never
end its event or start another.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarEvent:
    # Stable for the same occurrence across fetches (the host is added), so that a calendar
    # app updates the event instead of adding it twice.
    uid: str
    day: datetime.date
    summary: str
    url: str = ""
    # The last day of an event of several days, inclusive.
    last_day: datetime.date | None = None


def reminder_event(reminder) -> CalendarEvent:
    return CalendarEvent(
        uid=f"reminder-{reminder.pk}", day=reminder.due_date, summary=reminder.text, url=reminder.url
    )


def calendar(events, *, name: str, base_url: str, host: str) -> str:
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    feed = Calendar()
    feed.add("prodid", "-//B-WISE Doorstroom//Calendar//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", str(name))
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", (item.last_day or item.day) + datetime.timedelta(days=1))
        event.add("summary", str(item.summary))
        if item.url:
            event.add("url", f"{base_url}{item.url}")
        feed.add_component(event)
    return feed.to_ical().decode("utf-8")
