"""Reminder scanners: each app registers, in `<app>/scanners.py`, functions that say
what is due. The scan inserts every occurrence once, in SQL (its ``key`` is unique).

A scanner returns ``Due`` declarations: a queryset of records and SQL expressions for
the occurrence key, title, due date and link of each. The rows never reach Python, so a
scan over a whole sector costs a few statements, and a scan that finds nothing new
inserts nothing. A key names one occurrence, so that a new one arises when the thing is
due again; the reminders app appends the recipient (``:user:<pk>``)::

    @register_scanner("plan_action_deadline")
    def plan_action_deadlines(today):
        return [Due(
            kind="plan_action_deadline",
            records=PlanAction.objects.filter(due_date__lte=today, ...),
            key=text("plan-action:", F("pk"), ":", F("due_date")),
            title=message(
                gettext_noop("%(action)s due on %(date)s"), action=F("action"), date=short_date(F("due_date"))
            ),
            due_date=F("due_date"),
            url=link("competenties:plan_detail", plan_pk=F("plan_id")),
            recipient=F("plan__worker__coach_id"),
        )]

A scanner runs without a request or a user: it reads through the managers directly
(not ``visible_to``) and must pick recipients who may read the record. A text is stored
as its English msgid (marked with ``gettext_noop``) and its values, and is rendered when
shown (``render``): in the reader's language, dates in the reader's format.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import DateField, Expression, F, Func, JSONField, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat, JSONObject
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext


@dataclass(frozen=True)
class Due:
    """One kind of occurrence: a reminder for each row of ``records`` and each recipient.

    The recipient is either one user per row (``recipient``, an expression yielding a user
    pk) or every user of ``recipients`` in the row's ``organisation``. The reminder
    belongs to the recipient's organisation."""

    kind: str
    records: QuerySet
    key: Expression
    title: Message
    due_date: Expression
    url: Expression
    recipient: Expression | None = None
    recipients: QuerySet | None = None
    organisation: Expression = F("organisation_id")

    def rows(self) -> QuerySet:
        # Prefixed names: an annotation may not take the name of a field of the record.
        columns = {
            "reminder_key": self.key,
            "reminder_message": Value(self.title.template, output_field=TextField()),
            "reminder_params": self.title.params(),
            "reminder_due": self.due_date,
            "reminder_url": self.url,
            "reminder_record": F("pk"),
        }
        if self.recipients is None:
            columns["reminder_recipient"] = self.recipient
        else:
            columns["reminder_organisation"] = self.organisation
        return self.records.order_by().values(**columns)


Scanner = Callable[[datetime.date], Iterable[Due]]

_scanners: dict[str, Scanner] = {}


def register_scanner(kind: str):
    def decorator(func: Scanner) -> Scanner:
        _scanners[kind] = func
        return func

    return decorator


def scanners() -> dict[str, Scanner]:
    return dict(_scanners)


# --- SQL expressions for keys, titles and links ---------------------------------------


def text(*parts) -> Expression:
    """The concatenation of ``parts`` as text: a str is literal, anything else an
    expression (NULL reads as an empty string)."""
    # All text, so that the pairs Concat nests agree on their type.
    expressions = [
        Value(part, output_field=TextField()) if isinstance(part, str) else Cast(part, TextField())
        for part in parts
    ]
    if len(expressions) == 1:
        return expressions[0]
    return Concat(*expressions, output_field=TextField())


@dataclass(frozen=True)
class ShortDate:
    """A date value of a message, shown in the reader's SHORT_DATE_FORMAT."""

    expression: Expression


def short_date(expression) -> ShortDate:
    return ShortDate(expression)


@dataclass(frozen=True)
class Message:
    """A text to render when shown: the untranslated ``template`` (a msgid) and, per
    placeholder, an expression of the row (or a ``ShortDate``)."""

    template: str
    values: dict

    def params(self) -> Expression:
        """The values as one JSON object per row; a date as {"date": "YYYY-MM-DD"}."""
        values = {
            name: JSONObject(date=value.expression) if isinstance(value, ShortDate) else text(value)
            for name, value in self.values.items()
        }
        return JSONObject(**values) if values else Value({}, output_field=JSONField())


def message(template: str, **values) -> Message:
    """``template % values``, rendered when shown: ``template`` is marked with
    ``gettext_noop`` and translated then, each value is an expression of the row."""
    return Message(str(template), values)


def render(template: str, params: dict | None) -> str:
    """A stored message in the active language, its dates in the active SHORT_DATE_FORMAT."""
    values = {}
    for name, value in (params or {}).items():
        if isinstance(value, dict) and "date" in value:
            day = parse_date(str(value["date"])[:10]) if value["date"] else None
            value = date_format(day, "SHORT_DATE_FORMAT") if day else ""
        values[name] = value
    try:
        return gettext(template) % values
    except (KeyError, ValueError, TypeError):
        # A translation that lost a placeholder must not break the inbox.
        return template % values


def link(viewname: str, **kwargs) -> Expression:
    """The URL of ``viewname`` with each keyword argument taken from an expression:
    reversed once with stand-in numbers, which are then replaced by the columns."""
    stand_ins = {name: str(987654321 + i) for i, name in enumerate(kwargs)}
    url = reverse(viewname, kwargs={name: int(number) for name, number in stand_ins.items()})
    pattern = "(" + "|".join(stand_ins.values()) + ")"
    by_number = {number: kwargs[name] for name, number in stand_ins.items()}
    pieces = re.split(pattern, url)
    return text(*(by_number.get(piece, piece) for piece in pieces if piece != ""))


class shifted(Func):  # noqa: N801 - reads as a function in scanners
    """A date expression moved by whole months and days, as ``relativedelta`` moves it
    (31 January plus one month is 28 or 29 February)."""

    output_field = DateField()

    def __init__(self, expression, *, months=0, days: int = 0):
        # ``months`` may be an expression too: a number of months each organisation sets.
        months = months if hasattr(months, "resolve_expression") else Value(months)
        super().__init__(expression, months, Value(days))

    def as_sql(self, compiler, connection, **extra_context):
        (day, day_params), (months, months_params), (days, days_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"({day} + make_interval(months => ({months})::int, days => ({days})::int))::date"
        return sql, (*day_params, *months_params, *days_params)
