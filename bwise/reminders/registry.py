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
                _("%(action)s due on %(date)s"), action=F("action"), date=short_date(F("due_date"))
            ),
            due_date=F("due_date"),
            url=link("competenties:plan_detail", plan_pk=F("plan_id")),
            recipient=F("plan__worker__coach_id"),
        )]

A scanner runs without a request or a user: it reads through the managers directly
(not ``visible_to``) and must pick recipients who may read the record. Texts are
rendered in the scan's language, once per scan, and stored with the reminder.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import CharField, DateField, Expression, F, Func, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.formats import get_format


@dataclass(frozen=True)
class Due:
    """One kind of occurrence: a reminder for each row of ``records`` and each recipient.

    The recipient is either one user per row (``recipient``, an expression yielding a user
    pk) or every user of ``recipients`` in the row's ``organisation``. The reminder
    belongs to the recipient's organisation."""

    kind: str
    records: QuerySet
    key: Expression
    title: Expression
    due_date: Expression
    url: Expression
    recipient: Expression | None = None
    recipients: QuerySet | None = None
    organisation: Expression = F("organisation_id")

    def rows(self) -> QuerySet:
        # Prefixed names: an annotation may not take the name of a field of the record.
        columns = {
            "reminder_key": self.key,
            "reminder_title": self.title,
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


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def message(template: str, **values) -> Expression:
    """``template % values`` in SQL: the template is translated once per scan (in the
    scan's language, as the texts always were), each value is an expression."""
    pieces = _PLACEHOLDER.split(str(template))
    parts = [values[piece] if i % 2 else piece.replace("%%", "%") for i, piece in enumerate(pieces)]
    return text(*(part for part in parts if part != ""))


def link(viewname: str, **kwargs) -> Expression:
    """The URL of ``viewname`` with each keyword argument taken from an expression:
    reversed once with stand-in numbers, which are then replaced by the columns."""
    stand_ins = {name: str(987654321 + i) for i, name in enumerate(kwargs)}
    url = reverse(viewname, kwargs={name: int(number) for name, number in stand_ins.items()})
    pattern = "(" + "|".join(stand_ins.values()) + ")"
    by_number = {number: kwargs[name] for name, number in stand_ins.items()}
    pieces = re.split(pattern, url)
    return text(*(by_number.get(piece, piece) for piece in pieces if piece != ""))


# Django's date format characters and their PostgreSQL ``to_char`` patterns.
_TO_CHAR = {"d": "DD", "j": "FMDD", "m": "MM", "n": "FMMM", "Y": "YYYY", "y": "YY"}


def short_date(expression) -> Expression:
    """A date in the active language's SHORT_DATE_FORMAT, as ``date_format`` gives it."""
    pattern = "".join(
        _TO_CHAR.get(char, char if not char.isalpha() else f'"{char}"')
        for char in get_format("SHORT_DATE_FORMAT")
    )
    return Func(expression, Value(pattern), function="to_char", output_field=CharField())


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
