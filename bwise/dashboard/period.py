"""The period a dashboard looks at: whole days in the organisation's time zone, both ends included."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.core.forms import DateInput, LimitedTextMixin
from bwise.core.params import BoundedDateField, clean_query

MAX_YEARS = 10


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @classmethod
    def this_year(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))

    @property
    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """The first moment after the period (exclusive bound)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def months(self) -> list[datetime.date]:
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months

    @property
    def month_aligned(self) -> bool:
        """Starts on a month's first day and ends on a month's last."""
        return self.start.day == 1 and (self.end + datetime.timedelta(days=1)).day == 1

    def previous(self) -> Period:
        """The period of the same length just before: as many whole months for a period of
        whole months, else as many days."""
        if self.month_aligned:
            months = len(self.months)
            return Period(self.start - relativedelta(months=months), self.start - datetime.timedelta(days=1))
        days = (self.end - self.start).days + 1
        return Period(self.start - datetime.timedelta(days=days), self.start - datetime.timedelta(days=1))

    def year(self, year: int) -> Period:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class PeriodForm(LimitedTextMixin, forms.Form):
    date_from = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    date_to = BoundedDateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # A missing end is this calendar year's, and the chosen period is checked with it.
        default = Period.this_year()
        start = cleaned.get("date_from") or default.start
        end = cleaned.get("date_to") or default.end
        if start > end:
            raise forms.ValidationError(_("The start of the period must come before its end."))
        if (end - start).days > 366 * MAX_YEARS:
            raise forms.ValidationError(
                _("Choose a period of at most %(years)s years.") % {"years": MAX_YEARS}
            )
        cleaned["period"] = Period(start, end)
        return cleaned

    def period(self) -> Period:
        """The chosen period (this calendar year by default); ``InvalidQuery`` when refused."""
        return clean_query(self)["period"]
