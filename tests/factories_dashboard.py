"""Trajectories with a hand-made history, for figures whose right value is known."""

import datetime

from django.utils import timezone

from tests.factories import WorkerFactory
from trajects import state
from trajects.models import Trajectory, TrajectoryTransition
from trajects.state import TRANSITIONS, Trigger


def at(day: str, hour: int = 12) -> datetime.datetime:
    """A local moment: "2026-03-01" at noon unless told."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def trajectory_with_history(worker=None, *, started: str, steps=(), started_hour: int = 12, **worker_fields):
    """``steps``: (transition name, day, outcome or None), replayed through the state machine
    like trajects.demo does: an impossible history fails here, not in the figure under test."""
    worker = worker or WorkerFactory(**worker_fields)
    start = at(started, started_hour)
    trajectory = Trajectory(worker=worker, trigger=Trigger.OWN_REQUEST, started_at=start)
    rows = [state.apply(trajectory, state.START, at=start)]
    for name, day, outcome in steps:
        moment = at(day) if isinstance(day, str) else day
        rows.append(state.apply(trajectory, TRANSITIONS[name], at=moment, outcome=outcome))
    trajectory.save()
    TrajectoryTransition.objects.bulk_create(
        [TrajectoryTransition(trajectory=trajectory, **row) for row in rows]
    )
    return trajectory
