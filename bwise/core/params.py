"""Query parameters (months, dates, filter values) checked with bounds in one place.

A view never reads ``request.GET`` itself to pick a month, a date or a filter value: it
asks a form from here (or a filterset) and gets either clean values or ``InvalidQuery``,
which answers 400 with the form's messages on the product's error page
(``bwise.core.views.bad_request``). Bounds keep date arithmetic (the month before, the
day after a period) away from the ends of the calendar, where Python raises.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

from bwise.core.forms import LimitedTextMixin

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)


class InvalidQuery(BadRequest):
    """A query parameter the form refused; carries the form's messages for the 400 page."""

    def __init__(self, messages: list[str]):
        super().__init__("invalid query parameters")
        self.messages = messages


def form_messages(form) -> list[str]:
    """Every error of a bound form as ``label: message`` lines (non-field errors alone)."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        lines += [str(error) if name == "__all__" else f"{label}: {error}" for error in errors]
    return lines


def clean_query(form) -> dict:
    """The form's cleaned data, or ``InvalidQuery`` with its messages."""
    if not form.is_valid():
        raise InvalidQuery(form_messages(form))
    return form.cleaned_data


def _bounds_message():
    return _("Choose a date between %(min)s and %(max)s.") % {
        "min": MIN_DATE.isoformat(),
        "max": MAX_DATE.isoformat(),
    }


class BoundedDateField(forms.DateField):
    """A date between ``MIN_DATE`` and ``MAX_DATE``."""

    def validate(self, value):
        super().validate(value)
        if value and not MIN_DATE <= value <= MAX_DATE:
            raise forms.ValidationError(_bounds_message(), code="out_of_bounds")


class MonthField(forms.Field):
    """``YYYY-MM`` as the first day of that month, inside the same bounds as a date."""

    default_error_messages = {"invalid": _("Give a month as YYYY-MM.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            month = datetime.datetime.strptime(str(value).strip(), "%Y-%m").date()
        except ValueError as err:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from err
        if not MIN_DATE <= month <= MAX_DATE:
            raise forms.ValidationError(_bounds_message(), code="out_of_bounds")
        return month


class MonthForm(LimitedTextMixin, forms.Form):
    """``?month=YYYY-MM`` on the pages that show one month (attendance)."""

    month = MonthField(label=_("Month"), required=False)


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MAX_MICROSECONDS = (datetime.datetime.combine(MAX_DATE, datetime.time(), datetime.UTC) - EPOCH) // (
    datetime.timedelta(microseconds=1)
)
# The tie-break between rows of one instant: which record (``app.Model:pk``, ``kind:pk``).
_CURSOR_KEY = re.compile(r"[\w.]+(:\d+)+")


@dataclass(frozen=True)
class Cursor:
    """Where a newest-first list stopped: the next page holds what came before ``at`` (and,
    at the same instant, before ``key``). Keyset paging, so a page costs the same however
    far back it is."""

    at: datetime.datetime
    key: str = ""

    def __str__(self) -> str:
        microseconds = (self.at - EPOCH) // datetime.timedelta(microseconds=1)
        return f"{microseconds}~{self.key}" if self.key else str(microseconds)


class CursorField(forms.CharField):
    """A :class:`Cursor` as written by its ``str``, inside the date bounds."""

    default_error_messages = {"invalid": _("This link to older entries is not valid.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        microseconds, _sep, key = value.partition("~")
        if (
            len(value) > 200
            or not microseconds.isdigit()
            or int(microseconds) > _MAX_MICROSECONDS
            or (key and not _CURSOR_KEY.fullmatch(key))
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Cursor(EPOCH + datetime.timedelta(microseconds=int(microseconds)), key)


class OlderForm(LimitedTextMixin, forms.Form):
    """``?before=<cursor>`` on the pages whose long lists show the newest first."""

    before = CursorField(label=_("Older"), required=False)
