"""Working days in Belgium: Monday to Friday, except the Belgian public holidays (from the
``holidays`` package, so that the moving feasts need no hand-kept list)."""

import datetime
from functools import cache

import holidays


@cache
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("BE", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def last_working_day_on_or_before(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """The working days from ``first`` to ``last``, both included."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count
