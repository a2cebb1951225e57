"""Reminder scanners: each app registers, in `<app>/scanners.py`, functions that yield
what is due. The scan turns every spec into a Reminder once (its ``key`` is unique)."""

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
