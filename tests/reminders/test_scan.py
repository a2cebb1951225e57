"""The scan creates each occurrence once, however often and however concurrently it runs."""

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import DateField, F, Value
from django.test.utils import CaptureQueriesContext

from bwise.accounts.models import Role
from bwise.reminders import registry, services, tasks
from bwise.reminders.models import Reminder
from bwise.reminders.registry import Due, message, text
from tests.factories import UserFactory, WorkerFactory
from trajects.models import Worker

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def only_scanners(monkeypatch):
    """Replace the registered scanners by the test's own."""

    def use(**scanners):
        monkeypatch.setattr(registry, "_scanners", dict(scanners))

    return use


def lde_scanner(workers):
    """Three occurrences per worker, one per threshold, for the worker's coach."""

    def scan(today):
        records = Worker.objects.filter(pk__in=[worker.pk for worker in workers])
        return [
            Due(
                kind="lde_limit",
                records=records,
                key=text("lde:worker:", F("pk"), f":2028-03-01:{months}m"),
                title=message(
                    f"LDE limit of %(worker)s in {months} months",
                    worker=text(F("first_name"), " ", F("last_name")),
                ),
                due_date=Value(TODAY, output_field=DateField()),
                url=text("/workers/", F("pk"), "/"),
                recipient=F("coach_id"),
            )
            for months in (12, 6, 3)
        ]

    return scan


@pytest.mark.django_db
def test_scanning_twice_gives_the_same_reminders(only_scanners):
    workers = WorkerFactory.create_batch(3)
    only_scanners(lde_limit=lde_scanner(workers))
    assert services.reminders_scan(today=TODAY) == {"lde_limit": 9}
    first = set(Reminder.objects.values_list("key", "recipient_id", "record_id"))
    assert services.reminders_scan(today=TODAY) == {"lde_limit": 0}
    assert set(Reminder.objects.values_list("key", "recipient_id", "record_id")) == first
    reminder = Reminder.objects.filter(record_id=workers[0].pk).first()
    assert (reminder.record_model, reminder.organisation_id) == (
        "trajects.Worker",
        workers[0].organisation_id,
    )


@pytest.mark.django_db
def test_a_redelivered_scan_task_creates_nothing_twice(only_scanners):
    only_scanners(lde_limit=lde_scanner(WorkerFactory.create_batch(2)))
    tasks.scan_reminders.apply()
    tasks.scan_reminders.apply()
    assert Reminder.objects.count() == 6


@pytest.mark.django_db
def test_a_done_reminder_is_not_recreated_by_the_next_scan(only_scanners):
    only_scanners(lde_limit=lde_scanner([WorkerFactory()]))
    services.reminders_scan(today=TODAY)
    Reminder.objects.update(status="done")
    services.reminders_scan(today=TODAY)
    assert set(Reminder.objects.values_list("status", flat=True)) == {"done"}


@pytest.mark.django_db
def test_one_failing_scanner_spares_the_others(only_scanners):
    def broken(today):
        raise RuntimeError("bad data")
        yield

    only_scanners(broken=broken, lde_limit=lde_scanner([WorkerFactory()]))
    assert services.reminders_scan(today=TODAY) == {"broken": -1, "lde_limit": 3}


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_scanning_at_once_create_each_occurrence_once(only_scanners):
    workers = WorkerFactory.create_batch(20)
    only_scanners(lde_limit=lde_scanner(workers))
    barrier = threading.Barrier(2)
    errors, results = [], []

    def run():
        try:
            barrier.wait()
            results.append(services.reminders_scan(today=TODAY)["lde_limit"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert min(results) >= 0, "a scanner failed on the other's inserts"
    assert Reminder.objects.count() == 60


@pytest.mark.django_db
def test_the_example_scanner_reminds_hr_of_workers_without_a_coach(organisation, other_organisation):
    hr = UserFactory(organisation=organisation, roles=[Role.HR])
    second_hr = UserFactory(organisation=organisation, roles=[Role.HR])
    UserFactory(organisation=other_organisation, roles=[Role.HR])
    orphan = WorkerFactory(organisation=organisation, coach=None)
    WorkerFactory(organisation=organisation)  # has a coach
    WorkerFactory(organisation=other_organisation)  # has a coach

    services.reminders_scan(today=TODAY, kinds={"worker_without_coach"})
    services.reminders_scan(today=TODAY, kinds={"worker_without_coach"})

    reminders = Reminder.objects.filter(kind="worker_without_coach")
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([hr.pk, second_hr.pk])
    assert set(reminders.values_list("record_id", flat=True)) == {orphan.pk}
    assert reminders.first().url == f"/workers/{orphan.pk}/"
    assert orphan.full_name in reminders.first().text


@pytest.mark.django_db
def test_a_scan_that_finds_nothing_new_creates_nothing_in_as_many_queries_for_5_or_50_workers(coach, hr):
    from dateutil.relativedelta import relativedelta

    from trajects.models import Statuut

    def second_scan_with(count):
        for _ in range(count):
            WorkerFactory(organisation=hr.organisation, coach=None)  # to HR: no coach
            WorkerFactory(
                organisation=coach.organisation,
                coach=coach,
                statuut=Statuut.LDE,
                statuut_start=TODAY + relativedelta(months=2) - relativedelta(years=5),
            )
        first = services.reminders_scan(today=TODAY)
        with CaptureQueriesContext(connection) as queries:
            second = services.reminders_scan(today=TODAY)
        return first, second, len(queries)

    few, many = second_scan_with(5), second_scan_with(45)
    assert few[0]["worker_without_coach"] == few[0]["lde_limit"] == 5
    assert many[0]["worker_without_coach"] == many[0]["lde_limit"] == 45
    assert set(few[1].values()) == set(many[1].values()) == {0}
    assert few[2] == many[2]
    assert Reminder.objects.filter(kind__in=["worker_without_coach", "lde_limit"]).count() == 2 * 50
