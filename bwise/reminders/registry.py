"""Reminder scanners: each app registers, in `<app>/scanners.py`, functions that yield
what is due. The scan turns every spec into a Reminder once (its ``key`` is unique).

A key names one occurrence, so that a new one arises when the thing is due again::

    @register_scanner("pop_due")
    def pops_due(today):
        for pop in Pop.objects.due_before(today + timedelta(days=30)).select_related(...):
            for hr in hr_users[pop.organisation_id]:
                yield ReminderSpec(
                    key=f"pop:{pop.pk}:{pop.due_date}:user:{hr.pk}", recipient=hr, kind="pop_due",
                    title=_("POP of %(worker)s due") % {...}, due_date=pop.due_date,
                    url=reverse(...), record=pop,
                )

A scanner runs without a request or a user: it reads through the managers directly
(not ``visible_to``) and must pick recipients who may read the record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ReminderSpec:
    key: str  # one occurrence, e.g. "lde:worker:12:2027-03-01:12m"
    recipient: object  # a User
    kind: str
    title: str
    due_date: datetime.date
    url: str = ""
    record: models.Model | None = None


Scanner = Callable[[datetime.date], Iterable[ReminderSpec]]

_scanners: dict[str, Scanner] = {}


def register_scanner(kind: str):
    def decorator(func: Scanner) -> Scanner:
        _scanners[kind] = func
        return func

    return decorator


def scanners() -> dict[str, Scanner]:
    return dict(_scanners)
