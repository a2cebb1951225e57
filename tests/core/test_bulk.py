import datetime

import pytest
from django.db import connection
from django.utils import timezone

from bwise.core.bulk import checks_after, checks_deferred, copy_rows, history_after
from tests.factories import WorkerFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.models import TrajectoryTransition, Worker

pytestmark = pytest.mark.django_db

HISTORY_FIELDS = ["first_name", "last_name", "organisation_id", "coach_id", "team", "statuut"]


def _transition(trajectory, reason):
    return (trajectory.pk, None, "start", timezone.now(), "", "intake", "", "active", "", reason)


COLUMNS = ["trajectory_id", "by_id", "name", "at", "from_phase", "to_phase", "from_status", "to_status"]
COLUMNS += ["outcome", "reason"]


def test_copy_rows_keeps_tabs_newlines_backslashes_and_nulls():
    trajectory = TrajectoryFactory()
    reason = 'tab\there\nnewline\r back\\slash "quoted" \\N'
    assert copy_rows(TrajectoryTransition, COLUMNS, [_transition(trajectory, reason)]) == 1
    row = TrajectoryTransition.objects.get(trajectory=trajectory)
    assert (row.reason, row.by_id, row.to_phase) == (reason, None, "intake")


def shape():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass UNION ALL "
            "SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1",
            [TrajectoryTransition._meta.db_table] * 2,
        )
        return [row[0] for row in cursor.fetchall()]


def test_checks_after_puts_back_the_keys_and_indexes_and_still_refuses_a_dangling_key():
    before = shape()
    trajectory = TrajectoryFactory()
    with checks_after(TrajectoryTransition):
        copy_rows(TrajectoryTransition, COLUMNS, [_transition(trajectory, "fine")])
    assert shape() == before
    with pytest.raises(Exception, match="foreign key"), checks_after(TrajectoryTransition):
        row = _transition(trajectory, "dangling")
        copy_rows(TrajectoryTransition, COLUMNS, [(trajectory.pk + 1000, *row[1:])])


def test_checks_deferred_puts_them_back_once_at_its_end_and_still_refuses_a_dangling_key():
    before = shape()
    first, second = TrajectoryFactory(), TrajectoryFactory()
    with checks_deferred():
        for trajectory in (first, second):  # as seed_scale does per organisation
            with checks_after(TrajectoryTransition):
                copy_rows(TrajectoryTransition, COLUMNS, [_transition(trajectory, "fine")])
            assert len(shape()) < len(before)
    assert shape() == before
    assert TrajectoryTransition.objects.filter(trajectory__in=[first, second]).count() == 2
    with (
        pytest.raises(Exception, match="foreign key"),
        checks_deferred(),
        checks_after(TrajectoryTransition),
    ):
        row = _transition(first, "dangling")
        copy_rows(TrajectoryTransition, COLUMNS, [(second.pk + 1000, *row[1:])])


def test_history_after_writes_the_insert_events_the_trigger_would():
    events = Worker.pgh_event_models["insert"].objects
    by_trigger = WorkerFactory(team="Atelier", statuut_start=datetime.date(2025, 1, 1))
    with history_after():
        in_bulk = Worker.objects.bulk_create(
            [
                Worker(
                    organisation=by_trigger.organisation,
                    coach=by_trigger.coach,
                    first_name="Bulk",
                    team="Keuken",
                )
            ]
        )[0]
        assert not events.filter(pgh_obj_id=in_bulk.pk).exists()  # the trigger is off
    written = events.get(pgh_obj_id=in_bulk.pk)
    assert [getattr(written, f) for f in HISTORY_FIELDS] == [getattr(in_bulk, f) for f in HISTORY_FIELDS]
    assert written.pgh_label == events.get(pgh_obj_id=by_trigger.pk).pgh_label == "insert"
    after = WorkerFactory(organisation=by_trigger.organisation)
    assert events.filter(pgh_obj_id=after.pk).exists()  # and on again
